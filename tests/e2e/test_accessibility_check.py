"""The accessibility check the journeys run is not blind: axe-core, injected the same way,
reports a page without a language, an unlabelled field and an image without text."""
import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.e2e


def test_axe_reports_serious_and_critical_violations(page):
    page.set_content('<html><body><main><input type="text" name="q"><img src="data:,"></main></body></html>')
    rules = {line.split(" ", 1)[0] for line in axe_violations(page)}
    assert {"html-has-lang", "label", "image-alt"} <= rules
    page.set_content('<html lang="zh-CN"><head><title>查询</title></head><body><main><h1>查询</h1>'
                     '<label for="q">关键词</label><input id="q" type="text"></main></body></html>')
    assert axe_violations(page) == []
