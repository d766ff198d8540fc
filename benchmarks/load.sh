#!/usr/bin/env bash
# Load test, side by side in one run (gunicorn with 2 workers, production settings, wrk with
# 2 threads at CONNECTIONS connections for DURATION per target):
#
#   the demo explainer uncached    gunicorn with the origin page cache off (PAGE_CACHE_SECONDS=0)
#   the demo explainer at origin   gunicorn with the page cache in Redis
#   the demo explainer via Varnish deploy/varnish/default.vcl in front of the cached gunicorn
#   a static file via Varnish      of the explainer's size: the ceiling
#   and, at origin, the explainers index and the read API.
#
# Prints wrk's figures, then a table with the ratios; fails if any request errored or was
# not 2xx.
#
#   benchmarks/load.sh                        # SQLite, DURATION=20s CONNECTIONS=16
#   BENCH_DATABASE=postgres benchmarks/load.sh
#   DURATION=5s benchmarks/load.sh            # a quicker look
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
UNCACHED_PORT=${UNCACHED_PORT:-8087}
CACHED_PORT=${CACHED_PORT:-8088}
VARNISH_PORT=${VARNISH_PORT:-8089}
DB=${BENCH_DB:-newsroom_bench}
REDIS_DB=${BENCH_REDIS_DB:-1}
WORK=$(mktemp -d)
chmod 755 "$WORK"  # varnishd's unprivileged child reads its VCL and working directory here

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
scripts/varnish
scripts/services

export DJANGO_SETTINGS_MODULE=newsroom.settings.production
export DJANGO_SECRET_KEY=benchmark-only-key-$(head -c 24 /dev/urandom | base64 | tr -dc a-zA-Z0-9)
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false
export DB_CONN_MAX_AGE=60
export CACHE_URL=redis://127.0.0.1:6379/$REDIS_DB
PY=.venv/bin/python

echo "==> Fresh database with the seeds and the demo explainer"
if [ "${BENCH_DATABASE:-sqlite}" = postgres ]; then
  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" postgres
else
  export DATABASE_URL=sqlite:///$WORK/bench.sqlite3
fi
redis-cli -n "$REDIS_DB" flushdb >/dev/null
$PY manage.py migrate --no-input -v0
$PY manage.py collectstatic --no-input -v0
$PY manage.py import_sources >/dev/null
$PY manage.py build_demo >/dev/null

read -r DEMO INDEX SIZE < <($PY manage.py shell --no-imports -c "
from django.test import Client
from explainers.models import ExplainerIndexPage, ExplainerPage
demo = ExplainerPage.objects.live().first().url
size = len(Client(HTTP_HOST='localhost').get(demo).content)
print(demo, ExplainerIndexPage.objects.live().first().url, size)")
# The ceiling: a static file of the explainer's size, served by WhiteNoise and kept by Varnish.
STATIC=/static/bench/explainer-size.html
mkdir -p staticfiles/bench
head -c "$SIZE" /dev/zero | tr '\0' 'x' >"staticfiles/bench/explainer-size.html"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK" staticfiles/bench
}
trap cleanup EXIT

PAGE_CACHE_SECONDS=0 .venv/bin/gunicorn newsroom.wsgi -w 2 -b 127.0.0.1:$UNCACHED_PORT \
  --timeout 30 --log-level warning &
pids+=($!)
VARNISH_URL=http://127.0.0.1:$VARNISH_PORT .venv/bin/gunicorn newsroom.wsgi -w 2 \
  -b 127.0.0.1:$CACHED_PORT --timeout 30 --log-level warning &
pids+=($!)
sed "s/.port = \"8000\"/.port = \"$CACHED_PORT\"/" deploy/varnish/default.vcl >"$WORK/default.vcl"
mkdir "$WORK/varnish"
varnishd -F -n "$WORK/varnish" -a 127.0.0.1:$VARNISH_PORT -f "$WORK/default.vcl" \
  -s malloc,256m -T 127.0.0.1:0 >/dev/null 2>&1 &
pids+=($!)
for port in $UNCACHED_PORT $CACHED_PORT $VARNISH_PORT; do
  for _ in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/robots.txt")" = 200 ] && break
    sleep 0.5
  done
done

failed=0
declare -A rate
run() {  # name, URL
  curl -s -o /dev/null "$2"  # fill the caches first
  echo
  echo "==> $1: $2 ($CONNECTIONS connections, $DURATION)"
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$2")
  echo "$out"
  if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
    echo "!! errors on $2"
    failed=1
  fi
  rate[$1]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
}

run "explainer, uncached" "http://127.0.0.1:$UNCACHED_PORT$DEMO"
run "explainer, cached at origin" "http://127.0.0.1:$CACHED_PORT$DEMO"
run "explainer, via Varnish" "http://127.0.0.1:$VARNISH_PORT$DEMO"
run "static file, via Varnish" "http://127.0.0.1:$VARNISH_PORT$STATIC"
run "index, cached at origin" "http://127.0.0.1:$CACHED_PORT$INDEX"
run "API claims, at origin" "http://127.0.0.1:$CACHED_PORT/api/claims/"

echo
echo "==> Requests per second (explainer: $SIZE bytes)"
for name in "explainer, uncached" "explainer, cached at origin" "explainer, via Varnish" \
  "static file, via Varnish" "index, cached at origin" "API claims, at origin"; do
  printf "  %-30s %10s\n" "$name" "${rate[$name]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "  cached at origin / uncached:           $(ratio "${rate[explainer, cached at origin]}" "${rate[explainer, uncached]}")x"
echo "  cached at origin / bakerydemo (72/s):  $(ratio "${rate[explainer, cached at origin]}" 72)x"
echo "  via Varnish / static via Varnish:      $(ratio "${rate[explainer, via Varnish]}" "${rate[static file, via Varnish]}")"
exit $failed
