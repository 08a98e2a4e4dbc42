"""The image-features notebook runs top to bottom: a cell gets N×224×224×3 float32 (issue #17)."""

from __future__ import annotations

from pathlib import Path

import dataplane_jupyter as dp
from tests.notebooks.notebook_runs import code_cells, outputs, run_cleanly


def test_image_features(tmp_path: Path, kernel: str, isolated_home: Path):
    notebook = run_cleanly("image-features.ipynb", tmp_path, kernel)
    code = code_cells(notebook)
    assert "(True, 'resize', (320, 240), 'rgb')" in outputs(code[1])
    assert "((9, 224, 224, 3), dtype('float32'), True, True)" in outputs(code[2])
    assert "[(4, 224, 224, 3), (4, 224, 224, 3), (1, 224, 224, 3)]" in outputs(code[3])
    assert "((9, 8, 8, 3), (9, 32), 'line')" in outputs(code[5])
    assert "application/vnd.jupyter.widget-view+json" in outputs(code[6])
    photos = dp.Catalog(isolated_home).project("features-demo").datasets["photos"]
    assert photos.feature_options("photo").version == 1
