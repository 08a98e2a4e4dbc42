"""REST handlers for schedules (pipelines and datasource refreshes) and the in-server scheduler."""

from __future__ import annotations

from ..core.models import (
    CreateSchedule,
    DescribeSchedule,
    DescribeScheduler,
    ListScheduleRunsResponse,
    ListSchedulesQuery,
    ListSchedulesResponse,
    SchedulePreview,
    SchedulePreviewQuery,
    ScheduleRunsQuery,
    ScheduleTiming,
    UpdateSchedule,
)
from . import crud
from .base import DataplaneHandler, operation


class ScheduleRoute(crud.CollectionHandler, collection="schedules"):
    """A route of the schedules: a schedule created, edited or resumed wakes the in-server scheduler,
    so that its new timing is seen at once."""

    def saved(self) -> None:
        scheduler = self.settings.get("dataplane_scheduler")
        if scheduler is not None:
            scheduler.wake.set()


class SchedulesHandler(ScheduleRoute):
    get = crud.list_records("List schedules with their next run and last status", ListSchedulesResponse,
                            query=ListSchedulesQuery)
    post = crud.create_record("Schedule a pipeline or a datasource refresh", CreateSchedule, DescribeSchedule,
                              lambda schedules, r: schedules.create(
                                  r.name, pipeline=r.pipeline, datasource=r.datasource, cron=r.cron, timezone=r.timezone,
                                  every=r.every, at=r.at, params=r.params, retries=r.retries, retry_delay=r.retry_delay,
                                  enabled=r.enabled))


class SchedulePreviewHandler(DataplaneHandler):
    @operation("Read a timing before saving it: a human reading and the next fire times", body=ScheduleTiming,
               response=SchedulePreview, query=SchedulePreviewQuery)
    async def post(self, project: str) -> None:
        r = self.body(ScheduleTiming)
        count = self.query(SchedulePreviewQuery).count
        self.reply(await self.call(lambda: self.project(project).schedules.preview(
            cron=r.cron, timezone=r.timezone, every=r.every, at=r.at, count=count)))


class ScheduleHandler(ScheduleRoute):
    get = crud.read_record("Describe a schedule (by id or name)", DescribeSchedule)
    patch = crud.edit_record("Edit a schedule: timing, parameters, retries or name", UpdateSchedule, DescribeSchedule,
                             lambda schedule, r: schedule.update(
                                 name=r.name, cron=r.cron, timezone=r.timezone, every=r.every, at=r.at, params=r.params,
                                 retries=r.retries, retry_delay=r.retry_delay))
    delete = crud.delete_record("Delete a schedule and its history (the runs it started stay)")


class PauseScheduleHandler(ScheduleRoute):
    post = crud.record_action("Pause a schedule: no tick fires until it is resumed", DescribeSchedule,
                              lambda schedule: schedule.pause().info)


class ResumeScheduleHandler(ScheduleRoute):
    post = crud.record_action("Resume a schedule from now on (missed ticks while paused are not caught up)",
                              DescribeSchedule, lambda schedule: schedule.resume().info, saves=True)


class ScheduleRunsHandler(DataplaneHandler):
    @operation("What each tick of a schedule did, most recent first", response=ListScheduleRunsResponse,
               query=ScheduleRunsQuery)
    async def get(self, project: str, schedule: str) -> None:
        limit = self.query(ScheduleRunsQuery).limit
        runs = await self.call(lambda: self.project(project).schedules[schedule].runs(limit=limit))
        self.reply(ListScheduleRunsResponse(runs=runs))


class SchedulerHandler(DataplaneHandler):
    @operation("The scheduler running inside this Jupyter server", response=DescribeScheduler)
    async def get(self) -> None:
        runner = self.settings.get("dataplane_scheduler_runner")
        scheduler = self.settings.get("dataplane_scheduler")
        if scheduler is None:
            self.reply(DescribeScheduler(running=False, name="", ticking=False, ticks=0, fired=0))
            return
        self.reply(DescribeScheduler(
            running=bool(runner and runner.is_alive()), name=scheduler.name, ticking=scheduler.ticking.is_set(),
            last_tick_at=scheduler.last_tick_at, ticks=scheduler.ticks, fired=scheduler.fired))
