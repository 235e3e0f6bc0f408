"""What one reminder sweep reads once instead of once per case: the messages already
sent about the open cases (their idempotency keys) and each agency's persons in charge.
With it the repeat sweep, which finds every reminder already sent, runs a fixed number
of queries whatever the number of open cases."""
from __future__ import annotations

import contextvars

from django.contrib.auth import get_user_model

from agencies.roles import PERSON_IN_CHARGE
from notifications.models import Message

CHUNK = 5000


class SweepCache:
    def __init__(self, case_ids: list[int], *, object_type: str):
        self._sent: set[str] = set()
        ids = [str(pk) for pk in case_ids]
        for i in range(0, len(ids), CHUNK):
            self._sent.update(Message.objects.filter(object_type=object_type, object_id__in=ids[i:i + CHUNK])
                              .values_list("key", flat=True))
        self._chiefs: dict[int, list] = {}

    def sent(self, key: str) -> bool:
        return key in self._sent

    def chiefs(self, agency) -> list:
        pk = getattr(agency, "pk", agency)
        if pk not in self._chiefs:
            self._chiefs[pk] = list(get_user_model().objects.filter(
                staff_profile__agency=pk, groups__name=PERSON_IN_CHARGE, is_active=True))
        return self._chiefs[pk]


current: contextvars.ContextVar[SweepCache | None] = contextvars.ContextVar("reminder_sweep_cache", default=None)
