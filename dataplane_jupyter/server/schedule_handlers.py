"""REST handlers for schedules (pipelines and datasource refreshes) and the in-server scheduler."""

from __future__ import annotations

from typing import Any

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
from .base import DataplaneHandler, operation


class SchedulesHandler(DataplaneHandler):
    @operation("List schedules with their next run and last status", response=ListSchedulesResponse,
               query=ListSchedulesQuery)
    async def get(self, project: str) -> None:
        q = self.query(ListSchedulesQuery)
        pipeline, datasource = q.pipeline, q.datasource
        found = await self.call(lambda: [
            s.info for s in self.project(project).schedules.list(pipeline=pipeline, datasource=datasource)])
        self.reply(ListSchedulesResponse(schedules=found))

    @operation("Schedule a pipeline or a datasource refresh", body=CreateSchedule, response=DescribeSchedule,
               status=201)
    async def post(self, project: str) -> None:
        r = self.body(CreateSchedule)
        create = lambda: self.project(project).schedules.create(  # noqa: E731
            r.name, pipeline=r.pipeline, datasource=r.datasource, cron=r.cron, timezone=r.timezone, every=r.every,
            at=r.at, params=r.params, retries=r.retries, retry_delay=r.retry_delay, enabled=r.enabled).info
        self.reply(await self.call(create), status=201)
        poke_scheduler(self)


def poke_scheduler(handler: DataplaneHandler) -> None:
    """Wake the in-server scheduler so a new or changed timing is seen at once."""
    scheduler = handler.settings.get("dataplane_scheduler")
    if scheduler is not None:
        scheduler.wake.set()


class SchedulePreviewHandler(DataplaneHandler):
    @operation("Read a timing before saving it: a human reading and the next fire times", body=ScheduleTiming,
               response=SchedulePreview, query=SchedulePreviewQuery)
    async def post(self, project: str) -> None:
        r = self.body(ScheduleTiming)
        count = self.query(SchedulePreviewQuery).count
        self.reply(await self.call(lambda: self.project(project).schedules.preview(
            cron=r.cron, timezone=r.timezone, every=r.every, at=r.at, count=count)))


class ScheduleHandler(DataplaneHandler):
    @operation("Describe a schedule (by id or name)", response=DescribeSchedule)
    async def get(self, project: str, schedule: str) -> None:
        self.reply(await self.call(lambda: self.project(project).schedules[schedule].info))

    @operation("Edit a schedule: timing, parameters, retries or name", body=UpdateSchedule, response=DescribeSchedule)
    async def patch(self, project: str, schedule: str) -> None:
        r = self.body(UpdateSchedule)

        def edit() -> Any:
            return self.project(project).schedules[schedule].update(
                name=r.name, cron=r.cron, timezone=r.timezone, every=r.every, at=r.at, params=r.params,
                retries=r.retries, retry_delay=r.retry_delay).info

        self.reply(await self.call(edit))
        poke_scheduler(self)

    @operation("Delete a schedule and its history (the runs it started stay)", status=204)
    async def delete(self, project: str, schedule: str) -> None:
        await self.no_content(lambda: self.project(project).schedules[schedule].delete())


class PauseScheduleHandler(DataplaneHandler):
    @operation("Pause a schedule: no tick fires until it is resumed", response=DescribeSchedule)
    async def post(self, project: str, schedule: str) -> None:
        self.reply(await self.call(lambda: self.project(project).schedules[schedule].pause().info))


class ResumeScheduleHandler(DataplaneHandler):
    @operation("Resume a schedule from now on (missed ticks while paused are not caught up)",
               response=DescribeSchedule)
    async def post(self, project: str, schedule: str) -> None:
        self.reply(await self.call(lambda: self.project(project).schedules[schedule].resume().info))
        poke_scheduler(self)


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
