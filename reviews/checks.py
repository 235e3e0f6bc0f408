"""Automated pre-publication checks (先审后发, regulation §5). Pure functions: no database,
no network. The service layer and the `precheck` command both call `run_checks`.

The rules, decided so that realistic positives fire and near-misses stay silent:

- id_number: 18 characters, 6-digit area code, a real calendar birth date between 1900
  and today, and a correct GB 11643 (ISO 7064 MOD 11-2) check digit; not part of a longer
  run of digits. An 18-digit number with a wrong check digit is not flagged.
- mobile: 11 digits beginning 13–19 (optionally written 3-4-4 with spaces or hyphens),
  not part of a longer number; +86 / 86 prefixes are accepted.
- bank_card: 16–19 digits (optionally in groups of four) passing the Luhn check, not part
  of a longer number, not already an ID number, and not introduced by words that name it
  as another kind of number (订单号, 流水号, 编号, 发票 …). A 16-digit order number fails
  Luhn nine times in ten, and the label rule covers the tenth.
- email: the usual local@domain.tld shape.
- secrecy_mark: a classification with the star (绝密★, 机密★, 秘密★, with or without
  a period such as ★10年); a 密级 field (密级：机密); a line that consists only of
  绝密/机密/秘密/内部/内部资料 (a header); and the phrases 不得外传, 内部资料, 内部文件,
  内部传阅, 仅供内部使用, 注意保密. A header line saying 不予公开 (or 公开属性：不予公开 /
  依申请公开 anywhere in the first lines) is flagged too. Words that merely contain a
  marking — 秘密投票, 商业机密, 内部控制 — in running text are NOT markings.
- sensitive_word: every occurrence of a word on the agency's list (case-insensitive).
- link: empty links (href="" / "#" / javascript:), internal-only links (private or
  loopback IP addresses, localhost, hosts without a dot, .local/.lan/.internal/.intra,
  file: URLs) and links to hosts outside the allowed list; when a `probe` callable is
  given (never in tests), links on allowed hosts that answer with an error are dead.
"""
from __future__ import annotations

import datetime as dt
import difflib
import html
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import urlsplit

ID_NUMBER, MOBILE, BANK_CARD, EMAIL, SECRECY_MARK, SENSITIVE_WORD, LINK = (
    "id_number", "mobile", "bank_card", "email", "secrecy_mark", "sensitive_word", "link",
)
KINDS = [ID_NUMBER, MOBILE, BANK_CARD, EMAIL, SECRECY_MARK, SENSITIVE_WORD, LINK]
KIND_LABELS = {
    ID_NUMBER: "身份证号码",
    MOBILE: "手机号码",
    BANK_CARD: "银行卡号",
    EMAIL: "电子邮箱",
    SECRECY_MARK: "密级或不予公开标识",
    SENSITIVE_WORD: "敏感词",
    LINK: "链接",
}

SUGGEST_ID = "去标识化：保留前6位和后4位，中间以*代替（如 410102********1234），或删除。"
SUGGEST_MOBILE = "去标识化：保留前3位和后4位（如 138****5678），或改为单位办公电话。"
SUGGEST_BANK = "删除银行卡号或仅保留后4位。"
SUGGEST_EMAIL = "删除个人电子邮箱，或改为单位公开邮箱。"
SUGGEST_SECRECY = "涉密或标注内部/不予公开的材料不得公开：撤下该材料，或经保密审查确认已解密后删除标识并记录依据。"
SUGGEST_WORD = "修改措辞，或说明保留理由。"
SUGGEST_LINK_EMPTY = "补全链接地址或删除空链接。"
SUGGEST_LINK_INTERNAL = "内网地址公众无法访问：改为互联网地址或删除。"
SUGGEST_LINK_FOREIGN = "链接不在允许的网站名单内：核实后改为政府网站地址，或由管理员将该网站加入名单。"
SUGGEST_LINK_DEAD = "链接无法访问：更正地址或删除。"


@dataclass(frozen=True)
class Finding:
    kind: str
    location: str  # "line:col" within the source (1-based)
    matched: str
    suggestion: str
    source: str = ""  # "正文", an attachment name, or a file path
    detail: str = ""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


# --- personal information ----------------------------------------------------------------

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{4})(\d{2})(\d{2})(\d{3})([0-9Xx])(?![0-9A-Za-z])")


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def is_valid_id_number(value: str) -> bool:
    m = _ID_RE.fullmatch(value)
    if not m:
        return False
    try:
        born = dt.date(int(m.group(2)), int(m.group(3)), int(m.group(4)))
    except ValueError:
        return False
    if not (dt.date(1900, 1, 1) <= born <= dt.date.today()):
        return False
    return id_check_digit(value[:17]) == value[17].upper()


_MOBILE_RE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[- ]?)?(1[3-9]\d(?:[- ]?)\d{4}(?:[- ]?)\d{4})(?![0-9])")
_CARD_RE = re.compile(r"(?<![0-9])(\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?)(?![0-9])")
_NOT_CARD_LABELS = re.compile(r"(订单|单号|流水|编号|发票|合同号|批次|序列号|条码|文号|登记号|代码)[号码]?[：:\s]*$")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


# --- secrecy markings ----------------------------------------------------------------------

_STAR = r"[★☆*＊]"
_SECRECY_PATTERNS = [
    re.compile(rf"(绝密|机密|秘密)\s*{_STAR}\s*(?:\d+\s*年|长期|[0-9一二三四五六七八九十]+个?月)?"),
    re.compile(r"密\s*级\s*[：:]\s*(绝密|机密|秘密|内部)"),
    re.compile(r"不得外传|严禁外传|内部资料|内部文件|内部传阅|仅供内部使用|注意保密"),
]
_HEADER_ONLY = {"绝密", "机密", "秘密", "内部", "内部资料", "内部文件", "不予公开", "不宜公开", "依申请公开"}
_HEADER_LINES = 5
_ATTRIBUTE_HEADER = re.compile(r"公开(?:属性|方式|选项)\s*[：:]\s*(不予公开|不公开|依申请公开)")
_BRACKETS = "【】[]()（）〔〕<>《》 \t　"


# --- links ---------------------------------------------------------------------------------

_URL_RE = re.compile(r"(?:https?|ftp|file)://[^\s<>\"'（）()，。；、]+|www\.[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s<>\"'（）()，。；、]*", re.I)
_HREF_RE = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""", re.I)
_INTERNAL_SUFFIXES = (".local", ".lan", ".internal", ".intra", ".intranet", ".corp", ".home")


def _host_allowed(host: str, allowed: Iterable[str]) -> bool:
    host = host.lower().rstrip(".")
    for a in allowed:
        a = a.lower().strip().lstrip("*").lstrip(".")
        if a and (host == a or host.endswith("." + a)):
            return True
    return False


def classify_link(url: str, allowed_hosts: Iterable[str], probe: Callable[[str], bool] | None = None) -> tuple[str, str] | None:
    """Return (detail, suggestion) when the link is a problem, None when it is fine."""
    u = url.strip()
    if not u or u == "#" or u.lower().startswith("javascript:"):
        return "空链接", SUGGEST_LINK_EMPTY
    if u.lower().startswith("www."):
        u = "http://" + u
    if u.startswith("/") and not u.startswith("//"):
        return None  # relative link on our own site
    parts = urlsplit(u)
    if parts.scheme.lower() == "file":
        return "内网链接", SUGGEST_LINK_INTERNAL
    if parts.scheme.lower() in {"mailto", "tel"}:
        return None
    host = (parts.hostname or "").lower()
    if not host:
        return "空链接", SUGGEST_LINK_EMPTY
    try:
        ip = ipaddress.ip_address(host)
        if ip.is_private or ip.is_loopback or ip.is_link_local:
            return "内网链接", SUGGEST_LINK_INTERNAL
    except ValueError:
        if host == "localhost" or "." not in host or host.endswith(_INTERNAL_SUFFIXES):
            return "内网链接", SUGGEST_LINK_INTERNAL
    if not _host_allowed(host, allowed_hosts):
        return "非允许网站", SUGGEST_LINK_FOREIGN
    if probe is not None and not probe(u):
        return "失效链接", SUGGEST_LINK_DEAD
    return None


# --- positions -----------------------------------------------------------------------------

class _Positions:
    def __init__(self, text: str):
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)

    def at(self, offset: int) -> str:
        import bisect

        line = bisect.bisect_right(self.starts, offset) - 1
        return f"{line + 1}:{offset - self.starts[line] + 1}"


def html_to_checkable(source: str) -> str:
    """Blank out tags (and script/style) keeping every offset, so locations point into the
    original file. Entities stay as written."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))

    out = re.sub(r"<(script|style)\b.*?</\1\s*>", blank, source, flags=re.S | re.I)
    out = re.sub(r"<!--.*?-->", blank, out, flags=re.S)
    out = re.sub(r"<[^>]*>", blank, out)
    return out


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(html|body|p|div|a|br|span|table)\b", text, re.I))


# --- the checks ----------------------------------------------------------------------------

def check_text(
    text: str,
    *,
    source: str = "",
    sensitive_words: Iterable[str] = (),
    allowed_hosts: Iterable[str] = (),
    probe: Callable[[str], bool] | None = None,
    is_html: bool | None = None,
    location_prefix: str = "",
) -> list[Finding]:
    """Run every check on one text. HTML is recognised (or forced with `is_html`)."""
    if is_html is None:
        is_html = looks_like_html(text)
    plain = html_to_checkable(text) if is_html else text
    pos = _Positions(text)
    found: list[tuple[int, Finding]] = []

    def add(offset: int, kind: str, matched: str, suggestion: str, detail: str = ""):
        found.append((offset, Finding(kind, location_prefix + pos.at(offset), matched, suggestion, source, detail)))

    id_spans = []
    for m in _ID_RE.finditer(plain):
        if is_valid_id_number(m.group(0)):
            id_spans.append(m.span())
            add(m.start(), ID_NUMBER, m.group(0), SUGGEST_ID)

    def inside_id(span):
        return any(a <= span[0] and span[1] <= b for a, b in id_spans)

    card_spans = []
    for m in _CARD_RE.finditer(plain):
        digits = re.sub(r"\D", "", m.group(1))
        if not (16 <= len(digits) <= 19) or inside_id(m.span()) or not luhn_ok(digits):
            continue
        if _NOT_CARD_LABELS.search(plain[max(0, m.start() - 12):m.start()]):
            continue
        card_spans.append(m.span())
        add(m.start(), BANK_CARD, m.group(1), SUGGEST_BANK)

    for m in _MOBILE_RE.finditer(plain):
        if inside_id(m.span()) or any(a <= m.start() < b for a, b in card_spans):
            continue
        add(m.start(1), MOBILE, m.group(1), SUGGEST_MOBILE)

    for m in _EMAIL_RE.finditer(plain):
        add(m.start(), EMAIL, m.group(0), SUGGEST_EMAIL)

    # secrecy markings
    marked = []
    for pattern in _SECRECY_PATTERNS:
        for m in pattern.finditer(plain):
            if any(a <= m.start() < b for a, b in marked):
                continue
            marked.append(m.span())
            add(m.start(), SECRECY_MARK, m.group(0).strip(), SUGGEST_SECRECY)
    offset, nonempty = 0, 0
    for line in plain.split("\n"):
        stripped = line.strip(_BRACKETS)
        if stripped:
            nonempty += 1
            start = offset + line.index(stripped[0])
            already = any(a <= start < b for a, b in marked)
            if stripped in _HEADER_ONLY and not already:
                if stripped in {"绝密", "机密", "秘密", "内部", "内部资料", "内部文件"} or nonempty <= _HEADER_LINES:
                    marked.append((start, start + len(stripped)))
                    add(start, SECRECY_MARK, stripped, SUGGEST_SECRECY, "标识行")
            if nonempty <= _HEADER_LINES:
                hm = _ATTRIBUTE_HEADER.search(line)
                if hm and not any(a <= offset + hm.start() < b for a, b in marked):
                    marked.append((offset + hm.start(), offset + hm.end()))
                    add(offset + hm.start(), SECRECY_MARK, hm.group(0), SUGGEST_SECRECY, "公开属性标识")
        offset += len(line) + 1

    lowered = plain.lower()
    for word in {w.strip() for w in sensitive_words if w and w.strip()}:
        start = 0
        wl = word.lower()
        while True:
            i = lowered.find(wl, start)
            if i < 0:
                break
            add(i, SENSITIVE_WORD, plain[i:i + len(word)], SUGGEST_WORD)
            start = i + len(word)

    # links: href attributes in HTML, bare URLs in the text
    href_spans = []
    if is_html:
        for m in _HREF_RE.finditer(text):
            url = next((g for g in m.groups() if g is not None), "")
            vstart = next((m.start(i) for i in (1, 2, 3) if m.group(i) is not None), m.start())
            href_spans.append(vstart)
            problem = classify_link(html.unescape(url), allowed_hosts, probe)
            if problem:
                add(vstart, LINK, url or '""', problem[1], problem[0])
    for m in _URL_RE.finditer(plain):
        url = m.group(0).rstrip(".,;:!?)")
        problem = classify_link(url, allowed_hosts, probe)
        if problem:
            add(m.start(), LINK, url, problem[1], problem[0])
    found.sort(key=lambda x: x[0])
    return [f for _, f in found]


# --- de-identification (个人信息保护法 Art. 73) --------------------------------------------

_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_NAME_CONTEXT = re.compile(
    r"(?:(?:姓\s*名|当事人|申请人|被申请人|被处罚人|法定代表人|负责人|联系人|经办人|户主|业主|举报人|投诉人|受助人|救助对象)\s*[：:]?\s*)"
    r"([\u4e00-\u9fa5]{2,3})(?=[\s，,。；;、（(）)：:]|$|男|女|身份证)"
)
_NAME_TITLE = re.compile(r"([\u4e00-\u9fa5]{2,3}?)(?=先生|女士|同志|老人)")
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "夏侯")


def mask_name(name: str) -> str:
    for cs in _COMPOUND_SURNAMES:
        if name.startswith(cs):
            return cs + "某某"
    return name[0] + "某某"


def mask_number(kind: str, value: str) -> str:
    digits = re.sub(r"[\s-]", "", value)
    if kind == ID_NUMBER:
        return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
    if kind == MOBILE:
        return digits[:3] + "****" + digits[-4:]
    if kind == BANK_CARD:
        return "*" * (len(digits) - 4) + digits[-4:]
    return value


@dataclass
class Deidentified:
    original: str
    masked: str
    replacements: list[tuple[str, str]] = field(default_factory=list)

    @property
    def segments(self) -> list[tuple[str, str, str]]:
        """The masked text as (kept, removed, inserted) pieces, for a preview that shows each
        replacement in place (原文 struck through, the mask highlighted)."""
        out: list[tuple[str, str, str]] = []
        matcher = difflib.SequenceMatcher(None, self.original, self.masked, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                out.append((self.original[a1:a2], "", ""))
            else:
                out.append(("", self.original[a1:a2], self.masked[b1:b2]))
        return out

    @property
    def diff(self) -> list[str]:
        return list(difflib.unified_diff(self.original.splitlines(), self.masked.splitlines(),
                                         "原文", "去标识化后", lineterm="", n=0))


def deidentify(text: str, *, names: Iterable[str] = ()) -> Deidentified:
    """Mask personal names (surname + 某某) and numbers (ID: first 6 and last 4 kept;
    mobile: first 3 and last 4; card: last 4; e-mail removed to its domain)."""
    replacements: dict[str, str] = {}
    for f in check_text(text, is_html=False):
        if f.kind in (ID_NUMBER, MOBILE, BANK_CARD):
            replacements[f.matched] = mask_number(f.kind, f.matched)
        elif f.kind == EMAIL:
            replacements[f.matched] = "***@" + f.matched.split("@", 1)[1]
    candidates = set(n.strip() for n in names if n and n.strip())
    candidates |= {m.group(1) for m in _NAME_CONTEXT.finditer(text)}
    candidates |= {m.group(1) for m in _NAME_TITLE.finditer(text) if m.group(1)[0] in _SURNAMES}
    for name in candidates:
        if len(name) >= 2 and (name[0] in _SURNAMES or name.startswith(_COMPOUND_SURNAMES) or name in names):
            replacements[name] = mask_name(name)
    masked = text
    for original in sorted(replacements, key=len, reverse=True):
        masked = masked.replace(original, replacements[original])
    return Deidentified(text, masked, sorted(replacements.items()))
