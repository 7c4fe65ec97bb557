# mpsa — entry points. Every target installs what is missing first (scripts/setup.sh).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VITEST := npx vitest run

.PHONY: help setup test typecheck lint unit nightly bench synth mutate schedule-nightly unschedule-nightly

help:
	@echo "make test      install what is missing, type-check, lint the RTL, run the test suite (quick profile)"
	@echo "make lint      Verilator -Wall and Yosys check on every RTL module (scripts/lint.sh)"
	@echo "make nightly   tests, model, synth, benches, training -> reports/out/<date>/index.html (PROFILE=quick|full)"
	@echo "make bench     run the benchmarks (JSON lines on stdout)"
	@echo "make synth     Yosys/nextpnr resources and Fmax per configuration PE and PE kind (slow; cached; docs/synth.md)"
	@echo "make setup     only install what is missing (npm packages; Debian packages as root)"
	@echo "make harness   only the simulation harness tests and examples (Verilator models)"
	@echo "make mutate    plant the RTL mutants, run the quick RTL suites on each, print the kill rate (MUTANTS=N random ones more)"
	@echo "make schedule-nightly   install a systemd user timer (or SCHEDULER=cron) running make nightly (PROFILE, AT=HH:MM)"

setup:
	@bash scripts/setup.sh

typecheck: setup
	npx tsc --noEmit -p .

lint: setup
	bash scripts/lint.sh

unit: setup
	$(VITEST)

test: setup typecheck lint unit

# The nightly report (docs/nightly.md): quick by default; PROFILE=full for the long property runs,
# synthesis of every PE kind and longer benchmarks and training.
PROFILE ?= quick
nightly: setup
	npx mpsa nightly --profile $(PROFILE)

# Mutation testing of the RTL (docs/testing.md): the fixed mutant list plus MUTANTS random ones.
MUTANTS ?= 0
mutate: setup
	npx tsx scripts/mutate.ts --random $(MUTANTS)

# The nightly on a schedule, installed only on request (docs/nightly.md, "Scheduling").
SCHEDULER ?= systemd
AT ?= 01:30
schedule-nightly:
	bash scripts/schedule-nightly.sh $(SCHEDULER) $(if $(filter command line,$(origin PROFILE)),$(PROFILE),full) $(AT)

unschedule-nightly:
	bash scripts/schedule-nightly.sh remove

bench: setup
	npm run --silent bench:golden
	npm run --silent bench:harness

harness: setup
	$(VITEST) harness examples

synth: setup
	npx mpsa synth all --jobs 2
