"""One worker thread that consumes what a producer hands it, a bounded number of items behind.

The CSV reader uses it twice: Parquet encoding and the statistics run on their own threads while
DuckDB reads the next batch (pyarrow and numpy release the GIL), and memory stays bounded by the
queue. An error on the worker's thread is raised again on the producer's thread: at its next
:meth:`BackgroundConsumer.put` or at :meth:`BackgroundConsumer.finish`.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class BackgroundConsumer(Generic[T]):
    """``consume(item)`` for every item put, in order, on one daemon thread named ``name``;
    at most ``queued`` items wait (``put`` blocks beyond). After a failure the remaining items
    are only drained, and the error is raised on the producer's thread."""

    def __init__(self, consume: Callable[[T], object], *, queued: int, name: str) -> None:
        self._consume = consume
        self._queue: queue.Queue[tuple[T] | None] = queue.Queue(queued)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:  # after a failure the items are only drained
                try:
                    self._consume(item[0])
                except BaseException as exc:  # noqa: BLE001 - raised again on the producer's thread
                    self._error = exc

    def put(self, item: T) -> None:
        """Hand one item to the worker; raises the worker's error if it had one."""
        if self._error is not None:
            raise self._error
        self._queue.put((item,))

    def stop(self) -> None:
        """Wait until every item put is consumed (or drained); never raises."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def finish(self) -> None:
        """Wait until every item put is consumed; raise the worker's error if there was one."""
        self.stop()
        if self._error is not None:
            raise self._error

    def __enter__(self) -> "BackgroundConsumer[T]":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
