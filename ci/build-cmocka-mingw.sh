#!/usr/bin/env bash
# Build a static CMocka for MinGW-w64 from an unpacked Debian source tree.
#
#   ci/build-cmocka-mingw.sh ARCH CMOCKA_SOURCE_DIR      ARCH: x86_64 | i686
#   ci/build-cmocka-mingw.sh --is-current ARCH           exit 0 when the cache is up to date
#
# Installs into .cache/cmocka-mingw/ARCH/{include,lib}, where cmake/cmocka.cmake looks.
# Skips the work when that prefix is already complete (.complete stamp names the source).
set -euo pipefail

# The stamp names the source and this recipe's revision: a changed recipe rebuilds.
recipe=2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [ "${1:-}" = --is-current ]; then
    stamp="$repo/.cache/cmocka-mingw/${2:?usage: build-cmocka-mingw.sh --is-current ARCH}/.complete"
    [ -f "$stamp" ] && [ "$(sed 's/.* recipe //' "$stamp")" = "$recipe" ]
    exit
fi

arch=${1:?usage: build-cmocka-mingw.sh x86_64|i686 CMOCKA_SOURCE_DIR}
src=${2:?usage: build-cmocka-mingw.sh x86_64|i686 CMOCKA_SOURCE_DIR}
toolchain="$repo/toolchains/mingw-w64-$arch.cmake"
prefix="$repo/.cache/cmocka-mingw/$arch"
work="$repo/.cache/cmocka-build/$arch"
stamp="$prefix/.complete"

[ -f "$toolchain" ] || { echo "build-cmocka-mingw: no toolchain $toolchain" >&2; exit 2; }
[ -f "$src/CMakeLists.txt" ] || { echo "build-cmocka-mingw: $src is not a CMocka source tree" >&2; exit 2; }

want="$(basename "$src") recipe $recipe"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
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
    -DPICKY_DEVELOPER=OFF \
    -DCMAKE_C_FLAGS="-D__USE_MINGW_ANSI_STDIO=1" >"$work.configure.log" 2>&1 \
    || { cat "$work.configure.log" >&2; exit 1; }
cmake --build "$work" -j 2 >"$work.build.log" 2>&1 || { cat "$work.build.log" >&2; exit 1; }
cmake --install "$work" >"$work.install.log" 2>&1 || { cat "$work.install.log" >&2; exit 1; }

# cmocka.h marks its message functions format(printf), which MinGW's gcc checks as the
# Microsoft printf: "%zu" in a fail_msg() would then not compile with -Werror. CMocka is
# built above with MinGW's C99 printf (__USE_MINGW_ANSI_STDIO=1, as bht_cmocka sets for
# the tests), so the installed header says gnu_printf, which is what the code really runs.
sed -i 's/__attribute__ ((__format__ (__printf__, a, b)))/__attribute__ ((__format__ (__gnu_printf__, a, b)))/' \
    "$prefix/include/cmocka.h"
grep -q '__gnu_printf__' "$prefix/include/cmocka.h" ||
    { echo "build-cmocka-mingw: $arch: cmocka.h format attribute not found to adjust" >&2; exit 1; }

# cmocka.cmake accepts either library name; check that one of them really is there.
if ! ls "$prefix"/lib/libcmocka*.a >/dev/null 2>&1; then
    echo "build-cmocka-mingw: $arch: no static library installed under $prefix/lib" >&2
    exit 1
fi
echo "$want" >"$stamp"
echo "build-cmocka-mingw: $arch: installed in $prefix"
