#!/usr/bin/env bash
# Times each obligation of `smtcheck prove` on the examples' inductive invariants, with the
# number of nodes N = 3, 10, 100, 1000 and N symbolic (left out of the config). Sets of N
# model values are written out in the config, as TLC needs them. Each model
# is proved RUNS times; the table shows each obligation's median time in milliseconds.
# Then the same for the TLA+ Examples specs whose inductive invariants have TLAPS proofs
# (the specs Apalache's published figures are for), when the corpus is there.
#
#   scripts/bench-prove.sh [RUNS]          (default 5)
#   CORPUS=dir   the TLA+ Examples checkout (default ../shared/corpus/tla-examples)
#
# The target is every obligation under 1 s, and a time that does not grow with N.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
bin=${SMTCHECK:-$here/target/release/smtcheck}
corpus=${CORPUS:-$here/../shared/corpus/tla-examples}
[ -n "${SMTCHECK:-}" ] || cargo build --release --quiet --manifest-path "$here/Cargo.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# [SPEC=name] [COLUMNS="n ..."] bench TITLE MODULE.tla "ARGS" PARAMETER "OTHER CONSTANTS":
# PARAMETER is a function that prints the config line(s) giving the parameter the value $1
# (column `symbolic`: nothing, it stays symbolic). SPEC names the config's SPECIFICATION
# (default Spec); COLUMNS the values of N (default 3 10 100 1000 symbolic).
bench() {
    local title=$1 module=$2 args=$3 parameter=$4 constants=$5
    local spec=${SPEC:-Spec} columns=${COLUMNS:-3 10 100 1000 symbolic}
    echo "== $title: smtcheck prove $(basename "$module") $args (median of $runs runs, ms)"
    for n in $columns; do
        local cfg="$work/$n.cfg"
        {
            echo "SPECIFICATION $spec"
            echo "CONSTANTS"
            [ "$n" = symbolic ] || "$parameter" "$n"
            echo "$constants"
        } >"$cfg"
        for run in $(seq "$runs"); do
            # shellcheck disable=SC2086
            timeout "${TIMEOUT:-300}" "$bin" prove "$module" --config "$cfg" $args --format json \
                >"$work/$n.$run.json" || true
        done
    done
    python3 - "$work" "$runs" $columns <<'EOF'
import json, statistics, sys
work, runs, columns = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
times, verdicts, order = {}, {}, []
for n in columns:
    for run in range(1, runs + 1):
        try:
            with open(f"{work}/{n}.{run}.json") as f:
                report = json.load(f)
        except ValueError:
            continue  # timed out or failed: its cells stay empty
        for o in report["obligations"]:
            name = o["obligation"]
            if name not in order:
                order.append(name)
            times.setdefault((name, n), []).append(o["seconds"] * 1000)
            verdicts.setdefault(name, set()).add(o["verdict"])
print(f"{'obligation':<34}" + "".join(f"{'N=' + c if c != 'symbolic' else c:>10}" for c in columns) + "  verdicts")
for name in order:
    cells = "".join(
        f"{statistics.median(times[(name, c)]):>10.1f}" if (name, c) in times else f"{'-':>10}"
        for c in columns
    )
    print(f"{name:<34}{cells}  {'/'.join(sorted(verdicts[name]))}")
EOF
    echo
}

ring_size() { echo "    N = $1"; }
clients() { echo "    Client = {$(seq -s ', ' -f 'c%g' 1 "$1")}"; }
terms() { echo "    MaxTerm = $1"; }
nodes() { echo "    Node = {$(seq -s ', ' -f 'n%g' 1 "$1")}"; }
sagas() { echo "    Saga = {$(seq -s ', ' -f 's%g' 1 "$1")}"; }

bench "token ring, N nodes" "$here/examples/token_mutex/TokenMutex.tla" \
    "--inv IndInv --prop Mutex" ring_size "    PassEarly = FALSE"
bench "fenced lock, N clients, MaxToken symbolic" "$here/examples/fenced_lock/FencedLock.tla" \
    "--inv IndInv --prop NoStaleWrite" clients "    NoOne = NoOne
    Fencing = TRUE"
bench "leader election, 3 nodes, N = MaxTerm" "$here/examples/leader_election/LeaderElection.tla" \
    "--inv IndInv --prop OneLeaderPerTerm" terms "    Node = {n1, n2, n3}
    Nil = Nil
    VoteOncePerTerm = TRUE
    CountStaleVotes = FALSE"
bench "leader election, N nodes, MaxTerm symbolic" "$here/examples/leader_election/LeaderElection.tla" \
    "--inv IndInv --prop OneLeaderPerTerm" nodes "    Nil = Nil
    VoteOncePerTerm = TRUE
    CountStaleVotes = FALSE"
bench "saga, N concurrent sagas of 3 steps" "$here/examples/saga/Saga.tla" \
    "--inv IndInv --prop CompletedAllOrNothing --prop NoCompensationWithoutStep" sagas \
    "    NumSteps = 3
    MaxCrash = 2
    PersistDirection = TRUE
    CompensateFailedStep = FALSE"
# The double-vote bug: GrantVote's obligation fails, and its counterexample to induction is
# found in a small instance and carried over to the N configured nodes. With the nodes left
# symbolic it is found in a small instance (Node = {n1, n2}) and shown there: a set the
# assumptions allow is one of the values "for every N" is claimed for.
bench "leader election, double-vote bug, N nodes (CTI)" "$here/examples/leader_election/LeaderElection.tla" \
    "--inv IndInv --prop OneLeaderPerTerm --timeout 10" nodes "    Nil = Nil
    MaxTerm = 2
    VoteOncePerTerm = FALSE
    CountStaleVotes = FALSE"

# The corpus. Obligations get 10 s each, so that one the solver cannot decide costs the
# table no more.
specs=$corpus/specifications
if [ ! -d "$specs" ]; then
    echo "(no TLA+ Examples corpus at $corpus: its rows are skipped)"
    exit 0
fi

managers() { echo "    RM = {$(seq -s ', ' -f 'r%g' 1 "$1")}"; }
ring() { echo "    N = $1"; }
# N processes, of which at most T = (N - 1) / 3 are Byzantine and F = T - 1 are (the
# corpus's N = 10, T = 3, F = 2).
byzantine() { echo "    N = $1"; echo "    T = $((($1 - 1) / 3))"; echo "    F = $((($1 - 1) / 3 - 1))"; }

SPEC=TCSpec bench "corpus TCommit, N resource managers" \
    "$specs/transaction_commit/TCommit_proof.tla" "--inv Inv --prop TCConsistent --timeout 10" \
    managers ""
SPEC=TPSpec bench "corpus TwoPhase, N resource managers" \
    "$specs/transaction_commit/TwoPhase_proof.tla" \
    "--inv Inv --prop TC!TCConsistent --timeout 10" managers ""
bench "corpus EWD840, ring of N nodes" "$specs/ewd840/EWD840.tla" \
    "--inv TypeOK --inv Inv --prop TerminationDetection --timeout 10" ring ""
SPEC=SpecNoBcast COLUMNS="10 symbolic" bench "corpus bcastByz, N processes (unforgeability)" \
    "$specs/bcastByz/bcastByz.tla" "--inv IndInv_Unforg_NoBcast --prop Unforg --timeout 10" \
    byzantine ""
SPEC=SpecNoBcast COLUMNS="10 symbolic" bench "corpus bcastByz, N processes (FCConstraints)" \
    "$specs/bcastByz/bcastByz.tla" "--inv TypeOK --inv FCConstraints --timeout 10" byzantine ""
