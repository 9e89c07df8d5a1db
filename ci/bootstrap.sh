#!/usr/bin/env bash
# One-time (and idempotent) set-up of a Debian 12 machine for bitsht: the Debian packages the
# build and the tests need, then CMocka for MinGW built from Debian's own source package.
# Nothing is fetched from anywhere but the Debian archive configured in APT.
#
#   ci/bootstrap.sh            install what is missing, build what is not cached
#   BHT_BOOTSTRAP_I686=0       skip the 32-bit MinGW CMocka (default: build it, it is cheap)
#   BHT_BOOTSTRAP_WINE32=0     skip 32-bit Wine (default: add the i386 architecture and
#                              install wine32:i386 when the archive serves it; the mingw32
#                              runner then runs its tests, else it only compiles and links)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache="$repo/.cache"

log() { printf 'bootstrap: %s\n' "$*"; }

# Without a terminal (CI), sudo must not wait for a password nobody can type: -n fails fast.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif [ -t 0 ]; then
        sudo "$@"
    else
        sudo -n "$@"
    fi
}

# Package -> why. Checked one by one with dpkg-query so a warm run touches no network.
packages=(
    cmake ninja-build gcc make pkgconf      # native build
    libcmocka-dev                           # native unit tests
    mingw-w64                               # x86_64 and i686 cross compilers
    wine wine64                             # runs the .exe tests (wine32:i386 below)
    python3 python3-pytest                  # e2e tests (Debian's pytest; PyPI is not used)
    python3-pytest-xdist                    # e2e tests in parallel workers (ci/test.sh)
    dpkg-dev                                # apt-get source (CMocka for MinGW)
    util-linux coreutils                    # flock, timeout in ci/wine-run
    valgrind                                # memcheck runs of the native tests
    gcovr                                   # ci/coverage: line and branch coverage, floors
    groff-base man-db                       # man page lint (man --warnings), its text form
    zip                                     # ci/package.sh: the win64 release zip
)

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
done

# apt's share of the set-up (downloading and installing), printed at the end as
# "bootstrap: apt-get: N s" (ci/bench.sh reports a cold run's time without it).
apt_ms=0
timed_apt() {
    local t0=$EPOCHREALTIME rc=0
    "$@" || rc=$?
    apt_ms=$((apt_ms + (${EPOCHREALTIME/./} - ${t0/./}) / 1000))
    return $rc
}
trap 'log "apt-get: $((apt_ms / 1000)).$(printf %03d $((apt_ms % 1000))) s"' EXIT

apt_updated=0
apt_update() {
    if [ "$apt_updated" -eq 0 ]; then
        timed_apt as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=1
    fi
}

# 32-bit Wine for the mingw32 runner: Debian's wine32 comes from the i386 architecture.
wine32_status=$(dpkg-query -W -f='${db:Status-Status}' wine32:i386 2>/dev/null || true)
if [ "${BHT_BOOTSTRAP_WINE32:-1}" = 1 ] && [ "$wine32_status" != installed ]; then
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        log "adding the i386 architecture (for wine32:i386)"
        as_root dpkg --add-architecture i386
    fi
    apt_update
    if apt-cache policy wine32:i386 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        missing+=(wine32:i386)
    else
        log "the archive serves no wine32:i386: the mingw32 runner will only compile and link"
    fi
fi

if [ "${#missing[@]}" -gt 0 ]; then
    log "installing: ${missing[*]}"
    apt_update
    timed_apt as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    log "Debian packages: all present"
fi

# CMocka for MinGW: built from the same Debian source package as the native libcmocka-dev,
# so both builds test against one CMocka version.
archs=(x86_64)
[ "${BHT_BOOTSTRAP_I686:-1}" = 1 ] && archs+=(i686)

need_cmocka=0
for a in "${archs[@]}"; do
    "$repo/ci/build-cmocka-mingw.sh" --is-current "$a" || need_cmocka=1
done
if [ "$need_cmocka" -eq 0 ]; then
    log "CMocka for MinGW: cached in .cache/cmocka-mingw (${archs[*]})"
    exit 0
fi

srcroot="$cache/src"
find_cmocka_src() {
    [ -d "$srcroot" ] || return 0
    find "$srcroot" -maxdepth 1 -type d -name 'cmocka-*' | sort | tail -n 1
}
cmocka_src=$(find_cmocka_src)
if [ -z "$cmocka_src" ]; then
    # deb-src entries: added in a file of our own, mirroring the deb822 'deb' stanzas of
    # debian.sources (same URIs, suites, components, key), only when no deb-src exists.
    if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        src_file=/etc/apt/sources.list.d/bitsht-deb-src.sources
        main=/etc/apt/sources.list.d/debian.sources
        if [ ! -f "$main" ]; then
            log "no deb-src entry and no $main to mirror: add a deb-src line for Debian by hand"
            exit 1
        fi
        log "adding deb-src entries in $src_file"
        sed -E 's/^Types:.*/Types: deb-src/' "$main" | as_root tee "$src_file" >/dev/null
        apt_updated=0
    fi
    apt_update
    mkdir -p "$srcroot"
    log "fetching Debian's cmocka source package"
    cd "$srcroot"
    timed_apt apt-get source -qq cmocka >/dev/null
    cd "$repo"
    cmocka_src=$(find_cmocka_src)
    [ -n "$cmocka_src" ] || { log "apt-get source cmocka unpacked nothing in $srcroot"; exit 1; }
fi

# Both word sizes at once: each is mostly CMake's configure checks, one core each (its own
# build folder and install tree; measured cold: 17 s one after the other).
pids=()
for a in "${archs[@]}"; do
    "$repo/ci/build-cmocka-mingw.sh" "$a" "$cmocka_src" &
    pids+=($!)
done
failed=0
for p in "${pids[@]}"; do
    wait "$p" || failed=1
done
exit $failed
