"""ONNX models in the predict step: a scikit-learn model converted by skl2onnx in the test, run by
onnxruntime, predicts what scikit-learn predicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.linear_model import LinearRegression, LogisticRegression

import dataplane_jupyter as dp
from dataplane_jupyter.core.errors import JobFailed


@pytest.fixture
def project(catalog: dp.Catalog) -> Any:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"id": range(500), "amount": rng.normal(size=500), "visits": rng.integers(0, 40, 500)})
    project = catalog.project("p")
    project.datasets.from_pandas(frame, "customers", origin="upload").wait()
    return project


def training_data() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(0)
    features = pd.DataFrame({"amount": rng.normal(size=300), "visits": rng.integers(0, 40, 300).astype(float)})
    return features, ((features["amount"] + features["visits"] / 20) > 1).astype(int)


def save_onnx(model: Any, path: Path, width: int, **options: Any) -> None:
    onnx_model = convert_sklearn(model, initial_types=[("features", FloatTensorType([None, width]))], **options)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(onnx_model.SerializeToString())


def scoring(project: Any, folder: Path, model: str, **predict: Any) -> Any:
    return project.pipelines.create("scoring", base_dir=folder, steps=[
        {"name": "customers", "kind": "read", "dataset": "customers"},
        {"name": "features", "kind": "sql", "query": "select id, amount, cast(visits as double) as visits from customers"},
        {"name": "scored", "kind": "predict", "input": "features", "model": model, "batch_rows": 128, **predict},
    ])


def test_an_onnx_classifier_predicts_what_scikit_learn_predicts(project: Any, tmp_path: Path) -> None:
    features, labels = training_data()
    model = LogisticRegression().fit(features, labels)
    save_onnx(model, tmp_path / "models" / "churn.onnx", 2)
    run = scoring(project, tmp_path, "models/churn.onnx", features=["amount", "visits"]).run().wait(timeout=120)
    scored = project.datasets[run.outputs["scored"]].to_pandas().sort_values("id")
    inputs = scored[["amount", "visits"]]
    assert run.step("scored").rows_out == 500
    assert scored["prediction"].tolist() == model.predict(inputs).tolist()
    np.testing.assert_allclose(scored[["proba_0", "proba_1"]].to_numpy(), model.predict_proba(inputs), atol=1e-5)
    assert "ONNX model churn.onnx (onnxruntime)" in run.log("scored")


def test_an_onnx_regressor_and_a_classifier_without_zipmap(project: Any, tmp_path: Path) -> None:
    features, labels = training_data()
    regressor = LinearRegression().fit(features, features["amount"] * 3 + features["visits"])
    save_onnx(regressor, tmp_path / "reg.onnx", 2)
    classifier = LogisticRegression().fit(features, labels)
    save_onnx(classifier, tmp_path / "plain.onnx", 2, options={id(classifier): {"zipmap": False}})
    run = scoring(project, tmp_path, "reg.onnx", features=["amount", "visits"]).run().wait(timeout=120)
    scored = project.datasets[run.outputs["scored"]].to_pandas().sort_values("id")
    np.testing.assert_allclose(scored["prediction"], regressor.predict(scored[["amount", "visits"]]), rtol=1e-4)
    assert [c for c in scored.columns if c.startswith("proba_")] == []
    pipe = project.pipelines["scoring"]
    pipe.update(steps=[*pipe.info.steps[:2], {**pipe.info.steps[2], "model": "plain.onnx"}])
    scored = project.datasets[pipe.run().wait(timeout=120).outputs["scored"]].to_pandas().sort_values("id")
    inputs = scored[["amount", "visits"]]
    assert scored["prediction"].tolist() == classifier.predict(inputs).tolist()
    np.testing.assert_allclose(scored[["proba_0", "proba_1"]].to_numpy(), classifier.predict_proba(inputs), atol=1e-5)


def test_an_onnx_model_given_the_wrong_number_of_features_names_them(project: Any, tmp_path: Path) -> None:
    features, labels = training_data()
    save_onnx(LogisticRegression().fit(features, labels), tmp_path / "churn.onnx", 2)
    run = scoring(project, tmp_path, "churn.onnx").run()
    with pytest.raises(JobFailed, match=r"Step 'scored' \(predict\) failed: ONNX model churn.onnx takes 2 feature "
                                        r"column\(s\) in its input 'features', the step gives 3 \('id', 'amount', "
                                        r"'visits'\)"):
        run.wait(timeout=120)
    assert project.datasets.list(origin=["pipeline_output"]) == []
