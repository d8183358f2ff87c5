#!/usr/bin/env bash
# Builds the RKLLM simulator (Sources/RKLLMSimulator), a librkllmrt.so look-alike, in both ABI layouts:
#   .build/rkllm-sim/1.2/librkllmrt.so   runtime 1.2.1–1.2.3 layout (-DRKLLM_SIM_ABI=12)
#   .build/rkllm-sim/1.3/librkllmrt.so   runtime 1.3.x layout       (-DRKLLM_SIM_ABI=13)
# A library is rebuilt only when a source, a header or this script is newer than it.
# With --check it also checks the exported symbols and builds and runs Tests/RKLLMSimulator/smoke_test.c
# against each variant; the exit status is non-zero if anything fails.
# CC overrides the compiler (default: cc).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
script="$root/scripts/$(basename "$0")"
src="$root/Sources/RKLLMSimulator"
test_src="$root/Tests/RKLLMSimulator/smoke_test.c"
out_root="$root/.build/rkllm-sim"
cc="${CC:-cc}"
cflags=(-std=c11 -O2 -fPIC -Wall -Wextra -Werror -pthread)
exports="rkllm_abort rkllm_clear_kv_cache rkllm_createDefaultParam rkllm_destroy rkllm_get_kv_cache_size \
rkllm_init rkllm_is_running rkllm_load_lora rkllm_load_prompt_cache rkllm_release_prompt_cache rkllm_run \
rkllm_run_async rkllm_set_chat_template rkllm_set_cross_attn_params rkllm_set_function_tools"

fail() { echo "build-rkllm-sim: $*" >&2; exit 1; }
say() { echo "build-rkllm-sim: $*"; }

check=0
case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    *) fail "usage: $0 [--check]" ;;
esac
command -v "$cc" >/dev/null || fail "no C compiler '$cc' (Debian: apt-get install gcc)"

shopt -s nullglob
sources=("$src"/*.c)
headers=("$src"/*.h "$src"/include/*.h)
[ ${#sources[@]} -gt 0 ] || fail "no sources in $src"

. "$root/scripts/sim-build-common.sh"

status=0
for abi in 12 13; do
    version="1.${abi#1}"
    dir="$out_root/$version"
    lib="$dir/librkllmrt.so"
    mkdir -p "$dir"
    if stale "$lib" "${sources[@]}" "${headers[@]}" "$script" "$root/scripts/sim-build-common.sh"; then
        say "building $lib"
        compile "$lib" "${cflags[@]}" -shared -fvisibility=hidden -DRKLLM_SIM_ABI="$abi" \
            -I"$src/include" "${sources[@]}" || fail "compiling the $version simulator failed"
    fi
    [ "$check" = 1 ] || continue

    smoke="$dir/smoke_test"
    if stale "$smoke" "$test_src" "$src/include/rkllm_sim_abi.h" "$script"; then
        compile "$smoke" "${cflags[@]}" -DRKLLM_SIM_ABI="$abi" -I"$src/include" "$test_src" -ldl \
            || fail "compiling the smoke test ($version) failed"
    fi
    say "checking $version"
    check_exports "$lib" || status=1
    "$smoke" "$lib" || status=1
done
exit "$status"
