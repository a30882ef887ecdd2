#!/usr/bin/env bash
# wapiti3 against OfferBench served as in production (gunicorn, DEBUG off, HTTPS with a
# throwaway self-signed certificate) on 127.0.0.1, signed in as the demo user, on a scratch
# SQLite database with the market and demo data. Passes when wapiti reports nothing above
# informational. Writes scripts/scan/out/wapiti.json (the full report) and wapiti-summary.txt.
#
# wapiti3 has its own virtual environment (scripts/scan/.venv, from the hashed wapiti.lock):
# its mitmproxy pins an older asgiref than Django's, so it can't share the project's.
#
# Usage: scripts/scan/wapiti.sh        (MAX_SCAN_SECONDS, MAX_ATTACK_SECONDS and PORT to change)
set -euo pipefail
cd "$(dirname "$0")/../.."

SCAN=scripts/scan
OUT=$SCAN/out
PORT=${PORT:-18943}
BASE="https://127.0.0.1:$PORT"
MODULES=xss,permanentxss,sql,csrf,redirect,crlf,exec,file,methods
PYTHON=${PYTHON:-$(for p in python3.13 python3.12 python3; do
    $p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $p; break; }; done)}

if [ ! -x $SCAN/.venv/bin/wapiti ] || [ $SCAN/wapiti.lock -nt $SCAN/.venv/.installed ]; then
    echo "Installing wapiti3 into $SCAN/.venv"
    "$PYTHON" -m venv $SCAN/.venv
    $SCAN/.venv/bin/pip install --quiet --require-hashes -r $SCAN/wapiti.lock
    touch $SCAN/.venv/.installed
fi

rm -rf "$OUT" && mkdir -p "$OUT"
WORK=$(mktemp -d)
export DJANGO_SETTINGS_MODULE=config.settings.prod DJANGO_SECRET_KEY="scan-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DATABASE_URL="sqlite:///$WORK/scan.sqlite3" DJANGO_ALLOWED_HOSTS=127.0.0.1
export AXES_ENABLED=0 DJANGO_LOG_LEVEL=WARNING  # the scanner must not lock itself out
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py collectstatic --no-input -v0 >/dev/null
.venv/bin/python manage.py load_market_data >/dev/null
.venv/bin/python manage.py load_demo >/dev/null

# A session for the demo user, made the way a sign-in makes one.
SESSION=$(.venv/bin/python manage.py shell -v0 -c "
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
user = get_user_model().objects.get(email='demo@offerbench.example')
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(settings.SESSION_COOKIE_NAME + '=' + session.session_key)
")

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
.venv/bin/gunicorn config.wsgi --bind 127.0.0.1:$PORT --workers 2 \
    --certfile "$WORK/cert.pem" --keyfile "$WORK/key.pem" \
    --access-logfile "$OUT/access.log" --error-logfile "$OUT/server.log" --capture-output &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 40); do curl -ksf "$BASE/healthz" >/dev/null && break; sleep 0.5; done
curl -ksf -b "$SESSION" -o /dev/null "$BASE/offers/" || { echo "FAIL: the scan session is not signed in"; exit 1; }
# wapiti sends -C as a fixed Cookie header, so it carries the CSRF cookie too: the forms' tokens
# it reads from each page then match, and its POSTs reach the views instead of a 403.
CSRF=$(curl -ks -b "$SESSION" -D - -o /dev/null "$BASE/offers/new/" | grep -io '__Host-csrftoken=[^;]*' | head -1)
[ -n "$CSRF" ] || { echo "FAIL: no CSRF cookie from the offer form"; exit 1; }
COOKIES="$SESSION; $CSRF"

echo "wapiti: modules $MODULES against $BASE, signed in as demo@offerbench.example"
# Excluded: signing out (it would end the scan's session), deleting the account or an offer,
# duplicating an offer (each copy is a new page to crawl, without end; both are POSTs that take
# no input but the CSRF token), and the admin (the demo user is not staff).
$SCAN/.venv/bin/wapiti -u "$BASE/" --scope folder -m "$MODULES" -C "$COOKIES" \
    -x "$BASE/accounts/logout/" -x "$BASE/accounts/delete/" -x "$BASE/admin/*" \
    -x "$BASE/offers/*/duplicate/" -x "$BASE/offers/*/delete/" \
    --max-scan-time "${MAX_SCAN_SECONDS:-600}" --max-attack-time "${MAX_ATTACK_SECONDS:-180}" \
    --tasks 8 --flush-session --store-session "$OUT/session" --store-config "$OUT/config" \
    -f json -o "$OUT/wapiti.json" >"$OUT/wapiti.log" 2>&1 || { tail -30 "$OUT/wapiti.log"; exit 1; }

# The app's own errors: any 5xx answer, or Django's "Internal Server Error" log line. (Sync
# workers that a scanner connection leaves waiting are restarted by gunicorn with a traceback of
# its own; that is the server's housekeeping, not an error in the app, and is not counted.)
if awk '$9 ~ /^5/' "$OUT/access.log" | grep -q . || grep -q "Internal Server Error" "$OUT/server.log"; then
    echo "FAIL: the app answered with a server error during the scan:"
    awk '$9 ~ /^5/' "$OUT/access.log" | head -20
    exit 1
fi
.venv/bin/python - "$OUT" <<'EOF'
"""Everything wapiti found, by category and level; exit 1 on anything above informational."""
import json
import sys
from pathlib import Path

out = Path(sys.argv[1])
report = json.loads((out / "wapiti.json").read_text())
lines, serious = [], 0
for kind in ("vulnerabilities", "anomalies", "additionals"):
    for category, findings in report.get(kind, {}).items():
        for finding in findings:
            level = finding.get("level", 0)
            serious += level > 0
            lines.append(f"{kind}: {category} (level {level}): {finding.get('info', '')[:160]}")
crawled = report.get("infos", {}).get("crawled_pages_nbr", "?")
summary = [
    f"target: {report['infos'].get('target')} ({report['infos'].get('version')}, "
    f"{report['infos'].get('date')})",
    f"URLs and forms crawled: {crawled}",
    f"findings above informational: {serious}, informational: {len(lines) - serious}",
    *lines,
]
(out / "wapiti-summary.txt").write_text("\n".join(summary) + "\n")
print("\n".join(summary))
sys.exit(1 if serious else 0)
EOF
