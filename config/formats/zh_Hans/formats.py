"""Django's Chinese formats, with the ISO form first among the input formats: a form field
renders its value in the first input format, and the browser's date picker (type="date",
type="datetime-local") accepts only ISO — 2026/12/02 showed as an empty field and was lost."""
from django.conf.locale.zh_Hans.formats import *  # noqa: F401,F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DATES
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DATETIMES

DATE_INPUT_FORMATS = ["%Y-%m-%d"] + [f for f in _DATES if f != "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] + list(_DATETIMES)
