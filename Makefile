# The README's two commands are `make run` and `make test`; both set everything up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ENV_FILE := .venv/rockchip-llama.env
HOST ?= 127.0.0.1
PORT ?= 8080
MODEL ?= smollm2-135m-instruct
SWIFT_BUILD_FLAGS ?=
# The release binary carries the Swift runtime and Foundation inside: nothing to install on a board beyond
# libstdc++ and zlib, and about 5 MB less resident memory than loading the shared Swift libraries.
# Relative relocations packed as DT_RELR (lld, which Package.swift picks for the release link): 135,000
# relocations take 26 KB instead of 3.2 MB, which every process read at start and kept resident. A binary
# built so needs glibc 2.36 (Debian 12, Ubuntu 22.10) to start, so older systems keep the classic table.
RELR_FLAGS := $(shell getconf GNU_LIBC_VERSION 2>/dev/null | \
	awk '{ split($$2, v, "."); if (v[1] > 2 || (v[1] == 2 && v[2] >= 36)) print "-Xlinker -z -Xlinker pack-relative-relocs" }')
RELEASE_FLAGS ?= --static-swift-stdlib $(RELR_FLAGS)
SIM_ABI ?= 1.3
SIM_MODELS := .build/rkllm-sim/models
SIM_MODEL_FILE := Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx16384-rk3588.rkllm
SIM_LIB = .build/rkllm-sim/$(SIM_ABI)/librkllmrt.so
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_TARGETS ?= FuzzGGUF FuzzJinja FuzzJSONSchema FuzzImage

# Reads the library and model paths that bootstrap found.
load_env = set -a; . ./$(ENV_FILE); set +a

.PHONY: help bootstrap bootstrap-test build build-debug run run-sim sim test test-sim test-swift test-compat peer bench bench-quick bench-dialects bench-attacks bench-eos bench-embeddings bench-images lint format clean fuzz fuzz-smoke

help:
	@echo "make run     set up, build and serve the default model on $(HOST):$(PORT)"
	@echo "make test    set up, build and run every test"
	@echo "make run-sim serve a simulated qwen3-0.6b through the RKLLM engine and the RKLLM simulator"
	@echo "make bench   measure the server against llama-server (default model) and on the RKLLM simulator; ~15 min"
	@echo "make bench-quick  a 2-minute partial bench: the sweep (1, 2, 4) and the cache against llama-server"
	@echo "make bench-dialects  our /v1/responses and /v1/messages against our chat completions (SmolLM2, simulator); ~3 min"
	@echo "make peer    install llama.cpp's llama-server into .venv-peer (the bench's peer) and print its path"
	@echo "make bench-embeddings  the engine's embeddings against /v1/embeddings on the simulator's embedding model; ~1 min"
	@echo "make bench-images  decode and prepare a 1024x768 JPEG and PNG for a 392x392 vision encoder; ~10 s"
	@echo "make bench-attacks  time /health under each hostile input of the hardening work"
	@echo "make bench-eos  the wrong-EOS workaround on the RKLLM simulator, both layouts: tokens after the real EOS"
	@echo "make build   release build at .build/release/rockchip-llama"
	@echo "make lint    check formatting with swift format"
	@echo "make fuzz    fuzz the parsers of untrusted input, FUZZ_SECONDS (600) each; make fuzz-smoke: 20 s each"

bootstrap:
	@scripts/bootstrap.sh

bootstrap-test:
	@scripts/bootstrap.sh --test

build:
	swift build -c release $(RELEASE_FLAGS) $(SWIFT_BUILD_FLAGS)

# The RKLLM simulator: librkllmrt.so look-alikes of the 1.2 and 1.3 runtime layouts, for tests and demos;
# the RKNN simulator: a librknnrt.so look-alike for vision encoders (.build/rknn-sim/librknnrt.so).
sim:
	@scripts/build-rkllm-sim.sh
	@scripts/build-rknn-sim.sh

build-debug:
	swift build --build-tests $(SWIFT_BUILD_FLAGS)

run: bootstrap build
	@$(load_env); exec .build/release/rockchip-llama serve --host $(HOST) --port $(PORT) --model $(MODEL)

# SIM_ABI=1.2 serves it through the 1.2 runtime layout instead.
run-sim: sim build
	@scripts/make-sim-model.sh $(SIM_MODELS)/$(SIM_MODEL_FILE)
	@exec .build/release/rockchip-llama serve --host $(HOST) --port $(PORT) --models-dir $(SIM_MODELS) \
		--rkllm-lib $(SIM_LIB) --model qwen3-0.6b

test: bootstrap-test sim build-debug
	@$(MAKE) --no-print-directory test-sim test-swift test-compat

test-sim:
	@scripts/build-rkllm-sim.sh --check
	@scripts/build-rknn-sim.sh --check

# The server suites run a second time with every model in a runner process, the production default.
test-swift:
	@$(load_env); swift test --skip-build --no-parallel
	@$(load_env); ROCKCHIP_LLAMA_TEST_ISOLATION=process swift test --skip-build --no-parallel --filter ServerTests

test-compat:
	@$(load_env); ROCKCHIP_LLAMA_BINARY=$(CURDIR)/.build/debug/rockchip-llama \
		.venv/bin/python -m pytest -q Tests/compat

peer:
	@scripts/bootstrap-peer.sh

# The simulator's sweep asks for 4 slots; the bench passes --parallel only once the server has it.
BENCH_FLAGS ?=
BENCH_SIM_FLAGS ?= --parallel 4
bench: bootstrap sim build
	@peer="$$(scripts/bootstrap-peer.sh)" && scripts/make-sim-model.sh $(SIM_MODELS)/$(SIM_MODEL_FILE) && \
	$(load_env) && { .build/release/rockchip-llama bench --model "$$ROCKCHIP_LLAMA_TEST_MODEL" --peer "$$peer" \
		--json bench-report.json --markdown bench-report.md --chart bench-sweep.svg $(BENCH_FLAGS) && echo && \
		.build/release/rockchip-llama bench --model $(SIM_MODELS)/$(SIM_MODEL_FILE) --rkllm-lib $(SIM_LIB) \
		--runs 5 --tokens 64 --sweep-rounds 1 --json bench-report-sim.json --markdown bench-report-sim.md \
		--chart bench-sweep-sim.svg $(BENCH_SIM_FLAGS); } | tee bench-report.txt

bench-quick: bootstrap build
	@peer="$$(scripts/bootstrap-peer.sh)" && $(load_env) && .build/release/rockchip-llama bench \
		--model "$$ROCKCHIP_LLAMA_TEST_MODEL" --peer "$$peer" --only sweep,cache --sweep 1,2,4 --sweep-rounds 1 \
		--sweep-tokens 32 --cache-runs 1 --json bench-report-quick.json --markdown bench-report-quick.md \
		--chart bench-sweep-quick.svg $(BENCH_FLAGS)

# The dialects alone (no peer): /v1/responses and /v1/messages against /v1/chat/completions, SmolLM2 and the simulator.
bench-dialects: bootstrap sim build
	@scripts/make-sim-model.sh $(SIM_MODELS)/$(SIM_MODEL_FILE) && $(load_env) && { \
		.build/release/rockchip-llama bench --model "$$ROCKCHIP_LLAMA_TEST_MODEL" --only dialects \
		--json bench-report-dialects.json --markdown bench-report-dialects.md $(BENCH_FLAGS) && echo && \
		.build/release/rockchip-llama bench --model $(SIM_MODELS)/$(SIM_MODEL_FILE) --rkllm-lib $(SIM_LIB) \
		--only dialects --json bench-report-dialects-sim.json --markdown bench-report-dialects-sim.md \
		$(BENCH_SIM_FLAGS); } | tee bench-report-dialects.txt

# The #534 wrong-EOS workaround on the RKLLM simulator, both layouts: tokens generated after the real EOS.
bench-eos: bootstrap sim build
	@scripts/make-sim-model.sh $(SIM_MODELS)/$(SIM_MODEL_FILE) && $(load_env) && for layout in 1.2 1.3; do \
		.build/release/rockchip-llama bench --model $(SIM_MODELS)/$(SIM_MODEL_FILE) \
		--rkllm-lib .build/rkllm-sim/$$layout/librkllmrt.so --only eos --json bench-report-eos-$$layout.json \
		--markdown bench-report-eos-$$layout.md $(BENCH_SIM_FLAGS) || exit 1; done | tee bench-report-eos.txt

# Embeddings through the RKLLM engine alone against /v1/embeddings, on a simulated Qwen3-Embedding model (goal: >= 0.95).
SIM_EMBEDDING_FILE = Qwen3-Embedding-0.6B-w8a8-rk3588.rkllm
bench-embeddings: bootstrap sim build
	@mkdir -p $(SIM_MODELS) && printf 'RKLLMSIM1{"target_platform":"rk3588","max_context_limit":4096,"model_dtype":"w8a8"}' \
		> $(SIM_MODELS)/$(SIM_EMBEDDING_FILE) && $(load_env) && \
	.build/release/rockchip-llama bench --model $(SIM_MODELS)/$(SIM_EMBEDDING_FILE) --rkllm-lib $(SIM_LIB) \
		--only embeddings --json bench-report-embeddings.json --markdown bench-report-embeddings.md \
		| tee bench-report-embeddings.txt

# Image preprocessing in process, no model loaded (--model is only named); `make bench` runs it too.
bench-images: build
	@.build/release/rockchip-llama bench --model none.gguf --only images $(BENCH_FLAGS) | tee bench-report-images.txt

# The hostile inputs of the hardening work, each held against a server while /health is timed.
bench-attacks: bootstrap build
	@$(load_env); .build/release/rockchip-llama bench --attacks --model "$$ROCKCHIP_LLAMA_TEST_MODEL" \
		| tee bench-attacks.txt

# libFuzzer with AddressSanitizer over the GGUF reader, the Jinja engine and the JSON-Schema converter (Fuzz/);
# fails on any crash, hang or memory blow-up and names the reproducer. Not part of `make test`.
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" Fuzz/fuzz.sh

fuzz-smoke:
	@FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" Fuzz/fuzz.sh

lint:
	swift format lint --strict --recursive Sources Tests Package.swift Fuzz/Package.swift Fuzz/Sources

format:
	swift format --in-place --recursive Sources Tests Package.swift Fuzz/Package.swift Fuzz/Sources

clean:
	rm -rf .build
