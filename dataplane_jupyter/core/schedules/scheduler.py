"""The scheduler: fires due schedules, exactly once across every scheduler sharing the catalog.

Any number of schedulers (the Jupyter server extension of each user, `dataplane scheduler`
daemons) may run on one catalog. They agree through the catalog alone:

- a tick is claimed with a conditional UPDATE (`SET next_run = <following tick> WHERE id = ? AND
  next_run = <the tick read>`): one scheduler's update matches a row, the others' match none, so
  each tick fires once; a retry is claimed the same way on `retry_at`, and a run's outcome is
  recorded with `WHERE status = 'fired'`;
- no overlap: a tick that comes while the schedule's previous run still runs (or waits for a
  retry) is recorded `skipped_overlap` and not started;
- catch-up once: when ticks were missed (no scheduler was running), only the latest due tick
  fires, and each earlier one is recorded `skipped_missed` (the first `missed_limit` of them one
  by one, the rest in one record that counts them);
- retries: a run that fails is tried again `retries` times, `retry_delay` seconds apart; the
  failed attempt is recorded `retried`, the last one `failed`;
- a schedule whose pipeline or datasource was deleted is disabled with the reason.

Time comes from an injected clock, so tests move it without sleeping. A tick's work is short:
it starts runs as jobs (worker processes by default) and never waits for them.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.errors import DataplaneError
from dataplane_jupyter.core.schedules.collection import timing_of
from dataplane_jupyter.core.schedules.targets import missing_target, target
from dataplane_jupyter.core.schedules.timing import Clock, SystemClock

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog import Catalog
    from dataplane_jupyter.core.catalog.project import Project

log = logging.getLogger("dataplane_jupyter.scheduler")

STARTING_TIMEOUT = timedelta(minutes=10)  # a `fired` record without a run after this: its scheduler died


@dataclass
class TickReport:
    """What one pass of `run_pending` did (for logs and tests)."""

    fired: list[tuple[str, datetime, int]] = field(default_factory=list)  # (schedule name, tick, attempt)
    skipped_overlap: list[tuple[str, datetime]] = field(default_factory=list)
    skipped_missed: int = 0
    finished: list[tuple[str, str]] = field(default_factory=list)  # (schedule name, status)
    disabled: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fired or self.skipped_overlap or self.skipped_missed or self.finished or self.disabled)


def _fmt(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "-"


class Scheduler:
    """Fires the due schedules of every project of a catalog.

    `run_pending()` does one pass; `run_forever(stop)` passes until `stop` is set, sleeping until
    the next fire time (at most `max_sleep` seconds, so schedules created elsewhere are seen).
    """

    def __init__(
        self,
        catalog: "Catalog",
        *,
        clock: Clock | None = None,
        name: str | None = None,
        max_sleep: float = 1.0,
        missed_limit: int = 100,
        reap_every: float | None = None,
    ) -> None:
        self.catalog = catalog
        self.clock: Clock = clock or SystemClock()
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.max_sleep = max_sleep
        self.missed_limit = max(1, missed_limit)
        self.ticking = threading.Event()
        self.wake = threading.Event()
        self.last_tick_at: datetime | None = None
        self.tick_started_at: datetime | None = None
        self.ticks = 0
        self.fired = 0
        self.reap_every = reap_every  # a daemon also fails the jobs whose worker died (no server does it)
        self._projects: dict[tuple[str, str], "Project"] = {}

    # -- the loop ---------------------------------------------------------------------------

    def run_forever(self, stop: threading.Event) -> None:
        """Pass until `stop` is set; a failing pass is logged and the loop goes on."""
        log.info("scheduler %s started on catalog %s", self.name, self.catalog.settings.catalog_url.split("@")[-1])
        last_reap = 0.0
        while not stop.is_set():
            try:
                if self.reap_every is not None and time.monotonic() - last_reap >= self.reap_every:
                    self.catalog.jobs.reap()
                    last_reap = time.monotonic()
                self.run_pending()
            except Exception:  # noqa: BLE001 - a broken pass (database away) must not end the loop
                log.error("scheduler pass failed:\n%s", traceback.format_exc())
            self.wake.wait(self.seconds_to_sleep())
            self.wake.clear()
        log.info("scheduler %s stopped", self.name)

    def seconds_to_sleep(self) -> float:
        """Until the next fire time or pending retry, at most `max_sleep`."""
        s = schema.schedules
        try:
            with self.catalog.engine.connect() as connection:
                soonest = connection.execute(
                    sa.select(sa.func.min(s.c.next_run)).where(s.c.enabled.is_(True))).scalar()
                retry = connection.execute(
                    sa.select(sa.func.min(s.c.retry_at)).where(s.c.enabled.is_(True))).scalar()
        except sa.exc.SQLAlchemyError:
            return self.max_sleep
        candidates = [t for t in (soonest, retry) if t is not None]
        if not candidates:
            return self.max_sleep
        wait = (min(candidates) - self.clock.now()).total_seconds()
        return max(0.01, min(self.max_sleep, wait))

    def run_pending(self) -> TickReport:
        """One pass: record how fired runs ended (and plan retries), start due retries, fire due ticks."""
        report = TickReport()
        now = self.clock.now()
        self.tick_started_at = now
        self.ticking.set()
        try:
            self._reconcile(now, report)
            self._due_retries(now, report)
            self._due_ticks(now, report)
            self.last_tick_at = now
            self.ticks += 1
        finally:
            self.ticking.clear()
        return report

    # -- claiming ---------------------------------------------------------------------------

    def _due_ticks(self, now: datetime, report: TickReport) -> None:
        s = schema.schedules
        with self.catalog.engine.connect() as connection:
            due = connection.execute(
                sa.select(s).where(s.c.enabled.is_(True), s.c.next_run.is_not(None), s.c.next_run <= now)
                .order_by(s.c.next_run)).all()
        for row in due:
            try:
                self._claim_tick(row, now, report)
            except Exception:  # noqa: BLE001 - one broken schedule must not stop the others
                log.error("schedule %r: tick failed:\n%s", row.name, traceback.format_exc())

    def _claim_tick(self, row: sa.Row, now: datetime, report: TickReport) -> None:
        timing = timing_of(row)
        first = row.next_run
        later, total_later = timing.due_between(first, now, self.missed_limit)
        if total_later:
            tick = self._last_due(timing, first, now, later, total_later)
            missed = [first] + [t for t in later if t != tick]
            missed_total = total_later  # every due tick but the one that fires
        else:
            tick, missed, missed_total = first, [], 0
        following = timing.next_after(now)
        s = schema.schedules
        with self.catalog.engine.begin() as connection:
            won = connection.execute(
                s.update().where(s.c.id == row.id, s.c.enabled.is_(True), s.c.next_run == first)
                .values(next_run=following, updated_at=schema.utcnow())).rowcount
        if not won:
            return  # another scheduler claimed this tick
        if missed_total:
            self._record_missed(row, missed[: self.missed_limit], missed_total, tick, now)
            report.skipped_missed += missed_total
        project = self._project(row.project_id, row.created_by)
        reason = missing_target(project, row)
        if reason:
            self._disable(row, reason, tick, now, report)
            return
        busy = self._busy(row)
        if busy:
            self._record(row, tick, 1, "skipped_overlap", now, message=busy, finished_at=now)
            report.skipped_overlap.append((row.name, tick))
            log.info("schedule %r: tick %s skipped: %s", row.name, _fmt(tick), busy)
            return
        self._fire(project, row, tick, 1, now, report)

    @staticmethod
    def _last_due(timing: Any, first: datetime, now: datetime, listed: list[datetime], total: int) -> datetime:
        if timing.every:
            return first + timedelta(seconds=total * timing.every)
        if total <= len(listed):
            return listed[-1]
        moment, last = listed[-1], listed[-1]
        while (moment := timing.next_after(moment)) is not None and moment <= now:
            last = moment
        return last

    def _due_retries(self, now: datetime, report: TickReport) -> None:
        s = schema.schedules
        with self.catalog.engine.connect() as connection:
            due = connection.execute(
                sa.select(s).where(s.c.enabled.is_(True), s.c.retry_at.is_not(None), s.c.retry_at <= now)).all()
        for row in due:
            with self.catalog.engine.begin() as connection:
                won = connection.execute(
                    s.update().where(s.c.id == row.id, s.c.retry_at == row.retry_at,
                                     s.c.retry_attempt == row.retry_attempt)
                    .values(retry_at=None, retry_tick=None, retry_attempt=None, updated_at=schema.utcnow())).rowcount
            if not won:
                continue
            project = self._project(row.project_id, row.created_by)
            reason = missing_target(project, row)
            if reason:
                self._disable(row, reason, row.retry_tick, now, report, attempt=row.retry_attempt)
                continue
            self._fire(project, row, row.retry_tick, row.retry_attempt, now, report)

    # -- firing and outcomes ----------------------------------------------------------------

    def _fire(self, project: "Project", row: sa.Row, tick: datetime, attempt: int, now: datetime,
              report: TickReport) -> None:
        record_id = self._record(row, tick, attempt, "fired", now)
        try:
            started = target(row.target_type).start(project, row, tick, attempt)
        except DataplaneError as error:
            self._finish(row, record_id, attempt, "failed", error.message, now, report)
            return
        except Exception as error:  # noqa: BLE001 - the tick must end recorded
            log.error("schedule %r: starting its run crashed:\n%s", row.name, traceback.format_exc())
            self._finish(row, record_id, attempt, "failed", f"Unexpected error: {type(error).__name__}: {error}",
                         now, report)
            return
        r = schema.schedule_runs
        with self.catalog.engine.begin() as connection:
            connection.execute(r.update().where(r.c.id == record_id).values(
                run_type=started.run_type, run_id=started.run_id, run_name=started.run_name))
        self.fired += 1
        report.fired.append((row.name, tick, attempt))
        again = f" (attempt {attempt})" if attempt > 1 else ""
        log.info("schedule %r: tick %s fired%s: %s %s", row.name, _fmt(tick), again, started.run_type,
                 started.run_name or started.run_id)

    def _reconcile(self, now: datetime, report: TickReport) -> None:
        """Record how the runs of `fired` ticks ended; plan a retry for a failed one."""
        r, s = schema.schedule_runs, schema.schedules
        with self.catalog.engine.connect() as connection:
            open_runs = connection.execute(
                sa.select(r, s.c.project_id, s.c.target_type, s.c.name.label("schedule_name"), s.c.created_by)
                .select_from(r.join(s, r.c.schedule_id == s.c.id)).where(r.c.status == "fired")).all()
        for run in open_runs:
            try:
                if run.run_id is None:
                    if now - run.fired_at > STARTING_TIMEOUT:
                        self._finish_open(run, "failed", f"Scheduler {run.scheduler} stopped while starting the run.",
                                          now, report)
                    continue
                outcome, message = target(run.target_type).outcome(self._project(run.project_id, run.created_by), run.run_id)
                if outcome != "running":
                    self._finish_open(run, outcome, message, now, report)
            except Exception:  # noqa: BLE001
                log.error("schedule run %s: reading its outcome failed:\n%s", run.id, traceback.format_exc())

    def _finish_open(self, run: sa.Row, outcome: str, message: str | None, now: datetime, report: TickReport) -> None:
        with self.catalog.engine.connect() as connection:
            row = connection.execute(sa.select(schema.schedules).where(schema.schedules.c.id == run.schedule_id)).first()
        if row is not None:
            self._finish(row, run.id, run.attempt, outcome, message, now, report, tick=run.tick)

    def _finish(self, row: sa.Row, record_id: str, attempt: int, outcome: str, message: str | None, now: datetime,
                report: TickReport, tick: datetime | None = None) -> None:
        retry = outcome == "failed" and attempt <= row.retries and row.enabled
        status = "retried" if retry else outcome
        if retry:
            message = f"{(message or 'The run failed').rstrip(' .')}. Retry {attempt} of {row.retries} in {row.retry_delay:g} s."
        r, s = schema.schedule_runs, schema.schedules
        with self.catalog.engine.begin() as connection:
            won = connection.execute(r.update().where(r.c.id == record_id, r.c.status == "fired").values(
                status=status, message=message, finished_at=now)).rowcount
            if not won:
                return  # another scheduler recorded it
            if tick is None:
                tick = connection.execute(sa.select(r.c.tick).where(r.c.id == record_id)).scalar_one()
            values: dict[str, Any] = {"last_status": status, "updated_at": schema.utcnow()}
            if retry:
                values.update(retry_at=now + timedelta(seconds=row.retry_delay), retry_tick=tick,
                              retry_attempt=attempt + 1)
            connection.execute(s.update().where(s.c.id == row.id).values(**values))
        report.finished.append((row.name, status))
        log_level = logging.WARNING if status in ("failed", "retried") else logging.INFO
        log.log(log_level, "schedule %r: tick %s attempt %d %s%s", row.name, _fmt(tick), attempt, status,
                f": {message}" if message else "")

    def _busy(self, row: sa.Row) -> str | None:
        """Why the schedule cannot start a run now (its previous one still runs), or None."""
        r = schema.schedule_runs
        with self.catalog.engine.connect() as connection:
            running = connection.execute(
                sa.select(r).where(r.c.schedule_id == row.id, r.c.status == "fired")
                .order_by(r.c.fired_at.desc())).first()
            pending = connection.execute(
                sa.select(schema.schedules.c.retry_at, schema.schedules.c.retry_tick)
                .where(schema.schedules.c.id == row.id)).first()
        if running is not None:
            what = f"{running.run_type} {running.run_name or running.run_id}" if running.run_id else "its run"
            return f"The run of {_fmt(running.tick)} ({what}) is still running."
        if pending is not None and pending.retry_at is not None:
            return f"A retry of the {_fmt(pending.retry_tick)} run is due at {_fmt(pending.retry_at)}."
        return None

    # -- records ----------------------------------------------------------------------------

    def _record(self, row: sa.Row, tick: datetime, attempt: int, status: str, now: datetime, *,
                message: str | None = None, finished_at: datetime | None = None) -> str:
        record_id = schema.new_id()
        with self.catalog.engine.begin() as connection:
            connection.execute(schema.schedule_runs.insert().values(
                id=record_id, schedule_id=row.id, tick=tick, attempt=attempt, status=status, message=message,
                scheduler=self.name, fired_at=now, finished_at=finished_at))
            stamps = {"last_fired_at": now} if status == "fired" else {}
            connection.execute(schema.schedules.update().where(schema.schedules.c.id == row.id).values(
                last_status=status, **stamps))
        return record_id

    def _record_missed(self, row: sa.Row, ticks: list[datetime], total: int, fired: datetime, now: datetime) -> None:
        reason = f"Missed: no scheduler was running (or none in time); caught up once at {_fmt(fired)}."
        values = [dict(id=schema.new_id(), schedule_id=row.id, tick=t, attempt=1, status="skipped_missed",
                       message=reason, scheduler=self.name, fired_at=now, finished_at=now) for t in ticks]
        if total > len(ticks):
            values[-1]["message"] = (f"{reason} This record stands for {total - len(ticks) + 1:,} missed ticks "
                                     f"from {_fmt(ticks[-1])} on.")
        with self.catalog.engine.begin() as connection:
            connection.execute(schema.schedule_runs.insert(), values)
        log.info("schedule %r: %d missed tick(s) recorded, the latest (%s) fires once", row.name, total, _fmt(fired))

    def _disable(self, row: sa.Row, reason: str, tick: datetime, now: datetime, report: TickReport,
                 attempt: int = 1) -> None:
        s = schema.schedules
        with self.catalog.engine.begin() as connection:
            connection.execute(s.update().where(s.c.id == row.id).values(
                enabled=False, disabled_reason=reason, next_run=None, retry_at=None, retry_tick=None,
                retry_attempt=None, updated_at=schema.utcnow()))
        self._record(row, tick, attempt, "failed", now, message=reason, finished_at=now)
        report.disabled.append(row.name)
        log.warning("schedule %r disabled: %s", row.name, reason)

    def _project(self, project_id: str, user: str) -> "Project":
        """The project as the schedule's creator sees it: runs start as that user."""
        project = self._projects.get((project_id, user))
        if project is None:
            project = self._projects[(project_id, user)] = self.catalog.as_user(user).project_by_id(project_id)
        return project

    # -- shutting down ----------------------------------------------------------------------

    def open_runs(self) -> list[sa.Row]:
        """The `fired` ticks this scheduler started whose run has not ended yet."""
        r, s = schema.schedule_runs, schema.schedules
        with self.catalog.engine.connect() as connection:
            return list(connection.execute(
                sa.select(r, s.c.project_id, s.c.target_type, s.c.created_by).select_from(r.join(s, r.c.schedule_id == s.c.id))
                .where(r.c.status == "fired", r.c.scheduler == self.name)).all())

    def drain(self, grace: float, *, cancel_wait: float = 30.0, poll: float = 0.2) -> int:
        """Let the runs this scheduler started finish for up to `grace` seconds, then cancel the
        rest and wait (up to `cancel_wait` s) for them to end, recording their outcomes.
        Returns how many runs were cancelled."""
        deadline, hard_deadline, cancelled = time.monotonic() + grace, None, 0
        while True:
            self._reconcile(self.clock.now(), TickReport())
            left = self.open_runs()
            if not left:
                return cancelled
            now = time.monotonic()
            if hard_deadline is None and now >= deadline:
                for run in left:
                    if run.run_id is None:
                        self._finish_open(run, "failed", "The scheduler stopped before the run started.",
                                          self.clock.now(), TickReport())
                        continue
                    log.warning("cancelling %s %s of tick %s: the scheduler is stopping", run.run_type,
                                run.run_name or run.run_id, _fmt(run.tick))
                    target(run.target_type).cancel(self._project(run.project_id, run.created_by), run.run_id)
                    cancelled += 1
                hard_deadline = now + cancel_wait
            elif hard_deadline is not None and now >= hard_deadline:
                self.catalog.jobs.reap()
                log.error("%d run(s) did not stop within %g s of being cancelled", len(left), cancel_wait)
                return cancelled
            time.sleep(poll)
