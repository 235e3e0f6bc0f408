"""One public page shell (templates/public/base.html) for the applicant portal and the
disclosure column /gk/; the staff log-in page carries the system's name, not viewflow's demo."""
import re

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/apply/", "/track/", "/gk/"]


def html(client, url, **extra) -> str:
    resp = client.get(url, **extra)
    assert resp.status_code == 200, url
    return resp.content.decode()


def header(page: str) -> str:
    """The site header without what legitimately differs per page: the current-page mark
    and the large-type toggle's return address."""
    block = re.search(r'<header class="site">.*?</header>', page, re.S).group(0)
    return re.sub(r' aria-current="page"|\?next=[^"]*', "", block)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_the_shell(client, url):
    page = html(client, url)
    assert '<html lang="zh-Hans">' in page
    assert '<a class="skip" href="#main">跳到主要内容</a>' in page
    assert '<main id="main" tabindex="-1">' in page
    toggle = re.search(r'<a href="(/large-type/\?next=[^"]*)" id="large-type-toggle">大字模式</a>', page)
    assert toggle, "large-type toggle is a link, so it works from the keyboard"
    nav = header(page)
    for text in ("政府信息公开", "在线申请", "查询办理进度", "政府信息公开专栏"):
        assert f">{text}</a>" in nav


def test_portal_home_and_public_column_share_one_header(client):
    home, column = html(client, "/"), html(client, "/gk/")
    assert header(home) == header(column)
    assert 'href="/gk/" aria-current="page"' in column  # the column marks itself in the shared navigation
    assert "<footer>" in home and "<footer>" in column


def test_large_type_mode_applies_to_the_public_column_too(client):
    client.get("/large-type/?next=/gk/")
    page = html(client, "/gk/")
    assert '<html lang="zh-Hans" class="large">' in page
    assert 'id="large-type-toggle">标准字号</a>' in page
    assert re.search(r'href="/large-type/\?next=/gk/%3Fdomain%3D[^"]*" id="large-type-toggle"',
                     html(client, "/gk/?domain=就业")), "the toggle returns to the same page, query included"


def test_lang_follows_the_active_language(client):
    assert '<html lang="en">' in html(client, "/gk/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="zh-Hans">' in html(client, "/", HTTP_ACCEPT_LANGUAGE="zh-CN")


def test_staff_login_has_the_systems_name_not_viewflows_demo(client):
    page = html(client, "/staff/accounts/login/")
    assert "Viewflow" not in page and "Demo" not in page and "Django Material" not in page
    assert "<title>登录 - 政府信息公开办理系统</title>" in page
    assert "政府信息公开办理系统" in re.search(r'sidebar-header-subtitle">(.*?)</div>', page, re.S).group(1)
