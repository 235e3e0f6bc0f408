"""Integration: the outbox survives a real Redis broker outage (a real worker delivers)."""
import shutil
import socket
import subprocess
import time

import pytest
from django.core import mail
from django.db import transaction

from config.celery import app as celery_app
from notifications.models import Message
from notifications.services import message_enqueue, outbox_flush

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)


@pytest.fixture
def redis_broker():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (make test installs it)")
    server = RedisServer()
    saved = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager", "result_backend",
                                              "task_publish_retry_policy", "broker_connection_timeout")}
    celery_app.conf.update(broker_url=f"redis://127.0.0.1:{server.port}/0", task_always_eager=False,
                           result_backend=None, broker_connection_timeout=1,
                           task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.1})
    reset_connections()
    yield server
    if server.proc and server.proc.poll() is None:
        server.stop()
    celery_app.conf.update(saved)
    reset_connections()


def reset_connections():
    """Drop pooled broker connections so the next publish connects afresh (celery keeps
    them per app; a test that swaps the broker URL must reset them)."""
    from kombu import pools

    celery_app.pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    pools.reset()  # kombu's own registry would hand back the closed producer pool


def test_outbox_delivers_after_a_broker_outage(redis_broker):
    from celery.contrib.testing.worker import start_worker

    # Broker down: the change commits, the message is kept, nothing is sent.
    with transaction.atomic():
        msg = message_enqueue(key="outage-1", channel=Message.EMAIL, to_address="li@example.com",
                              subject="答复书已出具", body="请查收")
    msg.refresh_from_db()
    assert msg.status == Message.PENDING and len(mail.outbox) == 0

    # Broker back: the sweep re-dispatches, a real worker delivers exactly once.
    redis_broker.start()
    import datetime as dt

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert outbox_flush(older_than=dt.timedelta(0)) == 1
        deadline = time.time() + 20
        while time.time() < deadline:
            msg.refresh_from_db()
            if msg.status == Message.SENT:
                break
            time.sleep(0.2)
        assert outbox_flush(older_than=dt.timedelta(0)) == 0
    assert msg.status == Message.SENT
    assert [m.subject for m in mail.outbox] == ["答复书已出具"]
