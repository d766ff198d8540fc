#!/usr/bin/env bash
# Lighthouse (npm, pinned) on each demo explainer, on mobile emulation and on desktop, in
# Debian's Chromium, served by gunicorn (2 workers, production settings) from a throwaway
# SQLite database. Prints the four category scores of each run and fails unless each is at
# least 0.95 (SLUGS chooses the explainers).
#
#   benchmarks/lighthouse.sh            # LIGHTHOUSE_DIR caches the npm install between runs
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LIGHTHOUSE_VERSION=12.2.3   # 13.x needs Node 22; Debian ships Node 20
LIGHTHOUSE_DIR=${LIGHTHOUSE_DIR:-/tmp/newsroom-lighthouse}
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
PORT=${PORT:-8766}
MIN_SCORE=${MIN_SCORE:-0.95}

scripts/chromium
export CHROME_PATH="$CHROMIUM"
LIGHTHOUSE="$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse"
if [ ! -x "$LIGHTHOUSE" ]; then
  mkdir -p "$LIGHTHOUSE_DIR"
  (cd "$LIGHTHOUSE_DIR" && npm i -E --no-audit --no-fund "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null)
fi

WORK=$(mktemp -d /tmp/newsroom-lh-XXXXXX)
export DJANGO_SETTINGS_MODULE=newsroom.settings.production
export DJANGO_SECRET_KEY=lighthouse-only-not-secret
export DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=false
export DATABASE_URL="sqlite:///$WORK/lighthouse.sqlite3"
PY=.venv/bin/python
for step in migrate "collectstatic --no-input" import_sources build_demo; do
  $PY manage.py $step -v0 >/dev/null
done

.venv/bin/gunicorn newsroom.wsgi -w 2 -b "127.0.0.1:$PORT" >"$WORK/gunicorn.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
SLUGS=${SLUGS:-"are-france-and-russia-talking-again should-europe-talk-to-moscow what-we-could-not-confirm"}
BASE="http://localhost:$PORT/explainers"
for _ in $(seq 50); do curl -fs -o /dev/null "$BASE/" && break; sleep 0.2; done

STATUS=0
for slug in $SLUGS; do
  for form in mobile desktop; do
    preset=()
    [ "$form" = desktop ] && preset=(--preset=desktop)
    # A cold Chromium sometimes fails to record the trace (NO_NAVSTART): try up to three times.
    for attempt in 1 2 3; do
      "$LIGHTHOUSE" "$BASE/$slug/" --quiet "${preset[@]}" \
        --chrome-path="$CHROMIUM" \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic" \
        --only-categories=performance,accessibility,best-practices,seo \
        --output=json --output-path="$WORK/report.json" && break
      [ "$attempt" = 3 ] && exit 1
      echo "Lighthouse failed (attempt $attempt); trying again" >&2
    done
    $PY - "$WORK/report.json" "$MIN_SCORE" "$form" <<'PY' || STATUS=1
import json, sys
report = json.load(open(sys.argv[1]))
minimum = float(sys.argv[2])
failed = False
print(f"Lighthouse {report['lighthouseVersion']} ({sys.argv[3]}) on {report['finalDisplayedUrl']}")
for key, category in report["categories"].items():
    score = category["score"]
    failed |= score is None or score < minimum
    print(f"  {category['title']:<16} {score:.2f}")
    if score is not None and score < 1:
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"      - {audit['id']}: {audit['score']}")
sys.exit(1 if failed else 0)
PY
  done
done
exit $STATUS
