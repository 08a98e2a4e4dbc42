"""The cap on concurrent jobs: at most `DATAPLANE_MAX_JOBS` jobs run at once on one machine.

Slots are rows of the catalog's `job_slots` table, keyed by (host, slot number): inserting one
is atomic in every database, so the server, kernels and CLIs sharing a catalog share the cap.
A job waits `queued` until it holds a slot, first come first served, its message saying its
place in line. A slot whose job has finished or whose process is gone is taken back by the next
job that looks for one, so a killed worker never keeps its slot.
"""

from __future__ import annotations

import os
import socket
import time
from typing import Callable

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.jobs.store import TERMINAL, JobStatus, process_started
from dataplane_jupyter.core.limits import Limits

POLL_SECONDS = 0.5


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Slots:
    """Claiming and releasing this machine's job slots in one catalog."""

    def __init__(self, engine: sa.Engine, limit: int | None = None) -> None:
        self.engine = engine
        self.host = socket.gethostname()
        self.limit = limit or Limits.from_env().max_jobs

    def _free_stale(self, connection: sa.Connection) -> None:
        s, j = schema.job_slots, schema.jobs
        finished = sa.select(j.c.id).where(j.c.status.in_([status.value for status in TERMINAL]))
        connection.execute(s.delete().where(s.c.job_id.in_(finished)))
        for row in connection.execute(sa.select(s).where(s.c.host == self.host)).all():
            started = process_started(row.pid)
            if started is None or (row.pid_started is not None and abs(started - row.pid_started) > 1.0):
                connection.execute(s.delete().where(s.c.host == self.host, s.c.slot == row.slot))

    def place_in_line(self, job_id: str) -> tuple[int, int]:
        """(1-based place of this queued job among the queued jobs of this machine waiting for a
        slot, number of slots free now)."""
        s, j = schema.job_slots, schema.jobs
        with self.engine.begin() as connection:
            self._free_stale(connection)
            held = connection.execute(
                sa.select(sa.func.count()).select_from(s).where(s.c.host == self.host)
            ).scalar_one()
            me = connection.execute(sa.select(j.c.created_at).where(j.c.id == job_id)).scalar_one()
            ahead = connection.execute(
                sa.select(sa.func.count()).select_from(j).where(
                    j.c.status == JobStatus.QUEUED.value,
                    j.c.worker_host == self.host,
                    j.c.cancel_requested.is_(False),
                    j.c.id.not_in(sa.select(s.c.job_id)),
                    sa.or_(j.c.created_at < me, sa.and_(j.c.created_at == me, j.c.id < job_id)),
                )
            ).scalar_one()
        return ahead + 1, max(0, self.limit - held)

    def try_claim(self, job_id: str, pid: int) -> bool:
        """Take a free slot for this job if its place in line allows; True when it holds one."""
        place, free = self.place_in_line(job_id)
        if place > free:
            return False
        s = schema.job_slots
        for slot in range(self.limit):
            try:
                with self.engine.begin() as connection:
                    connection.execute(s.insert().values(
                        host=self.host, slot=slot, job_id=job_id, pid=pid, pid_started=process_started(pid)))
                return True
            except sa.exc.IntegrityError:
                with self.engine.connect() as connection:  # already ours (a retry)?
                    if connection.execute(sa.select(s.c.slot).where(s.c.job_id == job_id)).first():
                        return True
        return False

    def wait(self, job_id: str, *, pid: int | None = None, note: Callable[[str], None] = lambda _: None,
             still_wanted: Callable[[], bool] = lambda: True) -> bool:
        """Block until this job holds a slot (True), or `still_wanted()` turns False (False).
        `note(message)` is told the job's place in line whenever it changes."""
        pid = pid or os.getpid()
        last = ""
        while still_wanted():
            if self.try_claim(job_id, pid):
                return True
            place, _ = self.place_in_line(job_id)
            message = (f"Queued: {ordinal(place)} in line for a worker "
                       f"({self.limit} job{'s' if self.limit != 1 else ''} at a time, DATAPLANE_MAX_JOBS)")
            if message != last:
                note(message)
                last = message
            time.sleep(POLL_SECONDS)
        return False

    def release(self, job_id: str) -> None:
        """Give the job's slot back (nothing if it holds none)."""
        with self.engine.begin() as connection:
            connection.execute(schema.job_slots.delete().where(schema.job_slots.c.job_id == job_id))
