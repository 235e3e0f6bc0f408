"""Each automated check fires on realistic positives and stays silent on near-misses."""
import io

import pytest
from django.core.management import call_command

from reviews import checks
from reviews.checks import check_text, id_check_digit, luhn_ok


def kinds(text, **kw):
    return [f.kind for f in check_text(text, **kw)]


def valid_id(first17="41010219900307123"):
    return first17 + id_check_digit(first17)


def luhn_number(prefix):
    return next(prefix + str(d) for d in range(10) if luhn_ok(prefix + str(d)))


# --- ID numbers ------------------------------------------------------------------------------

def test_id_number_with_correct_check_digit_fires():
    idn = valid_id()
    (f,) = check_text(f"当事人身份证号码：{idn}。")
    assert f.kind == "id_number" and f.matched == idn and f.location == "1:10"
    assert "410102********" in f.suggestion


def test_id_number_ending_in_x_fires():
    for seq in range(100, 999):
        first17 = f"11010519491231{seq:03d}"
        if id_check_digit(first17) == "X":
            break
    assert kinds(f"身份证 {first17}X") == ["id_number"]
    assert kinds(f"身份证 {first17}x") == ["id_number"]


def test_id_number_with_wrong_check_digit_is_silent():
    idn = valid_id()
    wrong = idn[:17] + ("1" if idn[17] != "1" else "2")
    assert "id_number" not in kinds(f"身份证号码：{wrong}")


def test_random_18_digit_number_with_impossible_birth_date_is_silent():
    first17 = "41010219901345123"  # month 13
    assert "id_number" not in kinds(first17 + id_check_digit(first17))


def test_id_inside_a_longer_digit_run_is_silent():
    assert "id_number" not in kinds("流水号 9" + valid_id() + "7")


# --- mobiles ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["联系电话：13812345678", "手机 138-1234-5678", "电话+86 199 1234 5678", "（15937512345）"])
def test_mobile_numbers_fire(text):
    assert kinds(text) == ["mobile"]


@pytest.mark.parametrize("text", ["办公电话 0375-2881234", "编号 12812345678", "数量 138123456789", "12345678901"])
def test_landlines_and_other_numbers_are_not_mobiles(text):
    assert "mobile" not in kinds(text)


# --- bank cards -------------------------------------------------------------------------------

def test_bank_card_passing_luhn_fires():
    card = luhn_number("622202100212345678")
    assert kinds(f"补贴发放至银行卡 {card}") == ["bank_card"]
    grouped = " ".join(card[i:i + 4] for i in range(0, len(card), 4))
    assert kinds(f"卡号：{grouped}") == ["bank_card"]


def test_16_digit_order_number_is_silent():
    order = "2024051612345678"
    assert not luhn_ok(order)
    assert kinds(f"采购订单 {order} 已完成") == []


def test_luhn_valid_number_labelled_as_order_number_is_silent():
    order = luhn_number("202405161234567")
    assert kinds(f"订单号：{order}") == []


def test_valid_id_number_is_not_also_reported_as_card():
    assert kinds(valid_id()) == ["id_number"]


# --- e-mail -----------------------------------------------------------------------------------

def test_email_fires_and_near_misses_do_not():
    assert kinds("来信请寄 zhang.san@163.com 。") == ["email"]
    assert kinds("微博 @石龙发布 和 user@localhost") == []


# --- secrecy markings -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["机密★5年", "绝密 ★ 长期", "秘密★", "密级：秘密", "内部资料 注意保密", "此件不得外传",
                                  "【内部】\n关于……的通知"])
def test_secrecy_markings_fire(text):
    assert "secrecy_mark" in kinds(text)


@pytest.mark.parametrize("text", ["村委会换届选举实行秘密投票。", "依法保护商业机密。", "加强内部控制制度建设。",
                                  "《中华人民共和国保守国家秘密法》", "单位内部管理"])
def test_words_that_merely_contain_a_marking_are_silent(text):
    assert kinds(text) == []


def test_header_saying_not_for_disclosure_fires_but_body_mention_does_not():
    assert kinds("公开属性：不予公开\n关于……的请示") == ["secrecy_mark"]
    assert kinds("不予公开\n关于……的请示") == ["secrecy_mark"]
    body = "\n".join(["标题", "一", "二", "三", "四", "五", "对涉及国家秘密的信息依法不予公开。"])
    assert kinds(body) == []


# --- sensitive words and links ----------------------------------------------------------------

def test_agency_sensitive_words_fire_case_insensitively():
    found = check_text("严禁出现ABC字样和某敏感表述", sensitive_words=["abc", "某敏感表述"])
    assert [(f.kind, f.matched) for f in found] == [("sensitive_word", "ABC"), ("sensitive_word", "某敏感表述")]


def test_links_empty_internal_and_foreign_fire_allowed_do_not():
    hosts = ["gov.cn", "shilong.gov.cn"]
    html = ('<p><a href="">空</a> <a href="#">锚</a> <a href="http://10.1.2.3/oa">内网</a> '
            '<a href="http://oa/index">内网2</a> <a href="https://evil.example.com/x">外站</a> '
            '<a href="https://www.gov.cn/zhengce/">国务院</a> <a href="/gk/1/">本站</a></p>')
    found = [(f.detail, f.matched) for f in check_text(html, allowed_hosts=hosts)]
    assert ("空链接", '""') in found and ("空链接", "#") in found
    assert ("内网链接", "http://10.1.2.3/oa") in found and ("内网链接", "http://oa/index") in found
    assert ("非允许网站", "https://evil.example.com/x") in found
    assert len(found) == 5


def test_dead_links_on_allowed_hosts_use_the_injected_probe():
    dead = check_text("详见 https://www.gov.cn/gone.html", allowed_hosts=["gov.cn"], probe=lambda url: False)
    assert [f.detail for f in dead] == ["失效链接"]
    assert check_text("详见 https://www.gov.cn/ok.html", allowed_hosts=["gov.cn"], probe=lambda url: True) == []


# --- de-identification -------------------------------------------------------------------------

def test_deidentify_masks_names_and_numbers_and_shows_the_diff():
    idn = valid_id()
    text = f"被处罚人：张三丰，身份证号{idn}，手机13812345678。\n欧阳修先生已领取。"
    result = checks.deidentify(text)
    assert "张某某" in result.masked and "欧阳某某" in result.masked
    assert "410102********" + idn[-4:] in result.masked and "138****5678" in result.masked
    assert "张三丰" not in result.masked and idn not in result.masked
    assert any(line.startswith("-") and "张三丰" in line for line in result.diff)
    assert any(line.startswith("+") and "张某某" in line for line in result.diff)


# --- the command ---------------------------------------------------------------------------

def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("precheck", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def test_precheck_command_on_text_html_pdf_and_docx(tmp_path):
    import docx
    from openpyxl import Workbook  # noqa: F401  (installed dependency check)

    clean = tmp_path / "clean.txt"
    clean.write_text("本次选举实行秘密投票。办公电话 0375-2881234。", encoding="utf-8")
    assert _run(str(clean)) == (0, "")

    txt = tmp_path / "a.txt"
    txt.write_text("第一行\n联系人手机 13812345678\n", encoding="utf-8")
    code, out = _run(str(txt))
    assert code == 1 and out == f"mobile\t{txt}:2:7\t13812345678\n"

    html = tmp_path / "b.html"
    html.write_text('<p>机密★1年</p>\n<p><a href="http://192.168.0.5/">内网</a></p>', encoding="utf-8")
    code, out = _run(str(html))
    lines = out.splitlines()
    assert code == 1 and lines[0] == f"secrecy_mark\t{html}:1:4\t机密★1年" and lines[1].startswith(f"link\t{html}:2:")

    d = docx.Document()
    d.add_paragraph("关于发放补贴的公示")
    d.add_paragraph(f"领取人身份证号 {valid_id()}")
    path = tmp_path / "c.docx"
    d.save(path)
    code, out = _run(str(path))
    assert code == 1 and out == f"id_number\t{path}:para2:9\t{valid_id()}\n"

    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(_pdf_with_text("Contact: zhangsan@example.com"))
    code, out = _run(str(pdf))
    assert code == 1 and out.startswith(f"email\t{pdf}:p1:") and out.rstrip().endswith("zhangsan@example.com")


def _pdf_with_text(text: str) -> bytes:
    """A minimal one-page PDF with Helvetica text (no PDF writer dependency needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)
