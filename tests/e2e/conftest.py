"""Browser journeys in Debian's chromium, driven by Playwright against a live server."""
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# test itself (set-up through services) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(os.environ.get("OGI_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(pg, impacts=("serious", "critical")) -> list[str]:
    """axe-core (npm, pinned in tests/e2e/package-lock.json; `scripts/setup.sh --test`
    installs it) run in the page: the serious and critical violations, one line each with
    the rule, its help text and the first offending elements."""
    assert AXE.exists(), "axe-core is not installed: run scripts/setup.sh --test (npm ci in tests/e2e)"
    if not pg.evaluate("typeof window.axe !== 'undefined'"):
        pg.add_script_tag(path=str(AXE))
    # a flash message fading in or out is measured half transparent: wait until it stands still
    pg.wait_for_function("!document.querySelector('.mdc-snackbar--opening, .mdc-snackbar--closing')", timeout=5000)
    result = pg.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                        for n in v["nodes"][:4])
            for v in result["violations"] if v["impact"] in impacts]


def assert_accessible(pg, where: str) -> None:
    found = axe_violations(pg)
    assert not found, f"axe-core on {where} ({pg.url}):\n" + "\n".join(found)


def log_in(pg, base: str, username: str) -> None:
    """Sign a test staff member in through the log-in page (a fresh session)."""
    pg.context.clear_cookies()
    pg.goto(f"{base}/staff/accounts/login/")
    pg.locator("input[name=username]").fill(username)
    pg.locator("input[name=password]").fill("pw-for-tests-123")
    with pg.expect_navigation():
        pg.locator("button[type=submit]").click()
