"""Issue 12, points 7 and 13: a .docx costs bounded memory, and no XML part is parsed with a DTD.

The memory test reads each hostile file in a fresh process and reports
that process's peak RSS (printed, and as a test property): it must stay
under 500 MB whatever the file claims or holds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import badfiles
import hostile
from planextract.ingest import ingest_bytes
from planextract.ingest.docx import parse_part
from planextract.ingest.errors import IngestError

TESTS = Path(__file__).resolve().parent
MAX_RSS_MB = 500

# name -> (the file's bytes, the error_type it gets, or None: it is read)
CASES: dict[str, tuple[Callable[[], bytes], str | None]] = {
    "part-claims-3KB-inflates-1GB": (hostile.lying_docx, "corrupt_docx"),
    "declared-600MB-bomb": (badfiles.zip_bomb, "zip_bomb"),
    "billion-laughs": (badfiles.entity_docx, "unsafe_xml"),
    "doctype-after-8KB-padding": (hostile.late_doctype_docx, "unsafe_xml"),
    "doctype-in-utf16-part": (hostile.utf16_doctype_docx, "unsafe_xml"),
    "external-entity": (hostile.external_entity_docx, "unsafe_xml"),
    "ordinary": (badfiles.docx_bytes, None),
}

_CHILD = """
import json, resource, sys
sys.path.insert(0, sys.argv[1])
import badfiles, hostile
from planextract.ingest import ingest_bytes
from planextract.ingest.errors import IngestError
data = getattr({"hostile": hostile, "badfiles": badfiles}[sys.argv[2]], sys.argv[3])()
try:
    ingest_bytes(data, "x.docx", ".docx")
    kind = None
except IngestError as exc:
    kind = exc.error_type
del data
# VmHWM, this process's own peak: getrusage's ru_maxrss survives exec, so a child started from a
# big pytest process (one that has run OCR, say) would report its parent's peak.
hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM:")]
peak_kb = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"error_type": kind, "rss_mb": peak_kb / 1024}))
"""


@pytest.mark.parametrize("name", list(CASES))
def test_peak_memory_of_reading_a_hostile_docx_is_bounded(name: str, record_property: Callable) -> None:
    make, expected = CASES[name]
    module = "hostile" if make.__module__ == "hostile" else "badfiles"
    done = subprocess.run([sys.executable, "-c", _CHILD, str(TESTS), module, make.__name__],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    record_property("peak_rss_mb", round(found["rss_mb"], 1))
    print(f"{name}: peak RSS {found['rss_mb']:.0f} MB, {found['error_type'] or 'read'}")
    assert found["error_type"] == expected
    # The process includes the making of the file (about 1 MB packed) and Python with planextract loaded.
    assert found["rss_mb"] < MAX_RSS_MB, f"{name}: peak RSS {found['rss_mb']:.0f} MB"


@pytest.mark.parametrize("make", [badfiles.entity_docx, hostile.late_doctype_docx, hostile.utf16_doctype_docx,
                                  hostile.external_entity_docx], ids=lambda f: f.__name__)
def test_a_dtd_anywhere_in_the_prolog_is_refused_and_the_message_says_so(make: Callable[[], bytes]) -> None:
    with pytest.raises(IngestError) as err:
        ingest_bytes(make(), "x.docx", ".docx")
    assert err.value.error_type == "unsafe_xml"
    assert "word/document.xml" in err.value.message and "DTD" in err.value.message


@pytest.mark.parametrize("part", ["[Content_Types].xml", "_rels/.rels"])
def test_a_dtd_in_the_package_parts_is_refused_too(part: str) -> None:
    members = dict([("[Content_Types].xml", badfiles._CONTENT_TYPES), ("_rels/.rels", badfiles._RELS),
                    ("word/document.xml", hostile.document_xml(["正文"]))])
    members[part] = members[part].replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e "e">]>', 1)
    with pytest.raises(IngestError) as err:
        ingest_bytes(badfiles.zip_members(list(members.items())), "x.docx", ".docx")
    assert err.value.error_type == "unsafe_xml" and part in err.value.message


def test_parse_part_reads_ordinary_xml_in_any_encoding() -> None:
    xml = '<?xml version="1.0" encoding="UTF-16"?><r><t>到2025年</t></r>'.encode("utf-16")
    assert parse_part(xml, "x.xml").findtext("t") == "到2025年"
