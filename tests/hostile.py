"""Hostile and odd inputs, made here: what an attacker or an unlucky user gives a build.

Beside badfiles.py (ordinary bad files), these are the cases of issue 12:
links out of the input folder, trees too deep or paths too long for the
usual calls, names that are no UTF-8, zip members that lie about their
size, XML with DTDs where a first look misses them, HTML that only a
browser's parser reads right, texts in encodings without a mark, numbers
hidden behind invisible characters, and inputs large enough to show any
cost that is not linear. Every byte is generated, deterministically: CI
needs no file from outside the repository.
"""

from __future__ import annotations

import os
import socket
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from badfiles import _CONTENT_TYPES, _RELS, _W, zip_members

# A small plan every reader turns into the same few targets.
PLAN = "某县推进产业发展实施方案\n一、发展目标\n到2025年，全县规模以上工业增加值达到300亿元，年均增长8%以上。\n"


# --------------------------------------------------------------------------
# File system
# --------------------------------------------------------------------------


def deep_tree(root: Path, depth: int, leaf: bytes) -> Path:
    """A chain of `depth` folders named 'd' with a file at the bottom (made with folder fds: no path limit)."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            nxt = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = nxt
        leaf_fd = os.open("leaf.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        with os.fdopen(leaf_fd, "wb") as fh:
            fh.write(leaf)
    finally:
        os.close(fd)
    return root / "d"


def long_path_tree(root: Path, total_bytes: int, leaf: bytes) -> None:
    """Folders of 200-character names until the path is over total_bytes long, a file at the end."""
    name = "长" * 66 + "x"  # 199 bytes in UTF-8, under NAME_MAX
    depth = total_bytes // (len(name.encode()) + 1) + 1
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            nxt = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = nxt
        leaf_fd = os.open("plan.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        with os.fdopen(leaf_fd, "wb") as fh:
            fh.write(leaf)
    finally:
        os.close(fd)


def remove_tree(root: Path) -> None:
    """Remove a tree of any depth or path length: iterative, through folder fds (shutil.rmtree recurses)."""
    if not os.path.lexists(root):
        return
    parent_fd = os.open(root.parent, os.O_RDONLY | os.O_DIRECTORY)
    stack: list[tuple[int, str]] = [(parent_fd, root.name)]  # (fd of the parent, name of the folder to empty)
    try:
        while stack:
            pfd, name = stack[-1]
            try:
                fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=pfd)
            except NotADirectoryError:
                os.unlink(name, dir_fd=pfd)
                stack.pop()
                continue
            sub = None
            with os.scandir(fd) as it:
                for item in it:
                    if item.is_dir(follow_symlinks=False):
                        sub = item.name
                        break
                    os.unlink(item.name, dir_fd=fd)
            if sub is None:
                os.close(fd)
                os.rmdir(name, dir_fd=pfd)
                stack.pop()
                if pfd != parent_fd:
                    os.close(pfd)
            else:
                stack.append((fd, sub))
    finally:
        os.close(parent_fd)


def bad_utf8_names(folder: Path, body: bytes) -> list[bytes]:
    """Two names of invalid UTF-8 that a lossy decode would show alike ('\\ufffd-x.txt')."""
    names = [b"\xff-x.txt", b"\xfe-x.txt"]
    for i, raw in enumerate(names):
        with open(os.path.join(os.fsencode(folder), raw), "wb") as fh:
            fh.write(body + f"\n第{i + 1}份。\n".encode())
    return names


@contextmanager
def unix_socket(path: Path) -> Iterator[None]:
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(os.fspath(path))
        yield
    finally:
        s.close()


# --------------------------------------------------------------------------
# .docx
# --------------------------------------------------------------------------


def document_xml(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document {_W.decode()}><w:body>{body}</w:body></w:document>').encode()


def docx_with(document: bytes | tuple[bytes, int, int], extra: list[tuple[str, bytes]] | None = None) -> bytes:
    return zip_members([("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                        ("word/document.xml", document), *(extra or [])])


def _deflate(chunks: Iterator[bytes]) -> tuple[bytes, int, int]:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    for chunk in chunks:
        out.append(comp.compress(chunk))
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
    out.append(comp.flush())
    return b"".join(out), crc, size


def lying_docx(inflated_mb: int = 1024, claimed: int = 3 * 1024) -> bytes:
    """A .docx whose document part claims `claimed` bytes but inflates to inflated_mb MB (about 1 MB packed).

    Its CRC is that of the first `claimed` bytes, so a reader that stops at
    the declared size finds nothing wrong with the checksum.
    """
    head = document_xml(["正文"])[:-len("</w:body></w:document>")]
    spaces = b" " * (1 << 20)
    raw, _, _ = _deflate(iter([head, *([spaces] * inflated_mb)]))
    return docx_with((raw, zlib.crc32((head + spaces)[:claimed]), claimed))


def late_doctype_docx(padding: int = 8192) -> bytes:
    """A DOCTYPE with a billion-laughs entity after `padding` bytes of comment: past any look at the first 4 KB."""
    laughs = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10 if i else "lol"}">' for i in range(10))
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><!--{" " * padding}-->'
           f'<!DOCTYPE w:document [{laughs}]>'
           f'<w:document {_W.decode()}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>')
    return docx_with(xml.encode())


def utf16_doctype_docx() -> bytes:
    """The DOCTYPE in a UTF-16 part: a byte search for '<!DOCTYPE' finds nothing."""
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w:document [<!ENTITY x "到2025年达到300亿元">]>'
           f'<w:document {_W.decode()}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    return docx_with(xml.encode("utf-16"))


def external_entity_docx(target: str = "file:///etc/hostname") -> bytes:
    xml = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "{target}">]>'
           f'<w:document {_W.decode()}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>')
    return docx_with(xml.encode())


def runs_docx(total_mb: float, clause: str = "推进第{i}项重点工程建设，") -> bytes:
    """One paragraph of total_mb MB of XML, in runs of one clause each (numbered, so it packs like real text)."""
    head = document_xml([])[:-len("</w:body></w:document>")] + b"<w:p>"

    def runs() -> Iterator[bytes]:
        yield head
        size, i = 0, 0
        while size < total_mb * (1 << 20):
            batch = "".join(f"<w:r><w:t>{clause.format(i=i + j)}</w:t></w:r>" for j in range(200))
            data = batch.encode()
            size += len(data)
            i += 200
            yield data
        yield b"</w:p></w:body></w:document>"

    return docx_with(_deflate(runs()))


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------


def unclosed_embed_page(tag: str = "embed") -> bytes:
    """A page with an unclosed <embed>/<object> before its text: libxml2 nests the page inside it."""
    opener = {"embed": '<embed src="banner.swf" width="100">', "object": '<object data="banner.swf">'}[tag]
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>某县产业发展实施方案_某县人民政府</title></head>"
            f"<body>{opener}"
            "<div id='zoom'><h1>某县产业发展实施方案</h1><p>一、发展目标</p>"
            "<p>到2025年，全县规模以上工业增加值达到300亿元，年均增长8%以上。</p>"
            "<p>新增高新技术企业20家。</p></div></body></html>").encode()


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------


def mixed_utf8_gbk(lines: list[str]) -> bytes:
    """Lines alternately in UTF-8 and GBK (files pasted together from two machines)."""
    return b"".join((ln + "\n").encode("utf-8" if i % 2 == 0 else "gbk") for i, ln in enumerate(lines))


def invisible_only(lines: int = 2000) -> bytes:
    return ("\u200b\u3000\ufeff \u2060\n" * lines).encode("utf-8")


TARGET_CLAUSE = "到2025年，全县规模以上工业增加值达到300亿元；"
PROSE_SENTENCE = "推进产业链协同发展，强化要素保障，优化营商环境，提升企业竞争力。"


def one_line(mb: float, sentence: str = TARGET_CLAUSE) -> bytes:
    """A text of `mb` MB on one line: one sentence repeated (by default a target clause, with no full stop)."""
    unit = sentence.encode()
    return unit * max(1, int(mb * (1 << 20)) // len(unit))


def long_lines(mb: float, line_mb: float = 10, sentence: str = PROSE_SENTENCE) -> bytes:
    """A text of `mb` MB in lines of line_mb MB each (the last one shorter)."""
    line = one_line(min(mb, line_mb), sentence)
    n, rest = divmod(mb, line_mb)
    return b"\n".join([line] * int(n) + ([one_line(rest, sentence)] if rest or not n else []))
