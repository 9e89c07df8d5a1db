#!/usr/bin/env bash
# Fuzzes the fake world's parsers with libFuzzer (clang, ASan + UBSan) for a given time.
# Not part of the default test run.
#
#   ci/fuzz.sh world 300        the world-file parser, 300 seconds
#   ci/fuzz.sh state 300        the state-file parser
#   ci/fuzz.sh all 600          both, the time split between them
#
# Builds standalone into build/fuzz/ (no CMake: the fuzzer flags must not leak into the
# project's targets). New inputs go to build/fuzz/corpus-<target>/, the seeds in
# tests/fuzz/corpus/<target>/ are only read. Crash inputs land in build/fuzz/ and make
# the script fail. Environment: CLANG (default clang-14, then clang), FUZZ_JOBS (1).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$repo/build/fuzz"
target=${1:-}
seconds=${2:-}

usage() { echo "usage: $0 world|state|all SECONDS" >&2; exit 2; }
[[ "$target" =~ ^(world|state|all)$ ]] || usage
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || usage

clang=${CLANG:-}
if [ -z "$clang" ]; then
    clang=$(command -v clang-14 || command -v clang || true)
fi
[ -n "$clang" ] || { echo "fuzz: clang not found" >&2; exit 2; }

mkdir -p "$out"
sources=("$repo"/fakes/fake_*.c "$repo/src/core/hresult.c" "$repo/src/core/backend.c")
flags=(-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$repo/src/include" -I"$repo/fakes" -I"$repo/fakes/include")

build() { # name
    local bin="$out/fuzz_$1_file"
    "$clang" "${flags[@]}" -o "$bin" "$repo/tests/fuzz/fuzz_$1_file.c" "${sources[@]}"
    echo "$bin"
}

run() { # name seconds
    local bin corpus
    bin=$(build "$1")
    corpus="$out/corpus-$1"
    mkdir -p "$corpus"
    echo "fuzz: $1 for $2 s"
    # -max_len: world and state files are small; larger inputs only slow the search.
    (cd "$out" && "$bin" -max_total_time="$2" -max_len=4096 -print_final_stats=1 \
        -jobs="${FUZZ_JOBS:-1}" -workers="${FUZZ_JOBS:-1}" \
        "$corpus" "$repo/tests/fuzz/corpus/$1")
}

case "$target" in
    world|state) run "$target" "$seconds" ;;
    all) half=$(( (seconds + 1) / 2 )); run world "$half"; run state "$half" ;;
esac
