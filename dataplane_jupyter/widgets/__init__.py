"""Notebook panels (ipywidgets, plotly figures inside) over the core.

    import dataplane_jupyter as dp
    dp.panel()                      # the catalog panel of the default project
    project.datasets["sales"]       # as the last expression of a cell: the dataset panel

The core never imports this package. Importing it is cheap: ipywidgets and plotly are loaded
when a panel is first built.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["CatalogPanel", "ConnectorPanel", "DatasetPanel", "DatasourcePanel", "ScheduleForm", "SchedulesList",
           "catalog_panel", "panel_for", "register_display"]

_LAZY = {
    "CatalogPanel": "catalog",
    "DatasetPanel": "dataset",
    "ConnectorPanel": "sources",
    "DatasourcePanel": "sources",
    "ConnectorForm": "forms",
    "DatasourceForm": "forms",
    "ImportForm": "forms",
    "PipelinePanel": "pipelines",
    "ScheduleForm": "schedules",
    "SchedulesList": "schedules",
}

# (module, class) of the core records that display as a panel
DISPLAYED = (
    ("dataplane_jupyter.core.datasets.datasets", "Dataset"),
    ("dataplane_jupyter.core.catalog.project", "Project"),
    ("dataplane_jupyter.core.sources.sources", "Connector"),
    ("dataplane_jupyter.core.sources.sources", "Datasource"),
    ("dataplane_jupyter.core.exports.exporters", "Exporter"),
    ("dataplane_jupyter.core.images.folders", "ImageFolder"),
    ("dataplane_jupyter.core.pipelines.collection", "Pipeline"),
)

# the panel (module of this package, class) of each displayed record
PANELS = {
    "Dataset": ("dataset", "DatasetPanel"),
    "Project": ("catalog", "CatalogPanel"),
    "Connector": ("sources", "ConnectorPanel"),
    "Datasource": ("sources", "DatasourcePanel"),
    "Exporter": ("exporters", "ExporterPanel"),
    "Pipeline": ("pipelines", "PipelinePanel"),
    "ImageFolder": ("image_folders", "ImageFolderPanel"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(name)


def catalog_panel(project: Any = None, **catalog_options: Any) -> Any:
    """The catalog panel of `project` (a Project, a name, or the default project)."""
    from ..core.catalog.catalog import Catalog
    from .catalog import CatalogPanel

    if project is None or isinstance(project, str):
        project = Catalog(**catalog_options).project(project or "default")
    return CatalogPanel(project)


def panel_for(record: Any) -> Any:
    """The panel that shows a dataset, project, connector or datasource."""
    kind = type(record).__name__
    if kind in PANELS:
        module, panel = PANELS[kind]
        return getattr(importlib.import_module(f"{__name__}.{module}"), panel)(record)
    raise TypeError(f"no panel for {kind}")


def _show(record: Any) -> None:
    """IPython's display hook for our records: the panel, or a one-line error instead of a traceback."""
    from IPython.display import HTML, display

    try:
        widget = panel_for(record)
    except Exception as exc:  # noqa: BLE001 - the repr still tells what the object is
        from .actions import describe_error
        from .html import error_box

        display(HTML(error_box(f"{record!r}: cannot show its panel: {describe_error(exc)}")))
        return
    display(widget)


def register_display(shell: Any) -> None:
    """Show datasets, projects, connectors and datasources as panels in this IPython shell.

    Registered by name, so neither the core nor ipywidgets is imported until one is displayed.
    """
    formatter = shell.display_formatter.ipython_display_formatter
    for module, name in DISPLAYED:
        formatter.for_type_by_name(module, name, _show)
