"""Running widget actions and following long work, without blocking the kernel.

`Action` wires a button to a function: the buttons are disabled while it runs, everything it
prints lands in its Output, and a failure becomes a readable message in the panel (no
traceback). `Follower` polls a job or a dataset from a daemon thread and hands each new state to
a callback that updates widgets; ipykernel sends widget updates from any thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..core.errors import DataplaneError
from . import html

log = logging.getLogger(__name__)


def small() -> w.Layout:
    """The layout of a button (or a checkbox) as wide as its label: a new one each time, since a
    layout shared by every button would break all the buttons made after it was closed
    (`Widget.close_all()`)."""
    return w.Layout(width="auto")


def wide() -> w.Layout:
    """The layout of a form's input: 460 pixels wide (a new one each time, as `small`)."""
    return w.Layout(width="460px")


if TYPE_CHECKING:
    from ..core.jobs.handles import Jobs

class ActionFailed(Exception):
    """An action's expected failure (a test that did not pass): shown as its message alone."""


def describe_error(exc: BaseException) -> str:
    """What the user reads when an action fails."""
    if isinstance(exc, (DataplaneError, ActionFailed)):
        return str(exc)
    return f"Unexpected error ({type(exc).__name__}): {exc}"


class Action:
    """A button (or several) bound to `run`; `message` shows the outcome."""

    def __init__(
        self,
        run: Callable[[], str | None],
        buttons: Sequence[w.Button],
        message: w.HTML,
        output: w.Output | None = None,
    ) -> None:
        self.run = run
        self.buttons = list(buttons)
        self.message = message
        self.output = output
        self.running = False

    def __call__(self, _: Any = None) -> None:
        """Run once; the buttons come back enabled whatever happens."""
        if self.running:
            return
        self.running = True
        for button in self.buttons:
            button.disabled = True
        self.message.value = ""
        try:
            # Inside IPython an Output swallows exceptions and prints their traceback: catch first.
            with self.output if self.output is not None else nullcontext():
                try:
                    done = self.run()
                except Exception as exc:  # noqa: BLE001 - shown in the panel instead of a traceback
                    self.message.value = html.error_box(describe_error(exc))
                    return
            if done:
                self.message.value = html.ok_box(done)
        finally:
            self.running = False
            for button in self.buttons:
                button.disabled = False


def passed(result: Any) -> Any:
    """The result of a connector, datasource or exporter test that passed; ActionFailed with its
    message (shown in the panel) when it did not."""
    if not result.ok:
        raise ActionFailed(f"Test failed: {result.message}")
    return result


def record_buttons(owner: Any, download: str = "Download") -> list[w.Button]:
    """Rename, Download and Delete buttons for a record's panel, kept on `owner` as
    `rename_button`, `download_button`, `delete_button` and opening its `show_rename`,
    `show_download` and `show_delete` forms."""
    owner.rename_button = w.Button(description="Rename", icon="pencil", layout=small())
    owner.download_button = w.Button(description=download, icon="download", layout=small())
    owner.delete_button = w.Button(description="Delete", icon="trash", button_style="danger", layout=small())
    owner.rename_button.on_click(lambda _: owner.show_rename())
    owner.download_button.on_click(lambda _: owner.show_download())
    owner.delete_button.on_click(lambda _: owner.show_delete())
    return [owner.rename_button, owner.download_button, owner.delete_button]


def bind(button: w.Button, run: Callable[[], str | None], message: w.HTML,
         output: w.Output | None = None, also_disable: Sequence[w.Button] = ()) -> Action:
    """`button.on_click(Action(...))` in one line."""
    action = Action(run, [button, *also_disable], message, output)
    button.on_click(action)
    return action


def ask_to_delete(form: w.Box, name: str, question: str, delete: Callable[[], str], message: w.HTML,
                  output: w.Output | None = None, *, cancel: w.Button | None = None) -> None:
    """Show in `form` the question and a "Delete `name`" / Cancel pair: Delete runs `delete`
    (its message, or its error, shown in `message`); Cancel (by default) empties the form."""
    confirm = w.Button(description=f"Delete {name}", button_style="danger", icon="trash", layout=small())
    if cancel is None:
        cancel = w.Button(description="Cancel", layout=small())
        cancel.on_click(lambda _: setattr(form, "children", []))
    bind(confirm, delete, message, output)
    form.children = [w.HTML(html.note(question)), w.HBox([confirm, cancel])]


@dataclass(frozen=True)
class State:
    """One reading of something that progresses: status, 0–1 progress, label, error."""

    status: str
    progress: float
    label: str
    error: str | None = None
    finished: bool = False


def dataset_state(dataset: Any) -> State:
    """The dataset's status, as the progress bar shows it."""
    info = dataset.info
    status = info.status.value
    label = info.status_label
    if status == "copying" or status == "computing_statistics":
        label = f"{label} ({info.progress:.0%})"
    return State(status, float(info.progress), label, info.error, status in ("ready", "failed"))


def job_state(handle: Any) -> State:
    """A job's status (a JobHandle or anything with `.info` returning a Job)."""
    job = handle.info
    status = job.status.value
    label = job.message or status.capitalize()
    return State(status, float(job.progress), label, job.error, job.status.finished)


class Follower:
    """Polls `read` every `interval` seconds from a daemon thread until the state is finished,
    passing each changed state to `update` (and the last one to every `on_done` callback).
    `jobs.wait_until` drives the polling, so a job whose worker died is failed and shown as such."""

    def __init__(self, read: Callable[[], State], update: Callable[[State], None], jobs: "Jobs",
                 interval: float = 0.4, timeout: float | None = None) -> None:
        self.read = read
        self.jobs = jobs
        self.update = update
        self.interval = interval
        self.timeout = timeout
        self.last: State | None = None
        self.on_done: list[Callable[[State], None]] = []
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> "Follower":
        """Start polling (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="dataplane-follow", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop polling at the next tick."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> State | None:
        """Wait for the end (tests and scripts); returns the last state."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.last

    def _loop(self) -> None:
        try:
            self.jobs.wait_until(self._tick, timeout=self.timeout, poll=self.interval)
        except TimeoutError:
            pass  # the view keeps showing the last state
        if self.last is not None and self.last.finished:
            for callback in self.on_done:
                self._safe(callback, self.last)

    def _tick(self) -> bool | None:
        """Read and show the state once; True when there is nothing more to follow."""
        try:
            state = self.read()
        except Exception as exc:  # noqa: BLE001 - e.g. the dataset was deleted meanwhile
            state = State("failed", 0.0, "Failed", describe_error(exc), True)
        if state != self.last:
            self.last = state
            self._safe(self.update, state)
        return True if state.finished or self._stop.is_set() else None

    @staticmethod
    def _safe(callback: Callable[[Any], Any], state: Any) -> None:
        try:
            callback(state)
        except Exception:  # noqa: BLE001 - a drawing error must not kill the poller mid-way; it is shown in the log
            log.exception("Drawing the state %r failed", state)


class ProgressView(w.VBox):
    """The three status steps, a progress bar and a label that follow a dataset or a job."""

    def __init__(self, read: Callable[[], State], jobs: "Jobs", *, steps: bool = True, label: bool = True,
                 interval: float = 0.4) -> None:
        self.bar = w.FloatProgress(value=0.0, min=0.0, max=1.0, layout=w.Layout(width="320px"))
        self.label = w.HTML()
        self.show_label = label
        self.steps = w.HTML() if steps else None
        self.error = w.HTML()
        children = [c for c in (self.steps, w.HBox([self.bar, self.label]), self.error) if c is not None]
        super().__init__(children)
        self.add_class("dp-progress")
        self.follower = Follower(read, self.show, jobs, interval=interval)

    def show(self, state: State) -> None:
        """Draw one state."""
        self.bar.value = 1.0 if state.status in ("ready", "succeeded") else state.progress
        self.bar.bar_style = {"ready": "success", "succeeded": "success", "failed": "danger",
                              "cancelled": "warning"}.get(state.status, "info")
        # Without its label when the status is shown beside (a panel's title chip): said once.
        self.label.value = html.badge(state.status, state.label) if self.show_label else ""
        if self.steps is not None:
            self.steps.value = html.steps(state.status)
        self.error.value = html.error_box(state.error) if state.error else ""

    def start(self) -> "ProgressView":
        """Draw the current state now, then follow it in the background."""
        try:
            state = self.follower.read()
        except Exception as exc:  # noqa: BLE001 - shown, not raised
            state = State("failed", 0.0, "Failed", describe_error(exc), True)
        self.show(state)
        self.follower.last = state
        if not state.finished:
            self.follower.start()
        else:
            for callback in self.follower.on_done:
                callback(state)
        return self


def dataset_progress(dataset: Any, on_done: Callable[[State], None] | None = None) -> ProgressView:
    """A progress view following a dataset from copying to ready (or failed)."""
    view = ProgressView(lambda: dataset_state(dataset), dataset.catalog.jobs)
    if on_done is not None:
        view.follower.on_done.append(on_done)
    return view.start()


def job_progress(handle: Any, on_done: Callable[[State], None] | None = None) -> ProgressView:
    """A progress view following a job until it ends."""
    view = ProgressView(lambda: job_state(handle), handle.jobs, steps=False)
    if on_done is not None:
        view.follower.on_done.append(on_done)
    return view.start()
