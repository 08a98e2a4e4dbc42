"""Sources: connectors and datasources of a project (sources) and the encryption of their secrets
(secrets).

The main names are importable from the package (`from dataplane_jupyter.core.sources import
Connector`); they load on first use (lazy_loader reads them from `__init__.pyi`), so importing one
module of the folder does not import the others.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
