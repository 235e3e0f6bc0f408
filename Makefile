.PHONY: run test bench

# Run the system with demo data on http://127.0.0.1:8000 (SQLite, Celery eager).
run:
	scripts/run.sh

# The whole test suite (SQLite, then PostgreSQL; installs and starts what it needs).
test:
	scripts/test.sh

# Benchmarks; the last line is one JSON object of figures.
bench:
	scripts/setup.sh --test
	DJANGO_SECRET_KEY=bench .venv/bin/python -m tests.bench
