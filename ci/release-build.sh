#!/usr/bin/env bash
# ci/release-build.sh TARGET: a Release build of what bitsht installs (no tests, no
# benchmarks) and a fresh install tree of it. TARGET is linux or mingw64.
#
#   build/release-TARGET/         the build tree
#   build/release-TARGET/install/ the install tree (emptied first), printed on stdout
#
# Source and build paths are mapped away (-ffile-prefix-map), so the installed binaries,
# like the CMake package and the .pc files, name nothing of this machine's trees.
# Used by the consumer runner (tests/consumer/run.sh via ci/test.sh) and ci/package.sh.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${1:-}
case $target in
    linux) toolchain=() ;;
    mingw64) toolchain=(-DCMAKE_TOOLCHAIN_FILE="$repo/toolchains/mingw-w64-x86_64.cmake") ;;
    *) echo "usage: ci/release-build.sh linux|mingw64" >&2; exit 2 ;;
esac

build="$repo/build/release-$target"
prefix="$build/install"
cmake -S "$repo" -B "$build" -G Ninja "${toolchain[@]}" \
    -DCMAKE_BUILD_TYPE=Release -DBHT_WERROR=ON -DBHT_BUILD_TESTS=OFF -DBHT_BUILD_BENCH=OFF \
    -DCMAKE_C_FLAGS="-ffile-prefix-map=$repo/=bitsht/ -ffile-prefix-map=$build/=bitsht-build/" \
    -DCMAKE_INSTALL_PREFIX="$prefix" >&2
cmake --build "$build" >&2
rm -rf "$prefix"
cmake --install "$build" --strip >&2  # release files: no symbols
if grep -rlF -e "$repo" "$prefix" >&2; then
    echo "release-build: the install tree names the source or build tree (files above)" >&2
    exit 1
fi
printf '%s\n' "$prefix"
