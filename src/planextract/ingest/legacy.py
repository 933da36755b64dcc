"""Legacy Word files (.doc, and .wps files that are OLE Word) -> .docx bytes, with LibreOffice.

`soffice --headless --convert-to docx` runs in a temporary folder of its own
(input, output and a fresh LibreOffice profile, so parallel workers never
share one), with a time limit (the whole process group is killed when it
runs over) and bounded sizes in and out. The .docx it writes is then read by
the ordinary .docx reader. Without ``soffice`` on the PATH the file is an
errors row that says how to install LibreOffice.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from planextract.ingest.errors import IngestError

TIMEOUT = 60.0  # seconds; below the build's default time limit per file, so the reason is this one
MAX_INPUT = 64 << 20
MAX_OUTPUT = 64 << 20
INSTALL_HINT = "install LibreOffice so that soffice is on the PATH (Debian/Ubuntu: apt-get install libreoffice-writer-nogui)"
# The stream every Word 97-2003 document (and a WPS file saved in that format) holds, as its OLE directory names it.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def is_word(data: bytes) -> bool:
    """An OLE compound file holding a Word document (not a spreadsheet or a slide deck)."""
    return _WORD_STREAM in data


def is_encrypted(data: bytes) -> bool:
    """A password-protected .docx (Office keeps it encrypted inside an OLE container)."""
    return _ENCRYPTED_PACKAGE in data


def to_docx(data: bytes, suffix: str) -> bytes:
    """Convert an OLE Word file to .docx bytes, or raise IngestError saying why not."""
    kind = {".wps": "WPS (OLE Word)", ".docx": "named .docx but it is a legacy Word .doc (OLE)"}.get(
        suffix.lower(), "legacy Word .doc (OLE)")
    exe = soffice()
    if exe is None:
        raise IngestError("legacy_doc", f"{kind} file: to read it, {INSTALL_HINT}; or save it as .docx")
    if len(data) > MAX_INPUT:
        raise IngestError("too_large", f"{kind} file of {len(data) >> 20} MB: over the {MAX_INPUT >> 20} MB converted")
    with tempfile.TemporaryDirectory(prefix="planextract-doc-") as tmp:
        root = Path(tmp)
        source = root / "in.doc"
        source.write_bytes(data)
        (root / "out").mkdir()
        _run([exe, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless", "--norestore",
              "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(root / "out"), str(source)],
             root, kind)
        result = root / "out" / "in.docx"
        if not result.is_file():
            raise IngestError("legacy_doc", f"{kind} file: LibreOffice could not convert it (damaged?); "
                              "open it in Word or LibreOffice and save it as .docx")
        if result.stat().st_size > MAX_OUTPUT:
            raise IngestError("too_large", f"{kind} file: its conversion is over {MAX_OUTPUT >> 20} MB")
        return result.read_bytes()


def _run(cmd: list[str], home: Path, kind: str) -> None:
    """Run LibreOffice in a session of its own: on a timeout the whole group (soffice.bin too) is killed."""
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(home)}
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, cwd=home, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise IngestError("legacy_doc", f"{kind} file: LibreOffice took over {TIMEOUT:g} s to convert it") from None
    finally:
        if proc.poll() is None:  # interrupted (the build's own time limit): leave no LibreOffice behind
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if proc.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
        raise IngestError("legacy_doc", f"{kind} file: LibreOffice failed to convert it ({tail[0][:200]})")
