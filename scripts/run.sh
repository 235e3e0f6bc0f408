#!/usr/bin/env bash
# Runs the system with demo data on the embedded default (SQLite, Celery eager).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export DJANGO_DEBUG=${DJANGO_DEBUG:-1}
# The demo log-ins (password on the screen) skip the second factor here only; other staff still enrol.
export OGI_OTP_DEMO_EXEMPT=${OGI_OTP_DEMO_EXEMPT:-1}
PY=.venv/bin/python
$PY manage.py migrate --noinput -v0
$PY manage.py compilemessages -v0 >/dev/null 2>&1 || true
$PY manage.py seed_demo
$PY manage.py audit_seal  # no beat in the embedded mode: seal the demo's record now (cron it for real use)
exec $PY manage.py runserver "${OGI_ADDR:-127.0.0.1:8000}"
