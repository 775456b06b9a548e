#!/usr/bin/env bash
# Differential testing at scale: bounded model checking against the explicit-state explorer
# on many random specs (tests/support/random_spec.rs), on examples/, and on the corpus models
# of at most 5,000 states. Prints, for each, the counts: compared, agree, disagree, skipped
# (with why each was skipped), and every disagreement.
#
#   scripts/differential.sh [SEEDS]        SEEDS defaults to $DIFF_SEEDS, else 0..2000
#
# SKIP_CORPUS=1 leaves out the corpus (the longest part).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seeds=${1:-${DIFF_SEEDS:-0..2000}}
# Prints the tallies; when cargo fails (a disagreement, or a build error) its last lines too,
# so that a part that never ran cannot pass for a quiet one.
run() {
    local output code
    output=$(cargo test --release --quiet --manifest-path "$here/Cargo.toml" \
        --test differential "$@" -- --nocapture --test-threads=1 2>&1)
    code=$?
    grep -E '^(random specs|examples|corpus models|skipped|seed|test result)|"' <<<"$output"
    [ "$code" -eq 0 ] || { echo "$1 failed (exit $code):"; tail -30 <<<"$output"; return 1; }
}
status=0
DIFF_SEEDS=$seeds run random_specs_agree || status=1
run examples_agree --include-ignored || status=1
if [ -z "${SKIP_CORPUS:-}" ]; then
    run small_corpus_models_agree --include-ignored || status=1
fi
exit $status
