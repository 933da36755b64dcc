"""Issue 12, point 9: HTML that browsers show is not lost (the page is parsed by the HTML5 algorithm)."""

from __future__ import annotations

import pytest

import hostile
from planextract.ingest import ingest_bytes
from planextract.ingest.html import _parse


@pytest.mark.parametrize("tag", ["embed", "object"])
def test_an_unclosed_embed_or_object_before_the_text_loses_nothing(tag: str) -> None:
    doc = ingest_bytes(hostile.unclosed_embed_page(tag), "page.html", ".html")
    assert doc.text.split("\n") == [
        "某县产业发展实施方案", "一、发展目标", "到2025年，全县规模以上工业增加值达到300亿元，年均增长8%以上。", "新增高新技术企业20家。",
    ]


@pytest.mark.parametrize(("html", "texts"), [
    # Unclosed paragraphs and list items end where a browser ends them.
    ("<body><p>一、目标<p>到2025年达到300亿元。<ul><li>甲<li>乙</ul>", ["一、目标", "到2025年达到300亿元。", "甲", "乙"]),
    # A stray end tag, a table without tbody and text foster-parented out of a table.
    ("<body><div>甲</span>乙</div><table><tr><td>一</td><td>二</td></tr></table>", ["甲乙", "一", "二"]),
    # Tag and attribute names lxml could not hold keep their text.
    ('<body><div a"b="1"><x:y>正文</x:y></div>', ["正文"]),
])
def test_the_tree_is_the_one_a_browser_builds(html: str, texts: list[str]) -> None:
    root = _parse(html)
    found = [t.strip() for t in root.find("body").itertext() if t.strip()]
    assert "".join(found) == "".join(texts)


def test_an_attribute_with_a_control_character_does_not_stop_the_page() -> None:
    page = '<html><body><p title="a&#1;b">到2025年，全县生产总值达到500亿元。</p></body></html>'.encode()
    assert "500亿元" in ingest_bytes(page, "page.html", ".html").text
