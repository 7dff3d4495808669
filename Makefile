# Metodset: the two commands are `make run` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python

.PHONY: env run demo test test-unit bench contracts contracts-check lint

env:
	@scripts/ensure-env

run: env ## start PostgreSQL, the broker and the four services
	@.venv/bin/metodset run

demo: env ## load a small generated region into the stack that `make run` started (run it twice: nothing new)
	@.venv/bin/metodset demo

test: env ## unit, contract, integration, end-to-end and fault tests
	@$(PY) -m pytest

test-unit: env
	@$(PY) -m pytest tests/unit tests/contracts

bench: env ## pipeline vs raw aiokafka, and its stages one at a time; staff and courses xlsx imports vs parse + COPY; staff list p99; registration race; calendar p50/p99; olympiad results import; monitoring replay vs raw consumption and event → indicator latency
	@$(PY) -m tests.bench.pipeline
	@$(PY) -m tests.bench.stages
	@$(PY) -m tests.bench.staff_import
	@$(PY) -m tests.bench.growth
	@$(PY) -m tests.bench.registration_race
	@$(PY) -m tests.bench.calendar
	@$(PY) -m tests.bench.olympiad_import
	@$(PY) -m tests.bench.monitoring

contracts: env ## regenerate contracts/ (JSON Schemas, AsyncAPI, OpenAPI, GraphQL SDL)
	@.venv/bin/metodset contracts

contracts-check: env
	@.venv/bin/metodset contracts --check

lint: env
	@.venv/bin/ruff check .
