"""Image folders: their tab in the catalog panel (zip upload, list, rename, download, delete) and
their panel (summary, categories, thumbnails)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..core.errors import InvalidInput
from . import html
from .actions import ProgressView, State, ask_to_delete, bind, record_buttons, small, wide
from .forms import LABEL

THUMBNAILS_PER_PAGE = 24


def folder_state(folder: Any) -> State:
    """An image folder's copy, as the progress view shows it."""
    info = folder.info
    status = info.status.value
    label = f"{info.status_label} ({info.progress:.0%})" if status == "copying" else info.status_label
    return State(status, float(info.progress), label, info.error, status in ("ready", "failed"))


class ImageFolderPanel(w.VBox):
    """One folder: its summary, images per category, a page of thumbnails, and its actions."""

    def __init__(self, folder: Any, *, on_change: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.on_change = on_change or (lambda what: None)
        self.header = w.HTML()
        self.message = w.HTML()
        self.form = w.VBox()
        self.output = w.Output()
        self.body = w.VBox()
        actions = record_buttons(self, download="Download zip")
        self.category = w.Dropdown(description="Folder", style=LABEL, layout=wide())
        self.page = w.BoundedIntText(value=1, min=1, max=1, description="Page", layout=w.Layout(width="160px"))
        self.grid = w.GridBox(layout=w.Layout(grid_template_columns="repeat(8, 110px)", grid_gap="6px"))
        self.category.observe(lambda _: self.draw_thumbnails(reset=True), "value")
        self.page.observe(lambda _: self.draw_thumbnails(), "value")
        super().__init__([w.HTML(html.STYLESHEET), self.header,
                          w.HBox(actions),
                          self.form, self.message, self.body, self.output])
        self.add_class("dp-image-folder-panel")
        self.progress = ProgressView(lambda: folder_state(folder), folder.catalog.jobs, steps=False)
        self.progress.follower.on_done.append(self._ready)
        self.body.children = [self.progress]
        self._draw_header()
        self.progress.start()

    def _draw_header(self) -> None:
        info = self.folder.describe()
        self.header.value = (
            f'<div class="dp-title">{html.text(info.name)} {html.badge(info.status.value, info.status_label)}</div>'
            f'<div class="dp-muted">{html.number(info.n_images)} images · {html.human_size(info.size_bytes)} · '
            f"from {html.text(str(info.summary.get('file', '—')))} · created {html.when(info.created_at)}</div>")

    def _ready(self, state: State) -> None:
        try:
            self.folder.info  # noqa: B018 - refresh the cached record
        except Exception:  # noqa: BLE001 - deleted meanwhile
            return
        self._draw_header()
        if state.status != "ready":
            return
        info = self.folder.describe()
        counts = info.categories
        rows = [(name or "(top level)", count) for name, count in counts.items()]
        notes = [str(item.get("message", item)) for item in info.warnings]
        summary = html.table(["folder", "images"], rows, scroll=False)
        if notes:
            summary += html.note("Left out: " + "; ".join(notes[:20]))
        self.body.children = [self.progress, w.HTML(summary), w.HBox([self.category, self.page]), self.grid]
        self.category.options = [(f"{name or '(top level)'} ({count})", name) for name, count in counts.items()]
        if counts:
            self.category.value = next(iter(counts))  # draws the first page

    def draw_thumbnails(self, reset: bool = False) -> None:
        """A page of thumbnails of the chosen folder."""
        if self.category.value is None:
            return
        total = self.folder.describe().categories.get(self.category.value, 0)
        pages = max(1, -(-total // THUMBNAILS_PER_PAGE))
        if reset:
            self.page.max, self.page.value = pages, 1
        offset = (self.page.value - 1) * THUMBNAILS_PER_PAGE
        cells = []
        for image in self.folder.images(self.category.value, offset=offset, limit=THUMBNAILS_PER_PAGE):
            data, media_type = self.folder.thumbnail(image.path)
            picture = w.Image(value=data, format=media_type.split("/")[1], layout=w.Layout(max_width="104px"))
            caption = w.HTML(f'<span class="dp-muted" title="{html.attribute(image.path)}">'
                             f"{html.text(Path(image.path).name[:16])} · {image.width}×{image.height}</span>")
            cells.append(w.VBox([picture, caption]))
        self.grid.children = cells

    def show_rename(self) -> None:
        """An inline name field with Save."""
        name = w.Text(value=self.folder.describe().name, description="New name")
        save = w.Button(description="Save name", button_style="primary", layout=small())

        def run() -> str:
            old = self.folder.describe().name
            self.folder.rename(name.value.strip())
            self.form.children = []
            self._draw_header()
            self.on_change("renamed")
            return f"Renamed {old!r} to {self.folder.describe().name!r}."

        bind(save, run, self.message, self.output)
        self.form.children = [w.HBox([name, save])]

    def show_download(self) -> None:
        """Write the images as a zip next to the notebook."""
        path = w.Text(value=f"{self.folder.describe().name}.zip", description="Save as")
        go = w.Button(description="Write zip", button_style="primary", icon="download", layout=small())

        def run() -> str:
            target = self.folder.download(path.value).absolute()
            self.form.children = []
            return f"Wrote {html.human_size(target.stat().st_size)} to {target}"

        bind(go, run, self.message, self.output)
        self.form.children = [w.HBox([path, go])]

    def show_delete(self) -> None:
        """Ask before deleting."""
        name = self.folder.describe().name

        def run() -> str:
            self.folder.delete()
            self.form.children = []
            for button in (self.rename_button, self.download_button, self.delete_button):
                button.disabled = True
            self.body.children = []
            self.on_change("deleted")
            return f"Deleted image folder {name!r}."

        ask_to_delete(self.form, name, f"Delete image folder {name!r} and its stored images?", run, self.message,
                      self.output)


class ImageFolderUpload(w.VBox):
    """Upload a zip of images (or give its path) and follow the copy."""

    def __init__(self, project: Any, *, on_started: Callable[[Any], None] | None = None) -> None:
        self.project = project
        self.on_started = on_started or (lambda folder: None)
        self.upload = w.FileUpload(accept=".zip,application/zip", multiple=False, description="Upload zip")
        self.path = w.Text(description="or path", placeholder="a zip file the kernel can read", style=LABEL,
                           layout=wide())
        self.name = w.Text(description="name", placeholder="from the zip's name", style=LABEL, layout=wide())
        self.save_button = w.Button(description="Upload image folder", button_style="primary", icon="upload")
        self.message = w.HTML()
        self.progress = w.VBox()
        self.output = w.Output()
        bind(self.save_button, self.save, self.message, self.output)
        super().__init__([w.HTML("<b>Upload an image folder</b> <span class='dp-muted'>a zip of jpg, png or gif "
                                 "images, in folders if you like</span>"), self.upload, self.path, self.name,
                          self.save_button, self.message, self.progress, self.output])

    def save(self) -> str:
        """Start the import; the folder is listed at once."""
        name = self.name.value.strip() or None
        if self.upload.value:
            item = self.upload.value[0]
            staged = Path(tempfile.mkdtemp(prefix="dataplane-upload-")) / Path(item["name"]).name
            staged.write_bytes(bytes(item["content"]))
            self.upload.value = ()
            folder = self.project.image_folders.import_zip(staged, name=name or Path(item["name"]).stem,
                                                           delete_source=True, file_name=item["name"])
        elif self.path.value.strip():
            folder = self.project.image_folders.import_zip(self.path.value.strip(), name=name)
        else:
            raise InvalidInput("Upload a zip file or give its path.", field="source")
        view = ProgressView(lambda: folder_state(folder), folder.catalog.jobs, steps=False)
        self.progress.children = [view]
        view.start()
        self.on_started(folder)
        return f"Upload of {folder.describe().name!r} started."


class ImageFoldersTab(w.VBox):
    """The project's image folders: search, upload, list, and the open folder."""

    def __init__(self, project: Any) -> None:
        self.project = project
        self.search = w.Text(placeholder="Search by name", layout=w.Layout(width="240px"))
        self.search.observe(lambda _: self.refresh(), "value")
        upload = w.Button(description="Upload image folder", icon="upload", button_style="primary", layout=small())
        refresh = w.Button(description="Refresh", icon="refresh", layout=small())
        upload.on_click(lambda _: setattr(self.detail, "children", [
            ImageFolderUpload(project, on_started=lambda f: self.refresh())]))
        refresh.on_click(lambda _: self.refresh())
        self.rows = w.VBox()
        self.detail = w.VBox()
        super().__init__([w.HBox([upload, refresh, self.search]), self.rows, self.detail])
        self.refresh()

    def refresh(self) -> None:
        """Re-read the folders."""
        rows: list[w.Widget] = []
        for folder in self.project.image_folders.list(search=self.search.value.strip() or None):
            info = folder.describe()
            button = w.Button(description="Open", icon="folder-open", layout=small())
            button.on_click(lambda _, f=folder: self.open_folder(f))
            text = (f'<b>{html.text(info.name)}</b> {html.badge(info.status.value, info.status_label)} '
                    f'<span class="dp-muted">{html.number(info.n_images)} images · {html.human_size(info.size_bytes)}'
                    f" · created {html.when(info.created_at)}</span>")
            rows.append(w.HBox([button, w.HTML(text)]))
        self.rows.children = rows or [w.HTML(html.note("No image folder yet."))]

    def open_folder(self, folder: Any) -> None:
        """Show a folder's panel below the list."""
        self.detail.children = [ImageFolderPanel(folder, on_change=lambda what: self.refresh())]
