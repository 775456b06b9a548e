#!/usr/bin/env bash
# Runs each cargo-fuzz target (fuzz/fuzz_targets/) on one core until it has executed RUNS
# inputs or SECONDS have passed, seeded with examples/ and the TLA+ corpus (copied into the
# git-ignored fuzz/corpus/ at run time), and prints each target's executions, wall time and
# findings. Crashes are left in fuzz/artifacts/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]   default: 1800 s, every target
#   RUNS=N (default 1000000)   NO_BUILD=1 (reuse the last build)   CORPUS=DIR (seed specs)
#
# Needs `cargo install cargo-fuzz`; RUSTC_BOOTSTRAP=1 lets it use the stable toolchain.
#
# Throughput, measured on the parse target (executions per second, loaded 2-core machine):
# ~150 with cargo-fuzz's defaults, ~630 with -max_len=4096, ~2300 with that and no sanitizer.
# * No sanitizer (-s none): AddressSanitizer finds memory errors in unsafe code, and the front
#   end has none (smtcheck's few unsafe lines are in the CLI and the solver settings); what we
#   look for is panics, which libFuzzer catches without it. Its allocator cost ~4x.
# * -max_len=4096: without it libFuzzer takes the longest seed (a 250 KB module) as the limit
#   and mutates inputs that large; every construct of the grammar fits in 4 KB.
# * The frontend target writes its files to /dev/shm (~180 -> ~1400 per second): on ext4
#   each rewrite of a file was written back to disk.
# * The dictionaries (fuzz/dict/) give mutations whole keywords and operators, which random
#   bytes reach only slowly.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-1800}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse config frontend)
runs=${RUNS:-1000000}
corpus_src=${CORPUS:-$here/../shared/corpus/tla-examples}
export RUSTC_BOOTSTRAP=1
cd "$here/fuzz" || exit 1

# The seed corpus: module texts for the parser and the front end, model files for the config
# reader. Named by content hash, so reruns add nothing twice.
seed() {
    local dir=$1 pattern=$2
    mkdir -p "$dir"
    find "$here/examples" "$corpus_src" -name "$pattern" -type f 2>/dev/null |
        while read -r file; do cp "$file" "$dir/$(sha1sum "$file" | cut -c1-16)"; done
}
seed corpus/parse '*.tla'
seed corpus/frontend '*.tla'
seed corpus/config '*.cfg'

# Build once, then run the binaries: `cargo fuzz run` would rebuild whenever the tree changes.
[ -n "${NO_BUILD:-}" ] || cargo fuzz build -O -s none || exit 1
bin_dir=$here/fuzz/target/x86_64-unknown-linux-gnu/release
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The front end reads a module and then, after a NUL byte, a model file: both vocabularies.
cat dict/tla.dict dict/cfg.dict >"$scratch/frontend.dict"
echo '"\x00"' >>"$scratch/frontend.dict"
status=0
for target in "${targets[@]}"; do
    case $target in
    parse) dict=dict/tla.dict ;;
    config) dict=dict/cfg.dict ;;
    *) dict=$scratch/frontend.dict ;;
    esac
    log=$scratch/$target.log
    mkdir -p "artifacts/$target"
    start=$(date +%s)
    "$bin_dir/$target" "corpus/$target" -dict="$dict" -artifact_prefix="artifacts/$target/" \
        -runs="$runs" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 >/dev/null 2>"$log" &
    pid=$!
    wait $pid
    code=$?
    # The frontend target's files, named by its process id (fuzz_targets/frontend.rs).
    rm -rf "/dev/shm/smtcheck-fuzz-$pid" "${TMPDIR:-/tmp}/smtcheck-fuzz-$pid"
    wall=$(($(date +%s) - start))
    executed=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    findings=$(find "artifacts/$target" -type f | wc -l)
    echo "$target: ${executed:-?} executions in ${wall} s, exit $code, artifacts: $findings"
    [ "$code" -eq 0 ] && [ "$findings" -eq 0 ] || { status=1; tail -40 "$log"; }
done
exit $status
