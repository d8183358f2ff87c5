#!/usr/bin/env bash
# Writes the simulated vision encoder that the RKNN simulator accepts: the 8 bytes RKNNSIM1 and a JSON object
# (input uint8 NHWC WIDTH x HEIGHT x 3; output float32 [TOKENS][EMBEDDING_SIZE]; TOKENS must be a square).
# usage: make-sim-vision-model.sh PATH [WIDTH HEIGHT TOKENS EMBEDDING_SIZE]
# PATH is the .rknn file; when it is a directory, the file is Qwen2-VL-2B-Instruct-vision-rk3588.rknn in it.
set -euo pipefail
usage="usage: $0 PATH [WIDTH HEIGHT TOKENS EMBEDDING_SIZE]"
[ $# -eq 1 ] || [ $# -eq 5 ] || { echo "$usage" >&2; exit 2; }
path="$1"
width="${2:-392}"
height="${3:-392}"
tokens="${4:-196}"
embedding_size="${5:-1536}"
for value in "$width" "$height" "$tokens" "$embedding_size"; do
    [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "$usage (positive integers)" >&2; exit 2; }
done
[ -d "$path" ] && path="$path/Qwen2-VL-2B-Instruct-vision-rk3588.rknn"
dir="$(dirname "$path")"
mkdir -p "$dir"

# Writes FILE from the remaining arguments (printf format and values), atomically.
write_file() {
    local file="$1"
    shift
    # shellcheck disable=SC2059
    printf "$@" > "$file.partial"
    mv "$file.partial" "$file"
}

write_file "$path" 'RKNNSIM1{"width":%d,"height":%d,"tokens":%d,"embedding_size":%d,"target_platform":"rk3588"}' \
    "$width" "$height" "$tokens" "$embedding_size"
