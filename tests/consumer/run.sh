#!/usr/bin/env bash
# tests/consumer/run.sh TARGET PREFIX: builds this outside project against the bitsht
# installed in PREFIX, twice (find_package(bitsht CONFIG), then pkg-config bitsht-fake),
# and runs each build; also runs the installed bitsht --version. TARGET is linux (native)
# or mingw64 (cross; the programs run under Wine through ci/wine-run). Nothing from the
# source tree is on any include or library path: only PREFIX.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=${1:-}
prefix=${2:-}
[ -d "$prefix/lib/cmake/bitsht" ] || { echo "usage: run.sh linux|mingw64 PREFIX (an install tree)" >&2; exit 2; }
prefix=$(cd "$prefix" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
exe=""
run=()
toolchain=()
cc=cc
case $target in
    linux) ;;
    mingw64)
        exe=.exe
        cc=x86_64-w64-mingw32-gcc
        toolchain=(-DCMAKE_TOOLCHAIN_FILE="$repo/toolchains/mingw-w64-x86_64.cmake")
        # The prefix of the mingw64 build (ci/test.sh stops its wineserver at the end).
        export BHT_WINEPREFIX=${BHT_WINEPREFIX:-$repo/build/mingw64/wineprefix}
        run=("$repo/ci/wine-run") ;;
    *) echo "run.sh: unknown target '$target'" >&2; exit 2 ;;
esac

# consumer DIR: its folder argument in the host's form (Wine maps / to Z:).
host_path() {
    if [ "$target" = mingw64 ]; then printf 'Z:%s\n' "${1//\//\\}"; else printf '%s\n' "$1"; fi
}

run_consumer() { # NAME PROGRAM
    local dir="$work/$1"
    mkdir -p "$dir/restricted"
    echo "--- $1: $2 $(host_path "$dir")"
    "${run[@]}" "$2" "$(host_path "$dir")"
}

echo "--- installed program: bin/bitsht$exe --version"
"${run[@]}" "$prefix/bin/bitsht$exe" --version

echo "--- find_package(bitsht CONFIG) with CMAKE_PREFIX_PATH=$prefix"
cmake -S "$here" -B "$work/build-cmake" -G Ninja "${toolchain[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_ROOT_PATH="$prefix" >"$work/cmake.log" 2>&1 ||
    { cat "$work/cmake.log"; exit 1; }
cmake --build "$work/build-cmake" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; exit 1; }
grep -h "bitsht_DIR:PATH" "$work/build-cmake/CMakeCache.txt"
run_consumer cmake "$work/build-cmake/consumer$exe"

echo "--- pkg-config bitsht-fake (PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig only)"
flags=$(PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" PKG_CONFIG_PATH= pkg-config --cflags --libs bitsht-fake)
echo "pkg-config: $flags"
static=()
[ "$target" = mingw64 ] && static=(-static)
"$cc" -std=c11 -Wall -Wextra -Werror -O2 -o "$work/consumer-pc$exe" "$here/consumer.c" $flags "${static[@]}"
run_consumer pkg-config "$work/consumer-pc$exe"
echo "consumer ($target): both builds passed"
