"""The standard catalogue (标准目录) of the 26 pilot domains (国办发〔2019〕54号 and the
domain guidelines of the State Council departments), and its spreadsheet format.

Seed items are the commonest county-level entries of each domain's guideline; each agency
edits its own copy (import/export as .xlsx)."""
from __future__ import annotations

import io

from documents.spreadsheets import spreadsheet_text, spreadsheet_text_read

# The 26 pilot domains, regulation §5, in the order the guideline lists them.
DOMAINS = [
    "城乡规划", "重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理", "征地补偿",
    "国有土地上房屋征收与补偿", "环境保护", "公共文化服务", "公共法律服务", "扶贫", "救灾",
    "食品药品监管", "城市综合执法", "就业", "社会保险", "社会救助", "养老服务", "户籍管理",
    "涉农补贴", "义务教育", "医疗卫生", "市政服务", "农村危房改造", "保障性住房",
]

AUDIENCE_PUBLIC, AUDIENCE_GROUP = "全社会", "特定群体"
MODE_PROACTIVE, MODE_ON_REQUEST = "主动", "依申请"
LEVEL_COUNTY, LEVEL_TOWNSHIP = "县级", "乡级"

DEFAULT_TIME_LIMIT = "信息形成或者变更之日起20个工作日内"
DEFAULT_CHANNELS = "政府网站；政务新媒体；政务公开专区；公开查阅点"
ART_19 = "《中华人民共和国政府信息公开条例》第十九条、第二十条"

# domain -> [(一级事项, 二级事项, 公开内容（要素）, 公开依据, 公开主体, 公开对象, 公开层级)]
SEED_ITEMS: dict[str, list[tuple[str, str, str, str, str, str, str]]] = {
    "城乡规划": [
        ("城乡规划", "总体规划", "规划批前公示、批准文件、规划文本及图件", "《中华人民共和国城乡规划法》第八条、第二十六条", "县级人民政府、自然资源主管部门", AUDIENCE_PUBLIC, "县级"),
        ("城乡规划", "建设工程规划许可", "许可依据、条件、程序、结果", "《中华人民共和国城乡规划法》第四十条", "自然资源主管部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "重大建设项目": [
        ("批准服务信息", "审批核准备案结果", "项目名称、建设单位、批复文号、批复时间", "《政府信息公开条例》第二十条；国办发〔2017〕94号", "发展改革部门及项目审批部门", AUDIENCE_PUBLIC, "县级"),
        ("批准结果信息", "招标投标信息", "招标公告、中标候选人、中标结果", "《中华人民共和国招标投标法》", "项目单位、行业主管部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "公共资源交易": [
        ("交易公告", "工程建设项目招标投标", "招标公告、资格预审公告、中标结果公示", "国办发〔2019〕41号", "公共资源交易中心", AUDIENCE_PUBLIC, "县级"),
    ],
    "财政预决算": [
        ("政府预决算", "一般公共预算", "预算草案批准后的预算表及说明", "《中华人民共和国预算法》第十四条", "财政部门", AUDIENCE_PUBLIC, "县级、乡级"),
        ("部门预决算", "部门预算", "部门预算表、三公经费预算及说明", "《中华人民共和国预算法》第十四条", "各部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "安全生产": [
        ("行政许可", "安全生产许可", "许可事项、依据、条件、结果", "《中华人民共和国安全生产法》", "应急管理部门", AUDIENCE_PUBLIC, "县级"),
        ("事故调查", "生产安全事故调查报告", "事故调查报告、处理结果", "《生产安全事故报告和调查处理条例》", "应急管理部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "税收管理": [
        ("税收政策", "税收优惠政策", "政策文件、解读、办税指南", "《中华人民共和国税收征收管理法》", "税务部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "征地补偿": [
        ("征地信息", "征收土地预公告", "征收范围、土地现状、征收目的", "《中华人民共和国土地管理法》第四十七条", "县级人民政府", AUDIENCE_GROUP, "县级、乡级"),
        ("征地信息", "征地补偿安置方案", "补偿标准、安置方式、社会保障", "《中华人民共和国土地管理法实施条例》第二十七条", "县级人民政府", AUDIENCE_GROUP, "县级、乡级"),
    ],
    "国有土地上房屋征收与补偿": [
        ("征收决定", "房屋征收决定公告", "征收决定、补偿方案、行政复议诉讼权利", "《国有土地上房屋征收与补偿条例》第十三条", "县级人民政府", AUDIENCE_PUBLIC, "县级"),
        ("补偿情况", "分户补偿结果", "分户补偿情况（去标识化）", "《国有土地上房屋征收与补偿条例》第二十九条", "房屋征收部门", AUDIENCE_GROUP, "县级"),
    ],
    "环境保护": [
        ("环境监测", "环境质量状况", "空气、水环境质量信息", "《中华人民共和国环境保护法》第五十四条", "生态环境部门", AUDIENCE_PUBLIC, "县级"),
        ("环境影响评价", "环评审批结果", "项目名称、建设地点、审批意见", "《中华人民共和国环境影响评价法》", "生态环境部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "公共文化服务": [
        ("公共文化机构", "机构名录及开放信息", "名称、地址、开放时间、免费项目", "《中华人民共和国公共文化服务保障法》", "文化和旅游部门", AUDIENCE_PUBLIC, "县级、乡级"),
    ],
    "公共法律服务": [
        ("法律援助", "法律援助事项", "申请条件、程序、机构联系方式", "《中华人民共和国法律援助法》", "司法行政部门", AUDIENCE_PUBLIC, "县级、乡级"),
    ],
    "扶贫": [
        ("资金项目", "扶贫（衔接）资金项目", "资金分配结果、项目库、实施情况", "财农〔2017〕115号", "乡村振兴、财政部门", AUDIENCE_PUBLIC, "县级、乡级"),
    ],
    "救灾": [
        ("救灾款物", "救灾款物管理使用", "款物来源、数量、分配、使用情况", "《自然灾害救助条例》第二十八条", "应急管理部门", AUDIENCE_PUBLIC, "县级、乡级"),
    ],
    "食品药品监管": [
        ("监督检查", "抽检信息", "抽检结果、不合格产品核查处置", "《中华人民共和国食品安全法》第一百一十八条", "市场监管部门", AUDIENCE_PUBLIC, "县级"),
        ("行政处罚", "行政处罚决定", "处罚决定书（去标识化）", "《中华人民共和国行政处罚法》第四十八条", "市场监管部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "城市综合执法": [
        ("执法信息", "权责清单及执法结果", "执法依据、程序、结果", "《中华人民共和国行政处罚法》第三十九条", "城市管理综合执法部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "就业": [
        ("就业服务", "就业创业政策", "政策文件、补贴标准、申领程序", "《中华人民共和国就业促进法》", "人力资源社会保障部门", AUDIENCE_PUBLIC, "县级、乡级"),
    ],
    "社会保险": [
        ("社保业务", "社会保险登记", "办事指南、所需材料、办理时限", "《中华人民共和国社会保险法》", "人力资源社会保障部门、医保部门", AUDIENCE_PUBLIC, "县级、乡级"),
    ],
    "社会救助": [
        ("最低生活保障", "低保对象及标准", "保障标准、审批结果（去标识化）", "《社会救助暂行办法》", "民政部门、乡镇人民政府", AUDIENCE_PUBLIC, "县级、乡级"),
    ],
    "养老服务": [
        ("养老机构", "养老服务机构名录", "机构名称、地址、床位、收费", "《中华人民共和国老年人权益保障法》", "民政部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "户籍管理": [
        ("户籍业务", "户口登记办事指南", "办理条件、材料、时限、地点", "《中华人民共和国户口登记条例》", "公安机关", AUDIENCE_PUBLIC, "县级、乡级"),
    ],
    "涉农补贴": [
        ("补贴政策", "耕地地力保护补贴", "补贴标准、对象、发放结果", "财农〔2016〕26号", "农业农村、财政部门", AUDIENCE_PUBLIC, "县级、乡级"),
    ],
    "义务教育": [
        ("招生入学", "义务教育招生政策", "招生范围、条件、程序、结果", "《中华人民共和国义务教育法》", "教育部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "医疗卫生": [
        ("医疗机构", "医疗机构执业信息", "机构名称、执业范围、地址", "《医疗机构管理条例》", "卫生健康部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "市政服务": [
        ("供水供气", "市政公用服务", "服务标准、收费标准、停水停气通知", "《城镇供水条例》", "住房和城乡建设部门", AUDIENCE_PUBLIC, "县级"),
    ],
    "农村危房改造": [
        ("改造对象", "危房改造对象认定", "申请条件、评议结果、补助标准", "建村〔2017〕192号", "住房和城乡建设部门、乡镇人民政府", AUDIENCE_PUBLIC, "县级、乡级"),
    ],
    "保障性住房": [
        ("住房保障", "公租房分配", "保障条件、轮候、分配结果（去标识化）", "《公共租赁住房管理办法》", "住房和城乡建设部门", AUDIENCE_PUBLIC, "县级"),
    ],
}

# Spreadsheet columns: header text and model field, in this order (import and export).
COLUMNS = [
    ("领域", "domain"),
    ("一级事项", "item_level1"),
    ("二级事项", "item_level2"),
    ("公开内容（要素）", "content"),
    ("公开依据", "basis"),
    ("公开时限", "time_limit"),
    ("公开主体", "responsible_body"),
    ("公开渠道和载体", "channels"),
    ("公开对象", "audience"),
    ("公开方式", "mode"),
    ("公开层级", "level"),
]


def seed_rows() -> list[dict]:
    rows = []
    for domain in DOMAINS:
        for l1, l2, content, basis, body, audience, level in SEED_ITEMS[domain]:
            rows.append({
                "domain": domain, "item_level1": l1, "item_level2": l2, "content": content, "basis": basis,
                "time_limit": DEFAULT_TIME_LIMIT, "responsible_body": body, "channels": DEFAULT_CHANNELS,
                "audience": audience, "mode": MODE_PROACTIVE, "level": level,
            })
    return rows


def rows_to_xlsx(rows: list[dict], *, title: str = "标准目录") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([h for h, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([spreadsheet_text(row.get(f, "")) for _, f in COLUMNS])
    for col, width in zip("ABCDEFGHIJK", (14, 16, 20, 36, 36, 24, 24, 30, 10, 10, 12)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ERR_XLSX_UNREADABLE = "无法读取表格文件，请上传 .xlsx 格式。"
ERR_XLSX_HEADER = "表头应为：{expected}"
ERR_XLSX_ROW = "第 {row} 行：{error}"
ERR_UNKNOWN_DOMAIN = "“{value}”不是26个试点领域之一"
ERR_BAD_CHOICE = "{column}应为：{choices}"
ERR_REQUIRED = "{column}不能为空"


def xlsx_to_rows(data: bytes) -> tuple[list[dict], list[str]]:
    """Parse an uploaded catalogue. Returns (rows, errors); nothing is imported when any
    row is wrong, so the errors name every bad row at once."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return [], [ERR_XLSX_UNREADABLE]
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(it, [])]
    expected = [h for h, _ in COLUMNS]
    if header[: len(expected)] != expected:
        return [], [ERR_XLSX_HEADER.format(expected="、".join(expected))]
    rows, errors = [], []
    for n, values in enumerate(it, start=2):
        values = [spreadsheet_text_read("" if v is None else str(v).strip()) for v in list(values)[: len(COLUMNS)]]
        if not any(values):
            continue
        row = dict(zip([f for _, f in COLUMNS], values + [""] * (len(COLUMNS) - len(values))))
        problems = []
        if row["domain"] not in DOMAINS:
            problems.append(ERR_UNKNOWN_DOMAIN.format(value=row["domain"]))
        for column, fname in (("一级事项", "item_level1"), ("公开内容（要素）", "content")):
            if not row[fname]:
                problems.append(ERR_REQUIRED.format(column=column))
        if row["audience"] not in (AUDIENCE_PUBLIC, AUDIENCE_GROUP):
            problems.append(ERR_BAD_CHOICE.format(column="公开对象", choices=f"{AUDIENCE_PUBLIC}/{AUDIENCE_GROUP}"))
        if row["mode"] not in (MODE_PROACTIVE, MODE_ON_REQUEST):
            problems.append(ERR_BAD_CHOICE.format(column="公开方式", choices=f"{MODE_PROACTIVE}/{MODE_ON_REQUEST}"))
        levels = {x for x in row["level"].replace("，", "、").replace(",", "、").split("、") if x}
        if not levels or not levels <= {LEVEL_COUNTY, LEVEL_TOWNSHIP}:
            problems.append(ERR_BAD_CHOICE.format(column="公开层级", choices="县级、乡级"))
        if problems:
            errors.append(ERR_XLSX_ROW.format(row=n, error="；".join(problems)))
        else:
            rows.append(row)
    return rows, errors
