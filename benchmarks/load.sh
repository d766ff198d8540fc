#!/usr/bin/env bash
# Load test: gunicorn (2 workers, production settings) on PostgreSQL, driven by wrk at
# 32 connections for 30 s per target: the demo explainer, the explainers index and the
# public API. Prints wrk's figures and fails if any request errored or was not 2xx.
#
#   benchmarks/load.sh                 # DURATION=30s CONNECTIONS=32 by default
#   DURATION=10s benchmarks/load.sh    # a quicker look
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-8089}
DB=${BENCH_DB:-newsroom_bench}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
scripts/services

export DJANGO_SETTINGS_MODULE=newsroom.settings.production
export DJANGO_SECRET_KEY=benchmark-only-key-$(head -c 24 /dev/urandom | base64 | tr -dc a-zA-Z0-9)
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export DB_CONN_MAX_AGE=60
PY=.venv/bin/python

echo "==> Fresh database $DB with the seeds and the demo explainer"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" postgres
$PY manage.py migrate --no-input -v0
$PY manage.py collectstatic --no-input -v0
$PY manage.py import_sources >/dev/null
$PY manage.py build_demo >/dev/null

read -r DEMO INDEX < <($PY manage.py shell --no-imports -c "
from explainers.models import ExplainerIndexPage, ExplainerPage
print(ExplainerPage.objects.live().first().url, ExplainerIndexPage.objects.live().first().url)")

.venv/bin/gunicorn newsroom.wsgi -w 2 -b 127.0.0.1:$PORT --timeout 30 --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.5; done

failed=0
for path in "$DEMO" "$INDEX" "/api/claims/" "/api/v2/pages/?type=explainers.ExplainerPage"; do
  echo
  echo "==> $path ($CONNECTIONS connections, $DURATION)"
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency "http://127.0.0.1:$PORT$path")
  echo "$out"
  if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
    echo "!! errors on $path"
    failed=1
  fi
done
exit $failed
