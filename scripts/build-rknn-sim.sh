#!/usr/bin/env bash
# Builds the RKNN simulator (Sources/RKNNSimulator), a librknnrt.so look-alike for vision encoders, into
# .build/rknn-sim/librknnrt.so. The library is rebuilt only when a source, a header or this script is newer.
# With --check it also checks the exported symbols and builds and runs Tests/RKNNSimulator/smoke_test.c
# against it; the exit status is non-zero if anything fails.
# CC overrides the compiler (default: cc).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
script="$root/scripts/$(basename "$0")"
src="$root/Sources/RKNNSimulator"
test_src="$root/Tests/RKNNSimulator/smoke_test.c"
dir="$root/.build/rknn-sim"
lib="$dir/librknnrt.so"
cc="${CC:-cc}"
cflags=(-std=c11 -O2 -fPIC -Wall -Wextra -Werror -pthread)
exports="rknn_destroy rknn_init rknn_inputs_set rknn_outputs_get rknn_outputs_release rknn_query rknn_run \
rknn_set_core_mask"

fail() { echo "build-rknn-sim: $*" >&2; exit 1; }
say() { echo "build-rknn-sim: $*"; }

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

mkdir -p "$dir"
if stale "$lib" "${sources[@]}" "${headers[@]}" "$script" "$root/scripts/sim-build-common.sh"; then
    say "building $lib"
    compile "$lib" "${cflags[@]}" -shared -fvisibility=hidden -I"$src/include" "${sources[@]}" \
        || fail "compiling the simulator failed"
fi
[ "$check" = 1 ] || exit 0

smoke="$dir/smoke_test"
if stale "$smoke" "$test_src" "$src/include/rknn_sim_abi.h" "$script"; then
    compile "$smoke" "${cflags[@]}" -I"$src/include" "$test_src" -ldl -lm || fail "compiling the smoke test failed"
fi
say "checking $lib"
status=0
check_exports "$lib" || status=1
"$smoke" "$lib" "$root/scripts/make-sim-vision-model.sh" || status=1
exit "$status"
