.PHONY: run test bench bench-audit

# Run the system with demo data on http://127.0.0.1:8000 (SQLite, Celery eager).
run:
	scripts/run.sh

# The whole test suite (SQLite, then PostgreSQL; installs and starts what it needs).
test:
	scripts/test.sh

# Benchmarks; the last line is one JSON object of figures: documents (PDF), then lists,
# pages, the reminder sweep and the annual report on PostgreSQL (started here) with 1 k
# and 100 k cases of generated history (BENCH_SCALE=1m adds 1 M; BENCH_KEEP=1 keeps the
# databases), and on the 1 k history the web processes under gunicorn with a Celery worker
# and Redis under a locust load (BENCH_LOCUST_USERS=20 for BENCH_LOCUST_SECONDS=60).
bench:
	scripts/setup.sh --test
	url=$$(scripts/postgres.sh start); \
	DJANGO_SECRET_KEY=bench BENCH_PG="$${url%/*}" .venv/bin/python -m tests.bench.scale

# Audited writes per second with 1, 2 and 8 workers on PostgreSQL (started here, in a
# scratch database), then the same with the first release's global lock for comparison.
bench-audit:
	scripts/setup.sh --test
	url=$$(scripts/postgres.sh start); base=$${url%/*}; \
	psql "$$base/postgres" -qc "DROP DATABASE IF EXISTS ogi_bench" -c "CREATE DATABASE ogi_bench" && \
	DJANGO_SECRET_KEY=bench DATABASE_URL="$$base/ogi_bench" .venv/bin/python -m tests.bench.audit_writes --global-lock && \
	DJANGO_SECRET_KEY=bench DATABASE_URL="$$base/ogi_bench" .venv/bin/python -m tests.bench.audit_writes
