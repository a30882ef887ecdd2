"""What the benchmark and the soak share: the production-like environment, the server, sign-in,
the databases they fill, the machine they ran on and the results file they write."""

from __future__ import annotations

import contextlib
import http.client
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "perf" / "out"
RESULTS = ROOT / "perf" / "RESULTS.md"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
PG_ADMIN = ["psql", "-h", HOST, "-U", "postgres", "-d", "postgres", "-qAtc"]
# In production settings the cookies are __Host- prefixed (config/settings/prod.py).
SESSION_COOKIE = "__Host-sessionid"
CSRF_COOKIE = "__Host-csrftoken"


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The app as README's Production section runs it, on loopback over plain HTTP."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AXES_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        # Loopback HTTP: no TLS proxy in front, so no redirect to HTTPS.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
        OFFERBENCH_PERF_FLOOR="1",
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    if not quiet:
        sys.stdout.write(result.stdout)
    return result.stdout


def setting(name: str, default: int) -> int:
    """A whole-number setting from the environment (BENCH_SECONDS, SOAK_USERS, …)."""
    return int(os.environ.get(name, default))


def run_module(env: dict[str, str], module: str, *args: str) -> None:
    subprocess.run([PYTHON, "-m", module, *args], cwd=ROOT, env=env, check=True)


# Databases -----------------------------------------------------------------------------------


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def with_database_name(url: str, name: str) -> str:
    """The same server as `url`, another database: never fill the developer's own."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _checked(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"unsafe database name {name!r}")
    return name


def pg_database_exists(name: str) -> bool:
    out = subprocess.run(
        [*PG_ADMIN, "SELECT datname FROM pg_database"], capture_output=True, text=True, check=True
    )
    return _checked(name) in out.stdout.split()


def pg_rows(database: str, query: str) -> list[list[str]]:
    """What `query` answers in `database` on the local server: each row's fields as text."""
    out = subprocess.run(
        ["psql", "-h", HOST, "-U", "postgres", "-d", database, "-qAt", "-F", "\t", "-c", query],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.split("\t") for line in out.splitlines()]


os.environ.setdefault("PGOPTIONS", "--client-min-messages=warning")


def pg_create_database(name: str, *, fresh: bool = False, template: str | None = None) -> None:
    _checked(name)
    if fresh:
        subprocess.run([*PG_ADMIN, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
    if not pg_database_exists(name):
        clause = f" TEMPLATE {_checked(template)}" if template else ""
        subprocess.run([*PG_ADMIN, f"CREATE DATABASE {name}{clause}"], check=True)


def pg_drop_database(name: str) -> None:
    subprocess.run([*PG_ADMIN, f"DROP DATABASE IF EXISTS {_checked(name)} WITH (FORCE)"])


# The server ----------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], port: int, *, workers: int, cpus: str | None, log: Path
) -> Iterator[subprocess.Popen]:
    """gunicorn as in production, optionally pinned to `cpus` so the load generator has its own."""
    command = [
        GUNICORN,
        "config.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--graceful-timeout=5",
    ]
    if cpus is not None:
        command = ["taskset", "-c", cpus, *command]
    # The server's own log and Django's (tracebacks included) go to `log`.
    log_file = log.open("a")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(port, "/healthz")
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log_file.close()


def wait_for(port: int, path: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if request(port, "GET", path).status == 200:
                return
        time.sleep(0.25)
    raise SystemExit(f"the server on port {port} did not answer {path} within {timeout:.0f} s")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# HTTP ----------------------------------------------------------------------------------------


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def cookies(self) -> dict[str, str]:
        found = {}
        for header in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
        return found


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    form: dict | list | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
    connection: http.client.HTTPConnection | None = None,
) -> Response:
    conn = connection or http.client.HTTPConnection(HOST, port, timeout=timeout)
    sent = dict(headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form, doseq=True)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=sent)
        raw = conn.getresponse()
        return Response(raw.status, raw.headers, raw.read())
    finally:
        if connection is None:
            conn.close()


def sign_in(port: int, email: str, password: str) -> dict[str, str]:
    """Sign in through the real sign-in page; returns the session and CSRF cookies."""
    page = request(port, "GET", "/accounts/login/")
    cookies = page.cookies()
    token = cookies[CSRF_COOKIE]
    answer = request(
        port,
        "POST",
        "/accounts/login/",
        cookies=cookies,
        form={"username": email, "password": password, "csrfmiddlewaretoken": token},
    )
    cookies |= answer.cookies()
    if answer.status != 302 or SESSION_COOKIE not in cookies:
        raise SystemExit(f"signing in as {email} failed: HTTP {answer.status}")
    return {SESSION_COOKIE: cookies[SESSION_COOKIE], CSRF_COOKIE: cookies[CSRF_COOKIE]}


# The machine and the results file -------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPU ({model}){memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average before the run: {load}"
    )


def commit() -> str:
    sha = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        # The results file is written by these very runs: it does not make the code dirty.
        ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!perf/RESULTS.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{sha}{' (with uncommitted changes in the checkout)' if dirty else ''}"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def write_results_section(name: str, text: str) -> None:
    """Replace one script's section of perf/RESULTS.md, keeping the other's."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    current = RESULTS.read_text() if RESULTS.exists() else ""
    if not current:
        current = (
            "# OfferBench: measured speed and load\n\n"
            "Written by `make bench` and `make soak` (scripts in `perf/`); each run replaces its "
            "own section. Numbers from a shared machine are noisy: rerun before trusting a "
            "small difference.\n"
        )
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
        current = before + block + after
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(current)
