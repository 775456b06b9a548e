#!/usr/bin/env bash
# Scaling benchmarks of `smtcheck check` (issue #8): the same spec at N = 3, 10, 100, 1000 and
# 10000, whole process, several runs each; the bug variants' time to their first
# counterexample; and the start-up of `parse` and `typecheck` on a small spec.
#
#   scripts/bench.sh                     # everything, with the defaults below
#   SIZES="3 1000" RUNS=3 DEPTHS=10 FAMILIES="token_mutex leader_election" scripts/bench.sh
#   ENGINE=bmc PARTS=bug_variants scripts/bench.sh    # `check --engine bmc` (default: auto)
#
# Prints a table per part and writes every row to a CSV file (its path is printed at the end).
# When a `tlc` command is on PATH, TLC checks the same model and the ratio is printed too.
# A size that times out (TIMEOUT seconds) stops that family at that depth: larger ones would
# too. Timing is wall-clock of the whole process; peak RSS is from /usr/bin/time.
# Benchmarks are this script, never tests: nothing here asserts a time.

set -u
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/smtcheck}
SIZES=${SIZES:-"3 10 100 1000 10000"}
DEPTHS=${DEPTHS:-"10 20"}
RUNS=${RUNS:-5}
ENGINE=${ENGINE:-auto}
TIMEOUT=${TIMEOUT:-60}
FAMILIES=${FAMILIES:-"token_mutex leader_election fenced_lock idempotent_consumer ewd840 transaction_commit"}
CORPUS=${CORPUS:-../shared/corpus/tla-examples/specifications}
CSV=${CSV:-$(mktemp -t smtcheck-bench-XXXXXX.csv)}
WORK=$(mktemp -d -t smtcheck-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [[ ! -x $BIN ]]; then
    echo "no $BIN: run \`cargo build --release\` first" >&2
    exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "/usr/bin/time is needed for the peak RSS" >&2
    exit 2
fi

echo "part,family,n,depth,runs,median_s,min_s,max_s,peak_rss_kb,exit,ratio_to_n3,tlc_s,ratio_to_tlc" >"$CSV"

# ---- Measuring ---------------------------------------------------------------------------

# run_once CMD...: runs CMD once; prints "seconds rss_kb exit".
run_once() {
    local start end rss code
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" timeout "$TIMEOUT" "$@" >/dev/null 2>&1
    code=$?
    end=$(date +%s.%N)
    rss=$(tail -n 1 "$WORK/rss" 2>/dev/null)
    echo "$(echo "$end - $start" | bc -l) ${rss:-0} $code"
}

# measure CMD...: runs CMD $RUNS times (once if it times out); prints
# "median min max peak_rss exit" (exit: of the first run; 124 is a timeout).
measure() {
    local times=() rss_max=0 first_code="" line t rss code
    for ((run = 0; run < RUNS; run++)); do
        line=$(run_once "$@")
        read -r t rss code <<<"$line"
        times+=("$t")
        ((rss > rss_max)) && rss_max=$rss
        [[ -z $first_code ]] && first_code=$code
        [[ $code == 124 ]] && break
    done
    printf '%s\n' "${times[@]}" | sort -g | awk -v rss="$rss_max" -v code="$first_code" '
        { t[NR] = $1 }
        END {
            median = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
            printf "%.3f %.3f %.3f %d %d\n", median, t[1], t[NR], rss, code
        }'
}

# ---- Models ------------------------------------------------------------------------------

# model_values PREFIX N: "{p1, p2, ..., pN}".
model_values() {
    local prefix=$1 n=$2
    seq 1 "$n" | sed "s/^/$prefix/" | paste -sd, - | sed 's/,/, /g; s/^/{/; s/$/}/'
}

# cfg FAMILY N: writes the model of FAMILY at size N into $WORK; prints "SPEC CFG".
cfg() {
    local family=$1 n=$2 out="$WORK/$1_$2.cfg"
    case $family in
        token_mutex)
            sed "s/N = 1000/N = $n/" examples/token_mutex/TokenMutex_1000.cfg >"$out"
            echo "examples/token_mutex/TokenMutex.tla $out" ;;
        leader_election)
            sed "s/^    Node = .*/    Node = $(model_values n "$n")/" \
                examples/leader_election/LeaderElection_100.cfg >"$out"
            echo "examples/leader_election/LeaderElection.tla $out" ;;
        fenced_lock)
            sed "s/^    Client = .*/    Client = $(model_values c "$n")/" \
                examples/fenced_lock/FencedLock.cfg >"$out"
            echo "examples/fenced_lock/FencedLock.tla $out" ;;
        idempotent_consumer)
            sed "s/^    Msg = .*/    Msg = $(model_values m "$n")/" \
                examples/idempotent_consumer/IdempotentConsumer_100.cfg >"$out"
            echo "examples/idempotent_consumer/IdempotentConsumer.tla $out" ;;
        ewd840)
            # The invariants only: `check` would also check the config's liveness properties.
            printf 'CONSTANT N = %s\nSPECIFICATION Spec\nCHECK_DEADLOCK FALSE\nINVARIANTS TypeOK TerminationDetection Inv\n' \
                "$n" >"$out"
            echo "$CORPUS/ewd840/EWD840.tla $out" ;;
        transaction_commit)
            printf 'CONSTANT RM = %s\nINVARIANTS TCTypeOK TCConsistent\nSPECIFICATION TCSpec\nCHECK_DEADLOCK FALSE\n' \
                "$(model_values r "$n")" >"$out"
            echo "$CORPUS/transaction_commit/TCommit.tla $out" ;;
        *) return 1 ;;
    esac
}

# ---- Parts -------------------------------------------------------------------------------

have_tlc() { command -v tlc >/dev/null 2>&1; }

scaling() {
    echo "== check: scaling with N (whole process, $RUNS runs, timeout ${TIMEOUT}s)"
    printf '%-20s %6s %5s %9s %17s %10s %5s %8s %9s\n' \
        family n depth median min-max peak_RSS exit ×N=3 tlc/ratio
    local family depth n spec model result median min max rss code base ratio tlc tlc_ratio
    for family in $FAMILIES; do
        if [[ $family == ewd840 || $family == transaction_commit ]] && [[ ! -d $CORPUS ]]; then
            echo "$family: no corpus at $CORPUS, skipped"
            continue
        fi
        for depth in $DEPTHS; do
            base=""
            for n in $SIZES; do
                read -r spec model <<<"$(cfg "$family" "$n")"
                result=$(measure "$BIN" check "$spec" --config "$model" --depth "$depth" --engine "$ENGINE")
                read -r median min max rss code <<<"$result"
                [[ $n == 3 ]] && base=$median
                ratio=$([[ -n $base ]] && echo "scale=2; $median / $base" | bc -l || echo "")
                tlc="" tlc_ratio=""
                if have_tlc; then
                    read -r tlc _ _ _ _ <<<"$(RUNS=1 measure tlc -config "$model" "$spec")"
                    tlc_ratio=$(echo "scale=2; $median / $tlc" | bc -l 2>/dev/null)
                fi
                printf '%-20s %6s %5s %8ss %8s-%-8s %7sKB %5s %8s %9s\n' "$family" "$n" \
                    "$depth" "$median" "$min" "$max" "$rss" "$code" "$ratio" "${tlc:+$tlc/$tlc_ratio}"
                echo "scaling,$family,$n,$depth,$RUNS,$median,$min,$max,$rss,$code,$ratio,$tlc,$tlc_ratio" >>"$CSV"
                [[ $code == 124 ]] && break
            done
        done
    done
}

bug_variants() {
    echo
    echo "== check --engine $ENGINE: time to the first counterexample of each bug variant"
    printf '%-58s %9s %17s %10s %5s\n' model median min-max peak_RSS exit
    local spec model result median min max rss code
    while read -r spec model; do
        result=$(measure "$BIN" check "$spec" --config "$model" --depth 20 --engine "$ENGINE")
        read -r median min max rss code <<<"$result"
        printf '%-58s %8ss %8s-%-8s %7sKB %5s\n' "${model#examples/}" "$median" "$min" "$max" "$rss" "$code"
        echo "bug,${model#examples/},,20,$RUNS,$median,$min,$max,$rss,$code,,," >>"$CSV"
    done <<'EOF'
examples/token_mutex/TokenMutex.tla examples/token_mutex/TokenMutex_pass_early.cfg
examples/token_mutex/TokenMutex.tla examples/token_mutex/TokenMutex_pass_early_1000.cfg
examples/leader_election/LeaderElection.tla examples/leader_election/LeaderElection_double_vote.cfg
examples/leader_election/LeaderElection.tla examples/leader_election/LeaderElection_double_vote_100.cfg
examples/leader_election/LeaderElection.tla examples/leader_election/LeaderElection_stale_votes.cfg
examples/fenced_lock/FencedLock.tla examples/fenced_lock/FencedLock_nofencing.cfg
examples/idempotent_consumer/IdempotentConsumer.tla examples/idempotent_consumer/IdempotentConsumer_two_writes.cfg
examples/idempotent_consumer/IdempotentConsumer.tla examples/idempotent_consumer/IdempotentConsumer_two_writes_race.cfg
examples/failover/Failover.tla examples/failover/Failover_nofencing.cfg
examples/failover/Failover.tla examples/failover/Failover_nofencing_split_brain.cfg
examples/saga/Saga.tla examples/saga/Saga_volatile_direction.cfg
examples/saga/Saga.tla examples/saga/Saga_compensate_failed_step.cfg
EOF
}

startup() {
    echo
    echo "== start-up on a small spec (examples/token_mutex)"
    local command result median min max rss code
    for command in parse typecheck; do
        result=$(measure "$BIN" "$command" examples/token_mutex/TokenMutex.tla \
            --config examples/token_mutex/TokenMutex.cfg)
        read -r median min max rss code <<<"$result"
        printf '%-10s %8ss %8s-%-8s %7sKB %5s\n' "$command" "$median" "$min" "$max" "$rss" "$code"
        echo "startup,$command,,,$RUNS,$median,$min,$max,$rss,$code,,," >>"$CSV"
    done
}

PARTS=${PARTS:-"scaling bug_variants startup"}
for part in $PARTS; do
    "$part"
done
echo
echo "CSV: $CSV"
