"""The jupyter_server extension application."""

from __future__ import annotations

import asyncio
import logging
import threading

from jupyter_server.extension.application import ExtensionApp
from tornado.ioloop import PeriodicCallback
from traitlets import Bool, Float, Unicode

from ..core.catalog.catalog import Catalog
from ..core.jobs.leftovers import remove_leftovers
from ..core.schedules import Scheduler
from .routes import tornado_routes


class DataplaneExtension(ExtensionApp):
    """Serves the dataplane REST API and owns the jobs it starts."""

    name = "dataplane_jupyter"

    home = Unicode(None, allow_none=True, config=True, help="Data home (default $DATAPLANE_HOME or ~/.dataplane)")
    catalog_url = Unicode(None, allow_none=True, config=True, help="SQLAlchemy URL of the catalog (default: SQLite in the home)")
    storage_url = Unicode(None, allow_none=True, config=True, help="fsspec URL of the dataset storage")
    access = Unicode(None, allow_none=True, config=True,
                     help="open (default: everyone sees everything) or members (a user sees only the projects "
                          "they are a member of; default $DATAPLANE_ACCESS)")
    reap_interval = Float(30.0, config=True, help="Seconds between checks for jobs whose worker died")
    scheduler = Bool(True, config=True, help="Fire due schedules while the server runs (in a thread, off the event loop)")
    scheduler_max_sleep = Float(1.0, config=True, help="Longest pause of the scheduler between looks at the catalog (s)")

    def initialize_settings(self) -> None:
        """Open the catalog once, fail the jobs a previous run left behind, keep watching."""
        self._log_core_to_server_log()
        catalog = Catalog(self.home, catalog_url=self.catalog_url, storage_url=self.storage_url, access=self.access)
        self.settings["dataplane_catalog"] = catalog
        reaped = catalog.jobs.reap()
        if reaped:
            self.log.warning("dataplane: %d interrupted job(s) ended", len(reaped))
        # no upload is in flight before the server listens: every unclaimed staged file is a leftover
        removed = remove_leftovers(catalog, upload_idle=0)
        if removed:
            self.log.info("dataplane: removed %d leftover file(s) of killed workers and aborted uploads", len(removed))
        self._reaper = PeriodicCallback(
            lambda: asyncio.ensure_future(asyncio.to_thread(catalog.jobs.reap)), self.reap_interval * 1000
        )
        self._reaper.start()
        self.log.info("dataplane: catalog at %s (access: %s)", catalog.settings.home, catalog.settings.access)
        if self.scheduler:
            self._start_scheduler(catalog)

    def _log_core_to_server_log(self) -> None:
        """What the core logs (the ticks the scheduler fires, jobs reaped, a tick that failed)
        goes to the server's log: Python leaves an unconfigured library logger silent below
        WARNING. A logging configuration of the user's own for it is left as it is."""
        core = logging.getLogger("dataplane_jupyter")
        if core.handlers:
            return
        for handler in self.log.handlers:
            core.addHandler(handler)
        if core.level == logging.NOTSET:
            core.setLevel(logging.INFO)

    def _start_scheduler(self, catalog: Catalog) -> None:
        """Run the scheduler in its own thread: a tick never blocks the server's event loop."""
        import os
        import socket

        scheduler = Scheduler(catalog, name=f"server:{socket.gethostname()}:{os.getpid()}",
                              max_sleep=self.scheduler_max_sleep)
        self._scheduler_stop = threading.Event()
        runner = threading.Thread(target=scheduler.run_forever, args=(self._scheduler_stop,),
                                  name="dataplane-scheduler", daemon=True)
        self.settings["dataplane_scheduler"] = scheduler
        self.settings["dataplane_scheduler_runner"] = runner
        runner.start()

    def initialize_handlers(self) -> None:
        """Register the REST routes."""
        self.handlers.extend(tornado_routes())

    async def stop_extension(self) -> None:
        """Stop watching jobs (the jobs themselves run on in their own processes)."""
        reaper = getattr(self, "_reaper", None)
        if reaper is not None:
            reaper.stop()
        stop = getattr(self, "_scheduler_stop", None)
        if stop is not None:
            stop.set()
            scheduler = self.settings.get("dataplane_scheduler")
            if scheduler is not None:
                scheduler.wake.set()
            runner = self.settings.get("dataplane_scheduler_runner")
            if runner is not None:
                await asyncio.to_thread(runner.join, 10)
