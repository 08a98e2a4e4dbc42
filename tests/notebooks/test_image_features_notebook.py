"""The image-features notebook runs top to bottom: a cell gets N×224×224×3 float32 (issue #17)."""

from __future__ import annotations

from pathlib import Path

import dataplane_jupyter as dp
from tests.notebooks.test_notebooks import assert_no_errors, kernel, outputs, run  # noqa: F401 - kernel is a fixture


def test_image_features(tmp_path: Path, kernel: str, isolated_home: Path):  # noqa: F811
    notebook, seconds = run("image-features.ipynb", tmp_path, kernel)
    print(f"image-features.ipynb executed in {seconds:.1f} s")
    assert_no_errors(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "(True, 'resize', (320, 240), 'rgb')" in outputs(code[1])
    assert "((9, 224, 224, 3), dtype('float32'), True, True)" in outputs(code[2])
    assert "[(4, 224, 224, 3), (4, 224, 224, 3), (1, 224, 224, 3)]" in outputs(code[3])
    assert "((9, 8, 8, 3), (9, 32), 'line')" in outputs(code[5])
    assert "application/vnd.jupyter.widget-view+json" in outputs(code[6])
    photos = dp.Catalog(isolated_home).project("features-demo").datasets["photos"]
    assert photos.feature_options("photo").version == 1
