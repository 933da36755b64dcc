"""The HTML ingester: main text found, chrome and footers gone, header fields
in meta, tables as rectangular grids, any page read without a crash."""

from __future__ import annotations

import time

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planextract.ingest import ingest_bytes
from planextract.ingest.errors import IngestError
from planextract.ingest.html import read_html, table_grid
from planextract.models import Document

GOV_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某县人民政府关于推进制造业高质量发展的若干意见_某县人民政府门户网站</title>
<script>var x = "<p>脚本里的字</p>";</script><style>.a{color:red}</style></head>
<body><form id="form1" method="post">
<div class="top"><div class="logo"><h1>某县人民政府门户网站</h1></div>
<ul class="main-nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul>
<div class="search_box"><input type="text"><button>搜索</button></div></div>
<div class="wrap">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a>政务公开</a> &gt; 政策文件</div>
<table class="xxgk_table" width="100%">
<tr><td>索 引 号：</td><td>002617281/2021-12345</td><td>主题分类：</td><td>工业、交通</td></tr>
<tr><td>发布机构：</td><td>某县人民政府</td><td>发布日期：</td><td>2021-08-12</td></tr>
<tr><td>名　　称：</td><td colspan="3">某县人民政府关于推进制造业高质量发展的若干意见</td></tr>
<tr><td>文　　号：</td><td>某政发〔2021〕12号</td><td>有 效 性：</td><td>有效</td></tr>
</table>
<div class="article">
<h2 class="title">某县人民政府关于推进制造业高质量发展的若干意见</h2>
<div class="info">发布时间：2021-08-12 来源：县经商局 浏览次数：<span>1234</span> 【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div id="zoom" class="TRS_Editor">
<p>各乡镇人民政府、街道办事处，县政府各部门：</p>
<p>　　为深入贯彻制造强国战略，以新发展理念引领制造业高质量
    发展，现提出如下意见。</p>
<p><strong>一、总体要求</strong></p>
<p>1.发展目标。力争到2025年，工业总产值突破1000亿元。<br>2.重点任务。实施“工业强县”战略。</p>
<p>附表：主要指标</p>
<table border="1">
<tr><th rowspan="2">序号</th><th rowspan="2">指标名称</th><th colspan="2">目标值</th></tr>
<tr><th>2020年</th><th>2025年</th></tr>
<tr><td>1</td><td>工业总产值（亿元）</td><td>600</td><td>1000</td></tr>
<tr><td>2</td><td>规上企业数（家）</td><td colspan="2">500</td></tr>
<tr><td rowspan="2">3</td><td>研发投入占比（%）</td><td>1.8</td><td>2.5</td></tr>
<tr><td>数字经济增加值（亿元）</td><td>50</td><td>120</td></tr>
</table>
<p>本意见自2021年9月1日起施行。</p>
<p style="text-align:right">某县人民政府<br>2021年8月10日</p>
<div style="display:none">隐藏的打印版文字</div>
</div>
<div class="share_box">分享到：<a>微信</a><a>微博</a></div>
<div class="print"><a>【打印本页】</a> <a>【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关文章</h3><ul><li><a>关于印发2020年工作要点的通知</a></li></ul></div>
</div>
<div class="footer">
<p>主办单位：某县人民政府办公室 承办单位：某县大数据中心</p>
<p>版权所有：某县人民政府 浙ICP备05012345号 网站标识码：3307260001</p>
<p>浙公网安备 33072602000123号</p><p>在线咨询</p>
</div>
</form></body></html>
"""


def _read(html: str, encoding: str = "utf-8", name: str = "page.html") -> Document:
    return ingest_bytes(html.encode(encoding), name, "." + name.rsplit(".", 1)[-1])


def _texts(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if b.kind != "table"]


@pytest.fixture(scope="module")
def gov() -> Document:
    return _read(GOV_PAGE, "gbk")


def test_declared_gb2312_page_is_decoded(gov: Document) -> None:
    assert gov.format == "html"
    assert gov.encoding == "gbk"


def test_header_fields_go_to_meta_not_body(gov: Document) -> None:
    assert gov.meta["索引号"] == "002617281/2021-12345"
    assert gov.meta["发布机构"] == "某县人民政府"
    assert gov.meta["发布日期"] == "2021-08-12"
    assert gov.meta["文号"] == "某政发〔2021〕12号"
    assert gov.meta["有效性"] == "有效"
    assert gov.meta["来源"] == "县经商局"  # "浏览次数" ended the value
    body = "\n".join(_texts(gov))
    for field in ("索引号", "002617281", "发布机构", "浏览次数", "来源"):
        assert field not in body


def test_title_is_the_first_block_once(gov: Document) -> None:
    title = "某县人民政府关于推进制造业高质量发展的若干意见"
    texts = _texts(gov)
    assert texts[0] == title
    assert texts.count(title) == 1
    assert "某县人民政府门户网站" not in texts  # the logo's <h1> is the site, not the document


def test_chrome_scripts_and_footer_are_gone(gov: Document) -> None:
    text = gov.text
    for junk in ("首页", "政务公开", "搜索", "当前位置", "分享到", "微信", "打印本页", "关闭窗口", "相关文章",
                 "2020年工作要点", "版权所有", "ICP备", "网站标识码", "公网安备", "主办单位", "在线咨询",
                 "脚本里的字", "color:red", "字体", "隐藏的打印版文字"):
        assert junk not in text, junk


def test_paragraphs_in_order_with_breaks_and_wraps(gov: Document) -> None:
    texts = _texts(gov)
    assert texts[1:4] == [
        "各乡镇人民政府、街道办事处，县政府各部门：",
        # The source line break between 质量 and 发展 is no space; the indent is gone.
        "为深入贯彻制造强国战略，以新发展理念引领制造业高质量发展，现提出如下意见。",
        "一、总体要求",
    ]
    # <br> ends a line: two numbered items, not one paragraph.
    assert "1.发展目标。力争到2025年，工业总产值突破1000亿元。" in texts
    assert "2.重点任务。实施“工业强县”战略。" in texts  # full-width punctuation kept
    assert texts[-2:] == ["某县人民政府", "2021年8月10日"]
    heading = next(b for b in gov.blocks if b.text == "一、总体要求")
    assert heading.kind == "heading" and heading.level == 1


def test_table_merges_are_resolved_into_a_grid(gov: Document) -> None:
    [block] = [b for b in gov.blocks if b.kind == "table"]
    table = block.table
    assert table is not None
    assert table.rows == [
        ["序号", "指标名称", "目标值", "目标值"],
        ["序号", "指标名称", "2020年", "2025年"],
        ["1", "工业总产值（亿元）", "600", "1000"],
        ["2", "规上企业数（家）", "500", "500"],
        ["3", "研发投入占比（%）", "1.8", "2.5"],
        ["3", "数字经济增加值（亿元）", "50", "120"],
    ]
    assert table.header_rows == 2
    assert table.header[2:] == ["目标值2020年", "目标值2025年"]
    assert table.caption == "附表：主要指标"


def test_charset_declaration_that_lies_is_overruled() -> None:
    page = '<html><head><meta charset="gb2312"></head><body><p>实际是UTF-8编码的页面正文。</p></body></html>'
    doc = _read(page, "utf-8")
    assert _texts(doc) == ["实际是UTF-8编码的页面正文。"]
    assert doc.encoding == "utf-8"


def test_undeclared_gbk_and_big5_pages_are_sniffed() -> None:
    gbk = _read("<html><body><p>没有声明编码的国标页面，正文照常读出。</p></body></html>", "gbk")
    assert _texts(gbk) == ["没有声明编码的国标页面，正文照常读出。"]
    big5 = _read("<html><body><p>沒有聲明編碼的繁體頁面，正文照常讀出。</p></body></html>", "big5")
    assert _texts(big5) == ["沒有聲明編碼的繁體頁面，正文照常讀出。"]
    assert big5.encoding == "big5"


def test_utf16_page_with_bom() -> None:
    doc = _read("<html><body><p>十六位编码的页面。</p></body></html>", "utf-16")
    assert _texts(doc) == ["十六位编码的页面。"]


def test_definition_list_and_label_lines_are_meta() -> None:
    page = """<html><body><dl class="info"><dt>索引号：</dt><dd>ABC/2024-1</dd>
    <dt>发文字号：</dt><dd>某政办〔2024〕3号</dd></dl>
    <div class="con"><p>正文第一段，说明有关事项。</p><p>正文第二段，提出工作要求。</p></div></body></html>"""
    doc = _read(page)
    assert doc.meta["索引号"] == "ABC/2024-1"
    assert doc.meta["发文字号"] == "某政办〔2024〕3号"
    assert _texts(doc) == ["正文第一段，说明有关事项。", "正文第二段，提出工作要求。"]


def test_layout_table_is_read_as_paragraphs() -> None:
    long_text = "各单位要高度重视，切实加强组织领导，确保各项任务落到实处。" * 25
    page = f"""<html><body><table width="980"><tr>
    <td width="200"><a href="/a">机构概况</a><br><a href="/b">政策文件</a></td>
    <td><p>一、工作目标</p><p>{long_text}</p></td></tr></table></body></html>"""
    doc = _read(page)
    assert not any(b.kind == "table" for b in doc.blocks)
    assert _texts(doc)[:2] == ["一、工作目标", long_text]
    assert "机构概况" not in doc.text


def test_word_exported_page_in_a_menu_layout_table() -> None:
    page = """<html><head><meta http-equiv=Content-Type content="text/html; charset=gb2312"><title>文件</title></head>
    <body><table width="100%"><tr><td width=180 class=leftmenu><a href=#>机构设置</a><br><a href=#>领导信息</a></td>
    <td valign=top><div class=Section1>
    <p class=MsoNormal align=center><b><span style='font-size:22.0pt'>某市工业发展规划<span lang=EN-US><o:p></o:p></span></span></b></p>
    <p class=MsoNormal><span>为推动全市工业高质量发展，
    制定本规划。<o:p></o:p></span></p>
    <p class=MsoNormal><span>2020年，规上工业增加值达到<span lang=EN-US>1200</span>亿元。</span></p>
    <p class=MsoNormal><span lang=EN-US>&nbsp;</span></p></div></td></tr></table>
    <center>版权所有 某市人民政府 &nbsp; 技术支持：某公司</center></body></html>"""
    doc = _read(page, "gbk")
    assert _texts(doc) == ["某市工业发展规划", "为推动全市工业高质量发展，制定本规划。", "2020年，规上工业增加值达到1200亿元。"]


def test_one_column_table_is_read_as_lines() -> None:
    page = "<html><body><table><tr><td>第一行文字内容</td></tr><tr><td>第二行文字内容</td></tr></table></body></html>"
    assert _texts(_read(page)) == ["第一行文字内容", "第二行文字内容"]


def test_title_from_title_tag_without_site_name() -> None:
    page = """<html><head><title>关于开展安全生产大检查的通知 - 某市应急管理局</title></head>
    <body><div class="content"><p>各区县应急管理局：</p><p>现就开展安全生产大检查有关事项通知如下。</p></div></body></html>"""
    assert _texts(_read(page))[0] == "关于开展安全生产大检查的通知"


def test_title_inside_content_is_not_repeated() -> None:
    page = """<html><head><title>某县十四五规划_某县政府</title></head><body>
    <div id="zoom"><h1>某县十四五规划</h1><p>第一章 发展基础</p><p>全县经济平稳增长，结构持续优化。</p></div></body></html>"""
    texts = _texts(_read(page))
    assert texts.count("某县十四五规划") == 1 and texts[0] == "某县十四五规划"


def test_whole_page_form_wrapper_is_not_chrome() -> None:
    page = """<html><body><form id="aspnetForm"><div class="nav"><a>首页</a></div>
    <div class="main"><p>这是页面正文的第一段，内容较长，说明了政策的背景和目标。</p>
    <p>这是页面正文的第二段，提出了具体措施。</p></div></form></body></html>"""
    assert _texts(_read(page)) == [
        "这是页面正文的第一段，内容较长，说明了政策的背景和目标。",
        "这是页面正文的第二段，提出了具体措施。",
    ]


def test_pre_keeps_its_lines() -> None:
    page = "<html><body><pre>一、总体要求\n坚持稳中求进。\n\n二、主要任务\n推进改革。</pre></body></html>"
    assert _texts(_read(page)) == ["一、总体要求", "坚持稳中求进。", "二、主要任务", "推进改革。"]


def test_page_without_text_is_an_ingest_error() -> None:
    for page in ("", "   ", "<html></html>", "<html><body><script>var a;</script><nav><a>首页</a></nav></body></html>",
                 "<html><head><title>关于某事的通知_某县政府</title></head><frameset><frame src=a.html></frameset></html>"):
        with pytest.raises(IngestError) as err:
            _read(page)
        assert err.value.error_type in {"no_text", "empty_file"}


def test_xhtml_with_xml_declaration_and_odd_characters() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>' \
           "<p>含有\x00空字符\x0b和\u200b零宽字符的正文。</p></body></html>"
    assert _texts(_read(page)) == ["含有空字符和零宽字符的正文。"]


def test_html_named_txt_is_read_as_html() -> None:
    doc = _read("<!DOCTYPE html><html><body><p>另存为文本的网页正文。</p></body></html>", name="page.txt")
    assert doc.format == "html"
    assert _texts(doc) == ["另存为文本的网页正文。"]
    assert any("html" in w for w in doc.warnings)


def test_deep_nesting_and_big_pages_are_linear() -> None:
    deep = "<div>" * 20000 + "<p>深层嵌套的正文。</p>" + "</div>" * 20000
    assert _texts(_read(f"<html><body>{deep}</body></html>")) == ["深层嵌套的正文。"]
    line = "推进产业发展，优化营商环境。" * 150_000  # 2.1M characters, ~6 MB, one line, no tags
    started = time.monotonic()
    doc = _read(f"<html><body><p>{line}</p></body></html>")
    assert time.monotonic() - started < 10
    assert _texts(doc) == [line]


# --------------------------------------------------------------------------
# table_grid
# --------------------------------------------------------------------------


def _grid(html: str) -> tuple[list[list[str]], int]:
    return table_grid(lxml.html.fragment_fromstring(html))


def test_grid_is_rectangular_and_repeats_merged_cells() -> None:
    rows, header = _grid(
        "<table><tr><td rowspan=3>A</td><td colspan=2>B</td></tr>"
        "<tr><td>c</td><td>d</td></tr><tr><td colspan=2>e</td></tr></table>"
    )
    assert rows == [["A", "B", "B"], ["A", "c", "d"], ["A", "e", "e"]]
    assert header == 1


def test_grid_caps_absurd_spans_and_drops_empty_rows() -> None:
    rows, _ = _grid(
        '<table><tr><td>甲</td><td rowspan="99999">乙</td></tr><tr><td></td></tr>'
        '<tr><td colspan="100000000">丙</td></tr></table>'
    )
    assert len(rows) == 3  # the rowspan stops at the last row
    assert len({len(r) for r in rows}) == 1 and len(rows[0]) <= 200
    assert rows[0][:2] == ["甲", "乙"] and rows[1][1] == "乙" and rows[2][0] == "丙"


def test_grid_ignores_nested_tables_rows_and_keeps_cell_lines() -> None:
    rows, _ = _grid(
        "<table><thead><tr><th>项目</th><th>内容</th></tr></thead>"
        "<tr><td>一</td><td><p>第一行</p><p>第二行</p></td></tr>"
        "<tr><td>二</td><td>甲<br/>乙<table><tr><td>内</td></tr></table></td></tr></table>"
    )
    assert rows[0] == ["项目", "内容"]
    assert rows[1] == ["一", "第一行\n第二行"]
    assert rows[2][0] == "二" and rows[2][1].startswith("甲\n乙")
    assert len(rows) == 3


# --------------------------------------------------------------------------
# Properties: any page is a Document or an IngestError, never a crash
# --------------------------------------------------------------------------

_SOUP = st.lists(
    st.sampled_from([
        "<p>", "</p>", "<div>", "</div>", "<table>", "</table>", "<tr>", "<td>", "</td>", "<th rowspan=2>",
        "<td colspan=3>", "<td rowspan=0>", "<td colspan=-1>", "<br>", "<pre>", "</pre>", "<h1>", "</h1>",
        "<dl><dt>索引号：</dt><dd>", "索引号：", "发布日期：2024-01-01", "来源：", "<div class=nav>", "<footer>",
        "<title>", "</title>", "<script>", "<!--", "-->", "<![CDATA[", "&nbsp;", "&#0;", "&lol;", "一、总体要求",
        "到2025年达到100亿元。", "版权所有", "\x00", "\u3000", "\n", " ", "<", ">", "<form>", "<body>", "<html>",
    ]),
    max_size=60,
).map("".join)


def _document_or_ingest_error(data: bytes) -> None:
    doc = Document(doc_id="x", path="p.html", format="html")
    try:
        result = read_html(data, doc)
    except IngestError:
        return
    assert isinstance(result, Document)
    assert all(b.text == b.text.strip() and b.text for b in result.blocks)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SOUP)
def test_tag_soup_never_crashes(html: str) -> None:
    _document_or_ingest_error(html.encode("utf-8"))


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_random_text_never_crashes(text: str) -> None:
    _document_or_ingest_error(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=150, deadline=None)
@given(st.binary())
def test_random_bytes_never_crash(data: bytes) -> None:
    _document_or_ingest_error(data)


# --------------------------------------------------------------------------
# Shared noise and header-field helpers (clean.py, rules/noise.toml)
# --------------------------------------------------------------------------


def test_meta_lines_with_spaced_labels_and_stop_words() -> None:
    from planextract.ingest import clean

    assert clean.parse_meta_line("索 引 号：M059/2024-1　　来　　源：县政府办 浏览次数：12") == {
        "索引号": "M059/2024-1", "来源": "县政府办"}
    assert clean.parse_meta_line("索引号M059/2024-1 发布机构县经信局") == {"索引号": "M059/2024-1", "发布机构": "县经信局"}
    assert clean.parse_meta_line("来源于群众的意见和建议") is None  # a sentence, not a field
    assert clean.parse_meta_cells(["名　　称：", "关于印发方案的通知", "文号：某政发〔2024〕1号"]) == {
        "名称": "关于印发方案的通知", "文号": "某政发〔2024〕1号"}


@pytest.mark.parametrize(
    ("line", "noise"),
    [
        ("版权所有：某县人民政府 浙ICP备05012345号", True),
        ("Copyright © 1998-2025 某公司 All rights reserved.", True),
        ("违法和不良信息举报电话：0839-7202345", True),
        ("当前位置：首页 > 政务公开 > 政策文件", True),
        ("【打印本页】 【关闭窗口】", True),
        ("网站地图 | 联系我们", True),
        ("在线咨询", True),
        ("依法保护版权所有者的合法权益。", False),
        ("公布举报电话12345678，接受群众监督。", False),
        ("关闭落后产能企业20家，完成年度目标任务。", False),
    ],
)
def test_noise_lines(line: str, noise: bool) -> None:
    from planextract.ingest import clean

    assert clean.is_noise_line(line) is noise
