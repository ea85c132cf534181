# The course's two commands:  make lab  (open the course)  and  make test  (run every test).
# Each makes .venv ready first (tools/venv.sh): it creates it from pyproject.toml when it is
# missing, and rebuilds it when an earlier try left it broken (no pip, a too-old Python, or
# another Python than PYTHON). `make lab` installs what a learner needs; `make test` adds the
# test tools (pyproject's dev extra).

PYTHON ?= python3
# "asked" when PYTHON was named (command line or environment): .venv must then be made by it
ASKED := $(if $(filter file default,$(origin PYTHON)),,asked)
VENV := .venv
BIN := $(VENV)/bin
# JupyterLab refuses to run as root unless told; CI containers run as root
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test venv lab-venv exercises benchmark pictures clean test-reproducible test-oldest sync check-notebooks mutation

lab-venv:
	@sh tools/venv.sh "$(PYTHON)" lab $(ASKED)

venv:
	@sh tools/venv.sh "$(PYTHON)" dev $(ASKED)

# Opens the welcome notebook; the printed URL lands there too. Stop the server with Ctrl+C.
lab: lab-venv
	$(BIN)/jupyter lab --notebook-dir=. --ServerApp.ip=127.0.0.1 $(ALLOW_ROOT) \
		--LabApp.default_url=/lab/tree/notebooks/00_welcome.ipynb

test: venv
	$(BIN)/python -m pytest

# Strict nbval over notebooks/ and solutions/ once per CPU kind that OpenBLAS and NumPy can
# emulate here (OPENBLAS_CORETYPE, NPY_DISABLE_CPU_FEATURES): stored outputs must reproduce on all.
test-reproducible: venv
	$(BIN)/python tools/core_type_sweep.py

# The whole suite with the oldest supported versions: Python 3.10 and every lower bound of
# pyproject.toml (runtime and test tools), in a separate environment, .venv-oldest.
# A Python 3.10 that runs: python3.10 on the PATH, else one installed by pyenv.
OLDEST_PYTHON ?= $(shell for p in python3.10 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10*/bin/python3; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && echo $$p && break; done)
OLDEST := .venv-oldest
test-oldest:
	@test -n "$(OLDEST_PYTHON)" || { echo "no Python 3.10 found: install it, or run make test-oldest OLDEST_PYTHON=/path/to/python3.10"; exit 2; }
	test -x $(OLDEST)/bin/python || $(OLDEST_PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python tools/oldest_constraints.py > $(OLDEST)/constraints.txt
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python -m pip install --quiet -c $(OLDEST)/constraints.txt -e ".[dev]"
	$(OLDEST)/bin/python tools/lab_settings.py
	$(OLDEST)/bin/python -m pip list --format=freeze | grep -iE "^($$(cut -d= -f1 $(OLDEST)/constraints.txt | paste -sd'|'))=="
	# torch has no offline build for Python 3.10 here: its reference tests skip in this run (make test runs them)
	COURSE_EXCUSED_REFERENCE_TOOLS=torch $(OLDEST)/bin/python -m pytest

# Mutation testing of the numerical core (CONTRIBUTING.md, "Mutation testing"); not part of
# `make test`. Config: [tool.mutmut] in pyproject.toml; equivalent mutants: tests/mutation_equivalents.txt.
MUTATION_JOBS ?= 2
mutation: venv
	$(BIN)/python -c "import importlib.metadata as m; assert m.version('mutmut') == '3.8.1'" 2>/dev/null \
		|| $(BIN)/python -m pip install --quiet -e ".[mutation]"
	@mkdir -p mutants && echo "mutmut run: a long first run; progress in mutants/run.log"
	nice -n 10 $(BIN)/mutmut run --max-children $(MUTATION_JOBS) > mutants/run.log 2>&1 || { tail -n 30 mutants/run.log; exit 1; }
	$(BIN)/python tools/mutation_score.py

# Notebooks are edited as text (text/notebooks, text/solutions); see CONTRIBUTING.md.
sync: venv
	$(BIN)/python tools/notebooks.py sync

check-notebooks: venv
	$(BIN)/python tools/notebooks.py check

exercises: venv
	$(BIN)/python -m course_lib.grading.make_exercises

benchmark: venv
	$(BIN)/python benchmarks/bench_training.py

clean:
	rm -rf $(VENV) $(OLDEST) .pytest_cache .hypothesis
