"""`make soak`: 20 people use the app for two minutes while PostgreSQL restarts under them.

gunicorn (DEBUG off) on a fresh PostgreSQL database `offerbench_soak` at 127.0.0.1; 20 threads,
each a person who signs in, then creates, edits, views, compares and deletes offers with short
pauses. At SOAK_RESTART_AT seconds PostgreSQL is restarted (pg_ctlcluster … restart).

Passes when:
- no request fails outside the restart window (PostgreSQL down, plus SOAK_GRACE seconds after it
  answers again): no 5xx, no socket error, no timeout;
- inside the window every failure is the clean 503 page, never a 500 or a hang;
- the app serves again by itself within SOAK_GRACE seconds of PostgreSQL answering;
- every offer whose save was acknowledged (a 302) is in the database afterwards, row by row, with
  its owner, company and last acknowledged base salary; every acknowledged delete is gone;
- one hostile account can't slow the others. It starts with the most a person may keep (200
  offers, each with 50 perks and 10,000 characters of notes) and, from SOAK_HOSTILE_AT seconds,
  in 10-second turns with calm turns between, SOAK_HOSTILE_THREADS connections from another
  address hammer it without pause: offers with 40,000 perks, notes of 20,000 characters, the
  201st offer, the live preview with 40,000 perks, and its list, offers, negotiate and compare
  pages with a random parameter each time. Every oversized write must be refused (never a 302;
  afterwards the account holds 200 offers, none past the limits), and the others' 95th
  percentile response time in the hostile turns must stay within 2× that of the calm turns.

Exits non-zero on a failure. Settings (environment): SOAK_SECONDS (120), SOAK_USERS (20),
SOAK_RESTART_AT (45), SOAK_GRACE (10), SOAK_HOSTILE_AT (60), SOAK_HOSTILE_THREADS (2). People
arrive two a second.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from perf.common import (
    CSRF_COOKIE,
    HOST,
    OUT,
    PYTHON,
    ROOT,
    commit,
    free_port,
    gunicorn,
    machine,
    manage,
    now,
    pg_create_database,
    pg_rows,
    production_env,
    request,
    setting,
    write_results_section,
)

SECONDS = setting("SOAK_SECONDS", 120)
USERS = setting("SOAK_USERS", 20)
RESTART_AT = setting("SOAK_RESTART_AT", 45)
GRACE = setting("SOAK_GRACE", 10)
HOSTILE_AT = setting("SOAK_HOSTILE_AT", 60)
HOSTILE_THREADS = setting("SOAK_HOSTILE_THREADS", 2)
TURN = 10  # seconds: from HOSTILE_AT, calm and hostile turns alternate
SLOWDOWN_ALLOWED = 2.0
HOSTILE_EMAIL = "hostile@soak.offerbench.example"
# Another loopback address, so the hostile account is another client, as it would be.
HOSTILE_SOURCE = "127.0.0.2"
DATABASE = "offerbench_soak"
DATABASE_URL = f"postgres://postgres@{HOST}:5432/{DATABASE}"
PASSWORD = "offerbench-soak-test"  # noqa: S105 - throwaway accounts in a throwaway database
EMAIL = "soak{:02d}@soak.offerbench.example"
OFFER_URL = re.compile(r"^/offers/(\d+)/$")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    machine_line = machine()
    pg_create_database(DATABASE, fresh=True)
    env = production_env(DATABASE_URL)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "load_market_data", quiet=True)
    subprocess.run([PYTHON, "-m", "perf.soak", "--setup"], cwd=ROOT, env=env, check=True)
    setup = json.loads((OUT / "soak-setup.json").read_text())

    port = free_port()
    log = OUT / "soak-gunicorn.log"
    log.unlink(missing_ok=True)
    # The people run on CPU 1, the server on CPU 0 (PostgreSQL wherever the kernel puts it).
    os.sched_setaffinity(0, {1})
    with gunicorn(env, port, workers=2, cpus="0", log=log):
        start = time.monotonic()
        stop = start + SECONDS
        restart = Restart()
        people = [Person(port, EMAIL.format(n), setup, random.Random(n)) for n in range(USERS)]
        hostile = [
            Hostile(port, HOSTILE_EMAIL, setup, random.Random(1000 + n), start=start)
            for n in range(HOSTILE_THREADS)
        ]
        threads = [
            threading.Thread(target=p.run, args=(stop, n * 0.5), daemon=True)
            for n, p in enumerate(people)
        ] + [threading.Thread(target=h.run, args=(stop, 0), daemon=True) for h in hostile]
        for thread in threads:
            thread.start()
        restarter = threading.Thread(target=restart.run, args=(start + RESTART_AT,))
        restarter.start()
        for thread in threads:
            thread.join(timeout=SECONDS + 60)
        restarter.join()
        hung = sum(t.is_alive() for t in threads)
    verdict = judge(people, restart, start, hung, log, hostile)
    report = render(verdict, machine_line)
    write_results_section("soak", report)
    print(report)
    return 0 if verdict["passed"] else 1


# The people --------------------------------------------------------------------------------------


@dataclass
class Call:
    started: float
    ended: float
    action: str
    status: int | None  # None: no HTTP answer
    error: str = ""
    clean_503: bool = False


@dataclass
class Person:
    port: int
    email: str
    setup: dict
    rng: random.Random
    calls: list[Call] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)
    # offer id -> (company, last acknowledged base salary, base salaries sent since)
    saved: dict[int, dict] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    created_at: dict[int, float] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def run(self, stop: float, delay: float) -> None:
        # People arrive two a second, as a load tester's spawn rate would have them.
        time.sleep(delay)
        while time.monotonic() < stop:
            if not self.cookies:
                self.sign_in()
            else:
                self.act()
            time.sleep(self.rng.uniform(0.05, 0.3))

    def call(self, action: str, method: str, path: str, form=None, htmx=False):
        headers = {"HX-Request": "true"} if htmx else {}
        if method == "POST":
            headers["X-CSRFToken"] = self.cookies.get(CSRF_COOKIE, "")
        started = time.monotonic()
        try:
            answer = request(
                self.port,
                method,
                path,
                cookies=self.cookies,
                form=form,
                headers=headers,
                connection=self.connection,
            )
        except (OSError, TimeoutError) as error:
            self.calls.append(Call(started, time.monotonic(), action, None, type(error).__name__))
            return None
        clean = answer.status == 503 and b"briefly unavailable" in answer.body
        self.calls.append(Call(started, time.monotonic(), action, answer.status, "", clean))
        self.cookies |= {
            k: v for k, v in answer.cookies().items() if k in (CSRF_COOKIE, "__Host-sessionid")
        }
        return answer

    def sign_in(self) -> None:
        page = self.call("sign-in page", "GET", "/accounts/login/")
        if page is None or page.status != 200:
            return
        form = {
            "username": self.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": self.cookies.get(CSRF_COOKIE, ""),
        }
        answer = self.call("sign in", "POST", "/accounts/login/", form)
        if answer is None or answer.status != 302:
            self.cookies = {}

    def act(self) -> None:
        live = [pk for pk in self.saved if pk not in self.deleted]
        roll = self.rng.random()
        if roll < 0.3 or len(live) < 2:
            self.create()
        elif roll < 0.55:
            self.edit(self.rng.choice(live))
        elif roll < 0.65:
            self.call("offer detail", "GET", f"/offers/{self.rng.choice(live)}/")
        elif roll < 0.75:
            self.call("my offers", "GET", "/offers/")
        elif roll < 0.88:
            first, second = self.rng.sample(live, 2)
            self.call("compare", "GET", f"/offers/compare/?offers={first}&offers={second}")
        elif len(live) > 3:
            self.delete(self.rng.choice(live))

    def offer_form(self, company: str, base: Decimal) -> dict:
        return {
            **self.setup["form"],
            "company": company,
            "location": str(self.rng.choice(self.setup["locations"])),
            "base_salary": str(base),
            "csrfmiddlewaretoken": self.cookies.get(CSRF_COOKIE, ""),
        }

    def create(self) -> None:
        company = f"{self.email.split('@')[0]} co {len(self.saved) + len(self.calls)}"
        base = Decimal(self.rng.randrange(100_000, 220_000, 1000))
        answer = self.call("create", "POST", "/offers/new/", self.offer_form(company, base))
        if answer is not None and answer.status == 302:
            match = OFFER_URL.match(answer.location)
            if match:
                pk = int(match.group(1))
                self.saved[pk] = {"company": company, "base": base, "sent": []}
                self.created_at[pk] = self.calls[-1].ended

    def edit(self, pk: int) -> None:
        offer = self.saved[pk]
        base = offer["base"] + 1000
        offer["sent"].append(base)
        form = self.offer_form(offer["company"], base)
        answer = self.call("edit", "POST", f"/offers/{pk}/edit/", form)
        if answer is not None and answer.status == 302:
            offer["base"], offer["sent"] = base, []

    def delete(self, pk: int) -> None:
        form = {"csrfmiddlewaretoken": self.cookies.get(CSRF_COOKIE, "")}
        answer = self.call("delete", "POST", f"/offers/{pk}/delete/", form)
        if answer is not None and answer.status == 302:
            self.deleted.add(pk)


def hostile_turn(at: float) -> bool:
    """Whether `at` (seconds from the start) falls in a hostile turn."""
    return at >= HOSTILE_AT + TURN and int((at - HOSTILE_AT) // TURN) % 2 == 1


def calm_turn(at: float) -> bool:
    return at >= HOSTILE_AT and int((at - HOSTILE_AT) // TURN) % 2 == 0


@dataclass
class Hostile(Person):
    """One account trying to make the site slow for everyone: oversized writes, each refused by
    the limits, and its own pages asked for with a new random parameter every time."""

    start: float = 0.0
    refused: int = 0
    accepted: list[str] = field(default_factory=list)

    def run(self, stop: float, delay: float) -> None:
        while time.monotonic() < stop:
            if not hostile_turn(time.monotonic() - self.start):
                time.sleep(0.05)
            elif not self.cookies:
                self.sign_in()
            else:
                self.act()

    def call(self, action: str, method: str, path: str, form=None, htmx=False):
        # Each request on its own connection from the hostile address (sync workers close it).
        connection = http.client.HTTPConnection(
            HOST, self.port, timeout=10, source_address=(HOSTILE_SOURCE, 0)
        )
        try:
            self.connection = connection
            return super().call(action, method, path, form, htmx)
        finally:
            connection.close()

    def act(self) -> None:
        junk = f"utm_{self.rng.randrange(10**9)}={self.rng.randrange(10**9)}"
        offers = self.setup["hostile_offers"]
        pk, other = self.rng.sample(offers, 2)
        roll = self.rng.random()
        if roll < 0.4:
            kind, overrides = self.rng.choice(
                [
                    ("40,000 perks", {"other_perks_text": self.setup["many_perks"]}),
                    ("20,000 characters of notes", {"notes": "n" * 20_000}),
                    ("the 201st offer", {}),
                ]
            )
            path = "/offers/new/" if self.rng.random() < 0.7 else "/offers/preview/"
            form = self.offer_form(f"hostile {kind}", Decimal(150_000)) | overrides
            answer = self.call(f"hostile: {kind}", "POST", path, form, htmx=path != "/offers/new/")
            if answer is not None and answer.status == 302:
                self.accepted.append(kind)
            elif answer is not None and answer.status in (200, 400):
                # 200: the form's message; 400: a body too large to parse at all.
                self.refused += 1
        elif roll < 0.55:
            self.call("hostile: my offers", "GET", f"/offers/?{junk}")
        elif roll < 0.7:
            self.call("hostile: offer", "GET", f"/offers/{pk}/?{junk}")
        elif roll < 0.85:
            self.call("hostile: negotiate", "GET", f"/offers/{pk}/negotiate/?{junk}")
        else:
            self.call(
                "hostile: compare", "GET", f"/offers/compare/?offers={pk}&offers={other}&{junk}"
            )


# The restart -------------------------------------------------------------------------------------


@dataclass
class Restart:
    began: float = 0.0
    ready: float = 0.0
    output: str = ""

    def run(self, at: float) -> None:
        time.sleep(max(0, at - time.monotonic()))
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        self.began = time.monotonic()
        done = subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            capture_output=True,
            text=True,
        )
        self.output = (done.stdout + done.stderr).strip()
        while subprocess.run(["pg_isready", "-h", HOST, "-q"]).returncode != 0:
            time.sleep(0.1)
        self.ready = time.monotonic()


# Judging -----------------------------------------------------------------------------------------


def p95(seconds: list[float]) -> float | None:
    if not seconds:
        return None
    ordered = sorted(seconds)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def judge_hostile(
    people: list[Person], hostile: list[Hostile], start: float, inside_ids: set[int]
) -> dict:
    """The others' p95 in calm and hostile turns (outside the restart window), and whether the
    hostile account's every oversized write was refused and none of its requests failed."""

    def answered(c: Call) -> bool:
        return id(c) not in inside_ids and c.status is not None and c.status < 500

    others = [c for p in people for c in p.calls if answered(c)]
    calm = p95([c.ended - c.started for c in others if calm_turn(c.started - start)])
    busy = p95([c.ended - c.started for c in others if hostile_turn(c.started - start)])
    theirs = [c for h in hostile for c in h.calls]
    failed = [
        c for c in theirs if id(c) not in inside_ids and (c.status is None or c.status >= 500)
    ]
    stored = hostile_rows()
    limits_held = stored == {"offers": 200, "most_perks": 50, "longest_notes": 10_000}
    ratio = busy / calm if calm and busy is not None else None
    return {
        "calm_p95": calm,
        "hostile_p95": busy,
        "ratio": ratio,
        "hostile_calls": len(theirs),
        "hostile_actions": Counter(c.action for c in theirs),
        "hostile_failed": failed,
        "refused": sum(h.refused for h in hostile),
        "slowed": sum(c.status == 429 for c in theirs),
        "others_slowed": sum(c.status == 429 for p in people for c in p.calls),
        "accepted": [kind for h in hostile for kind in h.accepted],
        "stored": stored,
        "passed": bool(
            theirs
            and not failed
            and limits_held
            and not any(h.accepted for h in hostile)
            and ratio is not None
            and ratio <= SLOWDOWN_ALLOWED
        ),
    }


def hostile_rows() -> dict[str, int]:
    query = (
        "SELECT u.email, count(*), coalesce(max(jsonb_array_length(o.other_perks)), 0), "
        "coalesce(max(length(o.notes)), 0) FROM offers_offer o "
        "JOIN accounts_user u ON u.id = o.owner_id GROUP BY u.email"
    )
    for email, offers, perks, notes in pg_rows(DATABASE, query):
        if email == HOSTILE_EMAIL:
            return {"offers": int(offers), "most_perks": int(perks), "longest_notes": int(notes)}
    return {"offers": 0, "most_perks": 0, "longest_notes": 0}


def judge(
    people: list[Person],
    restart: Restart,
    start: float,
    hung: int,
    log: Path,
    hostile: list[Hostile],
) -> dict:
    calls = [c for p in people for c in p.calls]
    window_end = restart.ready + GRACE
    inside = [c for c in calls if c.ended >= restart.began and c.started <= window_end]
    inside_ids = {id(c) for c in inside}
    outside = [c for c in calls if id(c) not in inside_ids]

    def failed(c: Call) -> bool:
        return c.status is None or c.status >= 500

    outside_failures = [c for c in outside if failed(c)]
    unclean = [c for c in inside if failed(c) and not c.clean_503]
    for call in unclean:
        call.error = call.error or "unclean"
    after = sorted(
        (c for c in calls if c.started >= restart.ready and not failed(c)), key=lambda c: c.ended
    )
    recovered_in = after[0].ended - restart.ready if after else None
    rows = stored_offers()
    missing, wrong, undeleted, checked, before_restart = [], [], [], 0, 0
    for person in people:
        for pk, offer in person.saved.items():
            if pk in person.deleted:
                if pk in rows:
                    undeleted.append(pk)
                continue
            checked += 1
            before_restart += person.created_at[pk] < restart.began
            row = rows.get(pk)
            if row is None:
                missing.append(pk)
            elif (row["owner"], row["company"]) != (person.email, offer["company"]) or row[
                "base"
            ] not in {offer["base"], *offer["sent"]}:
                wrong.append(pk)
    server_log = log.read_text() if log.exists() else ""
    logged = {
        "outage": server_log.count("Database unavailable: answered 503"),
        "server_errors": server_log.count("Internal Server Error"),
    }
    hostile_verdict = judge_hostile(people, hostile, start, inside_ids)
    passed = hostile_verdict["passed"] and not (
        logged["server_errors"]
        or outside_failures
        or unclean
        or missing
        or wrong
        or undeleted
        or hung
        or recovered_in is None
        or recovered_in > GRACE
    )
    return {
        "passed": passed,
        "calls": calls,
        "inside": inside,
        "outside_failures": outside_failures,
        "unclean": unclean,
        "recovered_in": recovered_in,
        "checked": checked,
        "before_restart": before_restart,
        "deleted": sum(len(p.deleted) for p in people),
        "missing": missing,
        "wrong": wrong,
        "undeleted": undeleted,
        "hung": hung,
        "restart": restart,
        "start": start,
        "logged": logged,
        "hostile": hostile_verdict,
    }


def stored_offers() -> dict[int, dict]:
    query = (
        "SELECT o.id, u.email, o.company, o.base_salary FROM offers_offer o "
        "JOIN accounts_user u ON u.id = o.owner_id"
    )
    return {
        int(pk): {"owner": email, "company": company, "base": Decimal(base)}
        for pk, email, company, base in pg_rows(DATABASE, query)
    }


def render(v: dict, machine_line: str) -> str:
    calls, restart, start = v["calls"], v["restart"], v["start"]
    statuses = Counter(str(c.status) if c.status else c.error for c in calls)
    inside = Counter(
        "clean 503" if c.clean_503 else f"{c.status or ''} {c.error}".strip()
        for c in v["inside"]
        if c.status is None or c.status >= 500
    )
    actions = Counter(c.action for c in calls)
    recovered = f"{v['recovered_in']:.1f} s" if v["recovered_in"] is not None else "never"
    lines = [
        f"## Load and faults: `make soak`, {now()}",
        "",
        f"- Commit: `{commit()}`",
        f"- Machine: {machine_line}",
        f"- {USERS} people (threads on CPU 1) for {SECONDS} s against gunicorn (2 workers on "
        f"CPU 0, DEBUG off) on PostgreSQL `{DATABASE}` at {HOST}; PostgreSQL restarted at "
        f"{restart.began - start:.0f} s, answering again {restart.ready - restart.began:.1f} s "
        f"later.",
        f"- Requests: {len(calls):,} ("
        + ", ".join(f"{name} {n}" for name, n in actions.most_common())
        + "); by answer: "
        + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
        + ".",
        f"- During the restart window ({GRACE} s grace after PostgreSQL answers): "
        + (", ".join(f"{k}: {n}" for k, n in inside.items()) or "no failed request")
        + ".",
        f"- Failures outside the window: {len(v['outside_failures'])}. Recovered (first "
        f"successful request after PostgreSQL answered): {recovered}. Hung threads: {v['hung']}.",
        f"- Acknowledged offers checked row by row: {v['checked']} present with owner, company "
        f"and base salary ({v['before_restart']} of them saved before the restart); missing: "
        f"{len(v['missing'])}, wrong: {len(v['wrong'])}; acknowledged deletes still present: "
        f"{len(v['undeleted'])} of {v['deleted']}.",
        f"- Server log: {v['logged']['outage']} database errors logged in full and answered 503; "
        f"{v['logged']['server_errors']} internal server errors.",
        hostile_line(v["hostile"]),
        "",
        f"**Result: {'PASS' if v['passed'] else 'FAIL'}.**",
    ]
    return "\n".join(lines)


def hostile_line(h: dict) -> str:
    def ms(seconds: float | None) -> str:
        return f"{seconds * 1000:.0f} ms" if seconds is not None else "none"

    ratio = f"{h['ratio']:.2f}×" if h["ratio"] is not None else "not measured"
    stored = h["stored"]
    return (
        f"- One hostile account ({HOSTILE_THREADS} connections from {HOSTILE_SOURCE}, no pause, "
        f"in {TURN} s turns from {HOSTILE_AT + TURN} s with calm turns between): "
        f"{h['hostile_calls']:,} requests ("
        + ", ".join(
            f"{name.removeprefix('hostile: ')} {n}"
            for name, n in h["hostile_actions"].most_common()
        )
        + f"); oversized writes refused by the limits {h['refused']:,}, accepted {len(h['accepted'])}; "
        f"asked to slow down (429, its fair share of the workers used up) {h['slowed']:,} times; "
        f"failed {len(h['hostile_failed'])}; afterwards it holds {stored['offers']} offers, at "
        f"most {stored['most_perks']} perks and {stored['longest_notes']:,} characters of notes "
        f"each. The others' p95: {ms(h['calm_p95'])} in calm turns, {ms(h['hostile_p95'])} in "
        f"hostile turns ({ratio}; allowed {SLOWDOWN_ALLOWED:.0f}×); the others were asked to slow "
        f"down {h['others_slowed']} times."
    )


# Setup inside Django ----------------------------------------------------------------------------


def setup_people() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from benchmarks.models import Level, Location, Role

    password = make_password(PASSWORD)
    User.objects.bulk_create(
        [User(email=EMAIL.format(n), password=password) for n in range(USERS)],
        ignore_conflicts=True,
    )
    role = Role.objects.get(slug="technical-product-manager")
    level = Level.objects.get(slug="senior")
    locations = list(
        Location.objects.filter(kind="metro").order_by("bls_area_code").values_list("pk", flat=True)
    )[:20]
    form = {
        "company": "",
        "job_title": "Senior TPM",
        "role": role.pk,
        "level": level.pk,
        "currency": "USD",
        "status": "received",
        "base_salary": "",
        "yearly_raise_percent": "3",
        "bonus_type": "percent",
        "bonus_percent": "15",
        "sign_on_year1": "20000",
        "sign_on_year2": "0",
        "clawback_months": "12",
        "relocation": "0",
        "equity_kind": "rsu",
        "equity_grant_value": "200000",
        "vesting_schedule": "four_year_cliff_monthly",
        "refresher_value": "0",
        "share_price_change_percent": "0",
        "illiquidity_discount_percent": "0",
        "retirement_match_percent": "6",
        "retirement_match_rate_percent": "50",
        "health_contribution": "0",
        "learning_budget": "0",
        "wellness_budget": "0",
        "home_office_budget": "0",
    }
    hostile_offers = fill_hostile_account(password, role, level, locations)
    many_perks = "\n".join(f"Perk {n}: 10" for n in range(40_000))
    (OUT / "soak-setup.json").write_text(
        json.dumps(
            {
                "form": form,
                "locations": locations,
                "hostile_offers": hostile_offers,
                "many_perks": many_perks,
            }
        )
    )


def fill_hostile_account(password: str, role, level, locations: list[int]) -> list[int]:
    """The hostile account starts with the most one person may keep: 200 offers, each with 50
    perks, 10,000 characters of notes and a ten-year custom vesting schedule."""
    from accounts.models import User
    from offers.models import MAX_NOTES_CHARACTERS, MAX_OFFERS_PER_PERSON, MAX_PERKS, Offer

    owner, _ = User.objects.get_or_create(email=HOSTILE_EMAIL, defaults={"password": password})
    perks = [{"name": f"Perk {n}", "amount": "100"} for n in range(MAX_PERKS)]
    Offer.objects.bulk_create(
        [
            Offer(
                owner=owner,
                company=f"Hostile {n}",
                role=role,
                level=level,
                location_id=locations[n % len(locations)],
                base_salary=Decimal(150_000 + n * 100),
                bonus_type="percent",
                bonus_percent=Decimal("15"),
                equity_kind="rsu",
                equity_grant_value=Decimal("200000"),
                vesting_schedule="custom",
                custom_vesting_percentages="10, 10, 10, 10, 10, 10, 10, 10, 10, 10",
                other_perks=perks,
                notes="n" * MAX_NOTES_CHARACTERS,
            )
            for n in range(MAX_OFFERS_PER_PERSON)
        ]
    )
    return list(Offer.objects.filter(owner=owner).values_list("pk", flat=True))


if __name__ == "__main__":
    if sys.argv[1:] == ["--setup"]:
        setup_people()
    else:
        sys.exit(main())
