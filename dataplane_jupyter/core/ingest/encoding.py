"""Text encoding: detection from a bounded sample, and streaming transcoding to UTF-8.

Rules, in order:

1. a byte-order mark decides (UTF-8 with BOM, UTF-16 LE/BE, UTF-32 LE/BE);
2. NUL bytes on every other position mean UTF-16 without a BOM;
3. a sample that decodes as UTF-8 is UTF-8 (the common case, and what the spec asks for);
4. otherwise ``charset-normalizer`` proposes an encoding; for the Latin family its guess is
   compared with cp1252 and the one decoding more of the non-ASCII bytes into letters wins
   (short French or German samples are otherwise often taken for cp1250);
5. nothing fits: the import is refused, asking for ``encoding=``.
"""

from __future__ import annotations

import codecs
from typing import BinaryIO

from dataplane_jupyter.core.errors import InvalidInput, option_hint
from dataplane_jupyter.core.ingest.model import Progress

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, UTF8_BOM),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LATIN_FAMILY = {"cp1250", "cp1252", "latin_1", "iso8859_15", "iso8859_2", "mac_roman",
                 "cp1257", "iso8859_9", "cp1254", "cp850", "cp437", "mac_latin2"}
CHUNK_BYTES = 1 << 20


def normalise_encoding(name: str, *, source: str) -> str:
    """Return Python's canonical name for ``name`` or refuse an unknown encoding."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InvalidInput(f"{source}: unknown encoding {name!r}", field="encoding") from None


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx is one)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.xls/.doc)"), (b"PAR1", "a Parquet file"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program (ELF)"), (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"), (b"\x93NUMPY", "a NumPy .npy array"),
)
#: Bytes that text never holds (all C0 controls but tab, line ends, form feed, escape).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def refuse_binary(sample: bytes, *, source: str) -> None:
    """Refuse a file that is not text, naming the bytes that give it away."""
    for magic, what in _SIGNATURES:
        if sample.startswith(magic):
            raise InvalidInput(
                f"{source} is not a text (CSV) file: it starts with the bytes of {what} "
                f"({_hex(sample[:len(magic)])}); export it as CSV first", field="source")
    head = sample[:65_536]
    found = [(i, b) for i, b in enumerate(head) if b in _CONTROL][:3]
    controls = sum(head.count(bytes([c])) for c in _CONTROL) if found else 0
    if found and (head.count(0) or controls > max(2, len(head) // 1000)):
        where = ", ".join(f"0x{b:02x} at byte {i:,}" for i, b in found)
        raise InvalidInput(f"{source} is not a text (CSV) file: it holds bytes that text never "
                           f"holds ({where}); export it as CSV first", field="source")


def _hex(data: bytes) -> str:
    return " ".join(f"{b:02x}" for b in data)


def detect_encoding(sample: bytes, *, truncated: bool, source: str) -> str:
    """Guess the encoding of a file from its first bytes (see the module rules)."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    refuse_binary(sample, source=source)
    if decodes(sample, UTF8, truncated=truncated):
        return UTF8
    guess = _charset_normalizer_guess(sample)
    if guess is None:
        raise InvalidInput(
            f"{source}: the text encoding could not be recognised (it is not UTF-8); "
            "save the file as UTF-8 or give the encoding, e.g. " + option_hint("encoding", "cp1252"),
            field="encoding",
        )
    return _prefer_western(sample, guess, truncated=truncated)


def check_encoding(sample: bytes, encoding: str, *, truncated: bool, source: str) -> str:
    """Validate a user-given encoding against the sample; UTF-8 with a BOM becomes utf-8-sig."""
    name = normalise_encoding(encoding, source=source)
    if name == UTF8 and sample.startswith(codecs.BOM_UTF8):
        name = UTF8_BOM
    decoder = codecs.getincrementaldecoder(name)(errors="strict")
    _decode_chunk(decoder, sample, name, source=source, lines_before=0, final=not truncated)
    return name


def decodes(sample: bytes, encoding: str, *, truncated: bool) -> bool:
    """True when ``sample`` is valid ``encoding`` (a cut multi-byte tail is allowed if truncated)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(sample, final=not truncated)
    except UnicodeDecodeError:
        return False
    return True


def decode_sample(sample: bytes, encoding: str, *, truncated: bool) -> str:
    """Decode the sample, dropping a BOM and an incomplete trailing character."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(
        sample, final=not truncated
    )
    return text.lstrip("\ufeff")


def _utf16_without_bom(sample: bytes) -> str | None:
    head = sample[:4096]
    if len(head) < 4 or head.count(0) < len(head) // 4:
        return None
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    return "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"


def _charset_normalizer_guess(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(sample[: 256 * 1024]).best()
    if best is None:
        return None
    return codecs.lookup(best.encoding).name


def _prefer_western(sample: bytes, guess: str, *, truncated: bool) -> str:
    names = {codecs.lookup(n).name for n in _LATIN_FAMILY}
    if guess not in names:
        return guess
    candidates = [n for n in ("cp1252", guess, "latin-1") if decodes(sample, n, truncated=truncated)]
    scored = [(_letter_score(sample, n), -i, n) for i, n in enumerate(candidates)]
    return codecs.lookup(max(scored)[2]).name


def _letter_score(sample: bytes, encoding: str) -> int:
    high = bytes(sorted({b for b in sample if b >= 0x80}))
    text = high.decode(encoding, errors="replace")
    return sum(ch.isalpha() for ch in text)


def transcode_to_utf8(
    src: BinaryIO,
    dest: BinaryIO,
    encoding: str,
    *,
    source: str,
    progress: Progress,
    total_bytes: int | None,
    share: tuple[float, float],
) -> int:
    """Stream ``src`` (in ``encoding``) into ``dest`` as UTF-8, chunk by chunk.

    Returns the number of bytes read. A byte that is invalid in ``encoding`` refuses the file
    with the line where it occurs. Plain UTF-8 is copied without decoding (the CSV reader
    validates it).
    """
    decoder = None if encoding == UTF8 else codecs.getincrementaldecoder(encoding)("strict")
    done, lines, first = 0, 0, True
    while chunk := src.read(CHUNK_BYTES):
        if decoder is None:
            dest.write(chunk)
        else:
            text = _decode_chunk(decoder, chunk, encoding, source=source, lines_before=lines)
            if first:
                text, first = text.lstrip("\ufeff"), False
            lines += text.count("\n")
            dest.write(text.encode(UTF8))
        done += len(chunk)
        _report(progress, done, total_bytes, share, source)
    if decoder is not None:
        dest.write(_decode_chunk(decoder, b"", encoding, source=source, lines_before=lines,
                                 final=True).encode(UTF8))
    return done


def _decode_chunk(decoder: codecs.IncrementalDecoder, chunk: bytes, encoding: str, *,
                  source: str, lines_before: int, final: bool = False) -> str:
    try:
        return decoder.decode(chunk, final=final)
    except UnicodeDecodeError as exc:
        line = lines_before + chunk[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise InvalidInput(
            f"{source}: line {line} is not valid {encoding} (byte {chunk[exc.start:exc.start + 1]!r}); "
            "give the right encoding, e.g. " + option_hint("encoding", "cp1252"),
            field="encoding",
        ) from None


def _report(progress: Progress, done: int, total: int | None, share: tuple[float, float],
            source: str) -> None:
    lo, hi = share
    fraction = lo + (hi - lo) * min(done / total, 1.0) if total else lo
    progress(fraction, f"copying {source} ({done / 1e6:.0f} MB read)")
