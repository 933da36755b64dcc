"""Generate the sample documents in data/raw/ (one per input format).

    python scripts/make_samples.py data/raw

The documents are invented for this project (a plan of 青川县 in the genre of
Chinese county-level policy documents) and written so that every ingester
meets the things real files throw at it: numbered outlines, Word heading
styles and bookmarks, merged table cells, page headers and footers, Tika
markers, GBK bytes and web-site chrome. Each carries forward-looking
targets, reported past figures (not targets), responsibility lines and a
project list.

Output is deterministic: fixed dates and metadata, zip entries with a fixed
timestamp, so a rerun gives the same bytes. The PDF is set in Noto Sans SC
from the `pylopdf-fonts-zh-cn` package (a dev dependency), never in a font
the machine happens to have, so every machine makes the same PDF (with the
same fpdf2 and fontTools; tests compare the PDF's text, which their
releases do not change).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import io
import json
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

FIXED_TIME = dt.datetime(2023, 3, 15, 9, 0, 0, tzinfo=dt.UTC)
LEFT, ABOVE = "<", "^"  # table cell markers: merged with the cell to the left / above


@dataclass
class Tbl:
    """A table: `rows` hold cell text, LEFT/ABOVE for the cells a merge covers."""

    caption: list[str]  # the title lines printed right above the table
    rows: list[list[str]]
    header_rows: int = 1


@dataclass
class Sample:
    title: str
    items: list[tuple[str, str] | Tbl]  # ("h1"|"h2"|"p"|"meta"|"image", text) or a table
    header: str = ""  # running page header (PDF)
    meta: dict[str, str] = field(default_factory=dict)  # web header fields (HTML)


def resolve(rows: list[list[str]]) -> list[list[str]]:
    """The grid a reader sees: every merged cell's value repeated into the cells it covers."""
    out = [list(r) for r in rows]
    for r, row in enumerate(out):
        for c, cell in enumerate(row):
            if cell == LEFT:
                row[c] = row[c - 1]
            elif cell == ABOVE:
                row[c] = out[r - 1][c]
    return out


def _extent(rows: list[list[str]], r: int, c: int) -> tuple[int, int]:
    """(last row, last col) covered by the merge whose origin is (r, c)."""
    c2 = c
    while c2 + 1 < len(rows[r]) and rows[r][c2 + 1] == LEFT:
        c2 += 1
    r2 = r
    while r2 + 1 < len(rows) and rows[r2 + 1][c] == ABOVE:
        r2 += 1
    return r2, c2


# --------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------

DUTY = "（责任单位：县经信局、县发改局）"

INDUSTRY_TARGETS = Tbl(
    caption=["表1 青川县工业经济主要发展指标"],
    header_rows=2,
    rows=[
        ["类别", "指标名称", "单位", "2022年", "目标值", LEFT, "属性"],
        [ABOVE, ABOVE, ABOVE, ABOVE, "2024年", "2025年", ABOVE],
        ["经济规模", "规上工业增加值", "亿元", "152.3", "180", "200", "预期性"],
        [ABOVE, "规上工业企业数", "户", "86", "105", "120", "预期性"],
        ["创新驱动", "研发经费投入强度", "%", "1.2", "1.6", "2.0", "预期性"],
        [ABOVE, "高新技术企业数", "户", "12", "18", "25", "预期性"],
        ["绿色发展", "单位工业增加值能耗降低", "%", "—", "累计降低8%", LEFT, "约束性"],
    ],
)

PROJECT_HEADER = ["序号", "项目名称", "建设地点", "建设内容", "总投资（万元）", "建设期限", "建设单位"]

INDUSTRY_PROJECTS = Tbl(
    caption=["附件", "青川县2023—2025年工业重点项目表"],
    rows=[
        PROJECT_HEADER,
        ["1", "青川竹笋精深加工项目", "竹园镇", "新建竹笋清洗、蒸煮、包装生产线3条，年加工鲜笋5万吨", "35000",
         "2023—2025年", "四川青竹食品有限公司"],
        ["2", "黑木耳产业园建设项目", "乔庄镇", "建设菌包生产车间2万平方米及冷链仓储中心", "28000", "2023—2024年",
         "青川县唐家河农业开发有限公司"],
        ["3", "新型建材产业园项目", "青川工业园区", "建设装配式建筑部品部件生产线4条", "52000", "2024—2025年",
         "青川县城乡建设投资有限公司"],
        ["合计", LEFT, LEFT, LEFT, "115000", "", ""],
    ],
)

DOCX_SAMPLE = Sample(
    title="青川县推进工业经济高质量发展三年行动计划（2023—2025年）",
    items=[
        ("meta", "青府办发〔2023〕15号"),
        ("p", "为深入贯彻新型工业化战略部署，加快构建现代产业体系，"
              "推动全县工业经济提质增效，结合我县实际，制定本行动计划。"),
        ("h1", "一、总体要求"),
        ("h2", "（一）发展基础"),
        ("p", "2022年，全县实现规上工业增加值152.3亿元，同比增长7.4%，规上工业企业达到86户。食品饮料、新型材料、"
              "清洁能源三大主导产业产值占规上工业比重达68.5%，工业经济对全县经济增长的贡献率达到41.2%。"),
        ("h2", "（二）发展目标"),
        ("p", "到2025年，规上工业增加值突破200亿元，年均增长6%左右；规上工业企业达到120户以上，新增“专精特新”"
              "中小企业10户；工业投资年均增长10%以上，单位工业增加值能耗累计降低8%。"),
        INDUSTRY_TARGETS,
        ("image", "产业布局示意图"),
        ("h1", "二、重点任务"),
        ("h2", "（一）做强主导产业"),
        ("p", "1.壮大食品饮料产业。依托竹笋、黑木耳、茶叶等特色资源，推进农产品精深加工，培育区域公用品牌，"
              "到2025年食品饮料产业产值达到80亿元。" + DUTY),
        ("p", "2.发展新型材料产业。围绕装配式建材、新型墙体材料延链补链，"
              "引进配套企业5户以上。（责任单位：县经信局、县科技局）"),
        ("h2", "（二）推进数字化转型"),
        ("p", "1.实施智能化改造。支持企业建设数字化车间和智能工厂，到2025年规上工业企业数字化改造覆盖率达到70%以上。"
              "（责任单位：县经信局）"),
        ("h2", "（三）强化项目支撑"),
        ("p", "坚持以项目论英雄，滚动实施一批工业重点项目，具体项目见附件。"),
        ("h1", "三、保障措施"),
        ("h2", "（一）加强组织领导"),
        ("p", "成立县推进工业经济高质量发展工作领导小组，统筹协调重大事项，"
              "定期研究解决重点问题。（责任单位：县政府办）"),
        ("h2", "（二）强化要素保障"),
        ("p", "优先保障重点工业项目用地，每年安排工业发展专项资金不少于3000万元。（责任单位：县财政局、县自然资源局）"),
        INDUSTRY_PROJECTS,
    ],
)

PDF_SAMPLE = Sample(
    title="青川县数字经济发展规划（2023—2027年）",
    header="青川县数字经济发展规划（2023—2027年）",
    items=[
        ("meta", "青川县发展和改革局　2023年3月"),
        ("h1", "一、发展现状"),
        ("p", "近年来，全县深入实施数字经济“一号工程”，数字基础设施不断完善，数字产业化和产业数字化协同推进。"
              "2022年，全县数字经济核心产业增加值达到9.8亿元，占地区生产总值比重为5.1%；累计建成5G基站412个，"
              "实现乡镇以上区域和重点行政村5G网络全覆盖，千兆光网覆盖家庭4.6万户。电子商务交易额达到23.5亿元，"
              "同比增长12.3%，农村网络零售额达到6.2亿元，带动农户增收效果明显。"),
        ("p", "同时也要看到，全县数字经济总量偏小，数字企业数量少、规模小，高端人才引育难度较大，数字技术与实体经济"
              "融合深度不够，数字化公共服务平台支撑能力仍需提升。"),
        ("h1", "二、发展目标"),
        ("p", "到2027年，数字经济核心产业增加值达到18亿元，年均增长13%左右，占地区生产总值比重提高到7.5%以上；"
              "累计建成5G基站800个，重点场所5G网络通达率达到100%；规上工业企业数字化改造覆盖率达到80%以上，"
              "培育省级数字化转型示范企业5家。"),
        Tbl(
            caption=["表1 数字经济发展主要指标"],
            header_rows=2,
            rows=[
                ["指标名称", "单位", "2022年", "目标值", LEFT, "属性"],
                [ABOVE, ABOVE, ABOVE, "2025年", "2027年", ABOVE],
                ["数字经济核心产业增加值", "亿元", "9.8", "13.5", "18", "预期性"],
                ["5G基站数量", "个", "412", "650", "800", "预期性"],
                ["规上工业企业数字化改造覆盖率", "%", "45", "70", "80", "预期性"],
            ],
        ),
        ("h1", "三、主要任务"),
        ("h2", "（一）夯实数字基础设施"),
        ("p", "加快5G网络、千兆光网和算力设施建设，推进县城区、工业园区和景区重点区域5G网络深度覆盖，建设县级"
              "城市大数据中心，提升数据汇聚、存储和应用能力，到2025年建成县级政务云平台。"
              "（责任单位：县经信局、县发改局）"),
        ("h2", "（二）推动产业数字化转型"),
        ("p", "实施中小企业数字化赋能行动，推动食品饮料、新型材料等传统产业开展智能化改造，建设数字化车间10个、"
              "智能工厂3个；发展农村电商和直播带货，打造一批数字农业示范基地。（责任单位：县经信局、县农业农村局、"
              "县商务局）"),
        ("h2", "（三）培育数字产业集群"),
        ("p", "依托青川工业园区建设数字经济产业园，重点发展电子元器件配套、软件和信息技术服务、数据标注等产业，"
              "引进数字经济企业20户以上，到2027年数字经济核心产业企业达到60户。支持本地企业与省内外龙头企业开展"
              "协作配套，承接成渝地区电子信息产业转移，培育一批“专精特新”数字企业。"
              "（责任单位：县经信局、县投促局）"),
        ("p", "加快发展平台经济和共享经济，鼓励发展网络直播、在线文旅、智慧物流等新业态，打造县域直播电商基地1个，"
              "培育本土网络主播100名以上，推动青川竹笋、黑木耳、茶叶等特色农产品网络销售额年均增长15%以上。"
              "（责任单位：县商务局、县农业农村局）"),
        ("h2", "（四）提升数字治理能力"),
        ("p", "深化“一网通办”“一网统管”改革，推进政务服务事项全程网办，到2025年政务服务事项网上可办率达到95%以上。"
              "建设县域社会治理综合指挥平台，整合公安、应急、城管、生态环境等视频监控资源，提升基层治理数字化水平。"
              "推进数据资源目录编制和公共数据开放共享，建立健全数据安全管理制度。（责任单位：县政务服务和大数据局）"),
        ("p", "推进智慧应急体系建设，完善地质灾害、森林防火和山洪监测预警网络，实现重点隐患点位自动监测全覆盖；"
              "加强城市运行管理服务平台建设，推动供水、燃气、桥梁等城市生命线工程安全运行监测。"
              "（责任单位：县应急管理局、县住房城乡建设局）"),
        ("h2", "（五）发展数字民生服务"),
        ("p", "推进“互联网+教育”“互联网+医疗健康”发展，实现中小学智慧校园全覆盖，建成县域远程医疗服务平台，"
              "乡镇卫生院远程诊疗覆盖率达到100%。推广电子社保卡和数字人民币应用，丰富数字生活服务场景，"
              "让群众共享数字化发展成果。（责任单位：县教育局、县卫生健康局）"),
        ("p", "实施数字乡村建设行动，推进农村地区信息基础设施提档升级，建设益农信息社200个，培育数字乡村示范村10个，"
              "推动涉农数据资源整合共享，提升农业生产、经营、管理和服务数字化水平。（责任单位：县农业农村局、县委网信办）"),
        ("p", "加强全民数字素养与技能培训，"
              "面向老年人、残疾人等群体开展智能技术应用培训，推动公共服务适老化和无障碍改造，"
              "每年开展数字技能培训活动不少于50场次，逐步弥合数字鸿沟。（责任单位：县人力资源社会保障局、县民政局）"),
        ("h2", "（六）实施数字经济重点项目"),
        ("p", "围绕数字基础设施、数字产业和数字治理，谋划实施一批重点项目，总投资约6.7亿元。"),
        Tbl(
            caption=["表2 数字经济重点项目"],
            rows=[
                PROJECT_HEADER,
                ["1", "县城市大数据中心", "乔庄镇", "建设机房及配套设施，部署服务器机柜200个", "18000",
                 "2023—2025年", "青川县大数据中心"],
                ["2", "5G网络深度覆盖工程", "全县", "新建5G基站390个及配套传输设施", "26000", "2023—2027年",
                 "县内通信运营企业"],
                ["3", "数字农业示范基地", "竹园镇", "建设智慧茶园、食用菌智能温室等示范基地3个", "9000",
                 "2024—2026年", "青川县农业农村局"],
                ["4", "智慧文旅平台", "唐家河景区", "建设景区智能票务、客流监测和文旅大数据平台", "14000",
                 "2024—2027年", "青川县文化广播电视和旅游局"],
            ],
        ),
        ("h1", "四、保障措施"),
        ("h2", "（一）加强组织领导"),
        ("p", "成立县数字经济发展工作领导小组，建立重点项目清单化管理、月调度、季通报工作机制，确保各项任务"
              "落地见效。（责任单位：县发改局）"),
        ("h2", "（二）加大政策支持"),
        ("p", "县财政每年安排数字经济发展专项资金不少于1000万元，对新建数字化车间、智能工厂的企业按设备投资额的"
              "10%给予补助，单个企业最高不超过200万元。（责任单位：县财政局、县经信局）"),
        ("h2", "（三）强化人才支撑"),
        ("p", "实施数字人才引育计划，与省内高校共建实训基地，到2027年累计培养数字技能人才1000人次以上。"
              "（责任单位：县人力资源社会保障局）"),
    ],
)

TIKA_SAMPLE = Sample(
    title="青川县2024年乡村振兴重点工作实施方案",
    items=[
        ("p", "为全面推进乡村振兴，加快建设农业强县，结合我县实际，制定本方案。"),
        ("h1", "一、工作目标"),
        ("p", "2023年，全县粮食总产量达到9.6万吨，农村居民人均可支配收入达到16820元。"),
        ("p", "2024年，粮食播种面积稳定在28万亩以上，粮食总产量达到9.8万吨；农村居民人均可支配收入增长7%左右；"
              "新建高标准农田2.5万亩。"),
        Tbl(
            caption=["表一 2024年乡村振兴主要指标"],
            rows=[
                ["类别", "指标名称", "单位", "2023年", "2024年目标"],
                ["粮食安全", "粮食播种面积", "万亩", "27.9", "28"],
                [ABOVE, "粮食总产量", "万吨", "9.6", "9.8"],
                ["农民增收", "农村居民人均可支配收入", "元", "16820", "18000"],
                [ABOVE, "新建高标准农田", "万亩", "2.1", "2.5"],
            ],
        ),
        ("h1", "二、重点任务"),
        ("h2", "（一）稳定粮食生产"),
        ("p", "1.落实粮食生产责任。将粮食播种面积和产量目标分解到乡镇，严格耕地用途管制，坚决遏制耕地“非农化”。"
              "（责任单位：县农业农村局、县自然资源局）"),
        ("h2", "（二）壮大特色产业"),
        ("p", "1.发展茶叶和食用菌产业。新改建标准化茶园1万亩，黑木耳生产规模达到6000万袋。" + DUTY),
        ("h2", "（三）实施乡村建设项目"),
        ("p", "全年实施乡村振兴重点项目4个，具体如下。"),
        Tbl(
            caption=["附件", "2024年乡村振兴重点项目表"],
            rows=[
                PROJECT_HEADER,
                ["1", "高标准农田建设项目", "木鱼镇", "新建高标准农田2.5万亩，配套灌溉渠系", "7500", "2024年",
                 "青川县农业农村局"],
                ["2", "茶叶加工中心", "骑马乡", "建设茶叶清洁化加工车间3000平方米", "3200", "2024—2025年",
                 "青川县茶叶专业合作社联合社"],
                ["3", "农村供水保障工程", "全县", "新建改造集中供水工程12处", "4600", "2024年", "青川县水利局"],
                ["4", "冷链物流集配中心", "乔庄镇", "建设冷库1万立方米及分拣中心", "5800", "2024—2025年",
                 "青川县供销合作社"],
            ],
        ),
        ("h1", "三、保障措施"),
        ("p", "各乡镇、各部门要压实工作责任，县委农办定期调度工作进展。（责任单位：县委农办）"),
    ],
)

GBK_SAMPLE = Sample(
    title="青川县文化和旅游融合发展三年行动方案（2024—2026年）",
    items=[
        ("meta", "青川县文化广播电视和旅游局"),
        ("h1", "一、发展基础"),
        ("p", "2023年，全县接待游客612万人次，实现旅游综合收入58.3亿元，分别增长15.6%和18.2%。"),
        ("h1", "二、主要目标"),
        ("p", "到2026年，全县年接待游客突破800万人次，旅游综合收入达到80亿元，"
              "年均增长11%左右；创建国家4A级旅游景区2个。"),
        ("h1", "三、重点任务"),
        ("h2", "（一）打造精品景区"),
        ("p", "推进唐家河景区提档升级，完善游客服务中心、智慧导览等设施。（责任单位：县文广旅局、唐家河管理处）"),
        ("h2", "（二）发展乡村旅游"),
        ("p", "培育乡村旅游重点村10个，发展精品民宿200家以上。" + DUTY),
        ("h1", "四、重点项目"),
        Tbl(
            caption=["青川县文旅融合重点项目"],
            rows=[
                PROJECT_HEADER,
                ["1", "唐家河景区提升工程", "青溪镇", "改造游客中心，建设生态步道15公里", "12000", "2024—2025年",
                 "青川县文旅投资有限公司"],
                ["2", "东河口地震遗址公园改造", "红光乡", "完善展陈设施和研学基地", "6500", "2024—2026年",
                 "青川县文广旅局"],
                ["3", "青溪古城文旅街区", "青溪镇", "修缮古城风貌，建设非遗展示街区", "9800", "2025—2026年",
                 "青溪镇人民政府"],
            ],
        ),
        ("h1", "五、保障措施"),
        ("p", "县财政每年安排文旅发展资金不少于2000万元，统筹用于景区建设和宣传营销。（责任单位：县财政局）"),
    ],
)

HTML_SAMPLE = Sample(
    title="青川县人民政府关于加快新能源产业发展的实施意见",
    meta={
        "索引号": "008792345/2023-00127",
        "发布机构": "青川县人民政府",
        "发布日期": "2023-06-20",
        "文件编号": "青府发〔2023〕8号",
    },
    items=[
        ("p", "各乡镇人民政府，县级各部门："),
        ("p", "为抢抓新能源产业发展机遇，推动能源结构绿色低碳转型，现就加快全县新能源产业发展提出如下意见。"),
        ("h1", "一、总体目标"),
        ("p", "2022年，全县清洁能源装机容量达到38万千瓦，清洁能源发电量占比达到92%。"),
        ("p", "到2025年，全县新能源装机容量达到60万千瓦以上，新能源产业产值突破50亿元，年均增长15%左右。"),
        Tbl(
            caption=["表1 新能源产业发展主要指标"],
            rows=[
                ["类别", "指标名称", "单位", "2022年", "2025年"],
                ["装机规模", "新能源装机容量", "万千瓦", "38", "60"],
                [ABOVE, "其中：光伏装机容量", "万千瓦", "2", "12"],
                ["产业发展", "新能源产业产值", "亿元", "26", "50"],
                ["合计装机占比", LEFT, "%", "—", "100"],
            ],
        ),
        ("h1", "二、重点任务"),
        ("h2", "（一）有序发展光伏发电"),
        ("p", "推进整县屋顶分布式光伏开发，新增光伏装机10万千瓦。" + DUTY),
        ("h2", "（二）培育储能产业"),
        ("p", "引进储能电池及系统集成企业2户以上，建设新型储能示范项目。（责任单位：县发改局、县投促局）"),
        Tbl(
            caption=["附件", "新能源重点项目"],
            rows=[
                PROJECT_HEADER,
                ["1", "屋顶分布式光伏项目", "全县", "利用公共建筑和工业厂房屋顶建设光伏10万千瓦", "45000",
                 "2023—2025年", "青川县能源投资有限公司"],
                ["2", "新型储能示范电站", "青川工业园区", "建设储能电站5万千瓦/10万千瓦时", "38000", "2024—2025年",
                 "四川青能储能科技有限公司"],
            ],
        ),
        ("h1", "三、保障措施"),
        ("p", "本意见自发布之日起施行，有效期5年。"),
    ],
)


# --------------------------------------------------------------------------
# .docx
# --------------------------------------------------------------------------


def make_docx(sample: Sample) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    document.add_paragraph(sample.title, style="Title")
    bookmark = 0
    for item in sample.items:
        if isinstance(item, Tbl):
            for line in item.caption:
                document.add_paragraph(line)
            _docx_table(document, item, qn, OxmlElement)
            continue
        kind, text = item
        if kind in ("h1", "h2"):
            p = document.add_paragraph(text, style="Heading 1" if kind == "h1" else "Heading 2")
            bookmark += 1
            _add_bookmark(p, f"_Toc{1000 + bookmark}", bookmark, qn, OxmlElement)
        elif kind == "image":
            document.add_picture(io.BytesIO(_png()), width=Pt(120))
            document.add_paragraph(text)  # the figure's own caption line
        else:
            document.add_paragraph(text)
    props = document.core_properties
    props.author = props.last_modified_by = "青川县人民政府办公室"
    props.title = sample.title
    props.created = props.modified = props.last_printed = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    return fixed_zip_times(buf.getvalue())


def _add_bookmark(p, name: str, bid: int, qn, OxmlElement) -> None:  # type: ignore[no-untyped-def]
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bid))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bid))
    p._p.insert(1 if p._p.pPr is not None else 0, start)
    p._p.append(end)


def _docx_table(document, tbl: Tbl, qn, OxmlElement) -> None:  # type: ignore[no-untyped-def]
    nrows, ncols = len(tbl.rows), len(tbl.rows[0])
    table = document.add_table(rows=nrows, cols=ncols)
    table.style = "Table Grid"
    for r, row in enumerate(tbl.rows):
        for c, text in enumerate(row):
            if text in (LEFT, ABOVE):
                continue
            r2, c2 = _extent(tbl.rows, r, c)
            cell = table.cell(r, c).merge(table.cell(r2, c2)) if (r2, c2) != (r, c) else table.cell(r, c)
            cell.text = text
    for r in range(tbl.header_rows):  # Word's "repeat as header row"
        tr_pr = table.rows[r]._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))


def _png() -> bytes:
    """A tiny fixed PNG (a figure whose pixels carry no text)."""
    from PIL import Image

    img = Image.new("RGB", (40, 20), (30, 120, 200))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with a fixed timestamp on every entry (python-docx stamps 'now')."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2023, 3, 15, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------
# .pdf
# --------------------------------------------------------------------------


def find_font(sample: Sample) -> str:
    """A TrueType font file with every character of sample, made from the package's Noto Sans SC.

    The package ships the font with CFF (PostScript) outlines; fpdf2 embeds it,
    but pdfminer (pdfplumber) then reads no text from the PDF at all, while
    every reader reads TrueType. Converting only the sample's characters
    takes a second; the file is kept in the temp folder for the next run.
    """
    import pylopdf_fonts_zh_cn

    source = pylopdf_fonts_zh_cn.sans_path()
    chars = "".join(sorted(set(json.dumps(dataclasses.asdict(sample), ensure_ascii=False) + "\u3000- 0123456789")))
    key = hashlib.sha256(f"{source.stat().st_size}:{chars}".encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"planextract-font-{key}.ttf"
    if not path.exists():
        tmp = path.with_suffix(f".{id(chars)}.tmp")
        tmp.write_bytes(_truetype_subset(source, chars))
        tmp.replace(path)  # atomic: a parallel run never reads half a font
    return str(path)


def _truetype_subset(source: Path, chars: str) -> bytes:
    """The glyphs of chars from an OpenType-CFF font, as a TrueType font (quadratic outlines)."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(source, recalcTimestamp=False)  # the same bytes on every run
    options = subset.Options()
    options.layout_features = []  # plain text: no ligatures or vertical forms needed
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    glyph_set, order = font.getGlyphSet(), font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:  # cubic curves -> quadratic ones, within 1 unit of 1000 per em
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for tag in ("CFF ", "VORG"):  # CFF-only tables
        if tag in font:
            del font[tag]
    maxp = newTable("maxp")  # version 1.0, the TrueType one; the glyph counts are recomputed on save
    maxp.tableVersion, maxp.maxZones = 0x00010000, 1
    for name in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, name, 0)  # no hinting instructions, no composite glyphs
    font["maxp"] = maxp
    font["post"].formatType = 3.0  # no glyph names: TrueType needs none
    font.sfntVersion = "\0\1\0\0"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def make_pdf(sample: Sample) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import WrapMode

    class Pdf(FPDF):
        def header(self) -> None:
            self.set_font("cjk", size=9)
            self.cell(0, 6, sample.header, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-18)
            self.set_font("cjk", size=10)
            self.cell(0, 8, f"- {self.page_no()} -", align="C")

    pdf = Pdf(format="A4")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=25)
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_creator("make_samples.py")
    pdf.set_producer("fpdf2")
    pdf.set_title(sample.title)
    pdf.add_font("cjk", fname=find_font(sample))
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.multi_cell(0, 12, sample.title, align="C", new_x="LMARGIN", new_y="NEXT")
    for item in sample.items:
        if isinstance(item, Tbl):
            _pdf_table(pdf, item)
            continue
        kind, text = item
        if kind == "meta":
            pdf.set_font("cjk", size=12)
            pdf.multi_cell(0, 8, text, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif kind in ("h1", "h2"):
            pdf.set_font("cjk", size=14 if kind == "h1" else 12.5)
            pdf.ln(2)
            pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("cjk", size=12)
            pdf.multi_cell(0, 7.5, "\u3000\u3000" + text, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf_table(pdf, tbl: Tbl) -> None:  # type: ignore[no-untyped-def]
    from fpdf.enums import WrapMode
    from fpdf.fonts import FontFace

    pdf.set_font("cjk", size=12)
    pdf.ln(2)
    for line in tbl.caption:
        pdf.multi_cell(0, 8, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    ncols = len(tbl.rows[0])
    widths = _col_widths(tbl, ncols)
    with pdf.table(
        col_widths=widths,
        num_heading_rows=tbl.header_rows,
        text_align="CENTER",
        line_height=5.5,
        wrapmode=WrapMode.CHAR,
        repeat_headings=0,
        headings_style=FontFace(emphasis=""),  # the CJK font has no bold face
    ) as table:
        for r, row in enumerate(tbl.rows):
            out = table.row()
            for c, text in enumerate(row):
                if text in (LEFT, ABOVE):
                    continue
                r2, c2 = _extent(tbl.rows, r, c)
                out.cell(text, colspan=c2 - c + 1, rowspan=r2 - r + 1)
    pdf.ln(3)


def _col_widths(tbl: Tbl, ncols: int) -> tuple[int, ...]:
    """Wider columns for longer text, so the table keeps a reasonable height."""
    longest = [max(len(row[c]) for row in resolve(tbl.rows)) for c in range(ncols)]
    return tuple(min(max(n, 3), 14) for n in longest)


# --------------------------------------------------------------------------
# .txt (Tika) and GBK .txt (web copy with a flattened table)
# --------------------------------------------------------------------------


def make_tika(sample: Sample) -> bytes:
    """Tika's text of a Word file: tab-prefixed cells, a blank line between rows."""
    lines = [sample.title, ""]
    toc = 0
    for item in sample.items:
        if isinstance(item, Tbl):
            lines += item.caption
            for row in item.rows:
                # Tika prints a horizontally merged cell once and a vertically merged one as empty.
                lines += ["\t" + ("" if cell == ABOVE else cell) for cell in row if cell != LEFT]
                lines.append("")
            lines.append("")
            continue
        kind, text = item
        if kind in ("h1", "h2"):
            toc += 1
            lines.append(f"[bookmark: _Toc{toc}]{text}")
        else:
            lines.append(text)
        if kind == "h1" and toc == 1:
            lines.append("[image: ]")
    return ("\n".join(lines) + "\n").encode("utf-8")


def make_gbk(sample: Sample) -> bytes:
    """A web page copied to a GBK .txt: one line per paragraph, a table flattened to one cell per line."""
    lines = [sample.title, ""]
    for item in sample.items:
        if isinstance(item, Tbl):
            lines += item.caption
            for row in item.rows:
                lines += [cell for cell in row if cell not in (LEFT, ABOVE)]
            continue
        lines.append(item[1])
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


# --------------------------------------------------------------------------
# .html (a government site page with its chrome)
# --------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}_青川县人民政府</title>
<link rel="stylesheet" href="/css/main.css">
<script src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
<style>.nav li {{ float: left; }}</style>
</head>
<body>
<div class="top">
  <div class="logo"><img src="/images/logo.png" alt="青川县人民政府"></div>
  <div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div>
</div>
<nav class="nav"><ul>
  <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
  <li><a href="/hdjl/">互动交流</a></li><li><a href="/zjqc/">走进青川</a></li>
</ul></nav>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<div class="article">
<table class="meta">
{meta_rows}
</table>
<h1 class="title">{title}</h1>
<div class="tools">【字体：<a>大</a> <a>中</a> <a>小</a>】 【打印】 【关闭】</div>
<div class="content" id="zoom">
{body}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
</div>
<footer class="footer">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>
<p>在线咨询</p>
<p>主办单位：青川县人民政府办公室</p>
<p>版权所有：青川县人民政府 蜀ICP备05012345号-1</p>
<p>川公网安备 51082202000123号 网站标识码：5108220001</p>
<p>违法和不良信息举报电话：0839-7202345</p>
<p>访问次数：1024768</p>
</footer>
<script>document.getElementById("zoom").style.fontSize = "16px";</script>
</body>
</html>
"""


def make_html(sample: Sample) -> bytes:
    metas = list(sample.meta.items())
    meta_rows = "\n".join(
        "<tr>" + "".join(f"<td>{k}：</td><td>{v}</td>" for k, v in metas[i : i + 2]) + "</tr>"
        for i in range(0, len(metas), 2)
    )
    body: list[str] = []
    for item in sample.items:
        if isinstance(item, Tbl):
            body += [f'<p style="text-align:center">{line}</p>' for line in item.caption]
            body.append(_html_table(item))
            continue
        kind, text = item
        if kind in ("h1", "h2"):
            body.append(f"<p><strong>{text}</strong></p>")
        else:
            body.append(f'<p style="text-indent:2em">{text}</p>')
    page = HTML_PAGE.format(title=sample.title, meta_rows=meta_rows, body="\n".join(body))
    return page.encode("utf-8")


def _html_table(tbl: Tbl) -> str:
    rows = []
    for r, row in enumerate(tbl.rows):
        cells = []
        for c, text in enumerate(row):
            if text in (LEFT, ABOVE):
                continue
            r2, c2 = _extent(tbl.rows, r, c)
            span = (f' colspan="{c2 - c + 1}"' if c2 > c else "") + (f' rowspan="{r2 - r + 1}"' if r2 > r else "")
            cells.append(f"<td{span}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"


# --------------------------------------------------------------------------

SAMPLES = {
    "qingchuan_industry_plan.docx": (make_docx, DOCX_SAMPLE),
    "qingchuan_digital_economy.pdf": (make_pdf, PDF_SAMPLE),
    "qingchuan_rural_tika.txt": (make_tika, TIKA_SAMPLE),
    "qingchuan_tourism_gbk.txt": (make_gbk, GBK_SAMPLE),
    "qingchuan_new_energy.html": (make_html, HTML_SAMPLE),
}


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "data/raw")
    out.mkdir(parents=True, exist_ok=True)
    for name, (make, sample) in SAMPLES.items():
        data = make(copy.deepcopy(sample))
        (out / name).write_bytes(data)
        print(f"{out / name}  {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
