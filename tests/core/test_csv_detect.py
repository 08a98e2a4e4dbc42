"""Format detection of messy CSV files, from bytes built here."""

from __future__ import annotations

import io

import pytest

from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.ingest import CsvFormat, CsvOptions, detect_csv_format
from dataplane_jupyter.core.ingest.detect import SAMPLE_BYTES


def detect(data: bytes, **options: object) -> CsvFormat:
    return detect_csv_format(io.BytesIO(data), CsvOptions(**options), source="t.csv")


def test_plain_comma_file() -> None:
    assert detect(b"a,b,c\n1,2.5,x\n3,4.5,y\n") == CsvFormat("utf-8", ",", ".", '"', True)


def test_european_semicolon_and_decimal_comma() -> None:
    data = "produit;prix;quantité\nthé;1.234,56;3\ncafé;3,14;4\n".encode()
    fmt = detect(data)
    assert (fmt.separator, fmt.decimal, fmt.encoding, fmt.header) == (";", ",", "utf-8", True)


@pytest.mark.parametrize("sep", ["\t", "|", ";", ","])
def test_separators(sep: str) -> None:
    rows = [["id", "name", "score"], ["1", "Ann Lee", "3.5"], ["2", "Bob", "4.0"]]
    data = "\n".join(sep.join(r) for r in rows).encode()
    assert detect(data).separator == sep


def test_commas_inside_quoted_text_do_not_fool_the_semicolon() -> None:
    data = b'id;comment\n1;"hello, world, again"\n2;"x, y"\n3;plain\n'
    assert detect(data).separator == ";"


def test_semicolon_file_whose_rows_all_hold_two_decimal_commas() -> None:
    data = b"1,5;2,5\n3,1;4,2\n5,0;6,9\n"
    fmt = detect(data)
    assert (fmt.separator, fmt.decimal, fmt.header) == (";", ",", False)


def test_quoted_newlines_and_doubled_quotes_keep_the_separator() -> None:
    data = b'a,b\n"line one\nline two","he said ""hi"", then left"\n2,"x"\n'
    assert detect(data) == CsvFormat("utf-8", ",", ".", '"', True)


def test_single_quote_as_quote_character() -> None:
    data = b"a,b\n'x, y',1\n'z, w',2\n'u, v',3\n"
    fmt = detect(data)
    assert (fmt.quotechar, fmt.separator) == ("'", ",")


def test_header_absent_when_first_row_is_numbers() -> None:
    assert detect(b"1,2,3\n4,5,6\n7,8,9\n").header is False


def test_header_present_over_numbers() -> None:
    assert detect(b"x,y\n1,2\n3,4\n").header is True


def test_utf8_bom() -> None:
    assert detect(b"\xef\xbb\xbfa;b\n1;2\n").encoding == "utf-8-sig"


def test_latin1_french_is_read_as_cp1252() -> None:
    data = "nom;ville;prix\nJosé;Besançon;3,5\nRenée;Orléans;4,2\nFrançois;Zürich;1,0\n"
    assert detect(data.encode("latin-1")).encoding == "cp1252"


def test_utf16_with_bom() -> None:
    fmt = detect("a\tb\n1\té\n".encode("utf-16"))
    assert (fmt.encoding, fmt.separator) == ("utf-16", "\t")


def test_utf16_without_bom() -> None:
    assert detect("a,b\n1,2\n".encode("utf-16-le")).encoding == "utf-16-le"


def test_overrides_win() -> None:
    fmt = detect(b"a;b\n1,5;2\n", separator=",", decimal=".", header=False, encoding="latin-1")
    assert fmt == CsvFormat("iso8859-1", ",", ".", '"', False)


def test_unknown_encoding_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput, match="unknown encoding 'klingon'"):
        detect(b"a,b\n1,2\n", encoding="klingon")


def test_wrong_encoding_override_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput, match="t.csv: line 2 is not valid utf-8"):
        detect("a\né\n".encode("latin-1"), encoding="utf-8")


def test_empty_file_is_refused() -> None:
    with pytest.raises(InvalidInput, match="t.csv is empty"):
        detect(b"")
    with pytest.raises(InvalidInput, match="t.csv is empty"):
        detect(b"\n\n  \n")


def test_decimal_equal_to_separator_is_refused() -> None:
    with pytest.raises(InvalidInput, match="both ','"):
        detect(b"a,b\n1,2\n", decimal=",")


class CountingReader(io.BytesIO):
    """Records how many bytes detection asked for."""

    requested = 0

    def read(self, size: int | None = -1) -> bytes:
        self.requested += size if size and size > 0 else 10**12
        return super().read(size)


def test_detection_reads_a_bounded_sample_and_rewinds() -> None:
    big = b"a,b\n" + b"1,2\n" * 1_000_000
    f = CountingReader(big)
    detect_csv_format(f, source="big.csv")
    assert f.requested <= SAMPLE_BYTES + 1
    assert f.tell() == 0
