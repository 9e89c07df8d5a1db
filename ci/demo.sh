#!/usr/bin/env bash
# ci/demo.sh: the README's main-job command. Builds the linux preset and shows the CLI.
# (The lead grows this into a demo on a fake world; for now it runs what exists.)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}

cmake --preset linux >/dev/null
cmake --build --preset linux >/dev/null
cli=build/linux/bin/bitsht
if [ ! -x "$cli" ]; then
    echo "demo: $cli was not built (src/cli has no bitsht target yet)" >&2
    exit 1
fi
echo "\$ $cli --help"
"$cli" --help
