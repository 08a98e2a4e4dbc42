"""Schedule form and list for notebooks: pick what to run (a pipeline, or a datasource to refresh),
a cron line with its time zone, an interval or one date-time, and read what it means — a human
reading and the next five fire times — before saving. The list pauses and resumes schedules."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from zoneinfo import available_timezones

import ipywidgets as w

from ..core.errors import DataplaneError, InvalidInput
from . import html
from .actions import bind, wide
from .forms import LABEL

ZONES = sorted(available_timezones())


class ScheduleForm(w.VBox):
    """New schedule of a pipeline run or a datasource refresh."""

    def __init__(self, project: Any, *, datasource: str | None = None, pipeline: str | None = None,
                 on_saved: Callable[[Any], None] | None = None) -> None:
        self.project = project
        self.on_saved = on_saved or (lambda s: None)
        targets = [(f"pipeline {p.name}", ("pipeline", p.name)) for p in project.pipelines.list()]
        targets += [(f"datasource {d.name}", ("datasource", d.name)) for d in project.datasources.list()]
        chosen = ("pipeline", pipeline) if pipeline else ("datasource", datasource) if datasource else None
        self.target = w.Dropdown(options=targets, value=chosen if chosen in [v for _, v in targets] else None,
                                 description="runs", style=LABEL, layout=wide())
        self.name = w.Text(description="name", placeholder="default: from what it runs", style=LABEL, layout=wide())
        self.kind = w.ToggleButtons(options=[("Cron", "cron"), ("Every", "every"), ("Once", "at")], value="cron")
        self.cron = w.Text(value="0 6 * * MON", description="cron line", placeholder="minute hour day month weekday",
                           style=LABEL, layout=wide(), continuous_update=False)
        self.timezone = w.Combobox(value="UTC", options=ZONES, ensure_option=False, description="time zone",
                                   style=LABEL, layout=wide(), continuous_update=False)
        self.every = w.BoundedFloatText(value=3600, min=1, max=10**9, description="every (seconds)", style=LABEL)
        self.at = w.Text(description="at", placeholder="2027-01-04T06:00 (in the time zone)", style=LABEL,
                         layout=wide(), continuous_update=False)
        self.retries = w.BoundedIntText(value=0, min=0, max=100, description="retries", style=LABEL)
        self.retry_delay = w.BoundedFloatText(value=60, min=0, max=10**7, description="retry delay (s)", style=LABEL)
        self.params = w.Textarea(value="{}", description="params (JSON)", style=LABEL,
                                 layout=w.Layout(width="460px", height="70px"), continuous_update=False)
        self.reading = w.HTML()
        self.save_button = w.Button(description="Save schedule", button_style="primary", icon="clock-o")
        self.message = w.HTML()
        self.output = w.Output()
        self.timing_box = w.VBox()
        bind(self.save_button, self.save, self.message, self.output)
        for widget in (self.kind, self.cron, self.timezone, self.every, self.at):
            widget.observe(lambda _: self.refresh(), "value")
        top: list[w.Widget] = [w.HTML("<b>New schedule</b>")]
        if not targets:
            top.append(w.HTML(html.note("Create a datasource or a pipeline first: a schedule runs one of them.")))
        super().__init__([*top, self.target, self.name, self.kind, self.timing_box, self.reading, self.retries,
                          self.retry_delay, self.params, self.save_button, self.message, self.output])
        self.refresh()

    def timing(self) -> dict[str, Any]:
        """The timing as typed: cron (+ timezone), every or at."""
        zone = (self.timezone.value or "UTC").strip()
        if self.kind.value == "cron":
            return {"cron": self.cron.value, "timezone": zone}
        if self.kind.value == "every":
            return {"every": self.every.value, "timezone": zone}
        return {"at": self.at.value, "timezone": zone}

    def refresh(self) -> None:
        """Show the fields of the chosen kind and what the timing means (or why it is wrong)."""
        shown = {"cron": [self.cron, self.timezone], "every": [self.every], "at": [self.at, self.timezone]}
        self.timing_box.children = shown[self.kind.value]
        try:
            found = self.project.schedules.preview(**self.timing())
        except DataplaneError as error:
            self.reading.value = html.error_box(error.message)
            return
        items = "".join(f"<li>{html.text(t.replace('T', ' '))}</li>" for t in found.local_next_runs)
        self.reading.value = (f"<div class='dp-schedule-reading'><b>{html.text(found.description)}</b>"
                              f"<div class='dp-muted'>Next fire times:</div><ol>{items}</ol></div>")

    def save(self) -> str:
        """Create the schedule."""
        if not self.target.value:
            raise InvalidInput("Pick what the schedule runs.", field="target")
        try:
            params = json.loads(self.params.value or "{}")
        except json.JSONDecodeError as error:
            raise InvalidInput(f"params: not JSON ({error.msg}, line {error.lineno} column {error.colno}).",
                               field="params") from None
        kind, name = self.target.value
        saved = self.project.schedules.create(
            self.name.value.strip() or None, **{kind: name}, **self.timing(), params=params,
            retries=self.retries.value, retry_delay=self.retry_delay.value)
        self.on_saved(saved)
        info = saved.info
        return f"Saved schedule {info.name!r}: {info.description}; next run {html.when(info.next_run)}."


class SchedulesList(w.VBox):
    """The project's schedules: what they run, when, next run, last status, pause/resume."""

    def __init__(self, project: Any) -> None:
        self.project = project
        self.message = w.HTML()
        self.rows = w.VBox()
        super().__init__([w.HTML("<b>Schedules</b>"), self.rows, self.message])
        self.refresh()

    def refresh(self) -> None:
        rows: list[w.Widget] = []
        for schedule in self.project.schedules.list():
            info = schedule.info
            state = (f"next {html.when(info.next_run)}" if info.next_run else
                     "paused" if not info.enabled and not info.disabled_reason else
                     f"disabled: {info.disabled_reason}" if info.disabled_reason else "done")
            label = w.HTML(f"<b>{html.text(info.name)}</b> — {info.target_type} {html.text(info.target_name)}: "
                           f"{html.text(info.description)}; {html.text(state)}; last "
                           f"{html.text(info.last_status or '-')}")
            button = w.Button(description="Resume" if not info.enabled else "Pause",
                              icon="play" if not info.enabled else "pause", layout=w.Layout(width="110px"))
            bind(button, self._toggle(schedule, info.enabled), self.message)
            rows.append(w.HBox([button, label]))
        self.rows.children = rows or [w.HTML(html.note("No schedule yet."))]

    def _toggle(self, schedule: Any, enabled: bool) -> Callable[[], str]:
        def run() -> str:
            (schedule.pause if enabled else schedule.resume)()
            self.refresh()
            return f"{'Paused' if enabled else 'Resumed'} {schedule.name!r}."
        return run
