"""The schedule form reads the timing before saving (human reading, next five fire times, errors
by field) and saves; the list pauses and resumes."""

from __future__ import annotations

import pytest

from dataplane_jupyter.widgets.schedules import ScheduleForm, SchedulesList
from tests.sqlite_tables import add_weekly_datasource, write_sales


@pytest.fixture
def weekly(project, tmp_path):
    return add_weekly_datasource(project, write_sales(tmp_path / "sales.db", [], "id integer"))


def test_the_form_reads_the_cron_line_before_saving_and_saves(project, weekly):
    form = ScheduleForm(project, datasource="weekly")
    assert form.target.value == ("datasource", "weekly")
    form.timezone.value = "Europe/Paris"
    assert "At 06:00, only on Monday (Europe/Paris)" in form.reading.value
    assert form.reading.value.count("<li>") == 5 and "06:00:00+01:00" in form.reading.value
    form.timezone.value = "Europe/Pariss"
    assert "not a known time zone" in form.reading.value and "Did you mean Europe/Paris" in form.reading.value
    form.timezone.value = "Europe/Paris"
    form.kind.value = "every"
    assert form.timing_box.children == (form.every,) and "Every 1 hour" in form.reading.value
    form.kind.value = "cron"
    form.cron.value = "30 2 * * *"
    form.params.value = '{"dataset_name": "weekly_{tick:%Y%m%d}"'
    form.save_button.click()
    assert "params: not JSON" in form.message.value and len(project.schedules) == 0
    form.params.value = '{"dataset_name": "weekly_{tick:%Y%m%d}"}'
    form.retries.value = 2
    form.save_button.click()
    assert "Saved schedule 'weekly schedule': At 02:30 (Europe/Paris)" in form.message.value, form.message.value
    saved = project.schedules["weekly schedule"].info
    assert saved.retries == 2 and saved.params == {"dataset_name": "weekly_{tick:%Y%m%d}"}


def test_the_list_pauses_and_resumes(project, weekly):
    weekly.schedule("daily", cron="0 5 * * *")
    listing = SchedulesList(project)
    (row,) = listing.rows.children
    button, label = row.children
    assert "daily" in label.value and "At 05:00 (UTC)" in label.value and "next " in label.value
    button.click()
    assert not project.schedules["daily"].enabled and "Paused 'daily'" in listing.message.value
    listing.rows.children[0].children[0].click()
    assert project.schedules["daily"].enabled
