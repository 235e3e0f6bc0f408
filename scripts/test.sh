#!/usr/bin/env bash
# The whole test suite: SQLite (embedded default), then PostgreSQL, started here.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export DJANGO_SECRET_KEY=test-only-secret PYTHONDONTWRITEBYTECODE=1
PY=.venv/bin/python
# one worker per core (each with its own test database)
WORKERS=${OGI_TEST_WORKERS:-$(nproc)}
set -- -n "$WORKERS" --durations=10 "$@"

echo "==> code: ruff, and the import layers (import-linter, contracts in .importlinter)"
.venv/bin/ruff check --no-cache .
.venv/bin/lint-imports --no-cache

echo "==> test suite on SQLite (with the browser journeys in Debian's chromium)"
$PY -m pytest -q "$@"

echo "==> test suite on PostgreSQL (browser journeys already ran above)"
DATABASE_URL=$(scripts/postgres.sh start)
trap 'scripts/postgres.sh stop' EXIT
DATABASE_URL=$DATABASE_URL $PY -m pytest -q -m "not e2e" --ignore=tests/audit "$@"
# The audit record's sealing tests on their own, in one process: they assert where the chain's
# checkpoints fall, which another session writing in the same database would move.
DATABASE_URL=$DATABASE_URL $PY -m pytest -q -p no:xdist tests/audit
