#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs what the tests need when it can (as root, from
# Debian and npm), otherwise says exactly what is missing. Extra arguments go to Maven, e.g.
#   ./mapserver test -Pfast          unit tests only
#   ./mapserver test -Dtest=TileCoordTest -pl tiler
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

"$root/scripts/setup.sh"

# Node helpers used by the tests as independent clients (MVT decoding).
for dir in tools/*/; do
  if [[ -f "$dir/package-lock.json" && ( ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules" ) ]]; then
    echo "test: npm ci in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2 && touch node_modules)
  fi
done

mvn -B -ntp verify "$@"

# Every benchmark harness once, tiny, so that none of them rots (figures: docs/benchmarks.md).
if [[ $# -eq 0 ]]; then
  echo "test: benchmark harnesses, tiny (scripts/bench.sh --tiny)" >&2
  scripts/bench.sh --tiny --out target/bench-tiny
fi
