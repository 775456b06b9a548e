#!/usr/bin/env bash
# Runs each cargo-fuzz target (fuzz/fuzz_targets/) for a bounded time on one core, seeded
# with examples/ and the TLA+ corpus (copied into the git-ignored fuzz/corpus/ at run time),
# and prints each target's executions and findings. Crashes are left in fuzz/artifacts/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]     default: 300 s, every target
#
# Needs `cargo install cargo-fuzz`; RUSTC_BOOTSTRAP=1 lets it use the stable toolchain.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse config frontend)
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
[ -n "${NO_BUILD:-}" ] || cargo fuzz build -O || exit 1
bin_dir=$here/fuzz/target/x86_64-unknown-linux-gnu/release
status=0
for target in "${targets[@]}"; do
    logs=$(mktemp -d)
    mkdir -p "artifacts/$target"
    # With -jobs, libFuzzer writes its output to fuzz-0.log in the working directory.
    (cd "$logs" && "$bin_dir/$target" "$here/fuzz/corpus/$target" \
        -artifact_prefix="$here/fuzz/artifacts/$target/" \
        -jobs=1 -workers=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >/dev/null 2>&1)
    code=$?
    log=$logs/fuzz-0.log
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    findings=$(find "artifacts/$target" -type f | wc -l)
    echo "$target: ${runs:-?} executions in ${seconds} s, exit $code, artifacts: $findings"
    [ "$code" -eq 0 ] && [ "$findings" -eq 0 ] || { status=1; tail -40 "$log"; }
    rm -rf "$logs"
done
exit $status
