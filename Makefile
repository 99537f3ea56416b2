.PHONY: run test lint bench
run:
	./scripts/run.sh
test:
	./scripts/test.sh
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/python -m mypy
bench:
	.venv/bin/python bench/screening_eval.py
