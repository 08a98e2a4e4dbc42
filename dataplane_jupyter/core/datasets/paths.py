"""Where a dataset's files live in the storage: shared by every job that reads or writes them."""

from __future__ import annotations

DATA_FILE = "data.parquet"


def dataset_folder(project_id: str, dataset_id: str) -> str:
    """Where a dataset's files live, relative to the storage root."""
    return f"projects/{project_id}/datasets/{dataset_id}"
