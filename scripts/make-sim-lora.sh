#!/usr/bin/env bash
# Writes a LoRA adapter file that the RKLLM simulator accepts: the 9 bytes RKLLMSIM1 and a JSON object whose
# "lora_prefix" starts every answer of a run that uses the adapter ("[lora:NAME] " unless PREFIX is given).
# usage: make-sim-lora.sh PATH NAME [PREFIX]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 PATH NAME [PREFIX]" >&2; exit 2; }
path="$1"
name="$2"
prefix="${3:-[lora:$name] }"
case "$name$prefix" in
    *'"'* | *'\'*) echo "make-sim-lora: NAME and PREFIX must not contain '\"' or '\\'" >&2; exit 2 ;;
esac
mkdir -p "$(dirname "$path")"
printf 'RKLLMSIM1{"lora_prefix":"%s"}' "$prefix" > "$path.partial"
mv "$path.partial" "$path"
