"""When a schedule fires: a cron line in an IANA time zone, a fixed interval, or one date-time.

Cron lines are parsed and iterated by `cronsim` in the schedule's own time zone, so daylight
saving time is handled the way Debian's cron does it: a job set inside the hour that is skipped
in spring (02:30 on the spring-forward day) runs once, right after the jump; a job set inside the
hour that repeats in autumn runs once, not twice. Every instant leaves here timezone-aware in UTC.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from cron_descriptor import ExpressionDescriptor
from cronsim import CronSim, CronSimError

from dataplane_jupyter.core.errors import InvalidInput

MIN_EVERY = 1.0  # seconds: the shortest interval a schedule may have


class Clock(Protocol):
    """Where the scheduler reads the time (injected, so tests move time without sleeping)."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock that only moves when told to: `clock.advance(seconds=60)`, `clock.set(when)`."""

    def __init__(self, start: datetime) -> None:
        self._now = _utc(start, "start")

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = _utc(when, "when")

    def advance(self, seconds: float = 0.0, **delta: float) -> datetime:
        self._now = self._now + timedelta(seconds=seconds, **delta)
        return self._now


def _utc(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidInput(f"{field}: expected a date-time, got {value!r}.", field=field)
    if value.tzinfo is None:
        raise InvalidInput(f"{field}: {value.isoformat()} has no time zone; give one (e.g. +00:00).", field=field)
    return value.astimezone(timezone.utc)


def parse_at(value: datetime | str, zone: str = "UTC") -> datetime:
    """A single date-time: aware, or naive and read in `zone`; ISO 8601 strings accepted."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(f"at: {value!r} is not an ISO 8601 date-time (e.g. 2027-01-04T06:00).", field="at") from None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=zone_info(zone))
    return _utc(value, "at")


def zone_info(name: str) -> ZoneInfo:
    """The IANA zone called `name` (InvalidInput naming the field otherwise)."""
    try:
        if not isinstance(name, str) or not name.strip():
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        hint = difflib.get_close_matches(name, sorted(available_timezones()), n=3) if isinstance(name, str) else []
        more = f" Did you mean {', '.join(hint)}?" if hint else " Use an IANA name such as Europe/Paris or UTC."
        raise InvalidInput(f"timezone: {name!r} is not a known time zone.{more}", field="timezone") from None


@dataclass(frozen=True)
class Timing:
    """Exactly one of `cron` (+ `timezone`), `every` (seconds, from `anchor`) or `at`."""

    cron: str | None = None
    timezone: str = "UTC"
    every: float | None = None
    at: datetime | None = None
    anchor: datetime | None = None  # where an interval counts from (the schedule's creation)

    @classmethod
    def build(
        cls,
        *,
        cron: str | None = None,
        timezone: str | None = None,
        every: float | None = None,
        at: datetime | str | None = None,
        anchor: datetime | None = None,
    ) -> "Timing":
        """Check and normalise what the user gave (InvalidInput names the wrong field)."""
        zone = (timezone or "UTC").strip()
        zone_info(zone)
        given = [name for name, value in (("cron", cron), ("every", every), ("at", at)) if value not in (None, "")]
        if len(given) != 1:
            raise InvalidInput(
                "Give exactly one of cron (with a timezone), every (seconds) or at (a date-time)"
                + (f"; got {' and '.join(given)}." if given else "."),
                field=given[1] if len(given) > 1 else "cron",
            )
        if cron not in (None, ""):
            line = " ".join(str(cron).split())
            try:
                CronSim(line, datetime(2000, 1, 1, tzinfo=zone_info(zone)))
            except (CronSimError, ValueError) as error:
                raise InvalidInput(f"cron: {line!r} is not a valid cron line: {error}.", field="cron") from None
            if len(line.split()) != 5:
                raise InvalidInput(
                    f"cron: {line!r} has {len(line.split())} fields; use 5 (minute hour day month weekday).",
                    field="cron",
                )
            return cls(cron=line, timezone=zone)
        if every not in (None, ""):
            try:
                seconds = float(every)
            except (TypeError, ValueError):
                raise InvalidInput(f"every: {every!r} is not a number of seconds.", field="every") from None
            if not math.isfinite(seconds) or seconds < MIN_EVERY:
                raise InvalidInput(f"every: {every!r} s is too short; the least is {MIN_EVERY:g} s.", field="every")
            return cls(every=seconds, timezone=zone, anchor=anchor.replace(microsecond=0) if anchor else None)
        return cls(at=parse_at(at, zone), timezone=zone)  # type: ignore[arg-type]

    @property
    def kind(self) -> str:
        """cron, every or at."""
        return "cron" if self.cron else "every" if self.every else "at"

    def next_after(self, when: datetime) -> datetime | None:
        """The first fire time strictly after `when` (None when there is none left)."""
        when = _utc(when, "when")
        if self.cron:
            zone = zone_info(self.timezone)
            # cronsim works to the minute and yields times strictly after its start.
            start = when.astimezone(zone)
            return next(CronSim(self.cron, start)).astimezone(timezone.utc)
        if self.every:
            anchor = self.anchor or when
            elapsed = (when - anchor).total_seconds()
            steps = math.floor(elapsed / self.every) + 1 if elapsed >= 0 else 0
            return anchor + timedelta(seconds=steps * self.every)
        assert self.at is not None
        return self.at if self.at > when else None

    def upcoming(self, after: datetime, count: int = 5) -> list[datetime]:
        """The next `count` fire times after `after`."""
        found: list[datetime] = []
        moment: datetime | None = after
        while len(found) < count and moment is not None:
            moment = self.next_after(moment)
            if moment is not None:
                found.append(moment)
        return found

    def due_between(self, start: datetime, end: datetime, limit: int) -> tuple[list[datetime], int]:
        """Fire times in (start, end]: the first `limit` of them, and how many there are in all
        (counted without listing them for intervals; cron counts stop at 100,000)."""
        listed: list[datetime] = []
        if self.every:
            first = self.next_after(start)
            if first is None or first > end:
                return [], 0
            total = math.floor((end - first).total_seconds() / self.every) + 1
            listed = [first + timedelta(seconds=i * self.every) for i in range(min(total, limit))]
            return listed, total
        total = 0
        moment: datetime | None = start
        while total < 100_000:
            moment = self.next_after(moment)  # type: ignore[arg-type]
            if moment is None or moment > end:
                break
            total += 1
            if len(listed) < limit:
                listed.append(moment)
        return listed, total

    def describe(self) -> str:
        """A human reading: "At 06:00, only on Monday (Europe/Paris)", "Every 3600 s", "Once, on ..."."""
        if self.cron:
            text = ExpressionDescriptor(self.cron, use_24hour_time_format=True).get_description()
            return f"{text} ({self.timezone})"
        if self.every:
            return f"Every {_duration(self.every)}"
        assert self.at is not None
        local = self.at.astimezone(zone_info(self.timezone))
        return f"Once, on {local:%Y-%m-%d at %H:%M:%S} ({self.timezone})"


def _duration(seconds: float) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = int(seconds // size)
            return f"{n} {unit}" + ("s" if n != 1 else "")
    count: float = int(seconds) if float(seconds).is_integer() else seconds
    return f"{count} second" + ("s" if count != 1 else "")
