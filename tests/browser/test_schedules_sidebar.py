"""Schedules in the sidebar: schedule a datasource refresh from its item, read the cron line in
words with the next five fire times before saving, see the next run under the datasource, pause
and resume it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

import dataplane_jupyter as dp
from tests.sqlite_tables import add_weekly_datasource, write_sales

from .lab import LabServer, api, lab_fixtures, ready_dialog
from .sidebar import DIALOG, open_sidebar_by_tab

pytestmark = pytest.mark.browser

TIMEOUT = 60_000


def seed_schedules_home(home: Path, files: Path) -> None:
    """One SQLite datasource, "weekly", and a pipeline reading it, "scoring"."""
    project = dp.Catalog(home).project("default")
    add_weekly_datasource(project, write_sales(files / "sales.db", [(1, 2.5)], "id integer, price real"))
    project.pipelines.create("scoring", steps=[
        {"name": "sales", "kind": "read", "datasource": "weekly"},
        {"name": "big", "kind": "sql", "query": "select id, price from sales where price > 2"},
    ])


schedules_lab, page = lab_fixtures("schedules", seed_schedules_home, timeout_ms=TIMEOUT)


def test_schedule_a_datasource_refresh_see_its_next_run_and_pause_it(
        page: Any, schedules_lab: LabServer, artifacts_dir: Path) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    # room for the datasources on a 900 px page
    sidebar = open_sidebar_by_tab(page, fold=["Datasets", "Connectors", "Image folders"])
    item = sidebar.locator('.jp-Dataplane-datasource[data-name="weekly"]')
    expect(item).to_be_visible()
    item.hover()
    item.locator(".jp-Dataplane-schedule-new").click()

    dialog = ready_dialog(page, DIALOG)
    expect(dialog).to_contain_text("Schedule datasource 'weekly'")
    reading = dialog.locator(".jp-Dataplane-schedulePreview")
    # The dialog focuses its first input once open: wait for that (and the first reading) before typing.
    expect(dialog.locator('[name="name"]')).to_be_focused()
    expect(reading.locator(".jp-Dataplane-scheduleReading")).to_contain_text("At 06:00, only on Monday")
    dialog.locator('[name="name"]').fill("nightly")
    dialog.locator('[name="timezone"]').fill("Europe/Paris")
    expect(reading.locator(".jp-Dataplane-scheduleReading")).to_have_text("At 06:00, only on Monday (Europe/Paris)")
    expect(reading.locator("li")).to_have_count(5)
    expect(reading.locator("li").first).to_contain_text("Mon ")
    expect(reading.locator("li").first).to_contain_text("06:00:00 (+01:00)")

    dialog.locator('[name="cron"]').fill("0 25 * * *")  # no 25th hour: the field is named
    expect(reading).to_have_class("jp-Dataplane-schedulePreview jp-mod-error")
    expect(reading).to_contain_text("cron: '0 25 * * *' is not a valid cron line")
    dialog.locator('[name="cron"]').fill("30 2 * * *")
    expect(reading.locator(".jp-Dataplane-scheduleReading")).to_have_text("At 02:30 (Europe/Paris)")
    dialog.locator('[name="retries"]').fill("2")
    page.screenshot(path=str(artifacts_dir / "schedules-form.png"))
    dialog.locator(".jp-Dialog-footer button", has_text="Save schedule").click()
    expect(page.locator(DIALOG)).to_have_count(0)

    schedule = item.locator('.jp-Dataplane-schedule[data-name="nightly"]')
    expect(schedule.locator(".jp-Dataplane-scheduleDetail")).to_have_text("At 02:30 (Europe/Paris)")
    expect(schedule.locator(".jp-Dataplane-scheduleState")).to_contain_text("next ")
    expect(schedule.locator(".jp-Dataplane-scheduleState")).to_contain_text("02:30 (Europe/Paris)")
    saved = api(schedules_lab, "projects/default/schedules/nightly")
    assert saved["enabled"] and saved["retries"] == 2 and saved["cron"] == "30 2 * * *"
    schedule.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "schedules-sidebar.png"))

    schedule.get_by_role("button", name="Pause").click()
    expect(schedule.locator(".jp-Dataplane-scheduleState")).to_have_text("paused")
    assert api(schedules_lab, "projects/default/schedules/nightly")["enabled"] is False
    page.screenshot(path=str(artifacts_dir / "schedules-paused.png"))
    schedule.get_by_role("button", name="Resume").click()
    expect(schedule.locator(".jp-Dataplane-scheduleState")).to_contain_text("next ")
    assert api(schedules_lab, "projects/default/schedules/nightly")["next_run"] == saved["next_run"]


def test_schedule_a_pipeline_from_its_row_and_see_its_next_fire_times(
        page: Any, schedules_lab: LabServer, artifacts_dir: Path) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    sidebar = open_sidebar_by_tab(page, fold=["Datasets", "Connectors"])  # room for the pipelines on a 900 px page
    item = sidebar.locator('.jp-Dataplane-pipelines .jp-Dataplane-pipeline[data-name="scoring"]')
    expect(item).to_contain_text("v1 · sales → big")
    item.hover()
    item.locator(".jp-Dataplane-schedule-new").click()

    dialog = ready_dialog(page, DIALOG)
    expect(dialog).to_contain_text("Schedule pipeline 'scoring'")
    expect(dialog).to_contain_text("Each time it fires, pipeline 'scoring' runs.")
    expect(dialog.locator('[name="name"]')).to_be_focused()
    reading = dialog.locator(".jp-Dataplane-schedulePreview")
    expect(reading.locator(".jp-Dataplane-scheduleReading")).to_contain_text("At 06:00, only on Monday")
    dialog.locator('[name="name"]').fill("monday scoring")
    dialog.locator('[name="timezone"]').fill("Europe/Paris")
    expect(reading.locator(".jp-Dataplane-scheduleReading")).to_have_text("At 06:00, only on Monday (Europe/Paris)")
    expect(reading.locator("li")).to_have_count(5)
    dialog.locator(".jp-Dialog-footer button", has_text="Save schedule").click()
    expect(page.locator(DIALOG)).to_have_count(0)

    schedule = item.locator('.jp-Dataplane-schedule[data-name="monday scoring"]')
    expect(schedule.locator(".jp-Dataplane-scheduleDetail")).to_have_text("At 06:00, only on Monday (Europe/Paris)")
    saved = api(schedules_lab, "projects/default/schedules/monday%20scoring")
    assert saved["target_type"] == "pipeline" and saved["target_name"] == "scoring" and saved["enabled"]
    assert len(saved["next_runs"]) == 5 and saved["next_runs"][0] == saved["next_run"]
    state = schedule.locator(".jp-Dataplane-scheduleState")
    expect(state).to_have_text(re.compile(r"^next Mon \d{4}-\d{2}-\d{2} 06:00 \(Europe/Paris\)$"))
    summary = schedule.locator(".jp-Dataplane-scheduleUpcoming summary")
    expect(summary).to_have_text("Next 5 fire times (Europe/Paris)")
    summary.click()
    times = schedule.locator(".jp-Dataplane-scheduleUpcoming li")
    expect(times).to_have_count(5)
    shown = times.all_inner_texts()
    assert all(re.fullmatch(r"Mon \d{4}-\d{2}-\d{2} 06:00", text) for text in shown), shown
    days = [text.split()[1] for text in shown]
    assert days == sorted(days) and len(set(days)) == 5
    assert state.inner_text() == f"next {shown[0]} (Europe/Paris)"
    schedule.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "schedules-pipeline.png"))

    schedule.get_by_role("button", name="Pause").click()
    expect(state).to_have_text("paused")
    expect(schedule.locator(".jp-Dataplane-scheduleUpcoming")).to_have_count(0)
    assert api(schedules_lab, "projects/default/schedules/monday%20scoring")["next_runs"] == []

    # Edit it: the form starts from the saved timing; the new reading shows before saving; it stays paused.
    schedule.locator(".jp-Dataplane-scheduleEdit").click()
    dialog = ready_dialog(page, DIALOG)
    expect(dialog).to_contain_text("Edit schedule 'monday scoring'")
    expect(dialog.locator('[name="cron"]')).to_have_value("0 6 * * MON")
    expect(dialog.locator('[name="timezone"]')).to_have_value("Europe/Paris")
    dialog.locator('[name="cron"]').fill("30 7 * * TUE")
    reading = dialog.locator(".jp-Dataplane-schedulePreview")
    expect(reading.locator(".jp-Dataplane-scheduleReading")).to_have_text("At 07:30, only on Tuesday (Europe/Paris)")
    expect(reading.locator("li")).to_have_count(5)
    page.screenshot(path=str(artifacts_dir / "schedules-edit.png"))
    dialog.locator(".jp-Dialog-footer button", has_text="Save schedule").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    expect(schedule.locator(".jp-Dataplane-scheduleDetail")).to_have_text("At 07:30, only on Tuesday (Europe/Paris)")
    expect(state).to_have_text("paused")
    edited = api(schedules_lab, "projects/default/schedules/monday%20scoring")
    assert (edited["cron"], edited["timezone"], edited["enabled"]) == ("30 7 * * TUE", "Europe/Paris", False)
    schedule.get_by_role("button", name="Resume").click()
    expect(state).to_have_text(re.compile(r"^next Tue \d{4}-\d{2}-\d{2} 07:30 \(Europe/Paris\)$"))


def test_a_schedule_edited_to_fire_every_second_shows_its_last_status(
        page: Any, schedules_lab: LabServer, artifacts_dir: Path) -> None:
    """The server's own scheduler fires it (no daemon here); once paused and settled, the sidebar
    shows how the last tick went, as the REST API records it."""
    page.set_viewport_size({"width": 1400, "height": 900})
    sidebar = open_sidebar_by_tab(page)
    schedule = sidebar.locator('.jp-Dataplane-datasource[data-name="weekly"] .jp-Dataplane-schedule[data-name="nightly"]')
    schedule.locator(".jp-Dataplane-scheduleEdit").click()
    dialog = ready_dialog(page, DIALOG)
    expect(dialog.locator('[name="cron"]')).to_have_value("30 2 * * *")
    expect(dialog.locator('[name="retries"]')).to_have_value("2")
    dialog.locator('[name="kind"]').select_option("every")
    dialog.locator('[name="every"]').fill("1")
    expect(dialog.locator(".jp-Dataplane-scheduleReading")).to_have_text("Every 1 second")
    dialog.locator(".jp-Dialog-footer button", has_text="Save schedule").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    expect(schedule.locator(".jp-Dataplane-scheduleDetail")).to_have_text("Every 1 second")
    last = schedule.locator('[title="How its last tick went"]')
    refresh = sidebar.get_by_title("Refresh").first
    labels = {"succeeded": "succeeded", "failed": "failed", "retried": "retrying", "skipped_overlap": "skipped (overlap)"}

    def settled(wanted: set[str]) -> dict[str, Any] | None:
        """The schedule over REST once a tick reached one of `wanted` and no run is in flight."""
        runs = api(schedules_lab, "projects/default/schedules/nightly/runs")["runs"]
        if wanted & {r["status"] for r in runs} and "fired" not in {r["status"] for r in runs}:
            return api(schedules_lab, "projects/default/schedules/nightly")
        return None

    for _ in range(600):  # the server's own scheduler fires it (a condition polled over REST)
        if api(schedules_lab, "projects/default/schedules/nightly/runs")["runs"]:
            break
        page.wait_for_timeout(100)
    schedule.get_by_role("button", name="Pause").click()
    expect(schedule.locator(".jp-Dataplane-scheduleState")).to_have_text("paused")
    info = None
    for _ in range(600):  # paused: no new tick; the run in flight ends
        info = settled({"succeeded", "failed"})
        if info is not None:
            break
        page.wait_for_timeout(100)
    assert info is not None and info["last_status"] in labels, info
    refresh.click()
    expect(last).to_have_text(labels[info["last_status"]])
    schedule.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "schedules-last-status.png"))
    runs = api(schedules_lab, "projects/default/schedules/nightly/runs")["runs"]
    assert "succeeded" in {r["status"] for r in runs}
