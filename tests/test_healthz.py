"""GET /healthz: the database and the cache, each reported; 503 naming the one that fails."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from core.health import CACHE_TIMEOUT_SECONDS

pytestmark = pytest.mark.django_db


def redis_cache_at(port: int, **options) -> dict:
    # No timeouts of its own unless given: the health check must bound the wait itself.
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": options,
        }
    }


def read_command(stream) -> list[bytes] | None:
    """One RESP command (an array of bulk strings), as redis-py sends them."""
    header = stream.readline()
    if not header:
        return None
    words = []
    for _ in range(int(header[1:])):
        length = int(stream.readline()[1:])
        words.append(stream.read(length + 2)[:-2])
    return words


@contextmanager
def fake_redis(*, keeps_values: bool = True, answers: bool = True) -> Iterator[int]:
    """A Redis on loopback that knows HELLO, SET, GET and DEL, and answers anything else OK.
    keeps_values=False forgets every write; answers=False accepts connections and never replies."""
    server = socket.create_server(("127.0.0.1", 0))
    stored: dict[bytes, bytes] = {}

    def serve(conn: socket.socket) -> None:
        stream = conn.makefile("rb")
        while answers and (command := read_command(stream)) is not None:
            name = command[0].upper()
            if name == b"HELLO":  # redis-py speaks RESP3: a map naming the protocol
                conn.sendall(b"%1\r\n$5\r\nproto\r\n:3\r\n")
            elif name == b"GET" and command[1] in stored:
                value = stored[command[1]]
                conn.sendall(b"$%d\r\n%s\r\n" % (len(value), value))
            elif name == b"GET":
                conn.sendall(b"_\r\n")  # RESP3 null: no such key
            elif name == b"DEL":
                conn.sendall(b":%d\r\n" % int(stored.pop(command[1], None) is not None))
            else:
                if name == b"SET" and keeps_values:
                    stored[command[1]] = command[2]
                conn.sendall(b"+OK\r\n")
        if not answers:
            time.sleep(5)  # hold the connection open, silent
        conn.close()

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def unused_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]  # closed on leaving: nothing listens there afterwards


def test_ok_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_ok_when_a_configured_redis_stores_and_returns_the_value(client):
    with fake_redis() as port, override_settings(CACHES=redis_cache_at(port)):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}


def test_503_when_the_database_fails(client, monkeypatch):
    def failing_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", failing_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "cache": "ok"},
    }
    assert "refused" not in response.content.decode()


def test_503_quickly_naming_the_cache_when_redis_refuses_connections(client):
    with override_settings(CACHES=redis_cache_at(unused_port())):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unavailable"},
    }
    # A refused connection is answered at once; no retries with back-off on top.
    assert elapsed < 2


def test_503_within_the_timeout_when_redis_accepts_but_never_answers(client):
    # The configured cache has no timeout at all: the probe's own bounds the wait.
    with fake_redis(answers=False) as port, override_settings(CACHES=redis_cache_at(port)):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "unavailable"
    # Connecting succeeds (the listener's backlog), then the first reply is waited for
    # CACHE_TIMEOUT_SECONDS (0.5 s) once, with no retry: about 0.5 s; 2 s allows a slow machine.
    assert CACHE_TIMEOUT_SECONDS <= elapsed < 2


def test_503_when_redis_answers_but_loses_what_was_written(client):
    with fake_redis(keeps_values=False) as port, override_settings(CACHES=redis_cache_at(port)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}


def test_answers_only_get(client):
    assert client.post("/healthz").status_code == 405
