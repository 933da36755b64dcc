"""Format and encoding detection: what a file is, whatever its name says.

Decoding never accepts mojibake silently. UTF-8 is strict and almost never
fits bytes of another encoding by chance; GB18030 and Big5 on the other hand
decode nearly any byte string, so every non-UTF-8 reading is scored for
plausibility (the share of its non-ASCII characters that are common Chinese
characters or ordinary punctuation) and the best reading must clear a bar.
All work is linear in the file size: strict decodes in C, scores on a sample.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from charset_normalizer import from_bytes

from planextract.ingest.errors import IngestError

# Longest BOM first: UTF-32-LE's BOM starts with UTF-16-LE's.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    (b"\x84\x31\x95\x33", "gb18030", "gb18030"),
]
# Signatures of binary formats people misname as text, for a clear message.
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"\x00\x00\x00\x01Bud1", "a macOS .DS_Store file"),
    (b"SQLite format 3\x00", "an SQLite database"),
]
# Sample sizes: bytes examined for control characters, characters scored.
_SAMPLE_BYTES = 1 << 16
_SAMPLE_CHARS = 1 << 15
# A reading is plausible when at least this share of its non-ASCII
# characters are common. Real text scores above 0.95; GBK read as Big5 or
# the reverse scores about 0.5, random bytes far less.
MIN_PLAUSIBILITY = 0.8
# Control bytes (other than tab, newline, form feed, carriage return, escape)
# never occur in text in an ASCII-compatible encoding; a few stray ones may.
_MAX_CONTROL_SHARE = 0.01
_MAX_CONTROLS = 4
_MAX_NUL_SHARE = 0.1
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_LEGACY = ["gb18030", "big5hkscs"]
# Without a BOM: UTF-32 text is 3/4 NULs (ASCII) or 1/2 (CJK), UTF-16 text up to 1/2.
# A UTF-32 reading is tried first: read as UTF-16 it is full of U+0000 and scores low.
_WIDE = ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"]


def sniff_format(data: bytes, suffix: str) -> str:
    """The format a file really is: pdf, docx, doc, rtf, html, text, or the suffix's guess."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:  # the spec allows junk before the header
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"  # a zip; the docx reader checks it holds word/document.xml
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if _looks_like_html(head):
        return "html"
    return {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".html": "html", ".htm": "html"}.get(
        suffix.lower(), "text"
    )


def _looks_like_html(head: bytes) -> bool:
    for bom, enc, _ in _BOMS:
        if head.startswith(bom) and enc.startswith("utf-16"):
            head = head[len(bom) :].decode(enc, "ignore").encode("ascii", "ignore")
            break
    low = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta")):
        return True
    if low.startswith(b"<?xml") and b"<html" in low:
        return True  # XHTML; plain XML is not a page
    return b"<html" in low[:1024] and b"</" in low


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding) or raises IngestError.

    NUL bytes in an otherwise ASCII-compatible text (padding, a stray byte)
    are dropped; a file with many control bytes is binary, not text.
    """
    if not data.strip(b" \t\r\n\x00"):
        raise IngestError("empty_file", "empty file: no text in it")
    for bom, enc, name in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], enc), name
    if _too_many_controls(data[:_SAMPLE_BYTES].rstrip(b"\x00")):
        # UTF-16 or UTF-32 without a BOM has NULs or control bytes in many of its bytes.
        found = _best_reading(data, _WIDE)
        if found is not None:
            return found
        raise IngestError("binary_file", f"not text: the file is {_binary_kind(data)}")
    clean = data.replace(b"\x00", b"") if b"\x00" in data else data
    try:
        return clean.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # cut short inside the last character
            try:
                return clean[: exc.start].decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
    found = _best_reading(clean, _LEGACY) or _best_reading(data, _WIDE)
    if found is not None:
        return found
    text = _damaged_utf8(clean)
    if text is not None:
        return text, "utf-8"
    return _line_by_line(clean) or _fallback(clean)


MIXED = "+"  # in an encoding's name: lines in two encodings ("utf-8+gbk")


def mixed_warning(encoding: str | None) -> str | None:
    """The document warning for a text decoded line by line, or None."""
    if not encoding or MIXED not in encoding:
        return None
    first, second = encoding.split(MIXED, 1)
    return f"the file mixes {first.upper()} and {second.upper()} lines: each line was decoded on its own"


def _line_by_line(data: bytes) -> tuple[str, str] | None:
    """A file pasted together from UTF-8 and GBK (or GB18030) parts: each line decoded on its own.

    Taken only when every line is strict UTF-8 or strict GB18030, both
    kinds occur, and the GB18030 lines read plausibly.
    """
    lines = data.split(b"\n")
    out: list[str] = []
    legacy: list[bytes] = []
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            out.append(line.decode("gb18030"))
        except UnicodeDecodeError:
            return None
        legacy.append(line)
    if not legacy or len(legacy) == len(lines):
        return None
    joined = b"\n".join(legacy)
    if plausibility(joined.decode("gb18030")) < MIN_PLAUSIBILITY:
        return None
    return "\n".join(out), f"utf-8{MIXED}{common_name(joined, 'gb18030')}"


def _binary_kind(data: bytes) -> str:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return "binary data (control bytes)"


def _decode_with_bom(body: bytes, enc: str) -> str:
    try:
        return body.decode(enc)
    except UnicodeDecodeError as exc:
        # A file cut short in its last character is still that text.
        if exc.reason in ("unexpected end of data", "truncated data"):
            return body[: exc.start].decode(enc, "replace")
        raise IngestError(
            "undecodable_text", f"cannot decode text: it starts with a {enc} mark but is not {enc}"
        ) from None


def _too_many_controls(sample: bytes) -> bool:
    """Binary data, or UTF-16: control bytes, or NULs in a tenth of the bytes.

    Stray NULs (a damaged copy, padding) are tolerated; they are dropped."""
    nuls = sample.count(0)
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES)) - nuls
    return controls > max(_MAX_CONTROLS, _MAX_CONTROL_SHARE * len(sample)) or nuls > _MAX_NUL_SHARE * len(sample)


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a rare broken byte is still UTF-8 (the byte becomes U+FFFD)."""
    text = data.decode("utf-8", "replace")
    # Bytes of another encoding break UTF-8 nearly every character; a handful
    # of broken bytes in a long text is a damaged UTF-8 file.
    if text.count("\ufffd") <= max(4, len(text) // 1000):
        return text
    return None


def _best_reading(data: bytes, encodings: list[str]) -> tuple[str, str] | None:
    """The most plausible strict decode among `encodings`, or None."""
    best: tuple[float, str, str] | None = None
    for enc in encodings:
        width = 4 if enc.startswith("utf-32") else 2 if enc.startswith("utf-16") else 1
        body = data[: len(data) - len(data) % width]
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if best is None or score > best[0]:  # ties keep the earlier, likelier one
            best = (score, text, enc)
    if best is None or best[0] < MIN_PLAUSIBILITY:
        return None
    score, text, enc = best
    return text, common_name(data, enc)


def common_name(data: bytes, enc: str) -> str:
    """Report the common name (gbk, big5) when the bytes fit it."""
    narrower = {"gb18030": "gbk", "big5hkscs": "big5"}.get(enc)
    if narrower:
        try:
            data.decode(narrower)
            return narrower
        except UnicodeDecodeError:
            pass
    return enc


def _is_chinese_codec(name: str) -> bool:
    name = codecs.lookup(name).name
    return name.startswith(("gb", "big5", "cp950", "hz", "utf-16", "utf-32", "cp936"))


def _fallback(data: bytes) -> tuple[str, str]:
    """Other encodings (Latin, Japanese, ...): charset-normalizer, if it is confident."""
    best = from_bytes(data[: 1 << 20]).best()
    # The Chinese encodings were scored above and found implausible.
    if best is not None and best.encoding and best.chaos <= 0.1 and not _is_chinese_codec(best.encoding):
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and _printable_share(text) >= 0.95:
            return text, best.encoding
    raise IngestError(
        "undecodable_text",
        "cannot decode text: no known encoding (UTF-8, GBK/GB18030, Big5, UTF-16, UTF-32) reads it as plain text",
    )


# --------------------------------------------------------------------------
# Plausibility
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """The most used Chinese characters: GB2312 level 1 and Big5 level 1.

    Together about 6,800 characters that make up over 99% of running text in
    either script; mojibake lands mostly outside them.
    """
    chars: set[str] = set()
    _add_range(chars, "gb2312", range(0xB0, 0xD8), [*range(0xA1, 0xFF)])
    _add_range(chars, "big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    return frozenset(chars)


def _add_range(chars: set[str], enc: str, leads: range, trails: list[int]) -> None:
    for hi in leads:
        for lo in trails:
            try:
                chars.add(bytes((hi, lo)).decode(enc))
            except UnicodeDecodeError:
                continue


# Punctuation, full-width forms and symbols that documents really use.
_ORDINARY_SYMBOLS = (
    "\u3000-\u303f"  # CJK punctuation: 、。「」【】
    "\uff01-\uff5e"  # full-width ASCII: ，（）：；０-９
    "\u2010-\u2027"  # dashes, quotes, ellipsis
    "\u2460-\u24ff"  # ①
    "\u2160-\u217f"  # Ⅰ
    "\u00a0\u00b0\u00b1\u00b7\u00d7\u00f7\u2030\u2103\u2116\u2236\u2264\u2265"
    "\u25a0-\u25ff"  # ■□▲●○
    "\u2605"
    "\u338e-\u33d5"  # ㎡ ㎞ ㎏
)


@lru_cache(maxsize=1)
def _plausibility_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Runs of harmless ASCII; runs of common Chinese characters and ordinary symbols.

    The standard library's re, whose compiled character sets are bitmaps: with
    7,000 members they match in constant time, where `regex` slows down.
    """
    ascii_ok = re.compile(r"[\t\n\r\f\x1b\x20-\x7f]+")
    common = "".join(sorted(_common_chars()))
    good = re.compile(f"[{re.escape(common)}{_ORDINARY_SYMBOLS}]+")
    return ascii_ok, good


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters of a sample that text really uses.

    Counts common Chinese characters and ordinary symbols as good; rare
    characters, private-use code points, control characters, kana, Hangul
    and replacement characters as bad. Text that is all ASCII scores 1.0
    unless it holds control characters.
    """
    ascii_ok, good = _plausibility_patterns()
    # Counted by deleting runs of each class (C loops) rather than per character.
    rest = ascii_ok.sub("", _sample(text))  # non-ASCII characters and stray control characters
    bad = len(good.sub("", rest))
    n_good = len(rest) - bad
    return n_good / (n_good + bad) if rest else 1.0


def _sample(text: str) -> str:
    if len(text) <= _SAMPLE_CHARS:
        return text
    half = _SAMPLE_CHARS // 2
    mid = len(text) // 2
    return text[:half] + text[mid : mid + half]


def _printable_share(text: str) -> float:
    sample = _sample(text)
    if not sample:
        return 1.0
    # isprintable() is False for controls, private-use and unassigned code points.
    return sum(1 for ch in sample if ch.isprintable() or ch in "\t\n\r\f") / len(sample)
