#!/usr/bin/env bash
# Times each obligation of `smtcheck prove` on the examples' inductive invariants, with the
# number of nodes N = 3, 10, 100, 1000 and N symbolic (left out of the config). Sets of N
# model values are written out in the config, as TLC needs them. Each model
# is proved RUNS times; the table shows each obligation's median time in milliseconds.
#
#   scripts/bench-prove.sh [RUNS]          (default 5)
#
# The target is every obligation under 1 s, and a time that does not grow with N.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
bin=${SMTCHECK:-$here/target/release/smtcheck}
[ -n "${SMTCHECK:-}" ] || cargo build --release --quiet --manifest-path "$here/Cargo.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# bench TITLE MODULE.tla "ARGS" PARAMETER "OTHER CONSTANTS": PARAMETER is a function that
# prints the config line giving the parameter the value $1 (nothing: it stays symbolic).
bench() {
    local title=$1 module=$2 args=$3 parameter=$4 constants=$5
    echo "== $title: smtcheck prove $(basename "$module") $args (median of $runs runs, ms)"
    for n in 3 10 100 1000 symbolic; do
        local cfg="$work/$n.cfg"
        {
            echo "SPECIFICATION Spec"
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
    python3 - "$work" "$runs" <<'EOF'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
columns = ["3", "10", "100", "1000", "symbolic"]
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
print(f"{'obligation':<28}" + "".join(f"{'N=' + c if c != 'symbolic' else c:>10}" for c in columns) + "  verdicts")
for name in order:
    cells = "".join(
        f"{statistics.median(times[(name, c)]):>10.1f}" if (name, c) in times else f"{'-':>10}"
        for c in columns
    )
    print(f"{name:<28}{cells}  {'/'.join(sorted(verdicts[name]))}")
EOF
    echo
}

ring_size() { echo "    N = $1"; }
clients() { echo "    Client = {$(seq -s ', ' -f 'c%g' 1 "$1")}"; }
terms() { echo "    MaxTerm = $1"; }
nodes() { echo "    Node = {$(seq -s ', ' -f 'n%g' 1 "$1")}"; }

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
# The double-vote bug: GrantVote's obligation fails, and its counterexample to induction is
# found in a small instance and carried over to the N configured nodes.
bench "leader election, double-vote bug, N nodes (CTI)" "$here/examples/leader_election/LeaderElection.tla" \
    "--inv IndInv --prop OneLeaderPerTerm" nodes "    Nil = Nil
    MaxTerm = 2
    VoteOncePerTerm = FALSE
    CountStaleVotes = FALSE"
