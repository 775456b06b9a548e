#!/usr/bin/env bash
# Runs smtcheck over every model of the TLA+ Examples corpus (../shared/corpus) and prints
# one row per model: its tier, TLC's verdict, and how far smtcheck got. Then totals per tier.
#
#   scripts/corpus.sh [typecheck|check] [filter]
#
# ONLY_FAILURES=1 keeps the models TLC finds a counterexample for; TIERS=AB keeps tiers A and B.
# ENGINE=bmc|explicit|auto chooses `check --engine` (default auto), e.g. ENGINE=bmc for the
# conformance of the symbolic engine alone.
# The table is also written to $OUT (default /tmp/corpus-MODE.tsv).
#
# With `check`, each model is checked to the depth that covers TLC's answer: cex_steps for a
# failure, else the model's diameter (capped at 30); "agrees" compares the verdict with TLC's.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$here/../shared/corpus/tla-examples}
mode=${1:-typecheck}
filter=${2:-}
bin=${SMTCHECK:-$here/target/release/smtcheck}
[ -d "$corpus" ] || { echo "no corpus at $corpus"; exit 0; }
[ -n "${SMTCHECK:-}" ] || cargo build --release --quiet --manifest-path "$here/Cargo.toml" || exit 1
timeout_s=${TIMEOUT:-60}
out_file=${OUT:-/tmp/corpus-$mode.tsv}

printf '%s\t%s\t%s\t%s\t%s\t%s\n' tier model tlc exit seconds result
# Fields may be empty: split on a non-whitespace separator so `read` keeps them apart.
tail -n +2 "$corpus/MANIFEST.tsv" | tr '\t' '\037' | while IFS=$'\037' read -r module cfg mode_ expected tlc cex states diameter tier invs props features; do
    [ -n "$filter" ] && [[ "$module" != *"$filter"* ]] && continue
    [ -n "${ONLY_FAILURES:-}" ] && [ -z "$cex" ] && continue
    [ -n "${TIERS:-}" ] && [[ "$TIERS" != *"$tier"* ]] && continue
    args=("$mode" "$corpus/$module" --config "$corpus/$cfg")
    if [ "$mode" = check ]; then
        depth=$diameter
        [ -n "$cex" ] && depth=$cex
        [ -z "$depth" ] && depth=10
        [ "$depth" -gt 30 ] && depth=30
        args+=(--depth "$depth" --engine "${ENGINE:-auto}")
    fi
    start=$(date +%s.%N)
    out=$(timeout "$timeout_s" "$bin" "${args[@]}" 2>&1)
    code=$?
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    result=ok
    if [ "$mode" = check ]; then
        want=0
        case "$tlc" in
            "safety failure") want=12 ;; "deadlock failure") want=11 ;; "liveness failure") want=13 ;;
        esac
        # A safety violation or deadlock must also be exactly as long as TLC's shortest
        # counterexample. Lassos are not compared: TLC's is not the shortest, nor counted alike.
        steps=$(grep -m1 -oE '(of|after) [0-9]+ steps' <<<"$out" | grep -oE '[0-9]+')
        if [ "$code" = "$want" ] && [ "$want" != 0 ] && [ "$want" != 13 ] && [ -n "$cex" ] && [ "$steps" != "$cex" ]; then
            code="$code (${steps} steps, TLC ${cex})"
        fi
        case "$code" in
            "$want") result=agrees ;;
            75) result=unsupported ;;
            14|124) result=unknown/timeout ;;
            120|150|151) result=front-end-error ;;
            0|10|11|12|13|*steps*) result=DISAGREES ;;
            *) result=INTERNAL-ERROR ;;
        esac
        # TLC gave no verdict for these: nothing to agree with.
        case "$tlc" in "not run"|timeout) [ "$result" = DISAGREES ] && result=no-tlc-verdict ;; esac
    elif [ "$code" != 0 ]; then
        result=$(echo "$out" | grep -m1 -E '^error' | cut -c1-110)
    fi
    printf '%s\t%s\t%s\t%s\t%.2f\t%s\n' "$tier" "${cfg#specifications/}" "$tlc" "$code" "$secs" "$result"
done | tee "$out_file" | column -t -s $'\t'
echo
echo "totals (tier: ok / models):"
# "$out_file" has no header row (it is printed before the loop): every line is a model.
awk -F'\t' '{ n[$1]++; if ($6 == "ok" || $6 == "agrees") k[$1]++ } END { for (t in n) printf "  %s: %d / %d\n", t, k[t], n[t] }' "$out_file" | sort
echo
echo "results:"
cut -f6 "$out_file" | sed 's/^error.*/front-end-error/' | sort | uniq -c | sort -rn
