"""The cheap whole-file type checks and their fallback to the full rules give the same
result as the full rules: values the sample did not show still decide a column's type."""

from __future__ import annotations

import datetime as dt
import json
import io
import math
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.ingest import IngestResult, csv_to_parquet, detect_csv_format


def ingest(tmp_path: Path, text: str, name: str = "t.csv") -> tuple[IngestResult, list[dict]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    dest = tmp_path / "out.parquet"
    with open(path, "rb") as f:
        fmt = detect_csv_format(f, source=name)
        result = csv_to_parquet(f, str(dest), fmt, source=name)
    return result, pq.read_table(dest).to_pylist()


def kinds(result: IngestResult) -> dict[str, tuple[str, str]]:
    return {c.name: (c.type, c.dtype) for c in result.columns}


def test_text_at_row_900000_of_a_numeric_looking_column(tmp_path: Path) -> None:
    lines = [f"{i},{i % 10}" for i in range(1_000_000)]
    lines[900_000] = "900000,not known"
    result, rows = ingest(tmp_path, "id,score\n" + "\n".join(lines) + "\n")
    assert kinds(result)["score"] == ("categorical", "string")
    assert kinds(result)["id"] == ("numeric", "int64")
    assert rows[900_000]["score"] == "not known" and rows[5]["score"] == "5"
    assert [w.column for w in result.warnings] == ["score"]
    assert "'not known'" in result.warnings[0].message


def test_integers_then_a_decimal_become_float(tmp_path: Path) -> None:
    body = "".join(f"{i}\n" for i in range(20_000)) + "2.5\n"
    result, rows = ingest(tmp_path, "n\n" + body)
    assert kinds(result) == {"n": ("numeric", "double")}
    assert rows[7]["n"] == 7.0 and rows[-1]["n"] == 2.5


def test_missing_markers_after_the_sample_stay_missing(tmp_path: Path) -> None:
    body = "".join(f"{i},{i / 4},true\n" for i in range(20_000))
    body += "NA,nan,\n n/a ,NULL,None\n"
    result, rows = ingest(tmp_path, "k,x,b\n" + body)
    assert kinds(result) == {"k": ("numeric", "int64"), "x": ("numeric", "double"),
                             "b": ("boolean", "bool")}
    assert rows[-2] == {"k": None, "x": None, "b": None}
    assert rows[-1] == {"k": None, "x": None, "b": None}
    assert not any(isinstance(r["x"], float) and math.isnan(r["x"]) for r in rows)


@pytest.mark.parametrize("odd", ["1_000", "inf", "\t5", "0x10", "nan5"])
def test_values_a_database_cast_accepts_but_the_rules_do_not(tmp_path: Path, odd: str) -> None:
    body = "".join(f"{i}.5\n" for i in range(20_000)) + f'"{odd}"\n'
    result, rows = ingest(tmp_path, "x\n" + body)
    assert kinds(result) == {"x": ("categorical", "string")}
    assert rows[-1]["x"] == odd


def test_late_grouped_and_spaced_numbers_still_numeric(tmp_path: Path) -> None:
    body = "".join(f"{i};{i},5\n" for i in range(20_000)) + " 7 ;1.234,5\n"
    result, rows = ingest(tmp_path, "k;x\n" + body)
    assert kinds(result) == {"k": ("numeric", "int64"), "x": ("numeric", "double")}
    assert rows[-1] == {"k": 7, "x": 1234.5} and rows[3] == {"k": 3, "x": 3.5}


def test_late_odd_boolean_and_date_values(tmp_path: Path) -> None:
    body = "".join(f"{'yes' if i % 2 else 'No'},2024-01-{i % 28 + 1:02d}\n" for i in range(20_000))
    result, rows = ingest(tmp_path, "b,d\n" + body + "maybe,2024-02-30\n")
    assert kinds(result) == {"b": ("categorical", "string"), "d": ("categorical", "string")}
    result, rows = ingest(tmp_path, "b,d\n" + body + "TRUE,\n")
    assert kinds(result) == {"b": ("boolean", "bool"), "d": ("datetime", "date32[day]")}
    assert rows[0] == {"b": False, "d": dt.date(2024, 1, 1)} and rows[-1]["b"] is True


def test_overlong_cell_in_a_numeric_looking_column_is_refused(tmp_path: Path) -> None:
    body = "".join(f"{i},{i}\n" for i in range(20_000)) + "1," + "9" * 50_001 + "\n"
    with pytest.raises(InvalidInput) as err:
        ingest(tmp_path, "a,b\n" + body, name="long.csv")
    assert str(err.value) == ("long.csv: line 20002, column 'b' holds 50,001 characters; "
                              "a cell may hold at most 50,000")


def test_wide_file_of_mixed_kinds(tmp_path: Path) -> None:
    header = ",".join(f"n{i},s{i}" for i in range(150))
    body = "".join(",".join(f"{r}.5,w{r % 3}" for _ in range(150)) + "\n" for r in range(300))
    result, rows = ingest(tmp_path, header + "\n" + body)
    assert {c.type for c in result.columns} == {"numeric", "categorical"}
    assert rows[299]["n149"] == 299.5 and rows[299]["s149"] == "w2"


def test_stream_without_a_local_path(tmp_path: Path) -> None:
    data = ("a,b\n" + "".join(f"{i},x{i}\n" for i in range(100))).encode()
    fmt = detect_csv_format(io.BytesIO(data), source="s.csv")
    result = csv_to_parquet(io.BytesIO(data), str(tmp_path / "o.parquet"), fmt, source="s.csv")
    assert result.rows == 100 and kinds(result)["a"] == ("numeric", "int64")


def test_rows_keep_the_file_order_across_many_read_buffers(tmp_path: Path) -> None:
    # ~25 MB, checked and typed in one scan: DuckDB with several threads returned such a
    # file's rows reordered from one read buffer on (row 45,661 of a 1M-row file)
    n = 120_000
    lines = [f"{i},{i * 0.25},{i % 97}.5,{(i * 7) % 1000}.25,-{i % 13}.75,2024-01-{i % 28 + 1:02d},"
             f"2024-01-01T{i % 24:02d}:00:00,{'true' if i % 3 else 'false'},level_{i % 40},"
             f"item {i} of the list,{i * 3}" for i in range(n)]
    header = "id,a,b,c,d,day,at,flag,level,note,k"
    result, rows = ingest(tmp_path, header + "\n" + "\n".join(lines) + "\n")
    assert result.rows == n
    assert [r["id"] for r in rows] == list(range(n))
    assert all(r["k"] == 3 * r["id"] and r["note"] == f"item {r['id']} of the list" for r in rows)


def test_a_column_empty_in_the_sample_takes_the_type_of_its_later_values(tmp_path: Path) -> None:
    body = "".join(f"{i},\n" for i in range(200_000)) + "200000,7\n200001,x y\n"
    result, rows = ingest(tmp_path, "k,late\n" + body)
    assert kinds(result) == {"k": ("numeric", "int64"), "late": ("categorical", "string")}
    assert rows[-2:] == [{"k": 200000, "late": "7"}, {"k": 200001, "late": "x y"}]
    result, rows = ingest(tmp_path, "k,late\n" + "".join(f"{i},\n" for i in range(200_000)) + "1,2.5\n")
    assert kinds(result) == {"k": ("numeric", "int64"), "late": ("numeric", "double")}
    assert rows[-1]["late"] == 2.5 and rows[0]["late"] is None


def test_string_columns_typed_after_the_whole_file(tmp_path: Path) -> None:
    prose = "a long sentence written by a customer about the product they bought"
    body = "".join(f"{i},{prose} {i},code{i % 3}\n" for i in range(30_000))
    result, rows = ingest(tmp_path, "k,says,code\n" + body + "30000,n/d,42\n")
    assert kinds(result) == {"k": ("numeric", "int64"), "says": ("text", "string"),
                             "code": ("categorical", "string")}
    types = json.loads(pq.read_schema(tmp_path / "out.parquet").metadata[b"dataplane.types"])
    assert types == {"k": "numeric", "says": "text", "code": "categorical"}
    assert rows[-1] == {"k": 30000, "says": "n/d", "code": "42"}
