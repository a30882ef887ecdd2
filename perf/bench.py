"""`make bench`: every main page under load, served as in production, on realistic data.

1. A database of its own: with DATABASE_URL naming PostgreSQL, a database `offerbench_bench_v<N>`
   on that server; otherwise perf/out/bench-v<N>.sqlite3. Never the developer's own database.
   It is filled once per data version (perf/generate_data.py) and kept between runs.
2. Times `manage.py import_oews` on a generated 100,000-row OEWS file, in a copy of that database,
   and `manage.py rebuild_community_bands` from the 20,000 offers contributed (every bench
   offer), in another copy with no community band yet, then again with nothing new.
3. gunicorn (DEBUG off, a fresh secret key) pinned to CPU 0; wrk pinned to CPU 1, one thread,
   8 connections, a short warm-up then a measured run per page, signed in as one person with
   20 offers. Each page's throughput is divided by the floor's (a constant answer through every
   middleware) and by the signed-in floor's (the same behind the session and user lookups),
   measured in the same run. Pages are computed afresh on every request (market data comes from
   the shared cache); the person's own pages are measured again revalidated: each request sends
   the page's ETag back and is answered 304 with no body.
4. Each page's bytes on the wire with `Accept-Encoding: gzip, br`, and the compare page's total
   with its stylesheets and scripts.
5. Writes the tables to perf/RESULTS.md and prints them. A missed aim is reported, not fatal.

Settings (environment): BENCH_SECONDS (10), BENCH_WARMUP (2), BENCH_CONNECTIONS (8),
BENCH_WORKERS (2).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from perf.common import (
    CSRF_COOKIE,
    OUT,
    PYTHON,
    ROOT,
    commit,
    free_port,
    gunicorn,
    is_postgres,
    machine,
    manage,
    now,
    pg_create_database,
    pg_drop_database,
    production_env,
    request,
    setting,
    sign_in,
    with_database_name,
    write_results_section,
)
from perf.generate_data import DATA_VERSION, OFFERS_PER_USER, TOTAL_BANDS, USERS
from perf.oews_file import ROWS as IMPORT_ROWS
from perf.oews_file import write_oews_file

SECONDS = setting("BENCH_SECONDS", 10)
WARMUP = setting("BENCH_WARMUP", 2)
CONNECTIONS = setting("BENCH_CONNECTIONS", 8)
WORKERS = setting("BENCH_WORKERS", 2)
SERVER_CPU, LOAD_CPU = "0", "1"

# Pages that answer a repeat look with 304 while their data is unchanged
# (offers/conditional_pages.py).
CONDITIONAL_PAGES = (
    "my offers",
    "offer detail",
    "compare (two offers)",
    "compare after tax (two offers)",
    "negotiate",
    "market explorer partial",
)
# Aims, as shares of the signed-in floor's throughput on the same machine in the same run.
AIM_REVALIDATED = 0.7
AIM_FRESH = 0.2
AIM_PREVIEW = 0.25
AIM_P95_TIMES_FLOOR = 8  # every row's p95 within this many times the signed-in floor's
AIM_COMPARE_KB = 150
AIM_IMPORT_S = 30
AIM_COMMUNITY_S = 20


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_wrk()
    started = time.monotonic()
    machine_line = machine()
    database_url, backend = bench_database()
    # One person's pages asked at full speed: the fair share would refuse most of them.
    env = production_env(database_url, OFFERBENCH_FAIR_SHARE="0")
    print(f"Database: {backend}")

    targets_file = OUT / "targets.json"
    subprocess.run(
        [PYTHON, "-m", "perf.generate_data", str(targets_file)], cwd=ROOT, env=env, check=True
    )
    targets = json.loads(targets_file.read_text())
    manage(env, "collectstatic", "--no-input", "-v0")

    import_result = time_import(database_url, backend)
    print(f"OEWS import of {IMPORT_ROWS:,} rows: {import_result['seconds']:.1f} s")
    community_result = time_community_rebuild(database_url)
    print(community_line(community_result))
    tax_result = time_after_tax(env, targets["offer_ids"])
    print(tax_line(tax_result))

    port = free_port()
    log = OUT / "bench-gunicorn.log"
    with gunicorn(env, port, workers=WORKERS, cpus=SERVER_CPU, log=log):
        cookies = sign_in(port, targets["email"], targets["password"])
        pages = page_list(targets)
        weights = {page["name"]: page_weight(port, page, cookies) for page in pages}
        compare_total = compare_weight(port, pages, cookies)
        results = {}
        for page in pages:
            measure(port, page, cookies, results)
        cache_line = shared_cache_line()

    report = render(
        results=results,
        weights=weights,
        compare_total=compare_total,
        import_result=import_result,
        community_result=community_result,
        tax_result=tax_result,
        machine_line=machine_line,
        backend=backend,
        cache_line=cache_line,
        missing=[name for name, url in targets["urls"].items() if url is None],
        elapsed=time.monotonic() - started,
    )
    # SQLite and PostgreSQL runs keep a section each.
    write_results_section("bench-postgresql" if is_postgres(database_url) else "bench", report)
    print()
    print(report)


# Setup -----------------------------------------------------------------------------------------


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("Installing wrk from Debian's packages …")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def bench_database() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if is_postgres(url):
        name = f"offerbench_bench_v{DATA_VERSION}"
        pg_create_database(name)
        return with_database_name(url, name), f"PostgreSQL (database {name})"
    path = OUT / f"bench-v{DATA_VERSION}.sqlite3"
    return f"sqlite:///{path}", f"SQLite ({path.relative_to(ROOT)}, WAL)"


def shared_cache_line() -> str:
    """Which cache the workers shared, and what they left in it (read while they still run)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return "local memory (REDIS_URL unset): each worker keeps its own copy of market data."
    import redis  # the client Django's Redis cache uses

    client = redis.Redis.from_url(url)
    market = sum(1 for _ in client.scan_iter(match="*market:*", count=1000))
    charts = sum(1 for _ in client.scan_iter(match="*chart:*", count=1000))
    return (
        f"Redis ({url.rsplit('@', 1)[-1]}), shared by the {WORKERS} workers: after the run it "
        f"holds {market:,} market-data entries and {charts:,} drawn charts, kept once "
        "where either worker finds what the other computed."
    )


def time_import(database_url: str, backend: str) -> dict:
    """`manage.py import_oews` of a generated file into a throwaway copy of the bench database."""
    csv_path = write_oews_file(OUT)
    if is_postgres(database_url):
        name = f"offerbench_bench_v{DATA_VERSION}_import"
        pg_drop_database(name)
        pg_create_database(name, template=f"offerbench_bench_v{DATA_VERSION}")
        copy_url = with_database_name(database_url, name)
    else:
        source = Path(database_url.removeprefix("sqlite:///"))
        copy = OUT / "import-copy.sqlite3"
        for leftover in OUT.glob("import-copy.sqlite3*"):
            leftover.unlink()
        with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        copy_url = f"sqlite:///{copy}"
    env = production_env(copy_url)
    started = time.monotonic()
    output = manage(env, "import_oews", str(csv_path), "--progress-every", "1000000", quiet=True)
    wall = time.monotonic() - started
    if is_postgres(database_url):
        pg_drop_database(name)
    else:
        for leftover in OUT.glob("import-copy.sqlite3*"):
            leftover.unlink()
    bands = re.search(r"bands: ([\d,]+) created", output)
    command = re.search(r"Done in ([\d.]+) s", output)
    return {
        "seconds": wall,
        "command_seconds": float(command.group(1)) if command else None,
        "bands_created": bands.group(1) if bands else "?",
        "file": csv_path.name,
    }


def time_community_rebuild(database_url: str) -> dict:
    """`manage.py rebuild_community_bands` in a copy of the bench database with its community
    bands removed (every cell computed and published), then once more with nothing new."""
    name = f"offerbench_bench_v{DATA_VERSION}_community"
    if is_postgres(database_url):
        pg_drop_database(name)
        pg_create_database(name, template=f"offerbench_bench_v{DATA_VERSION}")
        copy_url = with_database_name(database_url, name)
    else:
        copy = OUT / "community-copy.sqlite3"
        for leftover in OUT.glob("community-copy.sqlite3*"):
            leftover.unlink()
        with (
            sqlite3.connect(database_url.removeprefix("sqlite:///")) as src,
            sqlite3.connect(copy) as dst,
        ):
            src.backup(dst)
        copy_url = f"sqlite:///{copy}"
    env = production_env(copy_url)
    clear = "from benchmarks.models import CommunityBand; CommunityBand.objects.all().delete()"
    manage(env, "shell", "-c", clear, quiet=True)
    runs = []
    for _ in range(2):
        # CPU time of the command's process besides the wall clock: on a machine shared with
        # other work, the steadier of the two (SQLite's work is all in that process).
        cpu_before = _children_cpu()
        started = time.monotonic()
        output = manage(env, "rebuild_community_bands", quiet=True)
        runs.append((time.monotonic() - started, _children_cpu() - cpu_before, output))
    if is_postgres(database_url):
        pg_drop_database(name)
    else:
        for leftover in OUT.glob("community-copy.sqlite3*"):
            leftover.unlink()
    (first, first_cpu, first_output), (again, again_cpu, _) = runs
    contributions = re.search(r"from ([\d,]+) contributions", first_output)
    cells = re.search(r"Cells: ([^(]+)\(", first_output)
    inside = re.search(r"Done in ([\d.]+) s", first_output)
    return {
        "seconds": first,
        "cpu_seconds": first_cpu,
        "command_seconds": float(inside.group(1)) if inside else None,
        "again_seconds": again,
        "again_cpu_seconds": again_cpu,
        "contributions": contributions.group(1) if contributions else "?",
        "cells": cells.group(1).strip() if cells else "?",
    }


def time_after_tax(env: dict[str, str], offer_ids: list[int]) -> dict:
    """perf/tax_cost.py in a process of its own, so the tax library's import is counted."""
    result = subprocess.run(
        [PYTHON, "-m", "perf.tax_cost", *map(str, offer_ids)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def tax_line(result: dict) -> str:
    return (
        f"**After tax**: estimating every year of the compared pair ({result['years']} returns, "
        f"{' and '.join(result['places'])}) takes {result['first_ms']:.1f} ms the first time "
        f"and {result['repeated_ms']:.2f} ms again (cached by its inputs); the first U.S. "
        f"estimate in a process also imports the tax library ({result['import_ms']:.0f} ms). "
        'The page rows "compare after tax" above are that page served repeatedly.'
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def community_line(result: dict) -> str:
    status = "pass" if result["seconds"] < AIM_COMMUNITY_S else "MISS"
    inner = (
        f", {result['command_seconds']:.1f} s inside the command"
        if result["command_seconds"] is not None
        else ""
    )
    return (
        f"**Community bands**: `manage.py rebuild_community_bands` from {result['contributions']} "
        f"contributions (every bench offer) into a copy of the bench database with no community "
        f"band yet: {result['seconds']:.1f} s wall clock{inner}, {result['cpu_seconds']:.1f} s "
        f"of CPU in the command's process; cells {result['cells']} (aim < {AIM_COMMUNITY_S} s: "
        f"{status}). Again with nothing new: {result['again_seconds']:.1f} s wall clock, "
        f"{result['again_cpu_seconds']:.1f} s of CPU."
    )


def page_list(targets: dict) -> list[dict]:
    urls = targets["urls"]
    first, second = targets["offer_ids"]
    pages = [
        {"name": "floor", "method": "GET", "path": "/perf/floor"},
        {"name": "signed-in floor", "method": "GET", "path": "/perf/floor/signed-in"},
    ]
    pages.append({"name": "my offers", "method": "GET", "path": urls["list"]})
    pages.append({"name": "offer detail", "method": "GET", "path": urls["detail"]})
    pages.append(
        {
            "name": "live preview (POST)",
            "method": "POST",
            "path": urls["preview"],
            "form": targets["preview_form"],
            "htmx": True,
        }
    )
    if urls.get("compare"):
        query = urlencode({"offers": [first, second]}, doseq=True)
        pages.append({"name": "compare (two offers)", "method": "GET", "path": f"{urls['compare']}?{query}"})  # fmt: skip
        pages.append({"name": "compare after tax (two offers)", "method": "GET", "path": f"{urls['compare']}?{query}&tax=after"})  # fmt: skip
    if urls.get("negotiate"):
        pages.append({"name": "negotiate", "method": "GET", "path": urls["negotiate"]})
    pages.append(
        {
            "name": "market explorer partial",
            "method": "GET",
            "path": f"{urls['explorer']}?{urlencode(targets['explorer_query'])}",
            "htmx": True,
        }
    )
    # The person's own pages answer a repeat look with 304: measure that too.
    pages += [
        {**page, "name": f"{page['name']}, revalidated (304)", "revalidated": True}
        for page in pages
        if page["name"] in CONDITIONAL_PAGES
    ]
    return pages


# Measuring -------------------------------------------------------------------------------------


def _headers(page: dict, cookies: dict[str, str]) -> dict[str, str]:
    headers = {"Accept-Encoding": "gzip, br"}
    if page.get("htmx"):
        headers["HX-Request"] = "true"
    if page["method"] == "POST":
        headers["X-CSRFToken"] = cookies[CSRF_COOKIE]
    return headers


def page_weight(port: int, page: dict, cookies: dict[str, str]) -> dict:
    answer = request(
        port,
        page["method"],
        page["path"],
        cookies=cookies,
        form=page.get("form"),
        headers=_headers(page, cookies),
    )
    if answer.status != 200:
        raise SystemExit(f"{page['name']} ({page['path']}) answered HTTP {answer.status}")
    if page.get("revalidated"):
        # The ETag the page was sent with (weak once compressed): each request sends it back.
        page["etag"] = answer.headers.get("ETag", "")
        if not page["etag"]:
            raise SystemExit(f"{page['name']} ({page['path']}) was sent without an ETag")
        again = request(
            port,
            "GET",
            page["path"],
            cookies=cookies,
            headers={**_headers(page, cookies), "If-None-Match": page["etag"]},
        )
        if again.status != 304:
            raise SystemExit(f"{page['name']} answered HTTP {again.status}, not 304")
        return {
            "transferred": len(again.body),
            "encoding": "304",
            "gzip_would_be": None,
            "html": b"",
        }
    encoding = answer.headers.get("Content-Encoding", "")
    plain = len(answer.body) if not encoding else None
    return {
        "transferred": len(answer.body),
        "encoding": encoding or "none",
        "gzip_would_be": len(gzip.compress(answer.body, 6)) if plain is not None else None,
        "html": answer.body if not encoding else b"",
    }


ASSET = re.compile(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"')


def compare_weight(port: int, pages: list[dict], cookies: dict[str, str]) -> dict | None:
    page = next((p for p in pages if p["name"].startswith("compare")), None)
    if page is None:
        return None
    page_answer = request(
        port, "GET", page["path"], cookies=cookies, headers=_headers(page, cookies)
    )
    sent = page_answer.body
    encoding = page_answer.headers.get("Content-Encoding", "") or "none"
    html = gzip.decompress(sent) if encoding == "gzip" else sent
    assets = []
    for path in dict.fromkeys(m.decode() for m in ASSET.findall(html)):
        answer = request(port, "GET", path, headers={"Accept-Encoding": "gzip, br"})
        if answer.status != 200:
            raise SystemExit(f"static file {path} answered HTTP {answer.status}")
        assets.append(
            (path, len(answer.body), answer.headers.get("Content-Encoding", "") or "none")
        )
    return {
        "html": len(sent),
        "html_encoding": encoding,
        "assets": assets,
        "total": len(sent) + sum(a[1] for a in assets),
    }


def measure(port: int, page: dict, cookies: dict[str, str], results: dict) -> None:
    print(f"  {page['name']}: warm-up {WARMUP} s, then {SECONDS} s …", flush=True)
    run_wrk(port, page, cookies, WARMUP)
    results[page["name"]] = run_wrk(port, page, cookies, SECONDS)


def run_wrk(port: int, page: dict, cookies: dict[str, str], seconds: int) -> dict:
    env = {
        **os.environ,
        "BENCH_METHOD": page["method"],
        "BENCH_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "BENCH_CSRF": cookies[CSRF_COOKIE] if page["method"] == "POST" else "",
        "BENCH_HTMX": "1" if page.get("htmx") else "",
        "BENCH_BODY": urlencode(page["form"]) if page.get("form") else "",
        "BENCH_IF_NONE_MATCH": page.get("etag", ""),
        "BENCH_EXPECT": "304" if page.get("revalidated") else "200",
    }
    command = [
        "taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s",
        "--timeout", "5s", "-s", str(ROOT / "perf" / "wrk" / "page.lua"),
        f"http://127.0.0.1:{port}{page['path']}",
    ]  # fmt: skip
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next((x for x in out.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result for {page['name']}:\n{out}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["socket_errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    return result


# Report ----------------------------------------------------------------------------------------


def _ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def _kb(n: int | None) -> str:
    if n is None:
        return "—"
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KB"


def _aim(name: str) -> float | None:
    """The throughput aim of a row, as a share of the signed-in floor's (None: a floor)."""
    if name in ("floor", "signed-in floor"):
        return None
    if name.endswith("revalidated (304)"):
        return AIM_REVALIDATED
    if name.startswith("live preview"):
        return AIM_PREVIEW
    return AIM_FRESH


def render(**r) -> str:
    results, weights = r["results"], r["weights"]
    floor_rps = results["floor"]["rps"]
    signed_in = results["signed-in floor"]
    misses: list[str] = []
    lines = [
        f"## Speed: `make bench` on {r['backend'].split(' ')[0]}, {now()}",
        "",
        f"- Commit: `{commit()}`",
        f"- Machine: {r['machine_line']}",
        f"- Server: gunicorn, {WORKERS} sync workers pinned to CPU {SERVER_CPU}, DEBUG off, "
        f"{r['backend']}; wrk pinned to CPU {LOAD_CPU}, 1 thread, {CONNECTIONS} connections, "
        f"{WARMUP} s warm-up then {SECONDS} s per page, signed in as one person with "
        f"{OFFERS_PER_USER} offers.",
        f"- Data: {USERS:,} people × {OFFERS_PER_USER} offers, {TOTAL_BANDS:,} bands "
        f"(perf/generate_data.py, data version {DATA_VERSION}) plus the shipped market data; "
        "every offer contributed to the site's market data (community bands).",
        f"- Cache: {r['cache_line']}",
        "",
        "| page | req/s | × floor | × signed-in floor | p50 ms | p95 ms | p99 ms | errors | "
        "bytes sent (encoding) | aims |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, result in results.items():
        ratio = result["rps"] / floor_rps
        signed_in_ratio = result["rps"] / signed_in["rps"]
        errors = result["not_2xx"] + result["socket_errors"]
        missed = []
        aim = _aim(name)
        if aim is not None and signed_in_ratio < aim:
            missed.append(f"throughput {signed_in_ratio:.2f}× signed-in floor < {aim}×")
        if result["p95_us"] > AIM_P95_TIMES_FLOOR * signed_in["p95_us"]:
            missed.append(
                f"p95 {_ms(result['p95_us'])} ms > {AIM_P95_TIMES_FLOOR}× the signed-in "
                f"floor's {_ms(signed_in['p95_us'])} ms"
            )
        if errors:
            missed.append(f"{errors} errors")
        misses += [f"{name}: {m}" for m in missed]
        weight = weights[name]
        lines.append(
            f"| {name} | {result['rps']:.0f} | {ratio:.2f} | {signed_in_ratio:.2f} | "
            f"{_ms(result['p50_us'])} | "
            f"{_ms(result['p95_us'])} | {_ms(result['p99_us'])} | {errors} "
            f"({result['not_2xx']} non-2xx, {result['socket_errors']} socket) | "
            f"{_kb(weight['transferred'])} ({weight['encoding']}) | "
            f"{'pass' if not missed else 'MISS'} |"
        )
    lines.append("")
    uncompressed = {
        name: w["gzip_would_be"]
        for name, w in weights.items()
        if w["gzip_would_be"] is not None and name != "floor"
    }
    if uncompressed:
        lines += [
            "Sent uncompressed although the client accepts gzip; with gzip they would weigh: "
            + ", ".join(f"{name} {_kb(size)}" for name, size in uncompressed.items())
            + ".",
            "",
        ]
    compare = r["compare_total"]
    if compare:
        status = "pass" if compare["total"] <= AIM_COMPARE_KB * 1024 else "MISS"
        if status == "MISS":
            misses.append(f"compare page weighs {_kb(compare['total'])} > {AIM_COMPARE_KB} KB")
        assets = "; ".join(f"`{p}` {_kb(n)} ({enc})" for p, n, enc in compare["assets"])
        lines += [
            f"**Compare page weight**: {_kb(compare['total'])} on the wire with its CSS and JS "
            f"(aim ≤ {AIM_COMPARE_KB} KB: {status}): HTML {_kb(compare['html'])} "
            f"({compare['html_encoding']}); {assets}.",
            "",
        ]
    imported = r["import_result"]
    import_status = "pass" if imported["seconds"] < AIM_IMPORT_S else "MISS"
    if import_status == "MISS":
        misses.append(f"OEWS import took {imported['seconds']:.1f} s ≥ {AIM_IMPORT_S} s")
    inner = (
        f", {imported['command_seconds']:.1f} s inside the command"
        if imported["command_seconds"] is not None
        else ""
    )
    lines += [
        f"**OEWS import**: `manage.py import_oews {imported['file']}` ({IMPORT_ROWS:,} rows, "
        f"{imported['bands_created']} bands created, factors recomputed) into a copy of the bench "
        f"database: {imported['seconds']:.1f} s wall clock{inner} (aim < {AIM_IMPORT_S} s: "
        f"{import_status}).",
        "",
    ]
    community = r["community_result"]
    if community["seconds"] >= AIM_COMMUNITY_S:
        misses.append(f"community rebuild took {community['seconds']:.1f} s ≥ {AIM_COMMUNITY_S} s")
    lines += [community_line(community), ""]
    lines += [tax_line(r["tax_result"]), ""]
    if r["missing"]:
        lines += [
            "Not benchmarked (no such page in this commit): " + ", ".join(r["missing"]) + ".",
            "",
        ]
    lines.append(
        "**Aims**: "
        + (
            "all met."
            if not misses
            else "missed — " + "; ".join(misses) + ". (`make bench` does not fail on a miss.)"
        )
    )
    lines += [
        "",
        f"Aims, as shares of the signed-in floor: a revalidated page (304) ≥ {AIM_REVALIDATED}×, "
        f"the live preview ≥ {AIM_PREVIEW}×, any other page (computed afresh, market data from "
        f"the shared cache) ≥ {AIM_FRESH}×; every row's p95 within {AIM_P95_TIMES_FLOOR}× the "
        "signed-in floor's.",
    ]
    lines += [
        "",
        f"Whole run: {r['elapsed']:.0f} s. The machine is shared with other developers' test "
        "runs: compare ratios to the floor rather than raw requests per second.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
