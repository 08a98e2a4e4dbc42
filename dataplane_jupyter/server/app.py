"""The jupyter_server extension application."""

from __future__ import annotations

import asyncio

from jupyter_server.extension.application import ExtensionApp
from tornado.ioloop import PeriodicCallback
from traitlets import Float, Unicode

from ..core.catalog.catalog import Catalog
from .routes import tornado_routes


class DataplaneExtension(ExtensionApp):
    """Serves the dataplane REST API and owns the jobs it starts."""

    name = "dataplane_jupyter"

    home = Unicode(None, allow_none=True, config=True, help="Data home (default $DATAPLANE_HOME or ~/.dataplane)")
    catalog_url = Unicode(None, allow_none=True, config=True, help="SQLAlchemy URL of the catalog (default: SQLite in the home)")
    storage_url = Unicode(None, allow_none=True, config=True, help="fsspec URL of the dataset storage")
    reap_interval = Float(30.0, config=True, help="Seconds between checks for jobs whose worker died")

    def initialize_settings(self) -> None:
        """Open the catalog once, fail the jobs a previous run left behind, keep watching."""
        catalog = Catalog(self.home, catalog_url=self.catalog_url, storage_url=self.storage_url)
        self.settings["dataplane_catalog"] = catalog
        reaped = catalog.jobs.reap()
        if reaped:
            self.log.warning("dataplane: %d interrupted job(s) marked failed", len(reaped))
        self._reaper = PeriodicCallback(
            lambda: asyncio.ensure_future(asyncio.to_thread(catalog.jobs.reap)), self.reap_interval * 1000
        )
        self._reaper.start()
        self.log.info("dataplane: catalog at %s", catalog.settings.home)

    def initialize_handlers(self) -> None:
        """Register the REST routes."""
        self.handlers.extend(tornado_routes())

    async def stop_extension(self) -> None:
        """Stop watching jobs (the jobs themselves run on in their own processes)."""
        reaper = getattr(self, "_reaper", None)
        if reaper is not None:
            reaper.stop()
