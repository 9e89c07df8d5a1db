#!/usr/bin/env bash
# Build a static CMocka for MinGW-w64 from an unpacked Debian source tree.
#
#   ci/build-cmocka-mingw.sh ARCH CMOCKA_SOURCE_DIR      ARCH: x86_64 | i686
#
# Installs into .cache/cmocka-mingw/ARCH/{include,lib}, where cmake/cmocka.cmake looks.
# Skips the work when that prefix is already complete (.complete stamp names the source).
set -euo pipefail

arch=${1:?usage: build-cmocka-mingw.sh x86_64|i686 CMOCKA_SOURCE_DIR}
src=${2:?usage: build-cmocka-mingw.sh x86_64|i686 CMOCKA_SOURCE_DIR}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
toolchain="$repo/toolchains/mingw-w64-$arch.cmake"
prefix="$repo/.cache/cmocka-mingw/$arch"
work="$repo/.cache/cmocka-build/$arch"
stamp="$prefix/.complete"

[ -f "$toolchain" ] || { echo "build-cmocka-mingw: no toolchain $toolchain" >&2; exit 2; }
[ -f "$src/CMakeLists.txt" ] || { echo "build-cmocka-mingw: $src is not a CMocka source tree" >&2; exit 2; }

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(basename "$src")" ]; then
    echo "build-cmocka-mingw: $arch: cached ($(cat "$stamp"))"
    exit 0
fi

echo "build-cmocka-mingw: $arch: building $(basename "$src")"
rm -rf "$work" "$prefix"
mkdir -p "$work"
# Static only: the test .exe files then need no DLL at run time, under Wine or on Windows.
# The toolchain's emulator is irrelevant here (CMocka's own tests and examples are off).
cmake -S "$src" -B "$work" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DBUILD_SHARED_LIBS=OFF \
    -DWITH_STATIC_LIB=ON \
    -DWITH_EXAMPLES=OFF \
    -DUNIT_TESTING=OFF \
    -DPICKY_DEVELOPER=OFF >"$work.configure.log" 2>&1 \
    || { cat "$work.configure.log" >&2; exit 1; }
cmake --build "$work" -j 2 >"$work.build.log" 2>&1 || { cat "$work.build.log" >&2; exit 1; }
cmake --install "$work" >"$work.install.log" 2>&1 || { cat "$work.install.log" >&2; exit 1; }

# cmocka.cmake accepts either library name; check that one of them really is there.
if ! ls "$prefix"/lib/libcmocka*.a >/dev/null 2>&1; then
    echo "build-cmocka-mingw: $arch: no static library installed under $prefix/lib" >&2
    exit 1
fi
basename "$src" >"$stamp"
echo "build-cmocka-mingw: $arch: installed in $prefix"
