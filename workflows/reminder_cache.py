"""What one reminder sweep reads once instead of once per case, and writes once instead
of once per reminder: the messages already sent about the open cases and the pending
answers in reconsiderations and lawsuits (their idempotency keys), each agency's persons
in charge, and the outbox the sweep's new reminders wait in until the sweep writes them
all together. With it a sweep runs a number of queries that does not grow with the
number of open cases or of reminders (a few per five thousand)."""
from __future__ import annotations

import contextvars

from django.contrib.auth import get_user_model

from agencies.roles import PERSON_IN_CHARGE
from notifications.models import Message
from notifications.services import Outbox

CHUNK = 5000


class SweepCache:
    def __init__(self, objects: dict[str, list[int]]):
        """`objects`: object type (app_label.model) -> the ids whose reminders the sweep may send."""
        self._sent: set[str] = set()
        self._known: set[tuple[str, str]] = set()
        for object_type, pks in objects.items():
            ids = [str(pk) for pk in pks]
            self._known.update((object_type, pk) for pk in ids)
            for i in range(0, len(ids), CHUNK):
                self._sent.update(Message.objects.filter(object_type=object_type, object_id__in=ids[i:i + CHUNK])
                                  .values_list("key", flat=True))
        self._chiefs: dict[int, list] | None = None
        self.outbox = Outbox()

    def knows(self, obj) -> bool:
        """Whether the messages about `obj` were read in (so `sent` answers for them)."""
        return (obj._meta.label_lower, str(obj.pk)) in self._known

    def sent(self, key: str) -> bool:
        return key in self._sent

    def mark_sent(self, key: str) -> None:
        self._sent.add(key)

    def sent_among(self, keys: list[str]) -> set[str]:
        """Which of `keys` (about no object read in, e.g. the daily digests) are in the outbox."""
        found: set[str] = set()
        for i in range(0, len(keys), CHUNK):
            found.update(Message.objects.filter(key__in=keys[i:i + CHUNK]).values_list("key", flat=True))
        return found

    def chiefs(self, agency) -> list:
        """The agency's active persons in charge (every agency's read at the first call)."""
        if self._chiefs is None:
            self._chiefs = {}
            for user in (get_user_model().objects.filter(groups__name=PERSON_IN_CHARGE, is_active=True,
                                                          staff_profile__isnull=False)
                         .select_related("staff_profile").order_by("pk")):
                self._chiefs.setdefault(user.staff_profile.agency_id, []).append(user)
        return self._chiefs.get(getattr(agency, "pk", agency), [])


current: contextvars.ContextVar[SweepCache | None] = contextvars.ContextVar("reminder_sweep_cache", default=None)
