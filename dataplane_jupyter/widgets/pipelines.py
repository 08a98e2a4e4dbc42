"""The pipeline panel: the DAG drawn with plotly (nodes coloured by step status, live during a
run), a Run button, Cancel, the runs table, and the per-step log of a picked run.

    project.pipelines["weekly"]        # as the last expression of a cell: this panel
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

from . import html
from .actions import Follower, State, bind
from .dataset import figure_of, show_figure

STEP_COLORS = {"pending": "#bdbdbd", "running": "#1e88e5", "succeeded": "#2e7d32", "reused": "#81c784",
               "failed": "#c62828", "cancelled": "#ef6c00", "skipped": "#e0e0e0", None: "#90a4ae"}
FINISHED = ("succeeded", "failed", "cancelled")
__all__ = ["PipelinePanel", "dag_figure", "layout_dag"]


def layout_dag(dag: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """x = the step's depth (longest path from a source), y = its place among the steps of that depth."""
    names = [node["name"] for node in dag["nodes"]]
    parents: dict[str, list[str]] = {name: [] for name in names}
    for edge in dag["edges"]:
        parents[edge["to"]].append(edge["from"])
    depth: dict[str, int] = {}

    def depth_of(name: str, seen: frozenset[str] = frozenset()) -> int:
        if name not in depth:
            found = [depth_of(p, seen | {name}) for p in parents[name] if p not in seen]
            depth[name] = 1 + max(found) if found else 0
        return depth[name]

    layers: dict[int, list[str]] = {}
    for name in names:
        layers.setdefault(depth_of(name), []).append(name)
    positions = {}
    for level, members in layers.items():
        for index, name in enumerate(members):
            positions[name] = (float(level), (len(members) - 1) / 2 - index)
    return positions


def dag_figure(dag: dict[str, Any], statuses: dict[str, str] | None = None, *, title: str = "") -> go.Figure:
    """The steps as nodes (coloured by status, or grey before any run) and their inputs as arrows."""
    statuses = statuses or {}
    positions = layout_dag(dag)
    figure = go.Figure(layout={"template": "plotly_white", "height": 140 + 70 * max(
        [sum(1 for x, _ in positions.values() if x == level) for level in {x for x, _ in positions.values()}] or [1]),
        "title": title, "showlegend": False, "margin": {"l": 20, "r": 20, "t": 40 if title else 10, "b": 10}})
    for edge in dag["edges"]:
        (x0, y0), (x1, y1) = positions[edge["from"]], positions[edge["to"]]
        figure.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                              arrowhead=2, arrowsize=1.2, arrowwidth=1.5, arrowcolor="#9e9e9e", standoff=18,
                              startstandoff=18, text="")
    nodes = dag["nodes"]
    colors = [STEP_COLORS.get(statuses.get(n["name"]), STEP_COLORS[None]) for n in nodes]
    figure.add_trace(go.Scatter(
        x=[positions[n["name"]][0] for n in nodes], y=[positions[n["name"]][1] for n in nodes],
        mode="markers+text", marker={"size": 34, "color": colors, "line": {"width": 1, "color": "#424242"}},
        text=[f"{n['name']}<br><sub>{n['kind']}</sub>" for n in nodes], textposition="bottom center",
        customdata=[[n["name"], n["kind"], statuses.get(n["name"], "not run"), n.get("role") or ""] for n in nodes],
        hovertemplate="%{customdata[0]} (%{customdata[1]}): %{customdata[2]} %{customdata[3]}<extra></extra>",
    ))
    figure.update_xaxes(visible=False, range=[-0.5, max([x for x, _ in positions.values()] or [0]) + 0.5])
    figure.update_yaxes(visible=False, range=[min([y for _, y in positions.values()] or [0]) - 0.8,
                                              max([y for _, y in positions.values()] or [0]) + 0.5])
    return figure


def runs_table(runs: list[Any]) -> str:
    """Past runs, newest first."""
    if not runs:
        return html.note("No run yet: press Run.")
    rows = []
    for run in runs:
        info = run.describe()
        outputs = ", ".join(info.outputs.values()) or "—"
        rows.append((f"#{info.number}", html.badge(info.status), f"v{info.version}", info.trigger,
                     html.text(outputs), html.took(info.duration_seconds), html.when(info.created_at), html.text(info.error or "")))
    return html.table(["run", "status", "version", "trigger", "outputs", "took", "started", "error"], rows, raw=True)


def steps_table(info: Any) -> str:
    """The steps of one run."""
    rows = [(html.text(s.name), s.kind, html.badge(s.status), html.number(s.rows_in), html.number(s.rows_out),
             html.took(s.seconds, 2), html.text(s.dataset or "—"), html.text(s.message))
            for s in info.steps]
    return html.table(["step", "kind", "status", "rows in", "rows out", "took", "dataset", "message"], rows, raw=True)


class PipelinePanel(w.VBox):
    """One pipeline: its DAG (live while a run goes on), Run, Cancel, runs, and a picked run's steps and logs."""

    def __init__(self, pipeline: Any, *, interval: float = 0.4) -> None:
        self.pipeline = pipeline
        self.interval = interval
        self.dag = pipeline.dag()
        self.figure = w.Output()
        self.run_button = w.Button(description="Run", icon="play", button_style="primary")
        self.cancel_button = w.Button(description="Cancel run", icon="stop", disabled=True)
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.message = w.HTML()
        self.runs = w.HTML()
        self.picker = w.Dropdown(description="run", options=[], layout=w.Layout(width="260px"))
        self.step = w.Dropdown(description="step", options=[s["name"] for s in self.dag["nodes"]],
                               layout=w.Layout(width="260px"))
        self.steps = w.HTML()
        self.step_log = w.HTML()
        self.output = w.Output()
        self.follower: Follower | None = None
        bind(self.run_button, self.start, self.message, self.output)
        bind(self.cancel_button, self.cancel, self.message, self.output)
        self.refresh_button.on_click(lambda _: self.refresh())
        self.picker.observe(lambda _: self.show_run(), "value")
        self.step.observe(lambda _: self.show_log(), "value")
        header = (f'<div class="dp-title">{html.text(pipeline.name)}</div>'
                  f'<div class="dp-muted">version {pipeline.version} · {len(self.dag["nodes"])} steps</div>')
        super().__init__([w.HTML(html.STYLESHEET), w.HTML(header), self.figure,
                          w.HBox([self.run_button, self.cancel_button, self.refresh_button]), self.message,
                          w.HTML("<b>Runs</b>"), self.runs, w.HBox([self.picker, self.step]), self.steps,
                          self.step_log, self.output])
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the runs and show the newest (following it if it is still going)."""
        runs = self.pipeline.runs(limit=20)
        self.runs.value = runs_table(runs)
        options = [(f"#{r.info.number} {r.info.status}", r.id) for r in runs]
        current = self.picker.value
        self.picker.options = options
        if options:
            self.picker.value = current if current in [v for _, v in options] else options[0][1]
        self.show_run()
        newest = runs[0] if runs else None
        if newest is not None and newest.info.status not in FINISHED:
            self.follow(newest)

    def show_run(self) -> None:
        """The picked run's DAG colours, steps and the picked step's log."""
        if not self.picker.value:
            show_figure(self.figure, dag_figure(self.dag, title="not run yet"))
            self.steps.value = ""
            self.step_log.value = ""
            return
        run = self.pipeline.project.pipelines.get_run(self.picker.value)
        info = run.info
        statuses = {s.name: s.status for s in info.steps}
        show_figure(self.figure, dag_figure(self.dag, statuses, title=f"run #{info.number}: {info.status}"))
        self.steps.value = steps_table(info) + (html.error_box(info.error) if info.error else "")
        self.show_log()

    def show_log(self) -> None:
        """The log of the picked step of the picked run."""
        if not self.picker.value or not self.step.value:
            self.step_log.value = ""
            return
        try:
            text = self.pipeline.project.pipelines.get_run(self.picker.value).log(self.step.value)
        except Exception:  # noqa: BLE001 - a step added by a later version is not in older runs
            text = ""
        self.step_log.value = (f'<div class="dp-muted">log of {html.text(self.step.value)}</div>'
                          f'<pre class="dp-log" style="max-height:240px;overflow:auto">{html.text(text or "(empty)")}</pre>')

    def figure_json(self) -> dict[str, Any] | None:
        """The plotly JSON of the DAG as shown (tests)."""
        return figure_of(self.figure)

    # -- actions ----------------------------------------------------------------------------
    def start(self) -> str:
        """Start a run and follow it."""
        run = self.pipeline.run()
        self.refresh()
        self.picker.value = run.id
        self.follow(run)
        return f"Run #{run.info.number} of {self.pipeline.name!r} started."

    def cancel(self) -> str:
        """Ask the followed run to stop."""
        if not self.picker.value:
            return "No run to cancel."
        run = self.pipeline.project.pipelines.get_run(self.picker.value).cancel()
        return f"Asked run #{run.info.number} to stop at the next step boundary."

    def follow(self, run: Any) -> None:
        """Redraw while the run goes on."""
        if self.follower is not None:
            self.follower.stop()
        self.cancel_button.disabled = False

        def read() -> State:
            info = run.info
            marks = tuple((s.name, s.status) for s in info.steps)
            return State(info.status, float(info.progress), repr(marks), info.error, info.status in FINISHED)

        def update(state: State) -> None:
            if self.picker.value == run.id:
                self.show_run()
            if state.finished:
                self.cancel_button.disabled = True
                self.runs.value = runs_table(self.pipeline.runs(limit=20))
                self.picker.options = [(f"#{r.info.number} {r.info.status}", r.id)
                                       for r in self.pipeline.runs(limit=20)]
                self.picker.value = run.id

        self.follower = Follower(read, update, self.pipeline.project.catalog.jobs, interval=self.interval).start()
