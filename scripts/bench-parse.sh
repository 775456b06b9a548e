#!/usr/bin/env bash
# Times `smtcheck parse` (whole process) on the largest corpus modules and `typecheck` on an
# example: median and range of 20 runs each, with hyperfine (apt-get install hyperfine).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$here/../shared/corpus/tla-examples}
bin=${SMTCHECK:-$here/target/release/smtcheck}
[ -n "${SMTCHECK:-}" ] || cargo build --release --quiet --manifest-path "$here/Cargo.toml"
command -v hyperfine >/dev/null || { echo "hyperfine is not installed"; exit 1; }
commands=()
if [ -d "$corpus" ]; then
    while IFS= read -r module; do
        commands+=("$bin parse $module")
    done < <(find "$corpus" -name '*.tla' -printf '%s %p\n' | sort -rn | head -3 | cut -d' ' -f2)
fi
commands+=("$bin typecheck $here/examples/fenced_lock/FencedLock.tla")
hyperfine -N --warmup 3 --runs 20 --export-json /tmp/bench-parse.json "${commands[@]}" >/dev/null
python3 - <<'PY'
import json
for r in json.load(open("/tmp/bench-parse.json"))["results"]:
    name = r["command"].split("/smtcheck ", 1)[1]
    print(f"{r['median']*1000:7.1f} ms median  ({r['min']*1000:.1f}-{r['max']*1000:.1f})  {name}")
PY
