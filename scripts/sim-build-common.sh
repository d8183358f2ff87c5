# What scripts/build-rkllm-sim.sh and scripts/build-rknn-sim.sh share; sourced, not run. The caller sets `cc`,
# `exports` (the symbols the library must export, space-separated) and defines `say`.

# True when $1 is missing or older than any of the other arguments.
stale() {
    local target="$1" input
    shift
    [ -e "$target" ] || return 0
    for input in "$@"; do
        [ "$input" -nt "$target" ] && return 0
    done
    return 1
}

# Compiles into a temporary file and renames it, so a half-written library is never seen.
compile() {
    local output="$1"
    shift
    "$cc" "$@" -o "$output.tmp.$$" && mv -f "$output.tmp.$$" "$output"
}

# Whether the library $1 exports exactly `exports`.
check_exports() {
    local lib="$1" found
    command -v nm >/dev/null || { say "nm not found, export check skipped"; return 0; }
    found="$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sort | tr '\n' ' ')"
    [ "$found" = "$(echo $exports | tr ' ' '\n' | sort | tr '\n' ' ')" ] && return 0
    echo "unexpected exports of $lib: $found" >&2
    return 1
}
