"""Issue 12, points 10 and 14: text in encodings without a mark, mixed encodings, invisible-only files;
`inspect` on a bad file prints the reason a build records."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import badfiles
import hostile
from _load_helpers import fixed_code_fingerprint  # noqa: F401 (autouse: pins the cache key)
from planextract import api
from planextract.cli import app
from planextract.ingest import ingest_bytes
from planextract.ingest.errors import IngestError
from planextract.ingest.sniff import decode_text

# Characters any Chinese text is made of (a text of rare ones is rightly found implausible).
_COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根论运农指"
ASCII = "Plan for 2025: reach 300 units.\nA second line of plain text.\n"


@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [hostile.PLAN, ASCII], ids=["chinese", "ascii"])
def test_wide_encodings_without_a_bom_are_decoded(encoding: str, text: str) -> None:
    assert decode_text(text.encode(encoding)) == (text, encoding)
    doc = ingest_bytes(text.encode(encoding), "plan.txt", ".txt")
    assert doc.encoding == encoding and doc.text.startswith(text.splitlines()[0])


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=_COMMON + "，。、；：0123456789%\n", min_size=20, max_size=200),
       st.sampled_from(["utf-32-le", "utf-32-be"]))
def test_any_chinese_text_in_utf32_without_a_bom_reads_back(text: str, encoding: str) -> None:
    decoded, found = decode_text(text.encode(encoding))
    assert (decoded, found) == (text, encoding)


def test_a_file_of_utf8_and_gbk_lines_is_decoded_line_by_line_with_a_warning() -> None:
    lines = ["某县推进产业发展实施方案", "一、发展目标", "到2025年，全县规模以上工业增加值达到300亿元。", "二、保障措施"]
    doc = ingest_bytes(hostile.mixed_utf8_gbk(lines), "mixed.txt", ".txt")
    assert doc.text.split("\n")[:4] == lines
    assert doc.encoding == "utf-8+gbk"
    assert any("UTF-8 and GBK" in w for w in doc.warnings)


def test_a_utf8_file_with_one_broken_byte_is_still_utf8() -> None:
    data = (hostile.PLAN * 20).encode("utf-8")
    data = data[:100] + b"\xff" + data[101:]
    assert decode_text(data)[1] == "utf-8"


def test_a_file_of_only_invisible_characters_is_no_text() -> None:
    with pytest.raises(IngestError) as err:
        ingest_bytes(hostile.invisible_only(), "blank.txt", ".txt")
    assert err.value.error_type == "no_text"


# --------------------------------------------------------------------------
# 14. inspect says what build records
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data"), [
    ("corrupt.docx", badfiles.docx_bytes()[:400]),
    ("empty.txt", b""),
    ("blank.txt", hostile.invisible_only()),
    ("old.doc", badfiles.ole_bytes()),
    ("scanned.pdf", badfiles.scanned_pdf()),
    ("bomb.docx", badfiles.entity_docx()),
    ("binary.txt", badfiles.junk(5000)),
])
def test_inspect_prints_the_reason_build_records_and_exits_1(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(data)
    result = CliRunner().invoke(app, ["inspect", str(tmp_path / "in" / name)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    api.build(tmp_path / "in", tmp_path / "out", workers=1)
    (row,) = api.run_query(tmp_path / "out", "SELECT path, error_type, message FROM errors").to_pylist()
    assert result.output.strip().splitlines() == [f"{row['path']}: {row['error_type']}: {row['message']}"]


def test_inspect_of_a_pipe_is_an_error_not_a_hang(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    result = CliRunner().invoke(app, ["inspect", str(tmp_path / "pipe.txt")])
    assert result.exit_code == 1 and "not_regular_file" in result.output
