#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer and AddressSanitizer, runs each for FUZZ_SECONDS on a fresh copy of its
# seed corpus, and fails when any target crashes, hangs (one input > 10 s) or runs out of memory (> 2 GiB),
# naming the saved reproducer. `make fuzz` and `make fuzz-smoke` call it.
#
#   FUZZ_SECONDS      seconds per target (600)
#   FUZZ_TARGETS      which targets ("FuzzGGUF FuzzJinja FuzzJSONSchema FuzzImage")
#   FUZZ_SANITIZERS   swiftc's -sanitize list ("fuzzer,address"; "fuzzer" alone runs faster but misses overflows)
#   FUZZ_STACK_KB     the stack each input runs on, in KiB (each target's own default, 256 or 1024: see
#                     Sources/FuzzSupport/FuzzStack.swift)
#   FUZZ_ARGS         more libFuzzer flags, e.g. "-jobs=2" or "-seed=1"
#
# Run directories (corpus copy, log, reproducers) are Fuzz/.build/fuzz-runs/<target>/, git-ignored and replaced by
# the next run of that target. Reproduce a finding with: Fuzz/.build/release/<target> <file>.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${FUZZ_SECONDS:-600}
targets=${FUZZ_TARGETS:-FuzzGGUF FuzzJinja FuzzJSONSchema FuzzImage}
sanitizers=${FUZZ_SANITIZERS:-fuzzer,address}

# The compiler keeps only the last of several -sanitize flags, and SwiftPM orders repeated --sanitize options
# differently from build to build, so the list goes in one -Xswiftc flag, which comes last. SwiftPM's own
# --sanitize=fuzzer is still needed: it makes SwiftPM link the executables without a main of their own.
build_flags=(-c release -Xswiftc -g -Xswiftc -parse-as-library --sanitize=fuzzer -Xswiftc "-sanitize=$sanitizers")
echo "fuzz: building (swift build ${build_flags[*]})"
mkdir -p .build
if ! swift build "${build_flags[@]}" >.build/fuzz-build.log 2>&1; then
    grep -E 'error|warning' .build/fuzz-build.log | head -40 || tail -40 .build/fuzz-build.log
    echo "fuzz: the build failed (log Fuzz/.build/fuzz-build.log)" >&2
    exit 1
fi
bin=$(swift build "${build_flags[@]}" --show-bin-path)

# What each target reads: the longest input worth trying and its dictionary.
max_len() {
    case "$1" in
        FuzzGGUF) echo 65536 ;;  # deep enough for thousands of nested arrays; real headers are larger, but repeat
        FuzzJinja) echo 16384 ;;  # real chat templates are 0.3-10 KB
        FuzzJSONSchema) echo 8192 ;;  # tool and response-format schemas
        FuzzImage) echo 16384 ;;  # small JPEG and PNG files: every marker and chunk, a few MCUs of data
        *) echo "fuzz: unknown target $1" >&2; exit 2 ;;
    esac
}
dictionary() {
    case "$1" in
        FuzzGGUF) echo dictionaries/gguf.dict ;;
        FuzzJinja) echo dictionaries/jinja.dict ;;
        FuzzJSONSchema) echo dictionaries/json-schema.dict ;;
        FuzzImage) echo dictionaries/image.dict ;;
    esac
}

# Swift's own crash backtracer would run first and read memory that AddressSanitizer then reports as its own
# overflow; libFuzzer and the sanitizer print the stack of a crash themselves.
export SWIFT_BACKTRACE=enable=no

failed=()
for target in $targets; do
    length=$(max_len "$target")
    run="$PWD/.build/fuzz-runs/$target"
    rm -rf "$run"
    mkdir -p "$run/corpus" "$run/findings"
    cp corpus/"$target"/* "$run/corpus/"
    echo "fuzz: $target for ${seconds} s (max_len $length, log $run/log)"
    status=0
    # shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
    "$bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$length" \
        -dict="$(dictionary "$target")" -use_value_profile=1 -print_final_stats=1 \
        -artifact_prefix="$run/findings/" ${FUZZ_ARGS:-} "$run/corpus" >"$run/log" 2>&1 || status=$?
    grep -E '^#[0-9]+' "$run/log" | tail -1 || true
    findings=$(find "$run/findings" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
        -o -name 'leak-*' \) | sort)
    if [ "$status" -ne 0 ] || [ -n "$findings" ]; then
        failed+=("$target")
        echo "fuzz: $target FAILED (exit $status)"
        grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer)|SUMMARY|Fatal error|Precondition failed' "$run/log" || true
        # The first stack, where it crashed, demangled and without libFuzzer's own frames.
        awk '/^ +#[0-9]+ /{ print; seen=1; next } seen{ exit }' "$run/log" |
            grep -v -E 'compiler-rt/lib/fuzzer|__sanitizer_print_stack_trace|libc\.so' | head -14 |
            swift demangle --simplified || true
        for finding in $findings; do
            echo "fuzz:   reproducer $finding (run: $bin/$target $finding)"
        done
        echo "fuzz:   full log $run/log"
    else
        echo "fuzz: $target passed: no crash, hang or memory blow-up in ${seconds} s"
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all targets passed"
