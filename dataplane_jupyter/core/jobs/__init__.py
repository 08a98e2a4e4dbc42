"""Jobs: the persisted records and their status rules (store), running them in a worker process, a
thread or Dask (runner, worker), and the handles users follow them with (handles).

The main names are importable from the package (`from dataplane_jupyter.core.jobs import Job`); they
load on first use (lazy_loader reads them from `__init__.pyi`), so importing one module of the
folder does not import the others.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
