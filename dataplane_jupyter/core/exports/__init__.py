"""Exports: exporters of a project (exporters) and the runs that write a dataset with one (runs).

The main names are importable from the package (`from dataplane_jupyter.core.exports import
Exporter`); they load on first use (lazy_loader reads them from `__init__.pyi`), so importing one
module of the folder does not import the others.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
