"""The register (台账) template and the reading of a filled one.

An agency that starts using the system mid-year, or leaves a legacy system or a
spreadsheet, brings its earlier and still-open applications in one spreadsheet, one row
per application, in the template built here (`template_workbook`, downloadable from the
import page). `read_register` reads a filled file into rows the import service can create
cases from, and lists every row it refuses with the column and the reason in Chinese;
it writes nothing. The words accepted for applicant types, channels and outcomes come
from the one home of each rule (the case model, legal.receipt, legal.outcomes).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from agencies.models import Department
from agencies.roles import HANDLER
from legal import outcomes as outcome_rules
from legal import receipt as receipt_rules

from .models import DisclosureRequest

SHEET_TITLE = "申请台账"
HELP_TITLE = "填写说明"
MAX_ROWS = 5000
FIRST_YEAR, LAST_YEAR = 2000, 2099

# --- the columns --------------------------------------------------------------------------

REG_NO, TYPE, NAME, CHANNEL, RECEIVED, ITEMS, STATUS, OUTCOME, ANSWERED, DELIVERED = (
    "登记号", "申请人类型", "申请人姓名或名称", "申请方式", "收到申请之日", "申请事项", "办理状态", "办理结果",
    "答复日期", "送达日期")
DEPARTMENT, HANDLER_COL, ID_NUMBER, PHONE, ADDRESS = "承办部门", "承办人", "证件号码", "联系电话", "通信地址"

# (header, required, what to write): the order of the template.
COLUMNS: list[tuple[str, bool, str]] = [
    (REG_NO, True, "本机关原台账中的登记号（收文号），本表内和本机关已有申请中不得重复。"
                   "形如“2025-0012”的登记号导入后，系统为该年新登记的申请从其后续编。"),
    (TYPE, True, "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他（年度报告表三的六类申请人）。"),
    (NAME, True, "申请人的姓名或名称，不超过200字。"),
    (CHANNEL, True, "当面、网上、电子邮件、信函（邮寄，需签收）、平常信函、传真。"),
    (RECEIVED, True, "收到申请之日（条例第三十一条），如 2025-03-03 或 2025年3月3日；答复期限从这一天起算。"),
    (ITEMS, True, "所需政府信息的名称，每项不超过300字；多项用换行或“；”分隔。"),
    (STATUS, True, "办理中、已办结（已答复并送达）、已撤回、已终止（逾期未补正或逾期未缴费，不再处理）。"),
    (OUTCOME, False, "已办结、已终止的必须填写，用文字写明（见下方“可填写的办理结果”）；填一项适用于全部事项，"
                     "或按申请事项的顺序逐项填写，用换行或“；”分隔。已撤回的可不填。办理中的不填。"),
    (ANSWERED, False, "已办结的填写出具答复之日；已撤回的填写撤回之日；已终止的填写终止办理之日。办理中的不填。"),
    (DELIVERED, False, "已办结的必须填写答复送达之日（年度报告按送达之日计入当年办结）。办理中的不填。"),
    (DEPARTMENT, False, "选填：承办部门的名称或代码，须是本机关的部门。"),
    (HANDLER_COL, False, "选填：承办人的姓名或用户名，须是承办部门的承办人；办理中的申请填写后直接进入其“我的待办”。"),
    (ID_NUMBER, False, "选填：申请人的身份证件号码或统一社会信用代码。"),
    (PHONE, False, "选填：联系电话。"),
    (ADDRESS, False, "选填：通信地址。"),
]
HEADERS = [h for h, _r, _w in COLUMNS]
REQUIRED = [h for h, r, _w in COLUMNS if r]

# --- the words accepted -------------------------------------------------------------------

APPLICANT_TYPES: dict[str, str] = {str(label): code for code, label in DisclosureRequest.APPLICANT_TYPES}

# The channels of the progress reports (当面, 网上, 信函, 传真) and the system's own, which
# tell apart what the receipt-date rule (Art. 31) treats differently.
CHANNEL_WORDS: dict[str, str] = {
    **{label: code for code, label in receipt_rules.CHANNELS},
    "当面": receipt_rules.IN_PERSON, "网上": receipt_rules.ONLINE, "网上申请": receipt_rules.ONLINE,
    "在线": receipt_rules.ONLINE, "电子邮件": receipt_rules.EMAIL, "邮件": receipt_rules.EMAIL,
    "信函": receipt_rules.POST, "邮寄": receipt_rules.POST, "平常信函": receipt_rules.ORDINARY_MAIL,
    "传真": receipt_rules.FAX,
}
CHANNEL_HELP = "当面、网上、电子邮件、信函、平常信函、传真"

OPEN, ANSWERED_STATUS, WITHDRAWN, LAPSED = "open", "answered", "withdrawn", "lapsed"
STATUS_WORDS: dict[str, str] = {"办理中": OPEN, "已登记": OPEN, "已办结": ANSWERED_STATUS, "已答复": ANSWERED_STATUS,
                                "已撤回": WITHDRAWN, "撤回": WITHDRAWN, "已终止": LAPSED, "终止办理": LAPSED}
STATUS_LABELS = {OPEN: "办理中", ANSWERED_STATUS: "已办结", WITHDRAWN: "已撤回", LAPSED: "已终止"}


def _outcome_words() -> dict[str, str]:
    """Each outcome by its label (予以公开, 不予公开：属于国家秘密, 已主动公开 …), by the part
    after the colon (属于国家秘密), and by its row of 表三 without the numbering."""
    words: dict[str, str] = {}
    for outcome in outcome_rules.OUTCOMES.values():
        words.setdefault(_plain(outcome.label), outcome.code)
        if "：" in outcome.label:
            words.setdefault(_plain(outcome.label.split("：", 1)[1]), outcome.code)
    for row, label in outcome_rules.REPORT_ROWS:
        words.setdefault(_plain(re.sub(r"^(（[一二三四五六七]）|\d\.)", "", label)), row)
        words.setdefault(_plain(re.sub(r"（.*）$", "", re.sub(r"^（[一二三四五六七]）", "", label))), row)
    words["其他处理"] = outcome_rules.OTHER
    words.pop("其他", None)  # 其他 alone is the applicant column; the row is 其他处理
    return words


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).replace(":", "：").replace("(", "（").replace(")", "）")


OUTCOME_WORDS = _outcome_words()
CLOSING_OUTCOMES = {outcome_rules.LAPSED_SUPPLEMENT, outcome_rules.LAPSED_FEE, outcome_rules.OTHER}

# --- the reasons a row is refused -----------------------------------------------------------

ERR_FILE = "文件无法打开：请上传用模板填写的 .xlsx 电子表格。"
ERR_NO_SHEET = "文件中没有“申请台账”工作表，请用下载的模板填写。"
ERR_MISSING_COLUMN = "缺少“{column}”列，请用下载的模板填写（第1行为列名）。"
ERR_EMPTY = "表格中没有需要导入的申请（第2行起每行一件申请）。"
ERR_TOO_MANY = "一次最多导入{n}件申请，请分成几个文件导入。"
ERR_REQUIRED = "必须填写。"
ERR_TOO_LONG = "不能超过{n}字。"
ERR_DATE = "“{value}”不是有效的日期，请写成 2025-03-03 或 2025年3月3日。"
ERR_DATE_RANGE = "日期应在2000年至2099年之间。"
ERR_DATE_FUTURE = "日期不能晚于今天。"
ERR_TYPE = "申请人类型只能是：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他。"
ERR_CHANNEL = "申请方式只能是：" + CHANNEL_HELP + "。"
ERR_CHANNEL_OTHER = "系统没有“其他”申请方式，请写明具体方式（" + CHANNEL_HELP + "），收到申请之日的规则因方式而异。"
ERR_STATUS = "办理状态只能是：办理中、已办结、已撤回、已终止。"
ERR_ITEM_LONG = "第{n}项申请事项超过300字。"
ERR_OUTCOME_UNKNOWN = "不认识的办理结果“{word}”，可填写的办理结果见“填写说明”工作表。"
ERR_OUTCOME_COUNT = "办理结果有{n}项，申请事项有{m}项：请只填一项（适用于全部事项），或按事项逐项填写。"
ERR_OUTCOME_REQUIRED = "{status}的申请必须填写办理结果。"
ERR_OUTCOME_OPEN = "办理中的申请不填写办理结果。"
ERR_DATE_OPEN = "办理中的申请不填写此日期。"
ERR_OUTCOME_CLOSING = "“{word}”是撤回或终止办理的结果：办理状态应为“已撤回”或“已终止”。"
ERR_OUTCOME_LAPSED = "已终止的申请，办理结果应为“申请人无正当理由逾期不补正”或“申请人逾期未缴纳信息处理费”。"
ERR_OUTCOME_WITHDRAWN = "已撤回的申请，办理结果应为“其他处理”或不填。"
ERR_DATE_REQUIRED = "{status}的申请必须填写此日期。"
ERR_ANSWER_BEFORE_RECEIPT = "答复日期早于收到申请之日。"
ERR_DELIVERY_BEFORE_ANSWER = "送达日期早于答复日期。"
ERR_DUPLICATE_IN_FILE = "登记号与第{line}行重复。"
ERR_DUPLICATE_EXISTING = "本机关已有登记号为“{number}”的申请。"
ERR_DEPARTMENT = "本机关没有名称或代码为“{value}”的部门。"
ERR_HANDLER = "“{value}”不是{department}的承办人。"
ERR_HANDLER_NO_DEPARTMENT = "填写承办人时须同时填写承办部门。"


@dataclass
class Refusal:
    """One reason a row cannot be imported: its line in the sheet, the column, why."""

    line: int
    column: str
    reason: str


@dataclass
class RegisterRow:
    """One application read from the sheet, ready to become a case."""

    line: int
    registration_number: str
    applicant_type: str
    applicant_name: str
    channel: str
    received_on: dt.date
    items: list[str]
    status: str  # OPEN, ANSWERED_STATUS, WITHDRAWN, LAPSED
    item_outcomes: list[str] = field(default_factory=list)  # one code per item; empty while open
    answered_on: dt.date | None = None
    delivered_on: dt.date | None = None
    department: Department | None = None
    handler: object | None = None
    id_number: str = ""
    phone: str = ""
    address: str = ""

    @property
    def outcome(self) -> str:
        return outcome_rules.case_outcome(self.item_outcomes).code if self.item_outcomes else ""

    @property
    def closed_on(self) -> dt.date | None:
        """The day the case counts as closed in 表三: the delivery of the reply, or the day
        it was withdrawn or ended (reports/table3.py)."""
        if self.status == ANSWERED_STATUS:
            return self.delivered_on
        if self.status in (WITHDRAWN, LAPSED):
            return self.answered_on
        return None


@dataclass
class RegisterReading:
    rows: list[RegisterRow]
    refusals: list[Refusal]

    @property
    def ok(self) -> bool:
        return not self.refusals and bool(self.rows)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def summary(self) -> list[tuple[str, int]]:
        return [(STATUS_LABELS[s], self.count(s)) for s in (ANSWERED_STATUS, WITHDRAWN, LAPSED, OPEN) if self.count(s)]


# --- the template ---------------------------------------------------------------------------

EXAMPLES = [
    ["2025-0001", "自然人", "张三", "当面", "2025-03-03", "石龙区2024年财政预算执行情况", "已办结", "予以公开",
     "2025-03-20", "2025-03-21", "", "", "", "", ""],
    ["2025-0002", "商业企业", "平顶山市某置业有限公司", "信函", "2025-04-01",
     "2025年国有建设用地供应计划；某地块出让合同", "已办结", "予以公开；不予公开：保护第三方合法权益",
     "2025-04-18", "2025-04-22", "", "", "", "", ""],
    ["2025-0003", "法律服务机构", "河南某律师事务所", "网上", "2025-06-03", "某信访事项的处理意见书", "已撤回", "",
     "2025-06-10", "", "", "", "", "", ""],
    ["2025-0004", "自然人", "李四", "信函", "2025-07-01", "龙兴街道棚户区改造项目立项批复", "已终止",
     "申请人无正当理由逾期不补正", "2025-07-20", "", "", "", "", "", ""],
    ["2025-0005", "科研机构", "中原某研究院", "传真", "2025-12-22", "石龙区矿山生态修复项目验收材料", "办理中", "",
     "", "", "自然资源局", "王承办", "", "", ""],
]


def template_workbook() -> bytes:
    """The template: the sheet to fill (the header row, with drop-down lists for the fixed
    words) and the explanation sheet (each column, the words accepted, an example)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append(HEADERS)
    bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for i, (header, required, _what) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = bold
        if required:
            cell.fill = required_fill
        ws.column_dimensions[cell.column_letter].width = 14 if len(header) <= 5 else 18
    ws.column_dimensions["C"].width = ws.column_dimensions["F"].width = ws.column_dimensions["H"].width = 30
    ws.freeze_panes = "A2"
    lists = {TYPE: [str(label) for _c, label in DisclosureRequest.APPLICANT_TYPES],
             CHANNEL: CHANNEL_HELP.split("、"), STATUS: list(STATUS_LABELS.values())}
    for header, words in lists.items():
        letter = ws.cell(row=1, column=HEADERS.index(header) + 1).column_letter
        dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True,
                            showErrorMessage=False)
        dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        ws.add_data_validation(dv)

    help_ws = wb.create_sheet(HELP_TITLE)
    wrap = Alignment(wrap_text=True, vertical="top")
    help_ws.append(["申请台账导入模板：填写说明"])
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.append(["在“申请台账”工作表第2行起，每行填写一件政府信息公开申请（依申请公开）；第1行列名不要修改。"
                    "黄色列必须填写。导入前先“检查”：列出不能导入的每一行、每一列和原因；有任何一行不能导入时，"
                    "整个文件都不导入。导入的申请计入年度报告表三，与在系统中办理的申请相同；办理中的申请从收到申请之日起"
                    "按工作日计算答复期限，在系统中继续办理。"])
    help_ws.append([])
    help_ws.append(["列名", "是否必填", "填写要求"])
    for c in help_ws[help_ws.max_row]:
        c.font = bold
    for header, required, what in COLUMNS:
        help_ws.append([header, "必填" if required else "选填", what])
    help_ws.append([])
    help_ws.append(["可填写的办理结果（年度报告表三的项目）"])
    help_ws.cell(row=help_ws.max_row, column=1).font = bold
    for outcome in outcome_rules.OUTCOMES.values():
        row_label = dict(outcome_rules.REPORT_ROWS)[outcome.row]
        help_ws.append([outcome.label, "", f"计入表三：{row_label}"])
    help_ws.append([])
    help_ws.append(["示例（复制到“申请台账”工作表时不要带本行）"])
    help_ws.cell(row=help_ws.max_row, column=1).font = bold
    help_ws.append(HEADERS)
    for c in help_ws[help_ws.max_row]:
        c.font = bold
    for example in EXAMPLES:
        help_ws.append(example)
    help_ws.column_dimensions["A"].width = 36
    help_ws.column_dimensions["B"].width = 14
    help_ws.column_dimensions["C"].width = 80
    for row in help_ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = wrap
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading a filled sheet -----------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SPLIT = re.compile(r"[\n\r；;]+")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> dt.date | str:
    """A date, or the reason it is not one."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, (int, float)) and 30000 < value < 80000:  # a date typed into a cell without date format
        from openpyxl.utils.datetime import from_excel

        day = from_excel(value).date()
    else:
        text = _text(value)
        match = _DATE_TEXT.match(text)
        if not match:
            return ERR_DATE.format(value=text)
        try:
            day = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return ERR_DATE.format(value=text)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return ERR_DATE_RANGE
    return day


def _split(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


class _Desk:
    """The agency's departments and handlers, loaded once for the whole sheet."""

    def __init__(self, agency):
        self.departments = list(Department.objects.filter(agency=agency))
        User = get_user_model()
        self.handlers = list(User.objects.filter(staff_profile__agency=agency, groups__name=HANDLER, is_active=True)
                             .select_related("staff_profile").distinct())

    def department(self, value: str) -> Department | None:
        return next((d for d in self.departments if value in (d.name, d.code)), None)

    def handler(self, value: str, department: Department):
        return next((u for u in self.handlers if u.staff_profile.department_id == department.pk
                     and value in (u.get_full_name(), u.get_username())), None)


def read_register(content: bytes, *, agency, today: dt.date) -> RegisterReading:
    """Read a filled template for `agency`: every row, or every reason a row is refused.
    Reads only; the import service creates the cases when nothing is refused."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # any file openpyxl cannot read is the same mistake for the user
        return RegisterReading([], [Refusal(0, "", ERR_FILE)])
    if SHEET_TITLE not in wb.sheetnames:
        return RegisterReading([], [Refusal(0, "", ERR_NO_SHEET)])
    sheet = wb[SHEET_TITLE]
    lines = sheet.iter_rows(values_only=True)
    header = [_plain(_text(h)).rstrip("*＊") for h in next(lines, ())]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        return RegisterReading([], [Refusal(1, h, ERR_MISSING_COLUMN.format(column=h)) for h in missing])
    where = {h: header.index(h) for h in HEADERS if h in header}
    raw = []
    for line, values in enumerate(lines, start=2):
        cells = {h: (values[i] if i < len(values) else None) for h, i in where.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        raw.append((line, cells))
        if len(raw) > MAX_ROWS:
            return RegisterReading([], [Refusal(line, "", ERR_TOO_MANY.format(n=MAX_ROWS))])
    wb.close()
    if not raw:
        return RegisterReading([], [Refusal(2, "", ERR_EMPTY)])

    existing = set(DisclosureRequest.objects.filter(agency=agency).exclude(registration_number="")
                   .values_list("registration_number", flat=True))
    desk = _Desk(agency)
    rows, refusals, seen = [], [], {}
    for line, cells in raw:
        row, problems = _read_row(line, cells, today=today, desk=desk)
        number = _text(cells.get(REG_NO))
        if number:
            if number in seen:
                problems.append(Refusal(line, REG_NO, ERR_DUPLICATE_IN_FILE.format(line=seen[number])))
            elif number in existing:
                problems.append(Refusal(line, REG_NO, ERR_DUPLICATE_EXISTING.format(number=number)))
            seen.setdefault(number, line)
        if problems:
            refusals.extend(sorted(problems, key=lambda r: HEADERS.index(r.column) if r.column in HEADERS else -1))
        else:
            rows.append(row)
    return RegisterReading(rows, refusals)


def _read_row(line: int, cells: dict, *, today: dt.date, desk: _Desk) -> tuple[RegisterRow | None, list[Refusal]]:
    problems: list[Refusal] = []

    def refuse(column: str, reason: str) -> None:
        problems.append(Refusal(line, column, reason))

    def text(column: str, *, required=False, limit=None) -> str:
        value = _text(cells.get(column))
        if required and not value:
            refuse(column, ERR_REQUIRED)
        if limit and len(value) > limit:
            refuse(column, ERR_TOO_LONG.format(n=limit))
        return value

    def date(column: str, *, required=False) -> dt.date | None:
        value = cells.get(column)
        if _text(value) == "":
            if required:
                refuse(column, ERR_REQUIRED)
            return None
        day = _date(value)
        if isinstance(day, str):
            refuse(column, day)
            return None
        if day > today:
            refuse(column, ERR_DATE_FUTURE)
            return None
        return day

    number = text(REG_NO, required=True, limit=40)
    type_word = text(TYPE, required=True)
    applicant_type = APPLICANT_TYPES.get(_plain(type_word))
    if type_word and applicant_type is None:
        refuse(TYPE, ERR_TYPE)
    name = text(NAME, required=True, limit=200)
    channel_word = text(CHANNEL, required=True)
    channel = CHANNEL_WORDS.get(_plain(channel_word))
    if channel_word and channel is None:
        refuse(CHANNEL, ERR_CHANNEL_OTHER if _plain(channel_word) == "其他" else ERR_CHANNEL)
    received_on = date(RECEIVED, required=True)
    items = _split(text(ITEMS, required=True))
    for n, title in enumerate(items, start=1):
        if len(title) > 300:
            refuse(ITEMS, ERR_ITEM_LONG.format(n=n))
    status_word = text(STATUS, required=True)
    status = STATUS_WORDS.get(_plain(status_word))
    if status_word and status is None:
        refuse(STATUS, ERR_STATUS)
    outcome_words = _split(text(OUTCOME))
    answered_on, delivered_on = date(ANSWERED), date(DELIVERED)

    codes = []
    for word in outcome_words:
        code = OUTCOME_WORDS.get(_plain(word))
        if code is None:
            refuse(OUTCOME, ERR_OUTCOME_UNKNOWN.format(word=word))
        codes.append(code)
    if outcome_words and items and len(codes) not in (1, len(items)):
        refuse(OUTCOME, ERR_OUTCOME_COUNT.format(n=len(codes), m=len(items)))
    known = [c for c in codes if c]
    label = STATUS_LABELS.get(status, "")
    if status == OPEN:
        if outcome_words:
            refuse(OUTCOME, ERR_OUTCOME_OPEN)
        for column, value in ((ANSWERED, answered_on), (DELIVERED, delivered_on)):
            if value is not None:
                refuse(column, ERR_DATE_OPEN)
    elif status == ANSWERED_STATUS:
        if not outcome_words:
            refuse(OUTCOME, ERR_OUTCOME_REQUIRED.format(status=label))
        for code, word in zip(codes, outcome_words):
            if code in CLOSING_OUTCOMES:
                refuse(OUTCOME, ERR_OUTCOME_CLOSING.format(word=word))
        for column, value in ((ANSWERED, answered_on), (DELIVERED, delivered_on)):
            if value is None and _text(cells.get(column)) == "":
                refuse(column, ERR_DATE_REQUIRED.format(status=label))
    elif status == LAPSED:
        if not outcome_words:
            refuse(OUTCOME, ERR_OUTCOME_REQUIRED.format(status=label))
        elif known and (len(set(known)) > 1 or known[0] not in (outcome_rules.LAPSED_SUPPLEMENT,
                                                                 outcome_rules.LAPSED_FEE)):
            refuse(OUTCOME, ERR_OUTCOME_LAPSED)
        if answered_on is None and _text(cells.get(ANSWERED)) == "":
            refuse(ANSWERED, ERR_DATE_REQUIRED.format(status=label))
    elif status == WITHDRAWN:
        if any(c != outcome_rules.OTHER for c in known):
            refuse(OUTCOME, ERR_OUTCOME_WITHDRAWN)
        if answered_on is None and _text(cells.get(ANSWERED)) == "":
            refuse(ANSWERED, ERR_DATE_REQUIRED.format(status=label))
    if received_on and answered_on and answered_on < received_on:
        refuse(ANSWERED, ERR_ANSWER_BEFORE_RECEIPT)
    if answered_on and delivered_on and delivered_on < answered_on:
        refuse(DELIVERED, ERR_DELIVERY_BEFORE_ANSWER)
    if received_on and delivered_on and not answered_on and delivered_on < received_on:
        refuse(DELIVERED, ERR_ANSWER_BEFORE_RECEIPT.replace("答复", "送达"))

    department = handler = None
    department_word, handler_word = text(DEPARTMENT), text(HANDLER_COL)
    if department_word:
        department = desk.department(department_word)
        if department is None:
            refuse(DEPARTMENT, ERR_DEPARTMENT.format(value=department_word))
    if handler_word:
        if not department_word:
            refuse(HANDLER_COL, ERR_HANDLER_NO_DEPARTMENT)
        elif department is not None:
            handler = desk.handler(handler_word, department)
            if handler is None:
                refuse(HANDLER_COL, ERR_HANDLER.format(value=handler_word, department=department.name))
    id_number, phone, address = text(ID_NUMBER, limit=50), text(PHONE, limit=50), text(ADDRESS, limit=300)
    if problems:
        return None, problems
    if status in (WITHDRAWN, LAPSED) and not codes:
        codes = [outcome_rules.OTHER]
    item_outcomes = (codes * len(items) if len(codes) == 1 else codes) if codes else []
    return RegisterRow(
        line=line, registration_number=number, applicant_type=applicant_type, applicant_name=name, channel=channel,
        received_on=received_on, items=items, status=status, item_outcomes=item_outcomes, answered_on=answered_on,
        delivered_on=delivered_on, department=department, handler=handler, id_number=id_number, phone=phone,
        address=address), []
