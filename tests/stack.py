"""The production layout on loopback, for the deployment test and the load benchmark:
Redis, web processes under gunicorn and Celery workers, each a process of its own
against one database, started from this checkout's Python and always stopped again.

    with Stack(env) as stack:
        redis_url = stack.redis()
        stack.env["REDIS_URL"] = redis_url
        web_a = stack.web()            # "http://127.0.0.1:<port>"
        stack.worker("w1")

Every process is started in a session of its own and stopped by its process group
(gunicorn's master and its workers, a Celery worker and its children), TERM first and
KILL after a few seconds. What a process printed is kept in `stack.logs/<name>.log`
and shown when it fails to start.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StackError(RuntimeError):
    pass


class Stack:
    def __init__(self, env: dict[str, str], *, logs: str | None = None):
        self.env = {**env, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        self.logs = Path(logs or tempfile.mkdtemp(prefix="ogi-stack-"))
        self.logs.mkdir(parents=True, exist_ok=True)
        self.procs: list[tuple[str, subprocess.Popen]] = []

    # --- processes ------------------------------------------------------------------

    def _start(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")
        proc = subprocess.Popen(argv, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self.procs.append((name, proc))
        return proc

    def log(self, name: str, tail: int = 4000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-tail:] if path.exists() else ""

    def _wait(self, name: str, proc: subprocess.Popen, ready, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise StackError(f"{name} exited ({proc.returncode}):\n{self.log(name)}")
            if ready():
                return
            time.sleep(0.1)
        raise StackError(f"{name} not ready after {timeout:.0f} s:\n{self.log(name)}")

    def redis(self, port: int | None = None) -> str:
        """A throw-away Redis (no persistence) on loopback; returns its URL."""
        exe = shutil.which("redis-server")
        if not exe:
            raise StackError("redis-server is not installed (scripts/setup.sh --test installs it)")
        port = port or free_port()
        proc = self._start(f"redis-{port}", [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                             "--appendonly", "no"])

        def ready():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return True
            except OSError:
                return False

        self._wait(f"redis-{port}", proc, ready, 10)
        return f"redis://127.0.0.1:{port}/0"

    def web(self, port: int | None = None, *, workers: int = 1, threads: int = 1, env: dict | None = None,
            timeout: float = 30) -> str:
        """A web process: gunicorn serving config.wsgi on 127.0.0.1:port; returns its base URL."""
        return self.webs(1, workers=workers, threads=threads, env=env, timeout=timeout, ports=[port])[0]

    def webs(self, count: int, *, workers: int = 1, threads: int = 1, env: dict | None = None, timeout: float = 30,
             ports: list | None = None) -> list[str]:
        """`count` web processes started together; their base URLs once each answers `/`."""
        started = []
        for port in ports or [None] * count:
            port = port or free_port()
            name = f"web-{port}"
            proc = self._start(name, [sys.executable, "-m", "gunicorn", "config.wsgi:application",
                                      "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                                      "--threads", str(threads), "--timeout", "60", "--graceful-timeout", "5",
                                      "--log-level", "warning"],
                               env={**self.env, **(env or {})})
            started.append((name, proc, f"http://127.0.0.1:{port}"))
        for name, proc, base in started:
            def ready(base=base):
                try:
                    with urllib.request.urlopen(base + "/", timeout=2) as resp:
                        return resp.status == 200
                except (urllib.error.URLError, OSError):
                    return False

            self._wait(name, proc, ready, timeout)
        return [base for _name, _proc, base in started]

    def worker(self, name: str, *, env: dict | None = None) -> subprocess.Popen:
        """A Celery worker (one process, tasks from the default queue), named `name@127.0.0.1`.
        Started without waiting; `wait_workers` waits until they answer."""
        return self._start(f"worker-{name}", [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO",
            "--hostname", f"{name}@127.0.0.1", "--without-gossip", "--without-mingle"],
            env={**self.env, **(env or {})})

    def wait_workers(self, names: list[str], timeout: float = 40) -> None:
        """Until every named worker answers a ping through the broker (so they share it)."""
        from celery import Celery

        # not the current app: the test process's own tasks stay on the project's (eager) app
        probe = Celery("probe", broker=self.env["REDIS_URL"], set_as_current=False)
        wanted = {f"{n}@127.0.0.1" for n in names}
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                for name, proc in self.procs:
                    if name.startswith("worker-") and proc.poll() is not None:
                        raise StackError(f"{name} exited ({proc.returncode}):\n{self.log(name)}")
                answered = {host for reply in probe.control.ping(timeout=1.0) for host in reply}
                if wanted <= answered:
                    return
        finally:
            probe.close()
        raise StackError(f"workers {sorted(wanted)} did not answer:\n" +
                         "\n".join(self.log(f"worker-{n}") for n in names))

    def close(self) -> None:
        """Stop every process started here: TERM to its group, KILL after 8 s."""
        for _name, proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 8
        for _name, proc in reversed(self.procs):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:  # the group may outlive its leader (gunicorn's workers, Celery's children)
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        self.procs.clear()

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SmtpSink:
    """A mail server on loopback that keeps what it is sent (enough SMTP for Django's
    backend: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no log-in)."""

    def __init__(self):
        import socketserver
        import threading
        from email import message_from_bytes, policy

        self.messages: list = []
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 sink ESMTP\r\n")
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO"):
                        self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n" if verb == b"EHLO" else b"250 sink\r\n")
                    elif verb == b"DATA":
                        self.wfile.write(b"354 go on\r\n")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk[1:] if chunk.startswith(b"..") else chunk
                        sink.messages.append(message_from_bytes(data, policy=policy.default))
                        self.wfile.write(b"250 kept\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="smtp-sink", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
