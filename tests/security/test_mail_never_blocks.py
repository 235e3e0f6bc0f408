"""Mail and SMS never block a request: a mail server that accepts the connection and
never answers (measured before: the staff page hung with it) costs the request nothing;
the message is sent from the outbox after commit, gives up after EMAIL_TIMEOUT and stays
in the outbox for the next try."""
import datetime as dt
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command

from agencies import roles
from notifications.channels import TransientDeliveryError
from notifications.delivery import message_deliver
from notifications.models import Message
from tests.sqlite_file import file_database

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def silent_smtp(settings):
    """A server that accepts connections and never says a word (not even the greeting)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.getsockname()[1]
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2
    yield held
    stop.set()
    for conn in held:
        conn.close()
    server.close()


def wait_for_outbox_threads(limit=15):
    deadline = time.monotonic() + limit
    for thread in [t for t in threading.enumerate() if t.name.startswith("outbox-")]:
        thread.join(max(0, deadline - time.monotonic()))


def test_a_silent_mail_server_does_not_hold_up_the_staff_page(silent_smtp, settings, tmp_path, make_staff):
    settings.OUTBOX_DELIVER_IN_BACKGROUND = True  # the embedded default: no broker
    make_staff(roles.HANDLER, username="wang", email="wang@example.gov.cn")
    with file_database(tmp_path / "mail.sqlite3"):
        from django.test import Client

        start = time.monotonic()
        resp = Client().post("/staff/accounts/password_reset/", {"email": "wang@example.gov.cn"})
        took = time.monotonic() - start
        assert resp.status_code == 302
        assert took < 1.5, f"the reset page took {took:.1f} s with a silent mail server"
        message = Message.objects.get(to_address="wang@example.gov.cn")
        assert "/staff/accounts/reset/" in message.body

        wait_for_outbox_threads()
        assert silent_smtp, "the outbox did try the mail server"
        message.refresh_from_db()
        assert message.status == Message.PENDING and message.attempts == 1
        assert "timed out" in message.last_error and message.sending_until is None

        # the server comes back: the next run of the outbox sends it, once
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("outbox_flush", older_than=0)
        call_command("outbox_flush", older_than=0)
        message.refresh_from_db()
        assert message.status == Message.SENT and len(mail.outbox) == 1


def test_a_worker_gives_up_on_a_silent_mail_server_after_the_timeout(silent_smtp, agency):
    from django.db import transaction

    from notifications.services import message_enqueue

    with transaction.atomic():
        message = message_enqueue(key="silent", channel=Message.EMAIL, to_address="zhang@example.com",
                                  subject="补正告知", body="请补正")
    # settings.OUTBOX_DELIVER_IN_BACKGROUND is off in tests: Celery eager tried it after commit
    message.refresh_from_db()
    assert message.status == Message.PENDING and message.attempts == 1
    start = time.monotonic()
    with pytest.raises(TransientDeliveryError):
        message_deliver(message_id=message.pk)
    assert time.monotonic() - start < 5  # EMAIL_TIMEOUT is 2 s here
    message.refresh_from_db()
    assert message.status == Message.PENDING and message.attempts == 2


def test_a_message_being_sent_is_not_sent_again_by_another_worker(settings, monkeypatch):
    from django.db import transaction
    from django.utils import timezone

    from notifications import services
    from notifications.services import message_enqueue

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # nothing delivers after commit here (the Celery app keeps the eagerness it was configured with,
    # so the hand-over itself is replaced): the message stays pending for the workers below
    monkeypatch.setattr(services, "dispatch", lambda message_id: None)
    with transaction.atomic():
        message = message_enqueue(key="claimed", channel=Message.EMAIL, to_address="a@example.com",
                                  subject="x", body="y")
    Message.objects.filter(pk=message.pk).update(sending_until=timezone.now() + dt.timedelta(minutes=1))
    assert message_deliver(message_id=message.pk) is False and not mail.outbox
    Message.objects.filter(pk=message.pk).update(sending_until=timezone.now() - dt.timedelta(seconds=1))
    assert message_deliver(message_id=message.pk) is True and len(mail.outbox) == 1
