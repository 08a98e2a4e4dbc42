"""Damaged CSV files read the way a person would: a correctness floor on a small corpus.

The corpus and the scorer are in ``tests/csv_corpus.py`` (the full run, beside DuckDB and
pandas, is recorded in docs/benchmarks.md).
"""

from __future__ import annotations

from pathlib import Path

from tests.csv_corpus import KINDS, build_corpus, run

FLOOR = 0.97
KIND_FLOOR = 0.9


def test_damaged_files_load_with_their_cells_right(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path, per_kind=2, seed=11)
    result = run(tmp_path, corpus, ["dataplane"])["dataplane"]
    assert result["refused"] == 0
    assert result["score"] >= FLOOR
    assert {k: s for k, s in result["kinds"].items() if s < KIND_FLOOR} == {}
    assert set(result["kinds"]) == set(KINDS)
