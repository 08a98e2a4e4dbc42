"""Schedules (cron + time zone, interval, or one date-time) of pipelines and datasource
refreshes, and the scheduler that fires them exactly once across every process sharing a catalog."""

from dataplane_jupyter.core.schedules.collection import Schedule, Schedules, preview
from dataplane_jupyter.core.schedules.scheduler import Scheduler, TickReport
from dataplane_jupyter.core.schedules.timing import Clock, ManualClock, SystemClock, Timing

__all__ = [
    "Clock", "ManualClock", "Schedule", "Scheduler", "Schedules", "SystemClock", "TickReport", "Timing", "preview",
]
