"""Where a page computed afresh spends its time: each of `make bench`'s pages, in process, under cProfile.

Served as `make bench` serves them (production settings: DEBUG off, the cached template loader,
every middleware), through Django's test client instead of gunicorn and wrk, signed in as the
bench's person with 20 offers. The database is a copy of the bench's (perf/out/bench-v<N>.sqlite3,
made by `make bench`) unless DATABASE_URL names another one holding the bench's data. Market data
comes from the shared cache (Redis when REDIS_URL is set, this process's memory otherwise), warmed
by a first look at every page.

    .venv/bin/python -m perf.profile_pages                  # every page: ms and queries, then profiles
    .venv/bin/python -m perf.profile_pages --page "offer detail" --runs 200 --top 40
    .venv/bin/python -m perf.profile_pages --times-only     # the ms table alone (for commits)
    .venv/bin/python -m perf.profile_pages --page "offer detail" --template offers/_after_tax.html --against HEAD~1

The last form is the one to trust for a change to one template: it renders the template as it is
in the working tree and as it was at a revision, alternately, each with the context the page
gives it, and says whether the two write the same HTML (whitespace and form tokens aside).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "perf" / "out"


def _database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    from perf.generate_data import DATA_VERSION

    bench = OUT / f"bench-v{DATA_VERSION}.sqlite3"
    if not bench.exists():
        raise SystemExit(
            f"{bench} is missing: run `make bench` once (it builds it), or set DATABASE_URL."
        )
    copy = OUT / "profile.sqlite3"
    # The backup API copies a consistent database even while the bench's has a write-ahead log.
    source, target = sqlite3.connect(bench), sqlite3.connect(copy)
    with target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{copy}"


def _static_is_stale() -> bool:
    from django.conf import settings

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    newest = max(p.stat().st_mtime for d in settings.STATICFILES_DIRS for p in Path(d).rglob("*"))
    return newest > manifest.stat().st_mtime


def _setup() -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
        OFFERBENCH_FAIR_SHARE="0",
        OFFERBENCH_PERF_FLOOR="1",
        DATABASE_URL=_database_url(),
    )
    os.environ.pop("DJANGO_DEBUG", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if _static_is_stale():
        # Production serves hashed static names from the manifest, as `make bench` collects it
        # (about a minute and a half: WhiteNoise compresses every file).
        call_command("collectstatic", interactive=False, verbosity=0)


def _pages(targets: dict) -> list[dict]:
    urls = targets["urls"]
    first, second = targets["offer_ids"]
    compare = f"{urls['compare']}?{urlencode({'offers': [first, second]}, doseq=True)}"
    explorer = f"{urls['explorer']}?{urlencode(targets['explorer_query'])}"
    return [
        {"name": "signed-in floor", "method": "GET", "path": "/perf/floor/signed-in"},
        {"name": "my offers", "method": "GET", "path": urls["list"]},
        {"name": "offer detail", "method": "GET", "path": urls["detail"]},
        {"name": "live preview (POST)", "method": "POST", "path": urls["preview"], "htmx": True},
        {"name": "compare (two offers)", "method": "GET", "path": compare},
        {"name": "negotiate", "method": "GET", "path": urls["negotiate"]},
        {"name": "market explorer partial", "method": "GET", "path": explorer, "htmx": True},
    ]


def _asker(client, page: dict, form: dict):
    headers = {"Accept-Encoding": "gzip"}
    if page.get("htmx"):
        headers["HX-Request"] = "true"
    if page["method"] == "POST":
        # As a browser (and `make bench`) posts a form: urlencoded, not the test client's multipart.
        body = urlencode(form, doseq=True)
        urlencoded = "application/x-www-form-urlencoded"
        return lambda: client.post(page["path"], body, content_type=urlencoded, headers=headers)
    return lambda: client.get(page["path"], headers=headers)


def _time(ask, runs: int) -> tuple[float, float]:
    """Median and best wall-clock ms of one answer."""
    spent = []
    for _ in range(runs):
        started = time.process_time()
        response = ask()
        spent.append((time.process_time() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"answered {response.status_code}")
    return statistics.median(spent), min(spent)


def _queries(ask) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        ask()
    return captured.captured_queries


def _profile(ask, runs: int) -> cProfile.Profile:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        ask()
    profiler.disable()
    return profiler


def _report(profiler: cProfile.Profile, top: int, sort: str) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort)
    stats.print_stats(top)
    # Drop pstats' preamble; the per-call columns are over all runs.
    text = out.getvalue()
    return text[text.find("   ncalls") :] if "   ncalls" in text else text


# _template_times and _node_times each keep their own timer, alike as they look: the figures move
# with how deep the page's frames sit. Measured on the offer page: one frame more around the
# answers took offers/_timeline.html from 0.65 to 0.89 ms an answer, a timer shared by both to
# 1.25 ms; most likely because CPython (3.11+) keeps frames in chunks, and a call that lands on
# a chunk's edge allocates a fresh chunk each time.
def _template_times(ask, runs: int) -> str:
    """Each template's own rendering time (its includes' time counted in theirs), ms per answer."""
    from django.template.base import Template

    own: dict[str, float] = {}
    calls: dict[str, int] = {}
    stack: list[float] = []  # time spent in nested templates, per level
    original = Template._render

    def timed(template, context):
        stack.append(0.0)
        started = time.process_time()
        try:
            return original(template, context)
        finally:
            spent = time.process_time() - started
            nested = stack.pop()
            name = template.origin.template_name if template.origin else "(string)"
            own[name] = own.get(name, 0.0) + spent - nested
            calls[name] = calls.get(name, 0) + 1
            if stack:
                stack[-1] += spent

    Template._render = timed
    try:
        for _ in range(runs):
            ask()
    finally:
        Template._render = original
    lines = [f"{'ms/answer':>9} {'renders':>7}  template"]
    for name, spent in sorted(own.items(), key=lambda item: -item[1]):
        lines.append(f"{spent * 1000 / runs:>9.2f} {calls[name] / runs:>7.1f}  {name}")
    return "\n".join(lines)


def _node_times(ask, runs: int, top: int) -> str:
    """Template nodes by their own rendering time (nested nodes counted in theirs), ms per answer."""
    from django.template.base import Node

    own: dict[tuple, float] = {}
    stack: list[float] = []
    original = Node.render_annotated

    def timed(node, context):
        stack.append(0.0)
        started = time.process_time()
        try:
            return original(node, context)
        finally:
            spent = time.process_time() - started
            nested = stack.pop()
            origin = getattr(node, "origin", None)
            token = getattr(node, "token", None)
            where = (origin.template_name if origin else "?", token.lineno if token else 0)
            text = token.contents[:90] if token else type(node).__name__
            key = (*where, text)
            own[key] = own.get(key, 0.0) + spent - nested
            if stack:
                stack[-1] += spent

    Node.render_annotated = timed
    try:
        for _ in range(runs):
            ask()
    finally:
        Node.render_annotated = original
    lines = [f"{'ms/answer':>9}  template:line  node"]
    for (name, line, text), spent in sorted(own.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"{spent * 1000 / runs:>9.3f}  {name}:{line}  {text}")
    return "\n".join(lines)


def _captured_context(ask, template_name: str) -> dict:
    """The context `template_name` is rendered with while the page answers, flattened."""
    from django.template.base import Template

    caught: list[dict] = []
    original = Template._render

    def capture(template, context):
        if not caught and template.origin and template.origin.template_name == template_name:
            caught.append(context.flatten())
        return original(template, context)

    Template._render = capture
    try:
        ask()
    finally:
        Template._render = original
    if not caught:
        raise SystemExit(f"{template_name} is not rendered by this page")
    return caught[0]


def _template_against(ask, template_name: str, revision: str, runs: int) -> str:
    """ms to render `template_name` as in the working tree and as at `revision`, alternately."""
    import re
    import subprocess

    from django.template import engines
    from django.template.loader import get_template

    context = _captured_context(ask, template_name)
    shown = subprocess.run(
        ["git", "show", f"{revision}:templates/{template_name}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    versions = {revision: engines["django"].from_string(shown), "now": get_template(template_name)}
    spent: dict[str, list[float]] = {name: [] for name in versions}
    for _ in range(runs):
        for name, template in versions.items():
            started = time.process_time()
            template.render(context)
            spent[name].append((time.process_time() - started) * 1000)

    def written(template) -> str:
        html = re.sub(r"\s+", " ", template.render(context))
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", html)  # each render's own form token

    same = len({written(template) for template in versions.values()}) == 1
    lines = [f"{name:>12}: {statistics.median(times):.3f} ms" for name, times in spent.items()]
    lines.append("the same HTML" if same else "DIFFERENT HTML")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", action="append", help="a page's name (repeatable); default all")
    parser.add_argument("--runs", type=int, default=100, help="answers timed per page")
    parser.add_argument("--top", type=int, default=30, help="functions listed per profile")
    parser.add_argument("--sql", action="store_true", help="list each page's queries")
    parser.add_argument("--times-only", action="store_true", help="the ms table, no profiles")
    parser.add_argument("--templates", action="store_true", help="time each template instead")
    parser.add_argument("--nodes", action="store_true", help="time each template node instead")
    parser.add_argument("--save", type=Path, help="also write each page's profile (.prof) here")
    parser.add_argument("--template", help="with --against: one template the page renders")
    parser.add_argument("--against", metavar="REV", help="time --template now and at git REV")
    args = parser.parse_args()

    _setup()
    from django.test import Client

    from accounts.models import User
    from perf.generate_data import targets as bench_targets

    targets = bench_targets()
    client = Client()
    client.force_login(User.objects.get(email=targets["email"]))
    pages = [p for p in _pages(targets) if not args.page or p["name"] in args.page]
    askers = {p["name"]: _asker(client, p, targets["preview_form"]) for p in pages}
    for ask in askers.values():  # warm the shared cache, the template loader and the imports
        ask()
        ask()

    print(f"{'page':<26} {'median ms':>9} {'best ms':>8} {'queries':>7}")
    for name, ask in askers.items():
        median, best = _time(ask, args.runs)
        queries = _queries(ask)
        print(f"{name:<26} {median:>9.2f} {best:>8.2f} {len(queries):>7}")
        if args.sql:
            for query in queries:
                print(f"    {float(query['time']) * 1000:6.2f} ms  {query['sql'][:300]}")
    if args.times_only:
        return
    if args.against:
        if not args.template:
            raise SystemExit("--against needs --template")
        for name, ask in askers.items():
            print(f"\n=== {name}: {args.template}, now and at {args.against} ===")
            print(_template_against(ask, args.template, args.against, args.runs))
        return
    if args.nodes:
        for name, ask in askers.items():
            print(f"\n=== {name}: template nodes, own time ===")
            print(_node_times(ask, args.runs, args.top))
        return
    if args.templates:
        for name, ask in askers.items():
            print(f"\n=== {name}: templates, own time ===")
            print(_template_times(ask, args.runs))
        return
    for name, ask in askers.items():
        if name == "signed-in floor":
            continue
        profiler = _profile(ask, args.runs)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            profiler.dump_stats(args.save / f"{name.split(' (')[0].replace(' ', '-')}.prof")
        for sort in ("cumulative", "tottime"):
            print(f"\n=== {name}: {args.runs} answers, by {sort} ===")
            print(_report(profiler, args.top, sort))


if __name__ == "__main__":
    main()
