"""CSV to Parquet on messy files built here: types, values, file rules, clear refusals."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import fsspec
import pyarrow.parquet as pq
import pytest

from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.ingest import (
    META_FORMAT,
    META_TYPES,
    CsvOptions,
    IngestResult,
    csv_to_parquet,
    detect_csv_format,
)


def ingest(tmp_path: Path, data: bytes, name: str = "t.csv", on_bad_rows: str = "repair",
           **options: object) -> tuple[IngestResult, list[dict]]:
    f = io.BytesIO(data)
    fmt = detect_csv_format(f, CsvOptions(**options), source=name)
    dest = tmp_path / "out.parquet"
    result = csv_to_parquet(f, str(dest), fmt, source=name, on_bad_rows=on_bad_rows)
    return result, pq.read_table(dest).to_pylist()


def types(result: IngestResult) -> dict[str, str]:
    return {c.name: c.type for c in result.columns}


def test_european_file_comes_out_numeric(tmp_path: Path) -> None:
    data = "produit;prix;qté;date\nthé;1.234,56;3;01/02/2020\ncafé;3,14;4;13/02/2020\n" \
           "eau;;5;14/03/2021\n".encode("cp1252")
    result, rows = ingest(tmp_path, data)
    assert types(result) == {"produit": "categorical", "prix": "numeric", "qté": "numeric",
                             "date": "datetime"}
    assert [r["prix"] for r in rows] == [1234.56, 3.14, None]
    assert [r["qté"] for r in rows] == [3, 4, 5]
    assert rows[0]["date"] == dt.date(2020, 2, 1)
    assert rows[0]["produit"] == "thé"
    assert result.format.encoding == "cp1252" and result.rows == 3


def test_quoted_separators_newlines_and_doubled_quotes(tmp_path: Path) -> None:
    data = b'id,comment\n1,"a, b"\n2,"two\nlines"\n3,"he said ""hi"""\n'
    result, rows = ingest(tmp_path, data)
    assert [r["comment"] for r in rows] == ["a, b", "two\nlines", 'he said "hi"']
    assert result.rows == 3


@pytest.mark.parametrize("sep", ["\t", "|"])
def test_tab_and_pipe(tmp_path: Path, sep: str) -> None:
    data = sep.join(["k", "v"]).encode() + b"\n" + f"1{sep}2.5\n2{sep}3.5\n".encode()
    result, rows = ingest(tmp_path, data)
    assert rows == [{"k": 1, "v": 2.5}, {"k": 2, "v": 3.5}]


def test_utf8_bom_and_utf16(tmp_path: Path) -> None:
    _, rows = ingest(tmp_path, b"\xef\xbb\xbfname,n\nx,1\n")
    assert rows == [{"name": "x", "n": 1}]
    result, rows = ingest(tmp_path, "name;n\nÉlodie;2\n".encode("utf-16"))
    assert rows == [{"name": "Élodie", "n": 2}] and result.format.encoding == "utf-16"


def test_types_boolean_datetime_text(tmp_path: Path) -> None:
    prose = "this is a long free text review of the product that goes on"
    lines = ["flag,when,at,review,city,amount"]
    for i in range(20):
        lines.append(f"{'yes' if i % 2 else 'NO'},2024-01-{i + 1:02d},"
                     f"2024-01-{i + 1:02d}T10:00:00,{prose} {i},{'Paris' if i % 3 else 'Lyon'},"
                     f"{'NA' if i == 5 else i * 1.5}")
    result, rows = ingest(tmp_path, "\n".join(lines).encode())
    assert types(result) == {"flag": "boolean", "when": "datetime", "at": "datetime",
                             "review": "text", "city": "categorical", "amount": "numeric"}
    assert rows[0]["flag"] is False and rows[1]["flag"] is True
    assert rows[2]["at"] == dt.datetime(2024, 1, 3, 10, 0)
    assert rows[5]["amount"] is None and rows[4]["amount"] == 6.0
    dtypes = {c.name: c.dtype for c in result.columns}
    assert dtypes["when"] == "date32[day]" and dtypes["amount"] == "double"


def test_iso_offsets_become_utc(tmp_path: Path) -> None:
    result, rows = ingest(tmp_path, b"t\n2024-01-01T10:00:00+02:00\n2024-01-01T10:00:00Z\n")
    assert [r["t"] for r in rows] == [dt.datetime(2024, 1, 1, 8), dt.datetime(2024, 1, 1, 10)]
    assert any("UTC" in w.message for w in result.warnings)


def test_month_first_dates_when_day_cannot_be_first(tmp_path: Path) -> None:
    _, rows = ingest(tmp_path, b"d,n\n01/02/2020,1\n12/31/2020,2\n")
    assert [r["d"] for r in rows] == [dt.date(2020, 1, 2), dt.date(2020, 12, 31)]


def test_odd_value_after_the_sample_keeps_the_column_categorical(tmp_path: Path) -> None:
    body = "".join(f"{i}\n" for i in range(60_000)) + "n/d\n"
    result, rows = ingest(tmp_path, ("x\n" + body).encode())
    assert types(result) == {"x": "categorical"}
    assert any("'n/d'" in w.message for w in result.warnings)


def test_types_and_format_stored_in_parquet(tmp_path: Path) -> None:
    ingest(tmp_path, b"a;b\n1,5;x\n")
    meta = pq.read_metadata(tmp_path / "out.parquet").metadata
    assert json.loads(meta[META_TYPES.encode()]) == {"a": "numeric", "b": "categorical"}
    assert json.loads(meta[META_FORMAT.encode()])["decimal"] == ","


def test_strict_refuses_ragged_rows_with_physical_line_numbers(tmp_path: Path) -> None:
    data = b'a,b,c\n1,"x\ny",3\n4,5\n6,7,8,9\n'
    with pytest.raises(InvalidInput) as err:
        ingest(tmp_path, data, name="rag.csv", on_bad_rows="error")
    assert str(err.value) == ("rag.csv: line 4 has 2 fields, expected 3; "
                              "line 5 has 4 fields, expected 3. To import the file with such rows "
                              'repaired or set aside: on_bad_rows="repair"')
    assert err.value.field == "on_bad_rows"
    assert not (tmp_path / "out.parquet").exists()


def test_strict_names_the_field_count_once(tmp_path: Path) -> None:
    data = b"a,b,c\n1,2,3\n4,5,6\n7,8,9,10,11\n12,13,14\n"
    with pytest.raises(InvalidInput) as err:
        ingest(tmp_path, data, name="wide.csv", on_bad_rows="error")
    assert str(err.value).startswith("wide.csv: line 4 has 5 fields, expected 3. ")


def test_ragged_rows_are_repaired_or_set_aside_by_default(tmp_path: Path) -> None:
    data = b'a,b,c\n1,"x\ny",3\n4,5\n6,7,8,9\n' + b"".join(b"%d,z,%d\n" % (i, i) for i in range(20))
    result, rows = ingest(tmp_path, data, name="rag.csv")
    assert rows[:2] == [{"a": 1, "b": "x\ny", "c": 3}, {"a": 4, "b": "5", "c": None}]
    assert len(rows) == 22
    assert [(r.line, r.raw, r.reason) for r in result.rejected] == [
        (5, "6,7,8,9", "4 fields, expected 3")]
    assert result.repaired == [(4, "2 fields, padded to 3")]
    messages = [w.message for w in result.warnings]
    assert "1 row repaired: lines 4 (2 fields, padded to 3)" in messages
    assert "1 row set aside: lines 5 (4 fields, expected 3); see the rejected rows" in messages


def test_skip_drops_bad_rows_with_a_count(tmp_path: Path) -> None:
    data = b"a,b,c\n" + b"".join(b"%d,z,%d\n" % (i, i) for i in range(20)) + b"4,5\n"
    result, rows = ingest(tmp_path, data, name="s.csv", on_bad_rows="skip")
    assert len(rows) == 20 and result.repaired == []
    assert [r.line for r in result.rejected] == [22]
    assert any(w.message.startswith("1 row set aside: lines 22") for w in result.warnings)


def test_too_many_bad_rows_refuse_the_file_naming_the_settings(tmp_path: Path) -> None:
    data = b"a,b,c\n" + b"".join(b"%d,z,%d\n%d,%d,%d,%d,%d\n" % (i, i, i, i, i, i, i)
                                  for i in range(10))
    with pytest.raises(InvalidInput) as err:
        ingest(tmp_path, data, name="bad.csv")
    message = str(err.value)
    assert message.startswith("bad.csv was not read correctly: 10 of 20 rows do not have the "
                              "3 fields of the table (lines 3, 5, 7, 9, 11…); probably the wrong")
    assert "Detected: encoding utf-8, separator ',', quote '\"'" in message


def test_shape_preamble_footer_escapes_and_cr_line_ends(tmp_path: Path) -> None:
    body = "".join(f"{i},\"say \\\"hi\\\" {i}\",{i / 2}\r" for i in range(6))
    data = ("Sales report\rexported 2024-05-01\r\rid,text,x\r" + body
            + "\rTotal,15\rend of report\r").encode()
    result, rows = ingest(tmp_path, data, name="shape.csv")
    fmt = result.format.to_dict()
    assert (fmt["skip_lines"], fmt["escapechar"], fmt["record_delimiter"]) == (3, "\\", "\r")
    assert rows[0] == {"id": 0, "text": 'say "hi" 0', "x": 0.0} and len(rows) == 6
    assert [(r.line, r.reason) for r in result.rejected] == [
        (12, "after the table"), (13, "after the table")]
    messages = [w.message for w in result.warnings]
    assert "shape.csv: the first 3 line(s) come before the header (a title or preamble) and were skipped" in messages
    assert any(m.startswith("the table ends before line 12: 2 lines after it") for m in messages)


def test_no_header_gets_generated_names(tmp_path: Path) -> None:
    result, rows = ingest(tmp_path, b"1,2.5,x\n2,3.5,y\n3,4.5,z\n")
    assert [c.name for c in result.columns] == ["column_1", "column_2", "column_3"]
    assert len(rows) == 3


def test_header_only_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="h.csv has a header line but no data rows"):
        ingest(tmp_path, b"a,b,c\n", name="h.csv")
    with pytest.raises(InvalidInput, match="e.csv is empty"):
        csv_to_parquet(io.BytesIO(b""), str(tmp_path / "o.parquet"),
                       detect_csv_format(io.BytesIO(b"a\n1\n"), source="e.csv"), source="e.csv")


def test_cell_over_50000_characters_is_refused_naming_line_and_column(tmp_path: Path) -> None:
    data = b'a,b\n1,"x\ny"\n2,' + b"z" * 50_001 + b"\n"
    with pytest.raises(InvalidInput) as err:
        ingest(tmp_path, data, name="long.csv")
    assert str(err.value) == ("long.csv: line 4, column 'b' holds 50,001 characters; "
                              "a cell may hold at most 50,000")


def test_cell_of_exactly_50000_characters_is_accepted(tmp_path: Path) -> None:
    result, rows = ingest(tmp_path, b"a,b\n1," + b"z" * 50_000 + b"\n")
    assert len(rows[0]["b"]) == 50_000


def test_more_than_2000_categories_warns_on_that_column(tmp_path: Path) -> None:
    data = "code,n\n" + "".join(f"c{i},{i % 7}\n" for i in range(2_001))
    result, _ = ingest(tmp_path, data.encode())
    assert [w.column for w in result.warnings] == ["code"]
    assert "2,001 distinct values" in result.warnings[0].message


def test_exactly_2000_categories_has_no_warning(tmp_path: Path) -> None:
    data = "code\n" + "".join(f"c{i}\n" for i in range(2_000)) + "c0\n"
    result, _ = ingest(tmp_path, data.encode())
    assert result.warnings == []


def test_more_than_10_million_rows_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataplane_jupyter.core.ingest import convert

    monkeypatch.setattr(convert, "MAX_ROWS", 3)
    result, _ = ingest(tmp_path, b"a\n1\n2\n3\n4\n", name="big.csv")
    assert [(w.column, w.message) for w in result.warnings] == [
        (None, "big.csv has 4 rows, more than the 3 recommended: training will be slow")]


def test_duplicate_and_empty_header_names_fixed_with_warnings(tmp_path: Path) -> None:
    result, rows = ingest(tmp_path, b"a,,a, b \n1,2,3,4\n")
    assert [c.name for c in result.columns] == ["a", "column_2", "a_2", "b"]
    assert [w.column for w in result.warnings] == ["column_2", "a_2"]


def test_no_header(tmp_path: Path) -> None:
    result, rows = ingest(tmp_path, b"1,x\n2,y\n")
    assert rows == [{"column_1": 1, "column_2": "x"}, {"column_1": 2, "column_2": "y"}]


def test_invalid_byte_in_declared_encoding_names_the_line(tmp_path: Path) -> None:
    data = b"a\n" + b"x\n" * 3 + b"\x81\n"
    with pytest.raises(InvalidInput, match=r"bad.csv: line 5 is not valid cp1252"):
        ingest(tmp_path, data, name="bad.csv", encoding="cp1252")


def test_invalid_utf8_after_the_sample_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    path.write_bytes(b"a\n" + b"x\n" * 600_000 + b"\xff\xfe\n")
    with open(path, "rb") as f:
        fmt = detect_csv_format(f, source="late.csv")
        with pytest.raises(InvalidInput, match="late.csv: line 600002 is not valid UTF-8"):
            csv_to_parquet(f, str(tmp_path / "o.parquet"), fmt, source="late.csv")


def test_progress_is_reported_and_its_exception_cancels(tmp_path: Path) -> None:
    seen: list[float] = []
    data = b"a,b\n" + b"1,2\n" * 1000
    fmt = detect_csv_format(io.BytesIO(data), source="p.csv")
    csv_to_parquet(io.BytesIO(data), str(tmp_path / "o.parquet"), fmt, source="p.csv",
                   progress=lambda x, m: seen.append(x))
    assert seen == sorted(seen) and seen[-1] == 1.0

    class Cancelled(Exception):
        pass

    def cancel(fraction: float, message: str) -> None:
        if fraction > 0.3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        csv_to_parquet(io.BytesIO(data), str(tmp_path / "c.parquet"), fmt, source="p.csv",
                       progress=cancel)
    assert not (tmp_path / "c.parquet").exists()


def test_writes_through_an_fsspec_filesystem(tmp_path: Path) -> None:
    fs = fsspec.filesystem("memory")
    data = b"a;b\n1,5;x\n"
    fmt = detect_csv_format(io.BytesIO(data), source="m.csv")
    result = csv_to_parquet(io.BytesIO(data), "/ds/out.parquet", fmt, source="m.csv",
                            filesystem=fs)
    assert pq.read_table("/ds/out.parquet", filesystem=fs).to_pylist() == [{"a": 1.5, "b": "x"}]
    assert result.columns[0].dtype == "double"


def test_local_file_is_read_in_place(tmp_path: Path) -> None:
    path = tmp_path / "local.csv"
    path.write_bytes(b"a,b\n1,2\n")
    with open(path, "rb") as f:
        fmt = detect_csv_format(f, source="local.csv")
        result = csv_to_parquet(f, str(tmp_path / "o.parquet"), fmt, source="local.csv")
    assert result.rows == 1


def test_300_columns_import(tmp_path: Path) -> None:
    header = ",".join(f"x{i}" for i in range(300))
    body = "".join(",".join(str(r * 300 + i) for i in range(300)) + "\n" for r in range(500))
    result, rows = ingest(tmp_path, (header + "\n" + body).encode())
    assert len(result.columns) == 300 and result.rows == 500
    assert rows[499]["x299"] == 499 * 300 + 299


def test_a_binary_file_is_not_a_csv_naming_its_bytes(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        detect_csv_format(io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), source="img.csv")
    assert str(err.value) == ("img.csv is not a text (CSV) file: it starts with the bytes of a PNG "
                              "image (89 50 4e 47); export it as CSV first")
    with pytest.raises(InvalidInput) as err:
        detect_csv_format(io.BytesIO(b"ab\x00\x01cd\xfe\xff" * 200), source="blob.csv")
    assert str(err.value) == ("blob.csv is not a text (CSV) file: it holds bytes that text never "
                              "holds (0x00 at byte 2, 0x01 at byte 3, 0x00 at byte 10); "
                              "export it as CSV first")
    assert "encoding" not in str(err.value)


def test_a_file_wider_than_the_column_limit_is_refused_at_once_naming_the_count() -> None:
    header = ",".join(f"c{i}" for i in range(100_000)).encode()
    row = b",".join(b"1" for _ in range(100_000))
    with pytest.raises(InvalidInput) as err:
        detect_csv_format(io.BytesIO(header + b"\n" + row + b"\n" + row + b"\n"), source="wide.csv")
    assert str(err.value).startswith("wide.csv has 100,000 columns; at most 2,000 are accepted")


def test_header_of_two_lines_is_joined_into_column_names(tmp_path: Path) -> None:
    """A group row above the column names (a spreadsheet export with merged cells)."""
    data = ("Sales report\n"
            ",,Revenue,,Costs\n"
            "id,region,q1,q2,q1\n"
            + "".join(f"{i},r{i % 3},{i * 1.5},{i * 2},{i + 0.25}\n" for i in range(30))).encode()
    result, rows = ingest(tmp_path, data, name="groups.csv")
    assert (result.format.header_rows, result.format.skip_lines) == (2, 1)
    assert [c.name for c in result.columns] == ["id", "region", "Revenue q1", "Revenue q2", "Costs q1"]
    assert types(result)["Revenue q1"] == "numeric" and len(rows) == 30
    assert rows[1] == {"id": 1, "region": "r1", "Revenue q1": 1.5, "Revenue q2": 2, "Costs q1": 1.25}
    messages = [w.message for w in result.warnings]
    assert ("groups.csv: the header spans 2 lines (2 to 3); their cells were joined into the column names: "
            "'id', 'region', 'Revenue q1', 'Revenue q2', 'Costs q1'. To read only line 2 as the header: "
            "header_rows=1") in messages


def test_units_row_below_the_names_and_the_override(tmp_path: Path) -> None:
    data = ("item,price,weight\n,EUR,kg\n" + "".join(f"x{i},{i}.5,{i * 3}\n" for i in range(10))).encode()
    result, rows = ingest(tmp_path, data)
    assert [c.name for c in result.columns] == ["item", "price EUR", "weight kg"]
    assert rows[0] == {"item": "x0", "price EUR": 0.5, "weight kg": 0}
    # overridden: one header line, the units row is then a data row of text columns
    result, rows = ingest(tmp_path, data, header_rows=1)
    assert [c.name for c in result.columns] == ["item", "price", "weight"]
    assert len(rows) == 11 and result.format.header_rows == 1
    with pytest.raises(InvalidInput, match="header_rows must be 1 to 3, got 7"):
        ingest(tmp_path, data, header_rows=7)


def test_a_first_data_row_is_not_taken_for_a_second_header_line(tmp_path: Path) -> None:
    data = b"name,score,when\nalice,NA,2024-01-02\nbob,3.5,2024-01-03\ncarol,4,2024-01-04\n"
    result, rows = ingest(tmp_path, data)
    assert result.format.header_rows == 1 and len(rows) == 3
