"""HTML pages (a document published on a government website) -> Document.

A page is mostly chrome: navigation, share and print bars, sidebars, a
footer. The reader drops chrome, finds the element that holds most of the
page's own (non-link) text, and reads it in order into paragraphs (block
elements and <br> end a line) and tables (rowspan/colspan resolved into a
rectangular grid). The header fields printed above the text (索引号, 发布机构,
发布日期 ...), wherever they sit on the page, go into `doc.meta`. The page's
title (<h1>, a title-classed element, or <title> without the site name) is
the first paragraph. Every walk over the tree is iterative and linear, so a
deeply nested or very large page costs no more than its size.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import lxml.html
import regex
from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from planextract import rules
from planextract.ingest import clean
from planextract.ingest.errors import IngestError
from planextract.ingest.sniff import MIN_PLAUSIBILITY, common_name, decode_text, mixed_warning, plausibility
from planextract.models import Block, Document, Table

HtmlElement = lxml.html.HtmlElement

# Elements that end a line of text; everything else is inline.
_BLOCK_TAGS = frozenset(
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tr td th thead tbody tfoot caption "
    "section article main blockquote pre center hr address figure figcaption header footer "
    "nav aside form fieldset legend details summary body html title".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_CHARSET = regex.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", regex.I)
_XML_DECL = regex.compile(r"^\s*<\?xml[^>]*>")
# Characters libxml2 cannot hold, and invisible ones that only split words.
_BAD_CHARS = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\u200b-\u200d\u2060\ufeff]")
# A line break in the source between two Chinese characters is no space.
_WRAP = regex.compile(r"(?<=[\p{Han}\p{P}])[ \t\r\f]*\n\s*(?=[\p{Han}\p{P}])")
_WS = regex.compile(r"\s+")
_TOKEN = regex.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_TITLE_SEPARATORS = regex.compile(r"\s*(?:[_|｜]|--|——|—|－| - | – )\s*")
_MIN_TITLE, _MAX_TITLE = 4, 150
_MAX_COLSPAN, _MAX_CELLS = 200, 200_000
_MAX_HEADER_ROWS = 3
_MAX_DEPTH = 2000  # deeper pages are read as tag-stripped text: no reader of such a tree is needed
_HIDDEN_SPANS = [("<script", "</script"), ("<style", "</style"), ("<head", "</head"), ("<!--", "-->")]
_BLOCK_TAG = regex.compile(r"<\s*/?\s*(?:p|div|br|li|tr|td|th|h[1-6]|table|section|article|pre|dt|dd)\b[^>]*>", regex.I)
_ANY_TAG = regex.compile(r"<[^>]*>")
_NAME = regex.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")  # a tag or attribute name lxml accepts
_MAX_CELL_TEXT = 600  # a longer cell is a page column, not a table cell
_MAX_LABEL_VALUE = 80


@dataclass
class _Page:
    """What one pass over the page collects."""

    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    pending_key: str | None = None  # a label line ("索引号：") waiting for its value


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def read_html(data: bytes, doc: Document) -> Document:
    text, doc.encoding = decode_html(data)
    doc.format = "html"
    if (warning := mixed_warning(doc.encoding)) is not None:
        doc.warnings.append(warning)
    root = _parse(text)
    if _depth(root) >= _MAX_DEPTH:
        # A page nested this deep is no layout a reader sees: read it as
        # tag-stripped text (the tree's recursive helpers are not built for it).
        doc.warnings.append(f"page nested over {_MAX_DEPTH} levels deep: read as plain text, without tables")
        doc.blocks = _read_stripped(text, doc.meta)
    else:
        doc.blocks = _read_tree(root, doc.meta)
    return doc


def _read_tree(root: HtmlElement, meta: dict[str, str]) -> list[Block]:
    """Clean the tree, find the main text, read it; the title goes first."""
    body = root.find("body")
    body = body if body is not None else root
    _drop_junk(root)
    _drop_chrome(body, _weights(body))
    title = _title_text(root)
    page = _Page(meta=meta)
    _read(body, _main_container(body, _weights(body)), page)
    # A title alone is no document (a frameset, a page built by scripts).
    if title and page.blocks and not _has_title(page.blocks, title):
        page.blocks.insert(0, Block(kind="paragraph", text=title))
    return page.blocks


def _read_stripped(text: str, meta: dict[str, str]) -> list[Block]:
    page = _Page(meta=meta)
    for line in _stripped_lines(text):
        _emit_line(line, page, inside=True)
    return page.blocks


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode a page: UTF-8 if it is UTF-8, else its declared charset if that
    reads plausibly, else whatever sniffing finds (pages often declare
    gb2312 and are UTF-8, or the reverse)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_codec(data[:4096])
    if declared is not None:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            text = None
        if text is not None and plausibility(text) >= MIN_PLAUSIBILITY:
            return text, common_name(data, declared)
    return decode_text(data)


def _declared_codec(head: bytes) -> str | None:
    m = _CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    # Pages say gb2312 or gbk and use characters only GB18030 has; big5 likewise.
    name = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _depth(root: HtmlElement) -> int:
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _stripped_lines(text: str) -> list[str]:
    """The page's text without its tags: block tags end lines."""
    import html as html_lib

    text = _BLOCK_TAG.sub("\n", _cut_hidden(text))
    return html_lib.unescape(_ANY_TAG.sub("", text)).split("\n")


def _cut_hidden(text: str) -> str:
    """Remove scripts, styles, the head and comments in one linear scan
    (a lazy regex rescans to the end for every unclosed <script)."""
    low = text.lower()
    kept: list[str] = []
    pos = 0
    following = {a: low.find(a) for a, _ in _HIDDEN_SPANS}  # next start of each kind, -1: none left
    while True:
        for a, _ in _HIDDEN_SPANS:
            if 0 <= following[a] < pos:
                following[a] = low.find(a, pos)
        found = [(following[a], b) for a, b in _HIDDEN_SPANS if following[a] >= 0]
        if not found:
            break
        start, closing = min(found)
        kept.append(text[pos:start])
        end = low.find(closing, start)
        close = low.find(">", end) if end >= 0 else -1
        if close < 0:
            return "".join(kept)
        pos = close + 1
    kept.append(text[pos:])
    return "".join(kept)


def _parse(text: str) -> HtmlElement:
    """The page's tree as a browser builds it (the HTML5 parsing algorithm, lexbor via selectolax).

    libxml2's HTML parser, which is not a browser's, nests everything after
    an unclosed <embed> or <object> inside it, and the page's text is then
    taken for chrome. The tree is handed on as lxml elements, the API the
    rest of the reader walks.
    """
    text = _BAD_CHARS.sub("", _XML_DECL.sub("", text, count=1))
    if not text.strip():
        raise IngestError("no_text", "no text found in the page")
    try:
        parsed = LexborHTMLParser(text)
    except Exception as exc:  # the parser's own errors are no documented type
        raise IngestError("malformed_html", f"cannot parse the page: {exc}") from None
    if parsed.root is None:
        raise IngestError("no_text", "no text found in the page")
    return _to_lxml(parsed.root)


def _to_lxml(top: LexborNode) -> HtmlElement:
    """The element tree below a lexbor node as lxml.html elements; text and tails as lxml keeps them.

    Iterative (a page may nest thousands of levels); comments and doctypes
    are left out, a tag or attribute name lxml cannot hold becomes a span or
    is left out.
    """
    root = _element(None, top)
    # (next node to convert, the element it goes into, that element's last element child so far)
    stack: list[tuple[LexborNode | None, HtmlElement, HtmlElement | None]] = [(top.child, root, None)]
    while stack:
        node, parent, last = stack.pop()
        while node is not None:
            tag = node.tag
            if tag == "-text":
                piece = node.text_content or ""
                if last is None:
                    parent.text = (parent.text or "") + piece
                else:
                    last.tail = (last.tail or "") + piece
            elif tag and tag[0] not in "-_!":  # an element, not a comment or doctype
                last = _element(parent, node)
                if node.child is not None:
                    stack.append((node.next, parent, last))  # this level goes on after the subtree
                    stack.append((node.child, last, None))
                    break
            node = node.next
    return root
def _element(parent: HtmlElement | None, node: LexborNode) -> HtmlElement:
    tag = _tag_name(node.tag or "")
    attrib = {name: value or "" for name, value in node.attributes.items() if _usable_name(name)}
    try:
        return etree.SubElement(parent, tag, attrib) if parent is not None else lxml.html.Element(tag, attrib)
    except ValueError:  # an attribute value lxml cannot hold (a control character from an entity)
        return etree.SubElement(parent, tag) if parent is not None else lxml.html.Element(tag)


@lru_cache(maxsize=4096)
def _tag_name(tag: str) -> str:
    return tag.lower() if _NAME.fullmatch(tag) else "span"  # <a:b>, <x"y>: the text kept, the name not


@lru_cache(maxsize=4096)
def _usable_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


# --------------------------------------------------------------------------
# Cleaning: junk, chrome
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _config() -> dict[str, frozenset[str]]:
    html = rules.load("noise").get("html", {})
    return {k: frozenset(w.lower() for w in html.get(k, [])) for k in
            ("drop_tags", "chrome_tags", "chrome_words", "generic_words", "content_words", "title_words")}


def _tag(el: object) -> str:
    tag = getattr(el, "tag", None)
    return tag.lower() if isinstance(tag, str) else ""


def _names(el: HtmlElement) -> list[list[str]]:
    """Each class name and the id, split into lower-case words: 'mainNav-bar' -> main, nav, bar."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return [[t.lower() for t in _TOKEN.findall(name)] for name in raw]


def _tokens(el: HtmlElement) -> set[str]:
    return {t for name in _names(el) for t in name}


def _head_word(words: list[str]) -> str | None:
    """The word that says what a class name is: the last one that is not
    generic ('share_box' -> share, 'main-nav' -> nav, 'xxgk_content' -> content)."""
    generic = _config()["generic_words"]
    for w in reversed(words):
        if w not in generic and not w.isdigit():
            return w
    return None


def _is_hidden(el: HtmlElement) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or el.get("hidden") is not None


def _drop_junk(root: HtmlElement) -> None:
    """Drop elements whose content is never text a reader sees."""
    drop = _config()["drop_tags"]
    junk = [el for el in root.iter() if not _tag(el) or _tag(el) in drop or _is_hidden(el)]
    for el in junk:
        if el.getparent() is not None:
            _drop(el)


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text, which belongs to the parent."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _is_chrome(el: HtmlElement) -> bool:
    cfg = _config()
    if _tag(el) in cfg["chrome_tags"]:
        return True
    if el.get("class") is None and el.get("id") is None:
        return False
    starts = _chrome_prefix()
    return any(h and starts.match(h) for h in map(_head_word, _names(el)))


@lru_cache(maxsize=1)
def _chrome_prefix() -> regex.Pattern[str]:
    words = sorted(_config()["chrome_words"], key=len, reverse=True)
    return regex.compile("|".join(map(regex.escape, words)) or r"(?!)")


def _drop_chrome(body: HtmlElement, weights: dict[HtmlElement, int]) -> None:
    """Drop chrome elements, except one holding much of the page's own text
    (some sites wrap the whole page in a <form> or a 'top' div)."""
    total = max(weights.get(body, 0), 1)
    chrome = []
    for el in body.iter():
        if el is body or not _is_chrome(el) or weights.get(el, 0) > 0.3 * total:
            continue
        if _tag(el) == "header" and _inside(el, {"article", "main"}):
            continue  # an article's own header holds its title
        chrome.append(el)
    dropping = set(chrome)
    for el in chrome:
        # Chrome inside other chrome goes with its ancestor.
        if not any(a in dropping for a in el.iterancestors()):
            _drop(el)


def _inside(el: HtmlElement, tags: set[str]) -> bool:
    return any(_tag(a) in tags for a in el.iterancestors())


# --------------------------------------------------------------------------
# Finding the main text
# --------------------------------------------------------------------------


def _visible_len(s: str | None) -> int:
    return len(s) - s.count(" ") - s.count("\n") - s.count("\t") - s.count("\r") if s else 0


def _weights(root: HtmlElement) -> dict[HtmlElement, int]:
    """Each element's own text: characters below it, less those inside links."""
    elements = list(root.iter())
    total: dict[HtmlElement, int] = {}
    links: dict[HtmlElement, int] = {}
    for el in reversed(elements):  # every child comes before its parent
        n = _visible_len(el.text)
        k = 0
        for child in el:
            n += total.get(child, 0) + _visible_len(child.tail)
            k += links.get(child, 0)
        total[el] = n
        links[el] = n if _tag(el) == "a" else k
    return {el: total[el] - links[el] for el in elements}


def _main_container(body: HtmlElement, weights: dict[HtmlElement, int]) -> HtmlElement:
    """Walk down from <body> while one child holds most of the text.

    Stops at the element whose paragraphs (direct text, <p>, headings) carry
    the text, so a long first paragraph never loses its siblings, and never
    goes into a data table.
    """
    content_words = _config()["content_words"]
    el = body
    while True:
        total = weights.get(el, 0)
        kids = [c for c in el if _tag(c)]
        if total == 0 or not kids:
            return el
        flowing = _visible_len(el.text) + sum(_visible_len(c.tail) for c in kids)
        flowing += sum(weights.get(c, 0) for c in kids if _is_paragraph(c))
        if flowing >= 0.3 * total:
            return el
        best = max(kids, key=lambda c: weights.get(c, 0))
        share = weights.get(best, 0) / total
        need = 0.4 if content_words.intersection(_tokens(best)) else 0.6
        if share < need or (_tag(best) == "table" and not _is_layout_table(best)):
            return el
        el = best


def _is_paragraph(el: HtmlElement) -> bool:
    """A paragraph of text: <p>, a heading, inline text, or a block without blocks inside."""
    tag = _tag(el)
    if tag in ("p", "table", "ul", "ol", "dl") or tag in _HEADINGS:
        return tag not in ("table", "ul", "ol", "dl")
    if tag not in _BLOCK_TAGS:
        return True
    return not any(_tag(d) in _BLOCK_TAGS and _tag(d) != "br" for d in el.iterdescendants())


# --------------------------------------------------------------------------
# Reading: lines and tables in document order
# --------------------------------------------------------------------------


def _read(root: HtmlElement, container: HtmlElement, page: _Page) -> None:
    """One pass over the page: lines inside the container become blocks;
    lines and tables outside it are read only for header fields."""
    buf: list[str] = []
    inside = container is root
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            if el is container:
                _flush(buf, page, inside)
                inside = True
            if tag == "head":  # a page without <body>: the walk starts at <html>
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                _flush(buf, page, inside)
            if tag == "table" and not _is_layout_table(el):
                _take_table(el, page, inside)
                walker.skip_subtree()
                continue
            if tag == "pre":
                for line in el.text_content().split("\n"):
                    _emit_line(line, page, inside)
                walker.skip_subtree()
                continue
            if el.text:
                buf.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                _flush(buf, page, inside)
            if el is container:
                inside = False
            if el.tail and el is not root:
                buf.append(el.tail)
    _flush(buf, page, inside)


def _flush(buf: list[str], page: _Page, inside: bool) -> None:
    if buf:
        _emit_line("".join(buf), page, inside)
        buf.clear()


def normalize_line(text: str) -> str:
    """Source line wraps between Chinese characters vanish, other runs of
    white space become one space; full-width punctuation is kept."""
    return _WS.sub(" ", _WRAP.sub("", text)).strip()


def _emit_line(raw: str, page: _Page, inside: bool) -> None:
    line = normalize_line(raw)
    if not line:
        return
    if page.pending_key is not None:
        key, page.pending_key = page.pending_key, None
        if (
            clean.meta_label(line) is None
            and len(line) <= _MAX_LABEL_VALUE
            and not line.endswith(("。", "；", ";", "！", "？"))
            and clean.parse_meta_line(line) is None
        ):
            page.meta.setdefault(key, line)
            return
    if clean.is_noise_line(line):
        return
    key = clean.meta_label(line)
    if key is not None:
        page.pending_key = key  # "<dt>索引号：</dt><dd>…</dd>": the value is the next line
        return
    fields = clean.parse_meta_line(line)
    if fields is not None:
        for k, v in fields.items():
            page.meta.setdefault(k, v)
        return
    if inside:
        page.blocks.append(Block(kind="paragraph", text=clean.squeeze(line)))


def _take_table(table: HtmlElement, page: _Page, inside: bool) -> None:
    """A data table: header fields go to meta, a real table becomes a block,
    a one-row or one-column table is read as lines."""
    rows, header_rows = table_grid(table)
    if not rows:
        return
    fields = _meta_rows(rows)
    if fields is not None:
        for k, v in fields.items():
            page.meta.setdefault(k, v)
        return
    if len(rows) < 2 or len(rows[0]) < 2:
        for row in rows:
            for cell in dict.fromkeys(row):  # merged cells repeat: read once
                for line in cell.split("\n"):
                    _emit_line(line, page, inside)
        return
    if inside:
        t = Table(rows=rows, header_rows=min(header_rows, len(rows) - 1))
        caption = table.find("caption")
        if caption is not None and normalize_line(caption.text_content()):
            t.caption = normalize_line(caption.text_content())
        page.blocks.append(Block(kind="table", text=t.render(), table=t))


def _meta_rows(rows: list[list[str]]) -> dict[str, str] | None:
    """The header fields of a table made of 'label | value' cells, else None."""
    fields: dict[str, str] = {}
    hit_rows = 0
    for row in rows:
        found = clean.parse_meta_cells(list(dict.fromkeys(c for c in row if c)))
        if found:
            hit_rows += 1
            for k, v in found.items():
                fields.setdefault(k, v)
    if len(fields) >= 2 and hit_rows >= 0.5 * len(rows):
        return fields
    return None


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def _own_rows(table: HtmlElement) -> Iterator[HtmlElement]:
    """The <tr> of this table, not of tables nested in its cells."""
    for tr in table.iter("tr"):
        owner = next((a for a in tr.iterancestors() if _tag(a) == "table"), None)
        if owner is table:
            yield tr


def _is_layout_table(table: HtmlElement) -> bool:
    """A table used for page layout: one row or one column (a frame, or a
    menu beside the text), tables inside it, or a cell holding a long text
    (a data cell holds a value or a short description)."""
    rows = list(_own_rows(table))
    if len(rows) <= 1 or all(sum(1 for c in tr if _tag(c) in ("td", "th")) <= 1 for tr in rows):
        return True
    for el in table.iterdescendants():
        tag = _tag(el)
        if tag == "table":
            return True
        if tag in ("td", "th") and _visible_len(el.text_content()) > _MAX_CELL_TEXT:
            return True
    return False


def _span(el: HtmlElement, attr: str, limit: int) -> int:
    value = el.get(attr)
    if value is None:
        return 1
    raw = regex.match(r"\s*(\d+)", value)
    return max(1, min(int(raw.group(1)), limit)) if raw else 1


def cell_text(cell: HtmlElement) -> str:
    """A cell's text; its paragraphs and <br> lines become lines."""
    if len(cell) == 0:  # the common case: text only
        return clean.squeeze_cell(normalize_line(cell.text or ""))
    lines: list[str] = []
    buf: list[str] = []
    for event, el in etree.iterwalk(cell, events=("start", "end")):
        tag = _tag(el)
        if tag in _BLOCK_TAGS and el is not cell and buf:
            lines.append("".join(buf))
            buf.clear()
        if event == "start" and el.text:
            buf.append(el.text)
        if event == "end" and el is not cell and el.tail:
            buf.append(el.tail)
    lines.append("".join(buf))
    return clean.squeeze_cell("\n".join(normalize_line(ln) for ln in lines))


def table_grid(table: HtmlElement) -> tuple[list[list[str]], int]:
    """(rectangular rows, header row count) of a <table>.

    A cell merged over several rows or columns is repeated into every place
    it covers. Empty rows and columns (spacers) are dropped. Header rows are
    the leading <th>/<thead> rows, else the rows of a two-level header.
    """
    grid: dict[tuple[int, int], str] = {}
    header_flags: list[bool] = []
    first_row_span, first_row_merges_columns = 1, False
    trs = list(_own_rows(table))
    for r, tr in enumerate(trs):
        cells = [c for c in tr if _tag(c) in ("td", "th")]
        header_flags.append(bool(cells) and (all(_tag(c) == "th" for c in cells) or _inside(tr, {"thead"})))
        c = 0
        for cell in cells:
            while (r, c) in grid:
                c += 1
            text = cell_text(cell)
            rowspan = _span(cell, "rowspan", len(trs) - r)
            colspan = _span(cell, "colspan", _MAX_COLSPAN)
            if r == 0:
                first_row_span = max(first_row_span, rowspan)
                first_row_merges_columns |= colspan > 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, c + dc), text)
            c += colspan
            if len(grid) > _MAX_CELLS:
                raise IngestError("malformed_html", "a table in the page is too large to read")
    if not grid:
        return [], 0
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    rows = [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]
    keep_rows = [r for r in range(n_rows) if any(rows[r])]
    keep_cols = [c for c in range(n_cols) if any(rows[r][c] for r in keep_rows)]
    out = [[rows[r][c] for c in keep_cols] for r in keep_rows]
    leading_th = 0
    for r in keep_rows:
        if r < len(header_flags) and header_flags[r]:
            leading_th += 1
        else:
            break
    # A two-level header: a first-row cell spans columns whose labels sit in
    # the row below, its neighbours span both rows. (A first-column cell
    # spanning rows alone is a category, not a header.)
    two_level = first_row_merges_columns and 1 < first_row_span <= min(_MAX_HEADER_ROWS, len(out) - 1)
    header = leading_th or (first_row_span if two_level and keep_rows and keep_rows[0] == 0 else 1)
    return out, max(1, header)


# --------------------------------------------------------------------------
# Title
# --------------------------------------------------------------------------


def _title_text(root: HtmlElement) -> str | None:
    """The document's title: an <h1> or a title-classed element, preferring
    one that <title> names, never the site's name; else <title> without the
    site name."""
    site_parts, main_part = _title_tag_parts(root)
    body = root.find("body")
    candidates = [c for c in _title_candidates(body) if c not in site_parts] if body is not None else []
    if main_part:
        key = _WS.sub("", main_part)
        for text, _ in candidates:
            other = _WS.sub("", text)
            if other in key or key in other:
                return text
    h1 = next((text for text, tag in candidates if tag == "h1"), None)
    if h1:
        return h1
    if main_part and len(main_part) >= 6:
        return clean.squeeze(main_part)
    return None


def _title_candidates(body: HtmlElement) -> list[tuple[str, str]]:
    """(text, tag) of each <h1> and each element whose class/id says title."""
    title_words = _config()["title_words"]
    found = []
    for el in body.iter():
        tag = _tag(el)
        if tag != "h1" and not (tag not in ("body", "table", "ul", "ol") and title_words.intersection(_tokens(el))):
            continue
        text = clean.squeeze(normalize_line(el.text_content()))
        if _MIN_TITLE <= len(text) <= _MAX_TITLE and not clean.is_noise_line(text):
            found.append((text, tag))
    return found


def _title_tag_parts(root: HtmlElement) -> tuple[set[str], str | None]:
    """<title> split at '_', '|', ' - ': (the site-name parts, the longest part)."""
    title = root.find(".//title")
    text = normalize_line(title.text_content()) if title is not None else ""
    parts = [p for p in _TITLE_SEPARATORS.split(text) if p]
    if not parts:
        return set(), None
    main = max(parts, key=len)
    return {p for p in parts if p != main}, main if len(parts) > 1 or len(main) <= _MAX_TITLE else None


def _has_title(blocks: list[Block], title: str) -> bool:
    """True when the title is already among the first lines of the text."""
    key = _WS.sub("", title)
    return any(_WS.sub("", b.text) == key for b in blocks[:5] if b.kind != "table")
