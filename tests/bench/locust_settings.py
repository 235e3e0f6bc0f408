"""BENCH ONLY, never for a real installation: the settings of the web processes under
load in `make bench` (tests/bench/load.py). Every simulated applicant comes from
127.0.0.1, so the portal's per-client rate limits would refuse all but the first few,
and a program cannot read the CAPTCHA's picture: here the CAPTCHA accepts
django-simple-captcha's test answer "passed" and the rate limits are off. The bench's
staff accounts were made with a fast password hash (tests/bench/history.py), which is
accepted here too. Everything else is config.settings as deployed."""
from django.conf import global_settings

from config.settings import *  # noqa: F401,F403

CAPTCHA_TEST_MODE = True
RATELIMIT_ENABLE = False
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
