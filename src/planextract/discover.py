"""Discovery: every entry below the input folder, each accounted for.

A build reads the files `discover` returns with `skip is None`; every other
entry (hidden, unsupported, duplicate, too large, unreadable, a symlinked
folder, ...) becomes a row of the errors table, so that
documents + errors + skipped = entries found.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from planextract.models import ErrorRecord

# The suffixes a reader exists for (content is sniffed, so a .txt may hold
# HTML); .doc and .wps (OLE Word) are read through LibreOffice when it is installed.
SUPPORTED_SUFFIXES = frozenset(
    {"", ".txt", ".text", ".docx", ".pdf", ".html", ".htm", ".shtml", ".xhtml", ".doc", ".wps"}
)
DEFAULT_MAX_SIZE = 200 * 1024 * 1024


@dataclass
class Entry:
    """One thing found below the input folder."""

    path: Path
    rel: str  # relative to the input folder, forward slashes
    size: int | None = None
    mtime_ns: int | None = None
    sha256: str | None = None
    is_symlink: bool = False
    skip: ErrorRecord | None = None  # set: not processed, and this is why

    def refuse(self, error_type: str, message: str, *, skipped: bool = True, stage: str = "discover") -> None:
        self.skip = ErrorRecord(
            path=self.rel, stage=stage, error_type=error_type, message=message,
            sha256=self.sha256, size=self.size, skipped=skipped,
        )


# (size, mtime_ns, sha256) of files seen by an earlier build, so unchanged files are not re-hashed.
Known = Mapping[str, tuple[int, int, str]]


def discover(
    root: Path,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    exclude: Iterable[Path] = (),
    known: Known | None = None,
) -> list[Entry]:
    """Every entry below root, sorted by relative path, with content hashes and skip reasons."""
    root = Path(root)
    excluded = {Path(p).resolve() for p in exclude}
    entries = _walk(root, excluded)
    for e in entries:
        if e.skip is None:
            _classify(e, max_size)
    for e in entries:
        if e.skip is None:
            _hash(e, known or {})
    _mark_duplicates(entries)
    return sorted(entries, key=lambda e: e.rel)


def _rel(path: Path, root: Path) -> str:
    return display_name(path.relative_to(root).as_posix())


def display_name(name: str) -> str:
    """A file name as text that can be stored anywhere (UTF-8).

    Names that are no valid UTF-8 on disk (a GBK-named file from an old
    Windows share) reach Python with surrogate escapes, which Parquet, DuckDB
    and hashing refuse: decode their bytes as GB18030, else mark the bad bytes.
    The file itself is still opened through its real path.
    """
    raw = os.fsencode(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _is_hidden(name: str) -> bool:
    # "~$x.docx" is the lock file Word leaves beside an open document.
    return name.startswith((".", "~$"))


def _walk(root: Path, excluded: set[Path]) -> list[Entry]:
    entries: list[Entry] = []

    def unreadable_dir(err: OSError) -> None:
        e = Entry(Path(err.filename), _rel(Path(err.filename), root))
        e.refuse("unreadable_directory", f"cannot list this folder: {err.strerror}", skipped=False)
        entries.append(e)

    # followlinks=False: a symlinked folder could loop or repeat the tree.
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable_dir, followlinks=False):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            path = here / name
            if path.resolve() in excluded:
                continue  # the output folder inside the input folder
            e = Entry(path, _rel(path, root), is_symlink=path.is_symlink())
            if e.is_symlink:
                e.refuse("symlink_directory", "symbolic link to a folder: not followed (it could loop or repeat files)")
            elif _is_hidden(name):
                e.refuse("hidden_directory", "hidden folder: not searched")
            else:
                kept.append(name)
                continue
            entries.append(e)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = here / name
            entries.append(Entry(path, _rel(path, root), is_symlink=path.is_symlink()))
    return entries


def _classify(e: Entry, max_size: int) -> None:
    name = e.path.name
    if _is_hidden(name):
        e.refuse("hidden_file", "hidden or temporary file: not read")
        return
    try:
        st = e.path.stat()  # follows a symlink to a file
    except OSError as exc:
        if e.is_symlink:
            e.refuse("broken_symlink", f"symbolic link whose target cannot be read: {exc.strerror}", skipped=False)
        else:
            e.refuse("unreadable_file", f"cannot read the file: {exc.strerror}", skipped=False)
        return
    e.size, e.mtime_ns = st.st_size, st.st_mtime_ns
    if not stat.S_ISREG(st.st_mode):
        e.refuse("not_regular_file", "not a regular file (a device, socket or pipe): not read")
    elif e.path.suffix.lower() not in SUPPORTED_SUFFIXES:
        e.refuse("unsupported_extension", f"unsupported file type '{e.path.suffix}': not read")
    elif st.st_size > max_size:
        e.refuse(
            "too_large",
            "file of {} is over the size limit of {} (--max-size)".format(*_two_sizes(st.st_size, max_size)),
        )


def _two_sizes(a: int, b: int) -> tuple[str, str]:
    """Two sizes to compare: exact byte counts when rounding would print them alike."""
    ha, hb = human_size(a), human_size(b)
    return (ha, hb) if ha != hb else (f"{a:,} bytes", f"{b:,} bytes")


def human_size(n_bytes: int) -> str:
    """A size a person reads at a glance: 850 bytes, 12.3 KB, 1.5 MB, 200 MB (units of 1,024)."""
    if n_bytes < 1024:
        return f"{n_bytes} byte{'' if n_bytes == 1 else 's'}"
    size, unit = float(n_bytes), "bytes"
    for unit in ("KB", "MB", "GB", "TB"):
        size /= 1024
        if round(size, 1 if size < 100 else 0) < 1024 or unit == "TB":
            break
    return f"{size:.1f} {unit}" if size < 100 else f"{size:.0f} {unit}"


def _hash(e: Entry, known: Known) -> None:
    seen = known.get(e.rel)
    if seen and seen[0] == e.size and seen[1] == e.mtime_ns:
        e.sha256 = seen[2]  # unchanged since the last build (same size and mtime)
        return
    try:
        with e.path.open("rb") as fh:
            e.sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        e.refuse("unreadable_file", f"cannot read the file: {exc.strerror}", skipped=False)


def _mark_duplicates(entries: list[Entry]) -> None:
    """Same content as an earlier file: only the first is read (a real file before a symlink to it)."""
    first: dict[str, Entry] = {}
    candidates = [e for e in entries if e.skip is None and e.sha256 and e.size]  # empty files stay errors
    for e in sorted(candidates, key=lambda e: (e.is_symlink, e.rel)):
        original = first.setdefault(e.sha256 or "", e)
        if original is not e:
            e.refuse("duplicate_content", f"same content as {original.rel}: read once")
