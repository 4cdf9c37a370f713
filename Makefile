# One source of truth for installing and running cinebot.
#   make run   -> install what is missing, build the sample index if absent, start the chat
#   make test  -> install what is missing, lint, type-check, run the whole test suite
#   make test-fast -> the inner loop: lint and the tests that need no model or index (~25 s)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

BENCH  := $(VENV)/.installed-bench

.PHONY: install run test test-fast lint bench bench-1m bench-scale bench-catalogue eval eval-judged clean

install: $(STAMP)

# torch first and pinned, so pip takes the CPU wheel instead of a CUDA build.
$(STAMP): pyproject.toml requirements/torch.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/torch.txt
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/cinebot run

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not slow"

$(BENCH): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH)

# Warm answers, indexing, latency at 10k/100k passages, filtered recall, Chroma and
# post-filtering, memory, cold start, on the real reviews in ../shared/data, with issue #14's
# targets read off the run -> benchmarks/RESULTS.md (+ latency.png).
bench: $(BENCH)
	$(BIN)/python -m benchmarks.run $(ARGS)

# The same at 10k, 100k and 1M passages (IVF4096 at a million): about an hour, most of it
# growing the million, and Chroma and Qdrant's engine at a million. Writes benchmarks/RESULTS.md.
bench-1m: $(BENCH)
	$(BIN)/python -m benchmarks.run --sizes 10000,100000,1000000 --factory IVF4096,Flat --qdrant-max 1000000 $(ARGS)

# Which FAISS index type at 1M passages (latency and recall per factory) -> benchmarks/SCALE.md.
bench-scale: $(BENCH)
	$(BIN)/python -m benchmarks.bench_scale $(ARGS)

# Importing IMDb's dataset files at their real size (12M title.basics rows) -> benchmarks/CATALOGUE.md.
bench-catalogue: $(STAMP)
	$(BIN)/python -m benchmarks.bench_catalogue $(ARGS)

# Answer quality (80 questions) against BM25-only and dense-only, film knowledge from real
# reviews, other people's questions, and our review pages -> benchmarks/EVAL.md; then the
# judged set (below), then taste on MovieLens members -> benchmarks/TASTE.md.
eval: $(BENCH)
	$(BIN)/python -m benchmarks.eval_quality $(ARGS)
	$(BIN)/python -m benchmarks.eval_judged
	$(BIN)/python -m benchmarks.eval_taste

# Answers judged blind (issue #25): 110 questions, cinebot vs BM25 only vs dense only, P@5 per
# kind from the kept judgments -> benchmarks/JUDGED.md. Indexes 12,000 real reviews the first
# time (~25 minutes on 2 cores, under data/judged), then reuses them.
eval-judged: $(BENCH)
	$(BIN)/python -m benchmarks.eval_judged

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache data/index
