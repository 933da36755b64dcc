"""Format and encoding sniffing: right decodes, no silent mojibake, linear time."""

from __future__ import annotations

import codecs
import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planextract.ingest.errors import IngestError
from planextract.ingest.sniff import MIN_PLAUSIBILITY, decode_text, plausibility, sniff_format

SIMPLIFIED = "关于推进制造业高质量发展的若干意见。到2025年，工业总产值突破1000亿元，规上企业超过500家（责任单位：县经信局）。"
TRADITIONAL = "本計畫旨在推動數位轉型，提升產業競爭力。預計至二零三零年，整體產值成長百分之十五，就業人數增加兩萬人。"


def _error(data: bytes) -> IngestError:
    with pytest.raises(IngestError) as err:
        decode_text(data)
    return err.value


# --------------------------------------------------------------------------
# sniff_format
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "suffix", "fmt"),
    [
        (b"%PDF-1.7\n...", ".txt", "pdf"),
        (b"\r\n\r\n%PDF-1.4\n", ".docx", "pdf"),  # junk before the header is allowed
        (b"PK\x03\x04rest", ".txt", "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, ".docx", "doc"),
        (b"{\\rtf1\\ansi", ".doc", "rtf"),
        (b"<!DOCTYPE html><html>", ".txt", "html"),
        (b"\xef\xbb\xbf  <HTML><body>", ".txt", "html"),
        ("<html><body>中文</body></html>".encode("utf-16"), ".txt", "html"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">', ".txt", "html"),
        (b'<?xml version="1.0"?><root/>', ".txt", "text"),  # XML that is no page
        ("<关于>某事的通知".encode(), ".txt", "text"),
        ("正文".encode(), ".html", "html"),
        ("正文".encode(), ".TXT", "text"),
        ("正文".encode(), "", "text"),
    ],
)
def test_sniff_format(data: bytes, suffix: str, fmt: str) -> None:
    assert sniff_format(data, suffix) == fmt


# --------------------------------------------------------------------------
# decode_text: the right encoding
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom", "reported"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8"),
        ("gbk", b"", "gbk"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32"),
        ("gb18030", b"\x84\x31\x95\x33", "gb18030"),
    ],
)
def test_simplified_text_in_each_encoding(encoding: str, bom: bytes, reported: str) -> None:
    text = SIMPLIFIED * 3 + "\n第二行\n"
    assert decode_text(bom + text.encode(encoding)) == (text, reported)


def test_gb18030_only_characters_are_reported_as_gb18030() -> None:
    text = SIMPLIFIED + "㐀䶵𠀀"  # CJK extension A/B: four-byte GB18030
    assert decode_text(text.encode("gb18030")) == (text, "gb18030")


def test_big5_is_read_as_big5_and_gbk_as_gbk() -> None:
    assert decode_text(TRADITIONAL.encode("big5")) == (TRADITIONAL, "big5")
    assert decode_text(SIMPLIFIED.encode("gbk")) == (SIMPLIFIED, "gbk")
    # Short texts too: a GBK pair that Big5 also decodes is read as GBK.
    assert decode_text("经济".encode("gbk")) == ("经济", "gbk")
    assert decode_text("經濟發展".encode("big5")) == ("經濟發展", "big5")


def test_wrong_readings_score_low() -> None:
    assert plausibility(SIMPLIFIED) == 1.0 and plausibility(TRADITIONAL) == 1.0
    assert plausibility(TRADITIONAL.encode("big5").decode("gb18030", "replace")) < 0.5
    assert plausibility(SIMPLIFIED.encode("utf-8").decode("gb18030", "replace")) < 0.5
    assert plausibility("abc") == 1.0
    assert plausibility("\x01\x02中") < MIN_PLAUSIBILITY


def test_corpus_texts_round_trip_through_legacy_encodings(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for enc in ("gb18030", "utf-16-le", "utf-16-be"):
            data = text.encode(enc)
            decoded, found = decode_text(data)
            assert decoded == text, (path.name, enc)
            assert found in {enc, "gbk"}


def test_utf8_cut_inside_its_last_character_is_still_utf8() -> None:
    data = SIMPLIFIED.encode() + "中".encode()[:2]
    assert decode_text(data) == (SIMPLIFIED, "utf-8")


def test_utf8_with_one_broken_byte_is_utf8() -> None:
    data = (SIMPLIFIED * 50).encode()
    damaged = data[:300] + b"\xff" + data[300:]
    text, enc = decode_text(damaged)
    assert enc == "utf-8" and 1 <= text.count("\ufffd") <= 4
    assert text.endswith(SIMPLIFIED * 10)


def test_stray_nul_bytes_are_dropped() -> None:
    assert decode_text("正文\x00第一段。\x00".encode()) == ("正文第一段。", "utf-8")
    padded = SIMPLIFIED.encode("gbk") + b"\x00" * 4096  # zero-filled tail of a bad copy
    assert decode_text(padded) == (SIMPLIFIED, "gbk")


# --------------------------------------------------------------------------
# decode_text: refusing what is not text
# --------------------------------------------------------------------------


def test_empty_and_blank_files() -> None:
    for data in (b"", b" \r\n\t", b"\x00\x00\x00"):
        assert _error(data).error_type == "empty_file"


def test_binary_junk_is_not_text() -> None:
    err = _error(random.Random(1).randbytes(5000))
    assert err.error_type == "binary_file"
    assert err.message.startswith("not text: ")


def test_known_binary_formats_are_named() -> None:
    png = b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(500)
    err = _error(png)
    assert err.error_type == "binary_file" and "PNG" in err.message
    assert "DS_Store" in _error(b"\x00\x00\x00\x01Bud1" + b"\x00" * 100).message


def test_high_byte_noise_is_undecodable_not_mojibake() -> None:
    rng = random.Random(3)
    noise = bytes(rng.randrange(0x81, 0xFF) if i % 9 else 0x20 for i in range(4000))
    assert _error(noise).error_type == "undecodable_text"


def test_mixed_utf8_and_gbk_is_refused() -> None:
    text = SIMPLIFIED * 5
    assert _error(text.encode("utf-8") + text.encode("gbk")).error_type == "undecodable_text"
    assert _error(text.encode("gbk") + text.encode("utf-8")).error_type == "undecodable_text"


def test_bom_that_lies_is_refused() -> None:
    assert _error(codecs.BOM_UTF8 + SIMPLIFIED.encode("gbk")).error_type == "undecodable_text"


def test_other_languages_still_decode() -> None:
    french = "Le plan régional prévoit une hausse de 5 % du PIB d'ici à 2025, à Besançon et Orléans. " * 5
    text, enc = decode_text(french.encode("cp1252"))
    # A Latin code page (charset-normalizer may pick a neighbour of cp1252).
    assert len(text) == len(french) and "Le plan r" in text and "gb" not in enc


# --------------------------------------------------------------------------
# Size: linear time
# --------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "big5", "utf-16-le"])
def test_five_megabyte_single_line_is_fast(encoding: str) -> None:
    base = SIMPLIFIED if encoding != "big5" else TRADITIONAL
    line = (base * (5_000_000 // (len(base.encode(encoding)))))
    data = line.encode(encoding)
    started = time.monotonic()
    text, _ = decode_text(data)
    assert time.monotonic() - started < 5
    assert text == line


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_any_bytes_decode_or_raise_ingest_error(data: bytes) -> None:
    try:
        text, enc = decode_text(data)
    except IngestError as err:
        assert err.error_type in {"empty_file", "binary_file", "undecodable_text"}
        return
    assert isinstance(text, str) and codecs.lookup(enc)


_HAN = st.sampled_from(list(SIMPLIFIED.replace("（", "").replace("）", "")) + list("，。、：；经济社会发展规划目标任务"))


@settings(max_examples=200, deadline=None)
@given(st.lists(_HAN, min_size=12, max_size=400).map("".join), st.sampled_from(["utf-8", "gbk", "gb18030", "utf-16"]))
def test_chinese_text_round_trips(text: str, encoding: str) -> None:
    decoded, _ = decode_text(text.encode(encoding))
    assert decoded == text


def _plausibility_by_hand(text: str) -> float:
    """The definition, one character at a time (plausibility() counts the same by deleting runs)."""
    from planextract.ingest import sniff

    good = bad = 0
    for ch in sniff._sample(text):
        if ch < "\x80":
            bad += ch < " " and ch not in "\t\n\r\f\x1b"
        elif ch in sniff._common_chars() or any(a <= ch <= b for a, b in _SYMBOL_RANGES):
            good += 1
        else:
            bad += 1
    return good / (good + bad) if good + bad else 1.0


def _symbol_ranges() -> list[tuple[str, str]]:
    from planextract.ingest import sniff

    spec, out, i = sniff._ORDINARY_SYMBOLS, [], 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.append((spec[i], spec[i + 2]))
            i += 3
        else:
            out.append((spec[i], spec[i]))
            i += 1
    return out


_SYMBOL_RANGES = _symbol_ranges()


@given(st.text(max_size=200) | st.text(alphabet="的一是了我不在人，。（）①ΩЖ\x00\x07\ue000ｱ가", max_size=200))
def test_plausibility_counts_like_its_definition(text: str) -> None:
    assert plausibility(text) == pytest.approx(_plausibility_by_hand(text))
