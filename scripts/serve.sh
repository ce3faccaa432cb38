#!/usr/bin/env bash
# Serves LiMon with gunicorn on 127.0.0.1:$PORT and runs a django-q2 cluster beside it.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PORT:-8585}
$BIN/python manage.py qcluster &
QCLUSTER=$!
trap 'kill $QCLUSTER 2>/dev/null || true' EXIT INT TERM
echo "LiMon: http://127.0.0.1:${PORT}/  (panel /panel/, API docs /api/docs/)"
$BIN/gunicorn limon_site.wsgi --config limon_site/gunicorn.conf.py --bind "127.0.0.1:${PORT}"
