# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1

.PHONY: run test index lint clean

run: index
	$(BIN)/verbatim serve

test: index
	$(BIN)/python -m pytest

# Builds the index of the bundled corpus only when it is missing or stale.
index: $(STAMP)
	$(BIN)/verbatim index --if-stale

lint: $(STAMP)
	$(BIN)/ruff check corpus index app eval tests

# torch goes in first: the CPU build lies on disk here; installed later, as a dependency,
# pip would fetch a multi-GB CUDA build instead.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build
