# Two commands: `make run` and `make test`. Both first check the OS packages (scripts/system-deps.sh:
# installs them as root or with sudo, else prints the apt-get line), then create .venv on first use.
# Another interpreter gets its own environment: `make test PYTHON=python3.13 VENV=.venv-3.13` (.ci/run does).
# The one-folder station app: `make dist` (dist/rolecall/rolecall), `make dist-test` (its smoke test).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DIST_STAMP := $(VENV)/.dist-installed
SYSDEPS := scripts/system-deps.sh
APP    := dist/rolecall/rolecall
# what goes into the frozen app: rebuild when any of it changes
DIST_INPUTS := $(shell git ls-files main.py cli recorder scoring store ui assets packaging 2>/dev/null) pyproject.toml

.PHONY: setup run test bench dist dist-test clean system-deps-app system-deps-test system-deps-dist

setup: system-deps-test $(STAMP)

system-deps-app system-deps-test system-deps-dist: system-deps-%:
	@$(SYSDEPS) $*

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "make: '$(PYTHON) -m venv' failed. On Debian/Ubuntu install the venv module:" \
	       "sudo apt-get install python3-venv (or pythonX.Y-venv for another version)." >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: system-deps-app $(STAMP)
	$(BIN)/python main.py $(ARGS)

test: system-deps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	@touch $(DIST_STAMP)

dist: $(APP)

$(APP): $(DIST_STAMP) $(DIST_INPUTS) | system-deps-dist
	$(BIN)/python -m PyInstaller --noconfirm --clean --log-level WARN \
	  --distpath dist --workpath build/pyinstaller packaging/rolecall.spec
	@touch $(APP)

dist-test: system-deps-test $(APP)
	scripts/dist-test.sh $(APP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
