"""Schedules of one project: `project.schedules.create(datasource="weekly", cron="0 6 * * MON",
timezone="Europe/Paris")`, `.list()`, `schedule.pause()`, `.resume()`, `.next_run`, `.runs()`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterator

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import records, schema
from dataplane_jupyter.core.errors import InvalidInput, NotFound
from dataplane_jupyter.core.models import DescribeSchedule, DescribeScheduleRun, SchedulePreview
from dataplane_jupyter.core.schedules.targets import missing_target, target
from dataplane_jupyter.core.schedules.timing import Clock, SystemClock, Timing, zone_info

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.project import Project


def timing_of(row: sa.Row) -> Timing:
    """The timing a schedule row holds."""
    return Timing(cron=row.cron, timezone=row.timezone, every=row.every_seconds, at=row.at, anchor=row.anchor)


def describe(row: sa.Row) -> DescribeSchedule:
    """The public record of a schedule row."""
    values = dict(row._mapping)
    timing = timing_of(row)
    values.update(kind=timing.kind, every=values.pop("every_seconds"), description=timing.describe())
    values["next_runs"] = upcoming(row, timing)
    return DescribeSchedule.model_validate(values)


def upcoming(row: sa.Row, timing: Timing, count: int = 5) -> list[datetime]:
    """The next `count` fire times of a schedule row (none while paused or once done)."""
    if not row.enabled or row.next_run is None:
        return []
    return [row.next_run] + timing.upcoming(row.next_run, count - 1)


def preview(
    *, cron: str | None = None, timezone: str | None = None, every: float | None = None,
    at: datetime | str | None = None, count: int = 5, now: datetime | None = None,
) -> SchedulePreview:
    """A human reading of a timing and its next `count` fire times, before saving it."""
    start = now or SystemClock().now()
    timing = Timing.build(cron=cron, timezone=timezone, every=every, at=at, anchor=start)
    times = timing.upcoming(start, count)
    zone = zone_info(timing.timezone)
    return SchedulePreview(description=timing.describe(), next_runs=times,
                           local_next_runs=[t.astimezone(zone).isoformat() for t in times])


class Schedule:
    """A handle on one schedule; attributes read the catalog afresh."""

    def __init__(self, schedules: "Schedules", schedule_id: str) -> None:
        self._schedules = schedules
        self.project = schedules.project
        self.id = schedule_id

    def _row(self) -> sa.Row:
        with self.project.catalog.engine.connect() as connection:
            row = connection.execute(sa.select(schema.schedules).where(
                schema.schedules.c.id == self.id, schema.schedules.c.project_id == self.project.id)).first()
        if row is None:
            raise NotFound(f"No schedule with id {self.id!r} in project {self.project.name!r}.")
        return row

    @property
    def info(self) -> DescribeSchedule:
        """The current record."""
        return describe(self._row())

    name = property(lambda self: self.info.name)
    enabled = property(lambda self: self.info.enabled, doc="False while paused or disabled")
    next_run = property(lambda self: self.info.next_run, doc="The next fire time (UTC), None while paused")
    description = property(lambda self: self.info.description, doc="Human reading of the timing")
    params = property(lambda self: self.info.params)
    last_status = property(lambda self: self.info.last_status)
    disabled_reason = property(lambda self: self.info.disabled_reason)

    def __repr__(self) -> str:
        info = self.info
        state = f"next {info.next_run:%Y-%m-%d %H:%M:%S} UTC" if info.next_run else (
            "paused" if not info.enabled else "done")
        return f"<Schedule {info.name!r} of {info.target_type} {info.target_name!r}: {info.description}, {state}>"

    def next_runs(self, count: int = 5) -> list[datetime]:
        """The next `count` fire times (empty while paused)."""
        row = self._row()
        return upcoming(row, timing_of(row), count)

    def pause(self) -> "Schedule":
        """Stop firing until `resume()`; ticks while paused are not caught up."""
        self.project.require("editor", "pause a schedule")
        self._set(enabled=False, next_run=None, retry_at=None, retry_tick=None, retry_attempt=None)
        return self

    def resume(self) -> "Schedule":
        """Fire again from now on (a schedule disabled because its target was deleted stays refused)."""
        self.project.require("editor", "resume a schedule")
        row = self._row()
        reason = self._schedules.missing_target(row)
        if reason:
            raise InvalidInput(reason, field="target")
        now = self._schedules.clock.now()
        self._set(enabled=True, disabled_reason=None, next_run=timing_of(row).next_after(now))
        return self

    def update(
        self, *, name: str | None = None, cron: str | None = None, timezone: str | None = None,
        every: float | None = None, at: datetime | str | None = None, params: dict[str, Any] | None = None,
        retries: int | None = None, retry_delay: float | None = None,
    ) -> "Schedule":
        """Change fields; a new timing (cron/every/at) replaces the old one and next_run is recomputed."""
        row = self._row()
        values: dict[str, Any] = {}
        if name is not None:
            values["name"] = name
        if params is not None:
            values["params"] = target(row.target_type).check_params(dict(params), self.project, row.target_id)
        if retries is not None or retry_delay is not None:
            values.update(self._schedules.check_retry(
                row.retries if retries is None else retries, row.retry_delay if retry_delay is None else retry_delay))
        if cron or every or at or timezone:
            now = self._schedules.clock.now()
            if not (cron or every or at):  # only the zone changes: keep the kind of timing
                cron, every, at = row.cron, row.every_seconds, row.at
            timing = Timing.build(cron=cron, timezone=timezone or row.timezone, every=every, at=at, anchor=now)
            _refuse_past(timing, now)
            values.update(cron=timing.cron, timezone=timing.timezone, every_seconds=timing.every, at=timing.at,
                          anchor=timing.anchor or now, next_run=timing.next_after(now) if row.enabled else None)
        if values:
            records.update(self.project.catalog.engine, schema.schedules, self.project, self.id, "Schedule", **values)
        return self

    def runs(self, limit: int = 100, *, statuses: list[str] | None = None) -> list[DescribeScheduleRun]:
        """What each tick did (fired, succeeded, failed, retried, skipped_*), most recently fired first."""
        r = schema.schedule_runs
        query = sa.select(r).where(r.c.schedule_id == self.id).order_by(
            r.c.fired_at.desc(), r.c.tick.desc(), r.c.attempt.desc()).limit(limit)
        if statuses:
            query = query.where(r.c.status.in_(statuses))
        with self.project.catalog.engine.connect() as connection:
            return [DescribeScheduleRun.model_validate(row._mapping) for row in connection.execute(query)]

    def delete(self) -> None:
        """Forget the schedule and its history (runs it started stay)."""
        self.project.require("editor", "delete a schedule")
        self._row()
        records.delete(self.project.catalog.engine, schema.schedules, self.id)

    def _set(self, **values: Any) -> None:
        self._row()
        with self.project.catalog.engine.begin() as connection:
            connection.execute(schema.schedules.update().where(schema.schedules.c.id == self.id)
                               .values(updated_at=schema.utcnow(), **values))


class Schedules:
    """The schedules of one project."""

    def __init__(self, project: "Project", clock: Clock | None = None) -> None:
        self.project = project
        self.clock: Clock = clock or SystemClock()

    def with_clock(self, clock: Clock) -> "Schedules":
        """The same schedules, reading the time from `clock` (tests, simulations)."""
        return Schedules(self.project, clock)

    @staticmethod
    def check_retry(retries: Any, retry_delay: Any) -> dict[str, Any]:
        try:
            count, delay = int(retries), float(retry_delay)
        except (TypeError, ValueError):
            raise InvalidInput(f"retries/retry_delay: {retries!r}/{retry_delay!r} are not numbers.",
                               field="retries") from None
        if not 0 <= count <= 100:
            raise InvalidInput(f"retries: {retries!r} must be between 0 and 100.", field="retries")
        if not delay >= 0:
            raise InvalidInput(f"retry_delay: {retry_delay!r} must be 0 seconds or more.", field="retry_delay")
        return {"retries": count, "retry_delay": delay}

    def create(
        self,
        name: str | None = None,
        *,
        pipeline: str | None = None,
        datasource: str | None = None,
        cron: str | None = None,
        timezone: str | None = None,
        every: float | None = None,
        at: datetime | str | None = None,
        params: dict[str, Any] | None = None,
        retries: int = 0,
        retry_delay: float = 60.0,
        enabled: bool = True,
    ) -> Schedule:
        """A schedule of a pipeline (each tick runs it with `params`) or of a datasource (each tick
        imports it into a new dataset snapshot). Timing: exactly one of `cron` (+ `timezone`, an
        IANA name, default UTC), `every` (seconds, ≥ 1) or `at` (one date-time)."""
        if (pipeline is None) == (datasource is None):
            raise InvalidInput("Give either pipeline= or datasource= (what the schedule starts).", field="pipeline")
        kind, key = ("pipeline", pipeline) if pipeline is not None else ("datasource", datasource)
        implementation = target(kind)
        target_id, target_name = implementation.find(self.project, key)
        now = self.clock.now()
        timing = Timing.build(cron=cron, timezone=timezone, every=every, at=at, anchor=now)
        _refuse_past(timing, now)
        checked = implementation.check_params(dict(params or {}), self.project, target_id)
        retry = self.check_retry(retries, retry_delay)
        name = name if name not in (None, "") else self._default_name(target_name)
        record_id = records.insert(
            self.project.catalog.engine, schema.schedules, self.project, name, "Schedule",
            target_type=kind, target_id=target_id, target_name=target_name,
            cron=timing.cron, timezone=timing.timezone, every_seconds=timing.every, at=timing.at,
            anchor=timing.anchor or now, params=checked, enabled=bool(enabled), next_run=timing.next_after(now) if enabled else None,
            created_by=self.project.catalog.user,
            **retry,
        )
        return Schedule(self, record_id)

    def _default_name(self, target_name: str) -> str:
        taken = {s.name for s in self.list()}
        for n in range(1, 10_000):
            candidate = f"{target_name} schedule" + (f" {n}" if n > 1 else "")
            if candidate not in taken:
                return candidate
        raise InvalidInput("Give the schedule a name.", field="name")

    def preview(self, *, cron: str | None = None, timezone: str | None = None, every: float | None = None,
                at: datetime | str | None = None, count: int = 5) -> SchedulePreview:
        """The human reading and next fire times of a timing, before saving it."""
        return preview(cron=cron, timezone=timezone, every=every, at=at, count=count, now=self.clock.now())

    def missing_target(self, row: sa.Row) -> str | None:

        return missing_target(self.project, row)

    def list(self, *, pipeline: str | None = None, datasource: str | None = None) -> list[Schedule]:
        """By name; `pipeline=` or `datasource=` (name or id) keeps that target's schedules."""
        s = schema.schedules
        query = sa.select(s.c.id).where(s.c.project_id == self.project.id).order_by(s.c.name)
        for kind, key in (("pipeline", pipeline), ("datasource", datasource)):
            if key is not None:
                target_id, _ = target(kind).find(self.project, key)
                query = query.where(s.c.target_type == kind, s.c.target_id == target_id)
        with self.project.catalog.engine.connect() as connection:
            return [Schedule(self, schedule_id) for schedule_id in connection.execute(query).scalars()]

    def __getitem__(self, key: str) -> Schedule:
        row = records.find(self.project.catalog.engine, sa.select(schema.schedules), schema.schedules,
                           self.project, key, "Schedule")
        return Schedule(self, row.id)

    def __iter__(self) -> Iterator[Schedule]:
        return iter(self.list())

    def __len__(self) -> int:
        return len(self.list())

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except NotFound:
            return False
        return True


def _refuse_past(timing: Timing, now: datetime) -> None:
    if timing.at is not None and timing.at <= now:
        raise InvalidInput(f"at: {timing.at:%Y-%m-%d %H:%M:%S} UTC is in the past; a one-off schedule needs a "
                           "future date-time.", field="at")



