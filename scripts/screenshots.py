"""Pictures of the compare page for the README: docs/screenshots/compare-phone.png (375 px, the
top two screens) and docs/screenshots/compare-desktop.png (1280 px, one screen).

    .venv/bin/python scripts/screenshots.py

Uses the database DATABASE_URL names (which must already hold the demo data), or, without it,
a scratch SQLite database it migrates and fills with market and demo data, then deletes. It
serves the app with `manage.py runserver` on a free loopback port, signs in as the demo user in
Chromium (/usr/bin/chromium or CHROMIUM_PATH) and compares the demo's first two offers.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
DEMO_EMAIL, DEMO_PASSWORD = "demo@offerbench.example", "offerbench-demo"
PHONE, DESKTOP = {"width": 375, "height": 800}, {"width": 1280, "height": 900}
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def manage(*args: str, env: dict[str, str]) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - fixed arguments, no shell


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served(env: dict[str, str]):
    """The app on a free loopback port for as long as the block runs."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{url}/healthz", timeout=1)  # noqa: S310 - our own server
                break
            time.sleep(0.2)
        else:
            raise SystemExit("The app did not start: try `manage.py runserver` to see why.")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def take(url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        try:
            for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                phone = name == "phone"
                context = browser.new_context(
                    base_url=url, viewport=viewport, is_mobile=phone, has_touch=phone
                )
                page = context.new_page()
                page.goto("/accounts/login/")
                page.get_by_label("Email address*").fill(DEMO_EMAIL)
                page.get_by_label("Password*").fill(DEMO_PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(lambda u: "/accounts/login/" not in u)
                page.goto("/offers/compare/")
                ids = page.locator("input[name=offers]").evaluate_all(
                    "els => els.map(e => e.value)"
                )
                if len(ids) < 2:
                    raise SystemExit("The demo user has fewer than two offers: run load_demo.")
                page.goto("/offers/compare/?" + "&".join(f"offers={pk}" for pk in ids[:2]))
                page.get_by_test_id("comparison-table").wait_for()
                path = OUT / f"compare-{name}.png"
                if phone:  # the top two screens: the choice, the verdict and the first cards
                    clip = {"x": 0, "y": 0, "width": PHONE["width"], "height": 2 * PHONE["height"]}
                    page.screenshot(path=path, full_page=True, clip=clip)
                else:
                    page.screenshot(path=path)
                print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")
                context.close()
        finally:
            browser.close()


def main() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env.pop("DJANGO_DEBUG", None)  # the settings module decides; a stray value would contradict it
    scratch = None
    if not env.get("DATABASE_URL"):
        scratch = tempfile.TemporaryDirectory(prefix="offerbench-screenshots-")
        env["DATABASE_URL"] = f"sqlite:///{scratch.name}/db.sqlite3"
        print("Filling a scratch database with market and demo data…")
        manage("migrate", "-v0", env=env)
        manage("load_market_data", env=env)
        manage("load_demo", env=env)
    try:
        with served(env) as url:
            take(url)
    finally:
        if scratch is not None:
            scratch.cleanup()


if __name__ == "__main__":
    main()
