"""What each document says: the wording per kind and per outcome, composed from the
facts frozen into the document when the step decided it (`data["case"]`). Pure functions of (kind, data, agency) so a frozen document
always reads the same; no database access in `compose`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from legal import clock as clock_rules
from legal import outcomes as outcome_rules
from legal.remedy import ARTICLES as REMEDY_ARTICLES
from legal.remedy import remedy_sentence

from . import kinds

REG = "《政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


def cn_date(value) -> str:
    """GB/T 9704 writes dates with Arabic numerals and no leading zeros: 2026年3月5日."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.year}年{value.month}月{value.day}日"


# --- composition ------------------------------------------------------------------------

@dataclass
class Composed:
    title: str
    recipient: str = ""
    blocks: list = field(default_factory=list)  # ("p", text) | ("list", [text]) | ("table", [(k, v)]) | ("h", text)
    articles: list = field(default_factory=list)
    remedy: str = ""
    contact: str = ""
    signature: bool = True
    internal: bool = False
    attachments: list = field(default_factory=list)  # 附件说明 (GB/T 9704 7.3.3): names, in order


def _items_text(case) -> str:
    titles = [f"“{i['title']}”" for i in case.get("items", [])]
    return "、".join(titles) or f"“{case.get('description', '')}”"


def _articles_from(texts) -> list[str]:
    seen = []
    for t in texts:
        if t and t not in seen:
            seen.append(t)
    return seen


def compose(kind: str, data: dict, agency) -> Composed:
    case = data.get("case", {})
    builder = _BUILDERS[kind]
    out = builder(data, case, agency)
    if kind in EDITABLE_BODY and (data.get("body") or "").strip():
        # the handler edited the generated body (拟写答复): their text replaces it, once
        out.blocks = [("p", para) for para in body_paragraphs(data["body"])]
    elif data.get("note"):
        out.blocks.append(("p", data["note"]))
    out.internal = kind in kinds.INTERNAL
    if not out.internal and not out.contact:
        out.contact = (f"联系机构：{agency.ogi_office}；地址：{agency.address}"
                       f"{('（邮编' + agency.postcode + '）') if agency.postcode else ''}；联系电话：{agency.phone}。")
    return out


# The body of these kinds is drafted in an editor seeded with the generated text; the
# title, addressee, remedy sentence, legal basis and contact stay generated.
EDITABLE_BODY = {kinds.REPLY}


def body_paragraphs(text: str) -> list[str]:
    """The paragraphs of an edited body: one per non-empty line (a blank line between
    paragraphs is allowed and ignored)."""
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def body_text(composed: Composed) -> str:
    """The body of a composed document as the text an editor starts from: one paragraph
    per line with a blank line between, numbered list items as the PDF numbers them."""
    paragraphs = []
    for kind, value in composed.blocks:
        if kind == "p":
            paragraphs.append(str(value))
        elif kind == "list":
            paragraphs += [f"{n}．{line}" for n, line in enumerate(value, 1)]
        elif kind == "h":
            paragraphs.append(str(value))
    return "\n\n".join(paragraphs)


def _opening(case) -> str:
    reg = f"（登记号：{case['registration_number']}）" if case.get("registration_number") else ""
    return (f"本机关于{cn_date(case.get('received_on'))}收到您提出的政府信息公开申请{reg}，"
            f"申请获取{_items_text(case)}。")


def _receipt(data, case, agency):
    clock = case.get("clock", {})
    blocks = [
        ("p", f"本机关于{cn_date(case.get('received_on'))}收到您通过{case.get('channel', '')}提交的政府信息公开申请，"
              f"现予登记。登记号：{case.get('registration_number') or '—'}；查询号：{case.get('tracking_number', '')}。"),
        ("p", "申请获取的政府信息：" + _items_text(case) + "。"),
        ("p", f"{case.get('receipt_rule', '')}依据{REG}第三十三条第二款，本机关将自收到申请之日起20个工作日内"
              f"（即{cn_date(clock.get('due_date'))}前{'，暂定' if clock.get('provisional') else ''}）予以答复；"
              "需要延长答复期限的，经政府信息公开工作机构负责人同意，将另行告知，延长的期限最长不超过20个工作日。"
              "征求第三方和其他机关意见所需时间不计算在答复期限内。"),
    ]
    return Composed("政府信息公开申请登记回执", f"{case.get('applicant_name')}：", blocks,
                    articles=[f"{REG}第三十一条、第三十三条"])


def _supplement(data, case, agency):
    items = data.get("supplement_items") or []
    if isinstance(items, str):
        items = [x.strip() for x in items.splitlines() if x.strip()]
    # The period runs from the applicant's receipt of this notice: a date is printed only
    # when the receipt day is already known (sent through the portal or by e-mail).
    due = data["supplement_due"] if "supplement_due" in data else case.get("supplement_due")
    days = data.get("supplement_days")
    when = (f"自收到本告知书之日起{days}个工作日内（即{cn_date(due)}前）" if days and due
            else f"自收到本告知书之日起{days}个工作日内" if days else f"于{cn_date(due)}前")
    blocks = [
        ("p", _opening(case) + f"经审查，您的申请内容不明确。依据{REG}第三十条，现一次性告知您需要补正的事项如下："),
        ("list", items),
        ("p", f"请您{when}补正。答复期限自本机关收到补正后的申请之日起重新计算。"
              "您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"),
    ]
    return Composed("政府信息公开申请补正告知书", f"{case.get('applicant_name')}：", blocks,
                    articles=[f"{REG}第三十条"])


def _extension(data, case, agency):
    clock = case.get("clock", {})
    days = data.get("extension_days") or clock_rules.MAX_EXTENSION_DAYS
    new_due = data.get("new_due_date") or clock.get("due_date")
    blocks = [
        ("p", _opening(case) + f"因{data.get('reason') or '所需信息较多，需要进一步检索、审查'}，"
              "本机关不能在规定期限内作出答复。"),
        ("p", f"经本机关政府信息公开工作机构负责人同意，依据{REG}第三十三条第二款，答复期限延长{days}个工作日，"
              f"延长后的答复期限为{cn_date(new_due)}{'（暂定）' if clock.get('provisional') else ''}。"),
    ]
    return Composed("政府信息公开申请延期答复告知书", f"{case.get('applicant_name')}：", blocks,
                    articles=[f"{REG}第三十三条第二款"])


def _third_party(data, case, agency):
    days = clock_rules.THIRD_PARTY_REPLY_DAYS
    blocks = [
        # the third party learns what is asked, never who asks (the applicant's personal information)
        ("p", f"本机关于{cn_date(case.get('received_on'))}收到一份政府信息公开申请，"
              f"申请获取{data.get('info') or _items_text(case)}。经审查，该信息的公开可能损害贵方的合法权益"
              f"（{data.get('interest') or '商业秘密、个人隐私等'}）。"),
        ("p", f"依据{REG}第三十二条，现书面征求贵方意见。请贵方自收到本意见书之日起{days}个工作日内"
              f"{('（即' + cn_date(data['reply_due']) + '前）') if data.get('reply_due') else ''}书面提出意见，"
              "并说明理由。逾期未提出意见的，由本机关依照条例的规定决定是否公开。"),
        ("p", "贵方不同意公开且有合理理由的，本机关不予公开；但本机关认为不公开可能对公共利益造成重大影响的，"
              "可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。"),
    ]
    return Composed("政府信息公开征求第三方意见书", f"{data.get('third_party_name') or '第三方'}：", blocks,
                    articles=[f"{REG}第三十二条", f"{REG}第三十三条第三款"])


def _other_agency(data, case, agency):
    days = clock_rules.OTHER_AGENCY_REPLY_DAYS
    blocks = [
        ("p", f"本机关于{cn_date(case.get('received_on'))}收到一份政府信息公开申请，申请获取"
              f"{data.get('info') or _items_text(case)}。经审查，该政府信息由本机关与贵机关共同制作。"),
        ("p", f"依据{REG}第三十四条，现书面征求贵机关意见。请贵机关自收到本函之日起{days}个工作日内"
              f"{('（即' + cn_date(data['reply_due']) + '前）') if data.get('reply_due') else ''}"
              "书面提出是否同意公开的意见；逾期未提出意见的，视为同意公开。"),
    ]
    return Composed("政府信息公开征求其他机关意见函", f"{data.get('other_agency_name') or '有关机关'}：", blocks,
                    articles=[f"{REG}第三十四条", f"{REG}第三十三条第三款"])


def _volume_reasons(data, case, agency):
    blocks = [
        ("p", _opening(case) + "经审查，您近期提出的政府信息公开申请数量、频次明显超过合理范围。"
              f"依据{REG}第三十五条，请您说明理由：{(data.get('question') or '申请上述政府信息的理由').rstrip('。')}。"),
        ("p", "本机关认为您的理由不合理的，将告知您不予处理；认为理由合理，但无法在规定期限内答复的，"
              "将确定延迟答复的合理期限并告知您。"),
    ]
    return Composed("政府信息公开申请说明理由通知书", f"{case.get('applicant_name')}：", blocks,
                    articles=[f"{REG}第三十五条"])


def _longer_period(data, case, agency):
    clock = case.get("clock", {})
    blocks = [
        ("p", _opening(case) + "您已就申请数量、频次说明理由，本机关认为理由合理，但申请内容较多，"
              "无法在规定期限内答复。"),
        ("p", f"依据{REG}第三十五条，本机关确定延迟答复的合理期限为{data.get('longer_days')}个工作日，"
              f"答复期限延至{cn_date(data.get('new_due_date') or clock.get('due_date'))}"
              f"{'（暂定）' if clock.get('provisional') else ''}。"
              f"{('理由：' + data['reason'].rstrip('。') + '。') if data.get('reason') else ''}"),
    ]
    return Composed("政府信息公开申请延迟答复告知书", f"{case.get('applicant_name')}：", blocks,
                    articles=[f"{REG}第三十五条"])


def _withdrawal(data, case, agency):
    received = case.get("received_on") or case.get("submitted_on")
    reg = f"（登记号：{case['registration_number']}）" if case.get("registration_number") else ""
    blocks = [
        ("p", f"本机关于{cn_date(received)}收到您提出的政府信息公开申请{reg}，申请获取{_items_text(case)}。"),
        ("p", f"您于{cn_date(data.get('withdrawn_on'))}申请撤回该申请"
              f"{('（' + data['reason'].rstrip('。') + '）') if data.get('reason') else ''}。"
              "本机关确认收到您的撤回申请，对该政府信息公开申请不再处理。您仍可以依法另行提出政府信息公开申请。"),
    ]
    # No article is cited: the regulation does not regulate withdrawal; the confirmation only records it.
    return Composed("政府信息公开申请撤回确认书", f"{case.get('applicant_name')}：", blocks)


def _public_interest(data, case, agency):
    blocks = [
        ("p", f"本机关于{cn_date(case.get('received_on'))}收到一份政府信息公开申请。"
              f"本机关已就其中涉及贵方合法权益的信息书面征求贵方意见"
              f"{('，贵方于' + cn_date(data['objection_on']) + '提出不同意公开的意见') if data.get('objection_on') else ''}。"),
        ("p", f"经审查，本机关认为不公开下列信息可能对公共利益造成重大影响，依据{REG}第十五条、第三十二条，"
              f"决定予以公开：{data.get('info') or _items_text(case)}。"),
        ("p", f"决定公开的理由：{data.get('reason') or '涉及公共利益'}。"
              f"{('拟于' + cn_date(data['disclosure_on']) + '公开。') if data.get('disclosure_on') else ''}"),
    ]
    return Composed("政府信息公开告知第三方书", f"{data.get('third_party_name') or '第三方'}：", blocks,
                    articles=[f"{REG}第十五条、第三十二条", REMEDY_ARTICLES],
                    remedy=remedy_sentence(agency, party="贵方", decision="本决定"))


def _fee(data, case, agency):
    due_days = clock_rules.FEE_PAYMENT_DAYS
    # 109号: the 20 working days run from the day after the applicant receives the notice;
    # a date is printed only when the receipt day is already known.
    due = data["fee_due"] if "fee_due" in data else case.get("fee_due")
    blocks = [
        ("p", _opening(case) + f"经审查，您的申请数量、频次明显超过合理范围，依据{REG}第四十二条和{FEE_RULES}，"
              "本机关决定收取信息处理费。"),
        ("table", [row for row in [
            ("收费依据", data.get("fee_basis") or ""),
            ("计收方式", data.get("fee_method") or ""),
            ("收费标准", data.get("fee_standard") or ""),
            ("计费数量", str(data.get("fee_quantity") or "")),
            ("应缴金额", f"人民币{data.get('fee_amount', '')}元"),
            ("缴费方式", data.get("payment_method") or "银行转账至本机关指定账户"),
            ("缴费截止日期", cn_date(due) if due else f"收到本通知的次日起第{due_days}个工作日"),
        ] if row[1]]),
        ("p", f"请您自收到本通知的次日起{due_days}个工作日内"
              f"{('（即' + cn_date(due) + '前）') if due else ''}"
              "缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"
              "自本通知发出之日至您缴纳费用之日，答复期限暂停计算。"),
    ]
    # the basis is in the notice's own table (收费依据); the closing line names the remedy law
    return Composed("政府信息公开信息处理费收费通知书", f"{case.get('applicant_name')}：", blocks,
                    articles=[REMEDY_ARTICLES] if data.get("fee_basis") else [f"{REG}第四十二条", FEE_RULES, REMEDY_ARTICLES],
                    remedy=remedy_sentence(agency, decision="本通知"))


def _item_paragraph(item, case) -> str:
    code, title = item.get("outcome", ""), f"“{item.get('title', '')}”"
    # Each reason becomes its own sentence, whatever punctuation the handler typed.
    reason = (item.get("reasoning") or "").strip().rstrip("。；;，,. ")
    because = f"理由：{reason}。" if reason else ""
    rule = outcome_rules.OUTCOMES.get(code)
    art = rule.article if rule else ""
    # "（见附件N）" only when the handler attached the information to this item (Art. 36(2)).
    numbers = item.get("attachments") or []
    see = f"（见附件{'、'.join(str(n) for n in numbers)}）" if numbers else ""
    if code == "1":
        provide = f"，现随本答复书一并提供{see}" if numbers else ""
        return f"您申请获取的{title}属于公开范围，本机关予以公开{provide}。"
    if code == "2":
        return (f"您申请获取的{title}中含有不应当公开的内容，依据{art}，本机关对可以公开的部分予以提供{see}。"
                f"不予公开的部分为：{(item.get('withheld_parts') or '—').rstrip('。；;')}；理由：{reason or '见上'}。")
    if code.startswith("3.") and code != "3.8":
        ground = rule.label.split("：", 1)[-1]
        return f"您申请获取的{title}{ground}，依据{art}，本机关决定不予公开。{because}"
    if code == "4.1":
        return f"经检索，本机关未制作、获取您申请的{title}，该政府信息不存在。依据{art}，特此告知。{because}"
    if code == "4.2":
        return f"您申请获取的{title}需要本机关对现有政府信息进行加工、分析，依据{art}，本机关不予提供。{because}"
    if code == "4.3":
        return f"您补正后的申请内容仍不明确，本机关无法确定您申请获取的{title}。依据{art}，无法提供。{because}"
    if code == "not_this_agency":
        contact = item.get("right_agency_contact")
        return (f"您申请获取的{title}不属于本机关负责公开。依据{art}，告知如下：该信息由{item.get('right_agency') or '有关机关'}"
                f"负责公开{('，联系方式：' + contact) if contact else ''}，请您向该机关申请。{because}")
    if code == "already_public":
        return f"您申请获取的{title}本机关已经主动公开，依据{art}，告知您可以通过{item.get('where_published') or '本机关门户网站'}获取。"
    if code == "5.2":
        prior = case.get("repeat_of") or {}
        prior_text = ""
        if prior:
            prior_text = (f"本机关已就您于{cn_date(prior.get('received_on'))}提出的相同申请作出答复"
                          f"{('（' + prior['reply_number'] + '）') if prior.get('reply_number') else ''}，")
        return f"您申请获取的{title}，{prior_text}本次申请属于重复申请，依据{art}，本机关不予重复处理。"
    if code == "5.1":  # Art. 39(1): told it is not handled as OGI, and where to go instead
        return (f"您提出的{title}属于信访、投诉、举报等事项，依据{art}，本机关不作为政府信息公开申请处理，"
                f"请您通过{reason or '信访等相应渠道'}提出。")
    if code == "5.3":  # Art. 39(2): told how to obtain the publication
        return f"您申请获取的{title}属于公开出版物，依据{art}，请您通过{reason or '公开发行渠道'}获取。"
    if code == "5.5":
        return (f"您提出的{title}系要求本机关对您已获取的信息予以确认或者重新出具，并非申请获取政府信息，"
                f"依据{art}，本机关不作为政府信息公开申请处理。{because}")
    if code == "5.4":
        return f"您提出的{title}属于无正当理由大量、反复申请，依据{art}，本机关不予处理。{because}"
    if code in ("special_rules", "3.8"):
        return (f"您申请获取的{title}属于依照法律、行政法规的特别规定查询的事项，依据{art}，"
                f"请您依照{reason or '有关法律、行政法规的规定'}办理。")
    if code == "6.3":
        return f"关于您申请获取的{title}：{reason}。"
    return f"关于您申请获取的{title}：{rule.label if rule else ''}。{because}"


def _reply(data, case, agency):
    code = data.get("closure") or case.get("outcome") or ""
    name = case.get("applicant_name")
    if code == outcome_rules.LAPSED_SUPPLEMENT:
        blocks = [("p", _opening(case) + f"本机关已向您发出补正告知书，要求您于{cn_date(case.get('supplement_due'))}前补正。"
                                          f"您无正当理由逾期未补正，依据{REG}第三十条，视为放弃申请，本机关不再处理该政府信息公开申请。")]
        return Composed("政府信息公开申请终止处理告知书", f"{name}：", blocks,
                        articles=[f"{REG}第三十条", REMEDY_ARTICLES], remedy=remedy_sentence(agency, decision="本告知书"))
    if code == outcome_rules.LAPSED_FEE:
        blocks = [("p", _opening(case) + f"本机关已向您发出信息处理费收费通知书，要求您于{cn_date(case.get('fee_due'))}前缴纳。"
                                          f"您逾期未缴纳，依据{REG}第四十二条和{FEE_RULES}，视为放弃申请，本机关不再处理该政府信息公开申请。")]
        return Composed("政府信息公开申请终止处理告知书", f"{name}：", blocks,
                        articles=[f"{REG}第四十二条", REMEDY_ARTICLES], remedy=remedy_sentence(agency, decision="本告知书"))
    items = case.get("items", [])
    blocks = [("p", _opening(case) + "经审查，现答复如下：")]
    if len(items) == 1:
        blocks.append(("p", _item_paragraph(items[0], case)))
    else:
        blocks.append(("list", [_item_paragraph(i, case) for i in items]))
    discloses = any(i.get("outcome") in outcome_rules.PROVIDED_WITH_REPLY for i in items)
    if discloses:
        blocks.append(("p", _provision(case, agency)))
    arts_40 = [f"{REG}第四十条"] if discloses and case.get("provided_form_reason") else []
    arts = _articles_from(i.get("article") for i in items)
    return Composed("政府信息公开申请答复书", f"{name}：", blocks, articles=arts + arts_40 + [REMEDY_ARTICLES],
                    remedy=remedy_sentence(agency), attachments=case.get("attachments") or [] if discloses else [])


def _provision(case, agency) -> str:
    """How the information is provided (Art. 40): in the form asked for, or another with the reason."""
    wanted, given = case.get("form_wanted") or "", case.get("provided_form") or case.get("form_wanted") or ""
    reason = (case.get("provided_form_reason") or "").strip().rstrip("。；;，,. ")
    if given == "当场查阅、抄录":
        where = f"请您于收到本答复书后的工作日，携带本答复书和身份证件到{agency.ogi_office}（{agency.address}）查阅、抄录上述信息。"
        if reason:
            return f"您要求以{wanted}形式获取，因{reason}，依据{REG}第四十条，本机关安排您当场查阅、抄录。" + where
        return where
    if reason:
        return f"您要求以{wanted}形式获取，因{reason}，依据{REG}第四十条，本机关以{given}形式提供上述信息。"
    return f"上述信息按照您要求的{given}形式提供。"


ONLINE_SERVICE_ADDRESS = "政府信息公开申请平台（申请人凭查询号和查询码查阅、下载）"


def _service_address(data, case) -> str:
    """Where it was served: the postal address; for e-mail the mailbox, and for 网上送达
    the portal (an applicant who applied online need not have given a postal address)."""
    method = data.get("delivery_method") or ""
    if data.get("address"):
        return data["address"]
    if method == "电子邮件" and case.get("email"):
        return case["email"]
    if method == "网上送达":
        return ONLINE_SERVICE_ADDRESS
    return case.get("address", "")


def _service_proof(data, case, agency):
    rows = [
        ("送达文书", data.get("served_document") or "政府信息公开申请答复书"),
        ("受送达人", data.get("recipient") or case.get("applicant_name", "")),
        ("送达地址", _service_address(data, case)),
        ("送达方式", data.get("delivery_method") or "邮寄送达"),
        ("邮件号码", data.get("tracking_number") or "—"),
        ("送达日期", cn_date(data.get("delivered_on"))),
        ("送达人", data.get("server") or agency.ogi_office),
        ("受送达人签收", data.get("signed_by") or "（签名）        年    月    日"),
        ("备注", data.get("remark") or "邮寄送达的，以交邮之日为答复之日；直接送达的，以签收之日为答复之日。"),
    ]
    return Composed("送达回证", "", [("table", rows)],
                    articles=["《国务院办公厅政府信息与政务公开办公室关于政府信息公开处理决定送达问题的解释》（国办公开办函〔2016〕235号）"])


def _approval(data, case, agency):
    clock = case.get("clock", {})
    rows = [
        ("申请人", f"{case.get('applicant_name')}（{case.get('applicant_type', '')}）"),
        ("登记号", case.get("registration_number") or case.get("tracking_number", "")),
        ("收到申请日期", cn_date(case.get("received_on"))),
        ("答复期限", cn_date(clock.get("due_date")) + ("（暂定）" if clock.get("provisional") else "")),
        ("申请内容", _items_text(case)),
        ("拟处理意见", data.get("proposal") or "；".join(
            f"{i['title']}：{i['outcome_label'] or '待定'}" for i in case.get("items", []))),
        ("承办部门、承办人", f"{case.get('department', '')} {case.get('handler', '')}".strip()),
    ]
    for op in (data.get("opinions") if isinstance(data.get("opinions"), list) else []):
        rows.append((op.get("role", "意见"), f"{op.get('opinion', '')} {op.get('name', '')} {cn_date(op.get('date'))}".strip()))
    rows.append(("负责人审签", data.get("approval") or ""))
    arts = _articles_from(i.get("article") for i in case.get("items", []))
    return Composed("政府信息公开申请办理审批单", "", [("table", rows)], articles=arts, signature=False)


def _opinions_text(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value
    lines = []
    for op in value:
        if isinstance(op, dict):
            who = op.get("name") or op.get("role") or op.get("by") or ""
            when = f"（{cn_date(op['date'])}）" if op.get("date") else ""
            lines.append(f"{who}{when}：{op.get('opinion') or op.get('text') or ''}".strip("："))
        else:
            lines.append(str(op))
    return "；".join(lines)


def _consultation(data, case, agency):
    rows = [
        ("会商时间", cn_date(data.get("held_on"))),
        ("会商地点", data.get("place", "")),
        ("参加人员", data.get("participants", "")),
        ("申请人", case.get("applicant_name", "")),
        ("登记号、收到申请日期", f"{case.get('registration_number') or case.get('tracking_number', '')}，{cn_date(case.get('received_on'))}"),
        ("会商事项", data.get("topic") or _items_text(case)),
        ("各方意见", _opinions_text(data.get("opinions"))),
        ("会商结论", data.get("conclusion", "")),
        ("记录人", data.get("recorder", "")),
    ]
    arts = list(data.get("articles") or _articles_from(i.get("article") for i in case.get("items", [])))
    return Composed("政府信息公开申请会商记录", "", [("table", rows)], articles=arts, signature=False)


def _correction_reply(data, case, agency):
    """Art. 41: verified and corrected; accurate, with the reasons; or not the agency's
    function — referred to, or the person told to apply to, the agency that may correct it."""
    decision, other = case.get("decision"), case.get("right_agency") or "有权更正的行政机关"
    reason = (case.get("reason") or "").strip().rstrip("。；;，,. ")
    opening = (f"本机关于{cn_date(case.get('received_on'))}收到您提出的政府信息更正申请"
               f"{('（登记号：' + case['registration_number'] + '）') if case.get('registration_number') else ''}，"
               f"认为本机关提供的与您自身相关的政府信息记录“{case.get('record', '')}”不准确，要求予以更正。")
    if decision == "corrected":
        body = (f"经核实，您提供的证据能够证明该记录不准确，依据{REG}第四十一条，本机关已予以更正。"
                f"更正的内容为：{(case.get('corrected_what') or '').rstrip('。')}。")
    elif decision == "accurate":
        body = f"经核实，该记录准确，您提供的证据不足以证明其不准确，本机关不予更正。理由：{reason}。"
    elif decision == "referred":
        body = (f"经审查，更正该记录不属于本机关职能范围。依据{REG}第四十一条，本机关已将您的申请转送{other}处理，"
                "请您留意该机关的答复。")
    else:
        body = f"经审查，更正该记录不属于本机关职能范围。依据{REG}第四十一条，请您向{other}提出。"
    if reason and decision in ("referred", "told", "corrected"):
        body += f"{reason}。"
    return Composed("政府信息更正申请答复书", f"{case.get('applicant_name')}：", [("p", opening), ("p", body)],
                    articles=[f"{REG}第四十一条", REMEDY_ARTICLES], remedy=remedy_sentence(agency))


_BUILDERS = {
    kinds.RECEIPT: _receipt, kinds.SUPPLEMENT_NOTICE: _supplement, kinds.EXTENSION_NOTICE: _extension,
    kinds.THIRD_PARTY_LETTER: _third_party, kinds.OTHER_AGENCY_LETTER: _other_agency,
    kinds.WITHDRAWAL_CONFIRMATION: _withdrawal, kinds.VOLUME_REASONS_NOTICE: _volume_reasons, kinds.LONGER_PERIOD_NOTICE: _longer_period, kinds.PUBLIC_INTEREST_NOTICE: _public_interest, kinds.FEE_NOTICE: _fee,
    kinds.REPLY: _reply, kinds.SERVICE_PROOF: _service_proof, kinds.APPROVAL_SHEET: _approval,
    kinds.CONSULTATION_RECORD: _consultation, kinds.CORRECTION_REPLY: _correction_reply,
}


# --- a document is complete before it is signed ------------------------------------------
# A field left empty shows in the sentence that quotes it ("延长后的答复期限为。", "于前补正",
# "延长个工作日") or as an empty row of a table; either stops the signature.
_EMPTY_IN_TEXT = [
    (re.compile(r"(为|至|于|：)(。|；)"), "日期或内容"),
    (re.compile(r"于前"), "日期"),
    (re.compile(r"（即前）"), "日期"),
    (re.compile(r"(?<![0-9〇零一二三四五六七八九十百])个工作日"), "工作日数"),
    (re.compile(r"人民币元"), "金额"),
    (re.compile(r"None|nan\b"), "内容"),
]


def missing_fields(composed: Composed) -> list[str]:
    """What the composed document still lacks: empty table rows by name, and sentences
    whose quoted field is empty (by the phrase around it)."""
    missing: list[str] = []
    texts = [composed.recipient, composed.remedy]
    for kind, value in composed.blocks:
        if kind == "table":
            missing += [str(k) for k, v in value if not str(v or "").strip()]
        elif kind == "list":
            texts += [str(v) for v in value]
        else:
            texts.append(str(value))
    for text in texts:
        for pattern, what in _EMPTY_IN_TEXT:
            found = pattern.search(text or "")
            if found:
                start = max(0, found.start() - 8)
                missing.append(f"{what}（“…{text[start:found.end()]}”）")
    return missing
