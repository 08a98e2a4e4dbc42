"""Cron lines in IANA time zones (daylight saving time included), intervals and one-off times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import dataplane_jupyter as dp
from dataplane_jupyter.core.schedules.timing import Timing

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def local(timing: Timing, after: datetime, count: int, zone: ZoneInfo) -> list[str]:
    return [t.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") for t in timing.upcoming(after, count)]


def test_a_weekly_cron_line_fires_at_local_time_across_the_dst_change():
    timing = Timing.build(cron="0 6 * * MON", timezone="Europe/Paris")
    fires = timing.upcoming(datetime(2027, 3, 20, tzinfo=timezone.utc), 3)
    assert [f.astimezone(PARIS).strftime("%a %H:%M") for f in fires] == ["Mon 06:00"] * 3
    # 06:00 in Paris is 05:00 UTC in winter and 04:00 UTC once summer time starts (28 March 2027).
    assert [f.strftime("%m-%d %H:%M") for f in fires] == ["03-22 05:00", "03-29 04:00", "04-05 04:00"]


def test_a_0230_job_runs_once_on_the_spring_forward_day_and_once_on_the_fall_back_day():
    timing = Timing.build(cron="30 2 * * *", timezone="Europe/Paris")
    spring = local(timing, datetime(2027, 3, 27, 12, tzinfo=timezone.utc), 3, PARIS)
    # 28 March 2027: 02:00 jumps to 03:00, 02:30 does not exist: the job runs once, right after the jump.
    assert spring == ["2027-03-28 03:00 CEST", "2027-03-29 02:30 CEST", "2027-03-30 02:30 CEST"]
    autumn = local(timing, datetime(2027, 10, 30, 12, tzinfo=timezone.utc), 3, PARIS)
    # 31 October 2027: 02:00–03:00 happens twice; 02:30 runs the first time only.
    assert autumn == ["2027-10-31 02:30 CEST", "2027-11-01 02:30 CET", "2027-11-02 02:30 CET"]
    assert len(set(timing.upcoming(datetime(2027, 10, 30, 12, tzinfo=timezone.utc), 3))) == 3


def test_us_zone_spring_forward_and_a_utc_schedule_never_shifts():
    ny = Timing.build(cron="30 2 * * *", timezone="America/New_York")
    assert local(ny, datetime(2027, 3, 13, 12, tzinfo=timezone.utc), 2, NEW_YORK) == [
        "2027-03-14 03:00 EDT", "2027-03-15 02:30 EDT"]
    utc = Timing.build(cron="30 2 * * *")
    gaps = {b - a for a, b in zip(*(lambda t: (t, t[1:]))(utc.upcoming(datetime(2027, 3, 1, tzinfo=timezone.utc), 60)))}
    assert gaps == {timedelta(days=1)}


def test_intervals_count_from_their_anchor_and_one_offs_fire_once():
    anchor = datetime(2027, 1, 1, 0, 0, 0, tzinfo=timezone.utc)
    every = Timing.build(every=90, anchor=anchor)
    assert every.next_after(anchor) == anchor + timedelta(seconds=90)
    assert every.next_after(anchor + timedelta(seconds=100)) == anchor + timedelta(seconds=180)
    listed, total = every.due_between(anchor, anchor + timedelta(days=1), 5)
    assert total == 960 and listed[0] == anchor + timedelta(seconds=90) and len(listed) == 5
    once = Timing.build(at="2027-01-04T06:00", timezone="Europe/Paris")
    assert once.at == datetime(2027, 1, 4, 5, 0, tzinfo=timezone.utc)
    assert once.next_after(datetime(2027, 1, 4, 4, tzinfo=timezone.utc)) == once.at
    assert once.next_after(once.at) is None


def test_human_readings():
    assert Timing.build(cron="0 6 * * MON", timezone="Europe/Paris").describe() == \
        "At 06:00, only on Monday (Europe/Paris)"
    assert Timing.build(every=3600).describe() == "Every 1 hour"
    assert Timing.build(every=1).describe() == "Every 1 second"
    assert Timing.build(every=90).describe() == "Every 90 seconds"
    assert Timing.build(at="2027-01-04T06:00:00+01:00", timezone="Europe/Paris").describe() == \
        "Once, on 2027-01-04 at 06:00:00 (Europe/Paris)"


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"cron": "0 25 * * *"}, "cron", "not a valid cron line"),
    ({"cron": "0 6 * * MON *"}, "cron", "not a valid cron line"),
    ({"cron": "0 6 * *"}, "cron", "not a valid cron line"),
    ({"cron": "0 6 * * MON", "timezone": "Europe/Pariss"}, "timezone", "Did you mean Europe/Paris"),
    ({"every": 0.5}, "every", "the least is 1 s"),
    ({"every": "soon"}, "every", "not a number"),
    ({"at": "next monday"}, "at", "ISO 8601"),
    ({}, "cron", "exactly one of"),
    ({"cron": "* * * * *", "every": 60}, "every", "got cron and every"),
])
def test_a_wrong_timing_is_refused_naming_the_field(fields, field, message):
    with pytest.raises(dp.InvalidInput, match=message) as error:
        Timing.build(**fields)
    assert error.value.field == field
