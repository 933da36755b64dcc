"""Discovery: every entry below the input folder, each accounted for.

A build reads the files `discover` returns with `skip is None`; every other
entry (hidden, unsupported, duplicate, too large, unreadable, a symlinked
folder, ...) becomes a row of the errors table, so that
documents + errors + skipped = entries found.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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

    path: Path  # where the file is read (a link's target)
    rel: str  # relative to the input folder, forward slashes, as text (see display_name)
    size: int | None = None
    mtime_ns: int | None = None
    sha256: str | None = None
    is_symlink: bool = False
    skip: ErrorRecord | None = None  # set: not processed, and this is why
    name: str = ""  # rel as found on disk (surrogate escapes for bytes that are no UTF-8)

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
    excluded = {os.path.abspath(p) for p in exclude} | {os.path.realpath(p) for p in exclude}
    entries = _walk(root, excluded)
    _distinct_names(entries)
    for e in entries:
        if e.skip is None:
            _classify(e, max_size)
    for e in entries:
        if e.skip is None:
            _hash(e, known or {})
    _mark_duplicates(entries)
    return sorted(entries, key=lambda e: e.rel)


def _entry(path: str, name: str) -> Entry:
    return Entry(Path(path), display_name(name), name=name)


def display_name(name: str) -> str:
    """A file name as text that can be stored anywhere (UTF-8).

    Names that are no valid UTF-8 on disk (a GBK-named file from an old
    Windows share) reach Python with surrogate escapes, which Parquet, DuckDB
    and hashing refuse: decode their bytes as GB18030, else write each bad
    byte as \\xNN (so two names never share a display name through their bad bytes).
    The file itself is still opened through its real path.
    """
    raw = os.fsencode(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return escaped_name(name)


def escaped_name(name: str) -> str:
    """UTF-8 where the bytes are UTF-8, \\xNN for every other byte: distinct names stay distinct."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _is_hidden(name: str) -> bool:
    # "~$x.docx" is the lock file Word leaves beside an open document.
    return name.startswith((".", "~$"))


# Longest path the kernel accepts in one call (bytes, with the final NUL).
PATH_MAX = os.pathconf("/", "PC_PATH_MAX") if hasattr(os, "pathconf") else 4096


def _walk(root: Path, excluded: set[str]) -> list[Entry]:
    """Every entry below root, without recursion (a tree may be thousands of levels deep).

    Symbolic links are never followed into folders (they could loop or
    repeat the tree); a link to a file is followed only when its target lies
    inside the input folder (a link to /etc/passwd or /proc/self/environ
    would otherwise become a document).
    """
    entries: list[Entry] = []
    real_root = os.path.realpath(root)
    pending = [(os.fspath(root), "")]  # (folder, its name relative to root)
    while pending:
        folder, folder_name = pending.pop()
        try:
            with os.scandir(folder) as it:
                found = sorted(it, key=lambda d: d.name)
        except OSError as exc:
            if not folder_name:
                raise
            entries.append(_unreadable_dir(folder, folder_name, exc))
            continue
        below: list[tuple[str, str]] = []
        for item in found:
            path = os.path.join(folder, item.name)
            if os.path.abspath(path) in excluded:
                continue  # the output folder (or its files) inside the input folder
            e = _entry(path, f"{folder_name}/{item.name}" if folder_name else item.name)
            if len(os.fsencode(path)) >= PATH_MAX:
                e.refuse("path_too_long", f"the path is longer than the system allows ({PATH_MAX} bytes): not read",
                         skipped=False)
            elif _is_folder(item, e, real_root, excluded):
                if e.skip is None:
                    below.append((path, e.name))
                    continue
            entries.append(e)
        pending.extend(reversed(below))  # depth first, in name order
    return entries


def _unreadable_dir(folder: str, name: str, exc: OSError) -> Entry:
    e = _entry(folder, name)
    if exc.errno == errno.ENAMETOOLONG:
        e.refuse("path_too_long", f"the path is longer than the system allows: not searched ({exc.strerror})",
                 skipped=False)
    else:
        e.refuse("unreadable_directory", f"cannot list this folder: {exc.strerror}", skipped=False)
    return e


def _is_folder(item: os.DirEntry, e: Entry, real_root: str, excluded: set[str]) -> bool:
    """True for a folder (e.skip set when it is not to be searched); a file's entry is made ready to classify."""
    try:
        if item.is_symlink():
            e.is_symlink = True
            return _check_link(e, real_root, excluded)
        is_dir = item.is_dir(follow_symlinks=False)
    except OSError as exc:
        e.refuse("unreadable_file", f"cannot read the entry: {exc.strerror}", skipped=False)
        return False
    if is_dir and _is_hidden(item.name):
        e.refuse("hidden_directory", "hidden folder: not searched")
    return is_dir


def _check_link(e: Entry, real_root: str, excluded: set[str]) -> bool:
    """A link: refused unless it is a link to a file inside the input folder, which is then read through its target."""
    target = os.path.realpath(e.path)
    try:
        st = os.stat(target)
    except OSError as exc:
        e.refuse("broken_symlink", f"symbolic link whose target cannot be read: {exc.strerror}", skipped=False)
        return False
    if not _inside(target, real_root) or any(_inside(target, x) for x in excluded):
        e.refuse("symlink_outside_input",
                 "symbolic link to something outside the input folder (or into the output folder): not followed "
                 "(a build reads only its input)")
        return False
    if stat.S_ISDIR(st.st_mode):
        e.refuse("symlink_directory", "symbolic link to a folder: not followed (it could loop or repeat files)")
        return True
    e.path = Path(target)  # read through the target, which no later link can move outside
    return False


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _distinct_names(entries: list[Entry]) -> None:
    """Two files whose names decode to the same text (GBK bytes beside UTF-8, two bad bytes) keep distinct names."""
    by_rel: dict[str, list[Entry]] = {}
    for e in entries:
        by_rel.setdefault(e.rel, []).append(e)
    taken = set(by_rel)
    for rel, same in by_rel.items():
        if len(same) < 2:
            continue
        for e in same:
            escaped = escaped_name(e.name)
            if escaped != rel and escaped not in taken:
                e.rel = escaped
                if e.skip is not None:
                    e.skip.path = escaped
                taken.add(escaped)
    seen: set[str] = set()
    for e in entries:
        if e.rel in seen and e.skip is None:
            e.refuse("duplicate_name", "another file has the same name once decoded: not read")
        seen.add(e.rel)


def _classify(e: Entry, max_size: int) -> None:
    name = os.path.basename(e.name)  # the name found (a link's own name, not its target's)
    if _is_hidden(name):
        e.refuse("hidden_file", "hidden or temporary file: not read")
        return
    try:
        st = e.path.stat()
    except OSError as exc:
        e.refuse("unreadable_file", f"cannot read the file: {exc.strerror}", skipped=False)
        return
    e.size, e.mtime_ns = st.st_size, st.st_mtime_ns
    suffix = os.path.splitext(name)[1]
    if not stat.S_ISREG(st.st_mode):
        e.refuse("not_regular_file", "not a regular file (a device, socket or pipe): not read")
    elif suffix.lower() not in SUPPORTED_SUFFIXES:
        e.refuse("unsupported_extension", f"unsupported file type '{display_name(suffix)}': not read")
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
        with open_regular(e.path) as fh:
            e.sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        e.refuse("unreadable_file", f"cannot read the file: {exc.strerror}", skipped=False)


class NotRegularFile(OSError):
    pass


def open_regular(path: Path) -> BinaryIO:
    """Open a file for reading only if it is (still) a regular file and no symbolic link.

    Discovery checked the entry, but it may have been swapped since: for a
    link to /etc/passwd (O_NOFOLLOW refuses it) or a pipe (O_NONBLOCK keeps
    the open from waiting on it, fstat then refuses it).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file (a folder, device, socket or pipe)", os.fspath(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path) -> bytes:
    with open_regular(path) as fh:
        return fh.read()


def _mark_duplicates(entries: list[Entry]) -> None:
    """Same content as an earlier file: only the first is read (a real file before a symlink to it)."""
    first: dict[str, Entry] = {}
    candidates = [e for e in entries if e.skip is None and e.sha256 and e.size]  # empty files stay errors
    for e in sorted(candidates, key=lambda e: (e.is_symlink, e.rel)):
        original = first.setdefault(e.sha256 or "", e)
        if original is not e:
            e.refuse("duplicate_content", f"same content as {original.rel}: read once")
