"""The pipeline panel: Run follows the run live, the DAG nodes turn green, runs and logs show."""

from __future__ import annotations

from dataplane_jupyter.widgets import panel_for
from dataplane_jupyter.widgets.pipelines import STEP_COLORS, PipelinePanel, dag_figure, layout_dag


def test_layout_places_steps_by_depth():
    dag = {"nodes": [{"name": n, "kind": "sql"} for n in "abcd"],
           "edges": [{"from": "a", "to": "b"}, {"from": "a", "to": "c"}, {"from": "b", "to": "d"},
                     {"from": "c", "to": "d"}]}
    positions = layout_dag(dag)
    assert [positions[n][0] for n in "abcd"] == [0.0, 1.0, 1.0, 2.0]
    assert positions["b"][1] != positions["c"][1]
    figure = dag_figure(dag, {"a": "succeeded", "b": "failed"}).to_dict()
    assert figure["data"][0]["marker"]["color"] == [STEP_COLORS["succeeded"], STEP_COLORS["failed"],
                                                    STEP_COLORS[None], STEP_COLORS[None]]
    assert len(figure["layout"]["annotations"]) == 4


def test_run_button_follows_the_run_and_colours_the_dag(project, tips):
    pipeline = project.pipelines.create("big_tips", steps=[
        {"name": "tips", "kind": "read", "dataset": "tips"},
        {"name": "big", "kind": "sql", "query": "select * from tips where tip > 5"},
    ])
    panel = panel_for(pipeline)
    assert isinstance(panel, PipelinePanel)
    assert "No run yet" in panel.runs.value
    assert panel.figure_json()["data"][0]["marker"]["color"] == [STEP_COLORS[None]] * 2
    panel.run_button.click()
    assert "Run #1 of 'big_tips' started" in panel.message.value
    state = panel.follower.join(60)
    assert state is not None and state.status == "succeeded", state
    assert panel.figure_json()["data"][0]["marker"]["color"] == [STEP_COLORS["succeeded"]] * 2
    assert 'data-status="succeeded"' in panel.runs.value and "big_tips_big_run1" in panel.runs.value
    assert "big_tips_big_run1" in panel.steps.value
    panel.step.value = "big"
    assert "select * from tips where tip &gt; 5" in panel.step_log.value
    assert panel.cancel_button.disabled


def test_an_output_dataset_panel_has_a_lineage_tab(project, tips):
    run = project.pipelines.create("big_tips", steps=[
        {"name": "tips", "kind": "read", "dataset": "tips"},
        {"name": "big", "kind": "sql", "query": "select * from tips where tip > 5"},
    ]).run().wait(timeout=120)
    panel = panel_for(project.datasets[run.outputs["big"]])
    panel.progress.follower.join(60)
    assert panel.tabs is not None and panel.tabs.get_title(len(panel.tabs.children) - 1) == "Lineage"
    shown = panel.lineage_tab.html.value
    assert "<b>Pipeline</b> big_tips · <b>version</b> 1 · <b>run</b> #1" in shown
    assert "<b>step</b> big (sql, output)" in shown and "Computed through: tips → big" in shown
    assert "<td>tips</td><td>input</td><td>tips</td>" in shown
    plain = panel_for(tips)
    plain.progress.follower.join(60)
    assert plain.lineage_tab is None and "Lineage" not in [plain.tabs.get_title(i) for i in range(len(plain.tabs.children))]
