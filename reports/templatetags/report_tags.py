from django import template

from documents.content import cn_date as _cn_date

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """2026年12月2日."""
    return _cn_date(value)
