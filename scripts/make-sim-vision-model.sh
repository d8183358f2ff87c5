#!/usr/bin/env bash
# Writes a simulated vision model pair: the RKNN simulator's vision encoder (the 8 bytes RKNNSIM1 and a JSON
# object) at PATH, and beside it the RKLLM simulator's language model whose name Rockchip's pairing expects
# (PATH's "-vision-" part becomes "-w8a8-", ".rknn" becomes ".rkllm"; a PATH without "-vision-" gets only the
# encoder). The default sizes are Qwen2-VL-2B's: 392 x 392 pixels, 196 image tokens, 1536 floats per token.
# usage: make-sim-vision-model.sh PATH [WIDTH HEIGHT TOKENS EMBEDDING_SIZE]
#   e.g. make-sim-vision-model.sh models/Qwen2-VL-2B-Instruct-vision-rk3588.rknn
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 PATH [WIDTH HEIGHT TOKENS EMBEDDING_SIZE]" >&2; exit 2; }
path="$1"
width="${2:-392}"
height="${3:-392}"
tokens="${4:-196}"
embedding="${5:-1536}"
mkdir -p "$(dirname "$path")"

# The encoder half (helper "rknn" owns this part of the format; see the RKNN simulator).
printf 'RKNNSIM1{"width":%d,"height":%d,"tokens":%d,"embedding_size":%d,"target_platform":"rk3588"}' \
    "$width" "$height" "$tokens" "$embedding" > "$path.partial"
mv "$path.partial" "$path"

# The language-model half: an RKLLM simulator model whose embedding rows match the encoder's.
name="$(basename "$path")"
case "$name" in
    *-vision-*.rknn)
        llm="$(dirname "$path")/${name%%-vision-*}-w8a8-${name#*-vision-}"
        llm="${llm%.rknn}.rkllm"
        printf 'RKLLMSIM1{"target_platform":"rk3588","max_context_limit":16384,"model_dtype":"w8a8","embedding_size":%d}' \
            "$embedding" > "$llm.partial"
        mv "$llm.partial" "$llm"
        ;;
esac
