"""Password rules for staff accounts (等保 2.0 三级, GB/T 22239-2019 8.1.4.1: 口令具有复杂度要求)."""
from __future__ import annotations

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

PASSWORD_TOO_SHORT = "密码太短，至少要 %(min_length)d 个字符。"
PASSWORD_TOO_FEW_CLASSES = "密码至少要包含大写字母、小写字母、数字、符号中的 %(min_classes)d 类。"


def _classes(password: str) -> int:
    found = set()
    for ch in password:
        if ch.isupper():
            found.add("upper")
        elif ch.islower():
            found.add("lower")
        elif ch.isdigit():
            found.add("digit")
        elif ch in string.punctuation or not ch.isalnum():
            found.add("symbol")
    return len(found)


class CharacterClassesValidator:
    """At least `min_classes` of: capitals, small letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if _classes(password) < self.min_classes:
            raise ValidationError(PASSWORD_TOO_FEW_CLASSES, code="password_too_few_classes",
                                  params={"min_classes": self.min_classes})

    def get_help_text(self):
        return PASSWORD_TOO_FEW_CLASSES % {"min_classes": self.min_classes}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with the message in Chinese (its catalogue leaves this plural untranslated)."""

    def get_error_message(self):
        return PASSWORD_TOO_SHORT % {"min_length": self.min_length}

    def get_help_text(self):
        return PASSWORD_TOO_SHORT % {"min_length": self.min_length}
