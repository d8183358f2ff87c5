#!/usr/bin/env bash
# Writes the simulated vision encoder that the RKNN simulator accepts: the 8 bytes RKNNSIM1 and a JSON object
# (input uint8 NHWC WIDTH x HEIGHT x 3; output float32 [TOKENS][EMBEDDING_SIZE]; TOKENS must be a square).
# usage: make-sim-vision-model.sh PATH [WIDTH HEIGHT TOKENS EMBEDDING_SIZE]
# PATH is the .rknn file; when it is a directory, the file is Qwen2-VL-2B-Instruct-vision-rk3588.rknn in it.
# Beside an encoder named like Rockchip's (NAME-vision-PLATFORM.rknn) it also writes the language model that pairs
# with it, NAME-w8a8-PLATFORM.rkllm, for the RKLLM simulator (with the same embedding size).
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

# The language-model half of the pair, for the RKLLM simulator.
name="$(basename "$path")"
case "$name" in
    *-vision-*.rknn)
        llm="$dir/${name%%-vision-*}-w8a8-${name#*-vision-}"
        write_file "${llm%.rknn}.rkllm" \
            'RKLLMSIM1{"target_platform":"rk3588","max_context_limit":16384,"model_dtype":"w8a8","embedding_size":%d}' \
            "$embedding_size"
        ;;
esac
