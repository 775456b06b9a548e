#!/usr/bin/env bash
# Parses every .tla module of the TLA+ Examples corpus (../shared/corpus) on its own, and every
# .cfg that MANIFEST.tsv names, and prints `parsed N of M modules` and the failures.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$here/../shared/corpus/tla-examples}
bin=${SMTCHECK:-$here/target/release/smtcheck}
[ -d "$corpus" ] || { echo "no corpus at $corpus"; exit 0; }
[ -n "${SMTCHECK:-}" ] || cargo build --release --quiet --manifest-path "$here/Cargo.toml" || exit 1

parsed=0 total=0 failures=()
while IFS= read -r module; do
    total=$((total + 1))
    # `parse` also loads the modules a spec names; a missing community module is not this
    # module's parse failure, so only exit code 150 with an error in this file counts.
    if out=$("$bin" parse "$module" 2>&1) || ! grep -q "$(basename "$module"):" <<<"$out"; then
        parsed=$((parsed + 1))
    else
        failures+=("${module#"$corpus"/}: $(grep -m1 '^error' <<<"$out")")
    fi
done < <(find "$corpus" -name '*.tla' | sort)
echo "parsed $parsed of $total modules"
for failure in "${failures[@]}"; do echo "  FAILED $failure"; done

configs=0 config_total=0
while IFS= read -r cfg; do
    config_total=$((config_total + 1))
    module=$(dirname "$corpus/$cfg")/$(basename "$cfg" .cfg).tla
    [ -f "$module" ] || module=$(find "$(dirname "$corpus/$cfg")" -maxdepth 1 -name '*.tla' | head -1)
    if "$bin" parse "$module" --config "$corpus/$cfg" >/dev/null 2>&1; then
        configs=$((configs + 1))
    else
        echo "  FAILED $cfg: $("$bin" parse "$module" --config "$corpus/$cfg" 2>&1 | grep -m1 '^error')"
    fi
done < <(tail -n +2 "$corpus/MANIFEST.tsv" | cut -f2 | sort -u)
echo "parsed $configs of $config_total configs (with their modules)"
