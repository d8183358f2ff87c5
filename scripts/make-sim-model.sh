#!/usr/bin/env bash
# Writes a model file that the RKLLM simulator accepts: the 9 bytes RKLLMSIM1 and a JSON object.
# usage: make-sim-model.sh PATH [PLATFORM] [MAX_CONTEXT_LIMIT] [DTYPE]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 PATH [PLATFORM] [MAX_CONTEXT_LIMIT] [DTYPE]" >&2; exit 2; }
path="$1"
platform="${2:-rk3588}"
limit="${3:-16384}"
dtype="${4:-w8a8}"
mkdir -p "$(dirname "$path")"
printf 'RKLLMSIM1{"target_platform":"%s","max_context_limit":%d,"model_dtype":"%s"}' "$platform" "$limit" "$dtype" \
    > "$path.partial"
mv "$path.partial" "$path"
