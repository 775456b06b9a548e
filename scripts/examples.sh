#!/usr/bin/env bash
# Times smtcheck on every model of examples/ and prints the tables of issue #6 (Markdown):
#
#   * `check --depth 20` of each model whose config gives every constant a value: the median
#     of 5 runs of the whole process (hyperfine), or one run for a model slower than $SLOW
#     seconds, cut off after $TIMEOUT seconds;
#   * `prove --inv IndInv` of each model whose config lists IndInv, with every other invariant
#     it lists as a `--prop`: once, cut off after $TIMEOUT seconds.
#
#   scripts/examples.sh [filter]     # e.g. scripts/examples.sh failover
#
# N is the size of the model: the largest set a constant is given, or the value of N; "any"
# for a config that leaves constants out (the proof holds for every value).
# Verdicts are read from the exit code (TLC's codes, 14 unknown); "timeout" means cut off.
# SMTCHECK names the binary (default: target/release/smtcheck, built first); ENGINE chooses
# `check --engine` (default auto; ENGINE=bmc times the symbolic engine alone).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
filter=${1:-}
bin=${SMTCHECK:-$here/target/release/smtcheck}
[ -n "${SMTCHECK:-}" ] || cargo build --release --quiet || exit 1
timeout_s=${TIMEOUT:-60}
slow_s=${SLOW:-10}
depth=${DEPTH:-20}
engine=${ENGINE:-auto}

# What exit code $2 of smtcheck command $1 (or of `timeout`) means.
verdict_of() {
    case $1:$2 in
        check:0) echo "ok" ;;
        prove:0) echo "proved" ;;
        check:11) echo "deadlock" ;;
        check:12) echo "invariant violated" ;;
        prove:12) echo "not inductive" ;;
        *:13) echo "liveness violated" ;;
        *:14) echo "unknown" ;;
        *:75) echo "unsupported" ;;
        *:124) echo "timeout" ;;
        *) echo "exit $2" ;;
    esac
}

# The size of the model in config $1: the largest `{...}` a constant is given, or N's value.
size_of() {
    awk '
        /^[ \t]*N[ \t]*=[ \t]*[0-9]+/ { split($0, kv, "="); n = kv[2] + 0; if (n > max) max = n }
        /=[ \t]*\{/ { line = $0; sub(/^[^{]*\{/, "", line); sub(/\}.*$/, "", line);
                      n = split(line, items, ","); if (n > max) max = n }
        END { print (max ? max : "-") }' "$1"
}

# The invariants config $1 lists.
invariants_of() {
    grep -E '^[ \t]*INVARIANTS?' "$1" | sed -E 's/^[ \t]*INVARIANTS?//' | tr -s ' \t' '\n' | grep -v '^$'
}

# Whether config $1 gives every constant a value (a config for `check`, not only `prove`).
fully_configured() {
    # A constant without a value is an error (exit 75) before any solving.
    timeout 10 "$bin" check "$2" --config "$1" --depth 0 --timeout 1 >/dev/null 2>&1
    [ $? -ne 75 ]
}

# Runs `$bin ARGS` once under the timeout; prints "<seconds> <exit code>".
time_once() {
    local start code
    start=$(date +%s.%N)
    timeout "$timeout_s" "$bin" "$@" >/dev/null 2>&1
    code=$?
    printf '%.2f %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$code"
}

# The median wall-clock time, in seconds, of 5 runs of `$bin ARGS`.
median_of_5() {
    local json
    json=$(mktemp)
    hyperfine --runs 5 --ignore-failure --style none --export-json "$json" \
        "$(printf '%q ' "$bin" "$@")" >/dev/null 2>&1
    jq -r '.results[0].median' "$json" | xargs printf '%.2f\n'
    rm -f "$json"
}

echo "### check --depth $depth --engine $engine"
echo
echo "| example | config | N | time (s) | verdict |"
echo "|---|---|---|---|---|"
for cfg in examples/*/*.cfg; do
    [ -n "$filter" ] && [[ "$cfg" != *"$filter"* ]] && continue
    dir=$(dirname "$cfg")
    tla=$(ls "$dir"/*.tla | head -1)
    fully_configured "$cfg" "$tla" || continue
    args=(check "$tla" --config "$cfg" --depth "$depth" --engine "$engine")
    read -r secs code < <(time_once "${args[@]}")
    how="1 run"
    if [ "$code" != 124 ] && [ "$(echo "$secs < $slow_s" | bc)" = 1 ]; then
        secs=$(median_of_5 "${args[@]}")
        how="median of 5"
    fi
    printf '| %s | %s | %s | %s (%s) | %s |\n' "$(basename "$dir")" "$(basename "$cfg")" \
        "$(size_of "$cfg")" "$secs" "$how" "$(verdict_of check "$code")"
done

echo
echo "### prove --inv IndInv"
echo
echo "| example | config | N | time (s) | verdict |"
echo "|---|---|---|---|---|"
for cfg in examples/*/*.cfg; do
    [ -n "$filter" ] && [[ "$cfg" != *"$filter"* ]] && continue
    invariant_list=$(invariants_of "$cfg")
    grep -qx IndInv <<<"$invariant_list" || continue
    dir=$(dirname "$cfg")
    tla=$(ls "$dir"/*.tla | head -1)
    args=(prove "$tla" --config "$cfg" --inv IndInv)
    for property in $(grep -vx IndInv <<<"$invariant_list"); do
        args+=(--prop "$property")
    done
    size=any
    fully_configured "$cfg" "$tla" && size=$(size_of "$cfg")
    read -r secs code < <(time_once "${args[@]}")
    printf '| %s | %s | %s | %s | %s |\n' "$(basename "$dir")" "$(basename "$cfg")" \
        "$size" "$secs" "$(verdict_of prove "$code")"
done
