"""The worker thread that the CSV reader's Parquet writer and statistics feed share."""

from __future__ import annotations

import threading

import pytest

from dataplane_jupyter.core.background import BackgroundConsumer


def test_items_are_consumed_in_order_on_another_thread():
    seen: list[tuple[int, str]] = []
    with BackgroundConsumer(lambda i: seen.append((i, threading.current_thread().name)), queued=1,
                            name="test-consumer") as consumer:
        for i in range(50):
            consumer.put(i)
        consumer.finish()
    assert seen == [(i, "test-consumer") for i in range(50)]


def test_the_workers_error_is_raised_on_the_producers_thread_and_the_rest_drained():
    consumed: list[int] = []

    def consume(i: int) -> None:
        if i == 3:
            raise ValueError("bad batch 3")
        consumed.append(i)

    consumer = BackgroundConsumer(consume, queued=2, name="test-consumer")
    with pytest.raises(ValueError, match="bad batch 3"):
        for i in range(1000):  # a put after the failure raises it; the queue never blocks for good
            consumer.put(i)
        consumer.finish()
    with pytest.raises(ValueError, match="bad batch 3"):
        consumer.finish()
    consumer.stop()  # never raises
    assert consumed == [0, 1, 2]
