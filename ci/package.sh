#!/usr/bin/env bash
# ci/package.sh [OUTDIR]: the release files, from fresh Release install trees
# (ci/release-build.sh), into OUTDIR (default dist/, emptied first):
#
#   bitsht-VERSION-win64.zip         bin/bitsht.exe (+ bitsht_fakebits.dll when built),
#                                    include/bitsht/, lib/ (static libraries, CMake package,
#                                    pkg-config), share/ (man page, completion, docs),
#                                    and at the top README.md, LICENSE, bitsht.1.txt (the
#                                    man page as plain text)
#   bitsht-VERSION-linux-x86_64.tar.gz   the native install tree
#   SHA256SUMS                       sha256sum of both
#
# VERSION is the one in CMakeLists.txt. The workflow runs this on every push and publishes
# the files as a GitHub release on a v* tag (which must name the same version).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$repo/dist}
version=$(sed -nE 's/^project\(bitsht VERSION ([0-9.]+).*/\1/p' "$repo/CMakeLists.txt")
[ -n "$version" ] || { echo "package: no version in CMakeLists.txt" >&2; exit 1; }
if [ -n "${GITHUB_REF_NAME:-}" ] && [[ ${GITHUB_REF_TYPE:-} == tag ]] &&
    [ "$GITHUB_REF_NAME" != "v$version" ]; then
    echo "package: tag $GITHUB_REF_NAME does not match version $version (CMakeLists.txt)" >&2
    exit 1
fi
for tool in zip tar sha256sum man; do
    command -v "$tool" >/dev/null || { echo "package: $tool is missing (ci/bootstrap.sh)" >&2; exit 2; }
done

rm -rf "$out"
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Linux: the install tree as it is, under one top folder.
linux_prefix=$("$repo/ci/release-build.sh" linux)
linux_name="bitsht-$version-linux-x86_64"
cp -a "$linux_prefix" "$stage/$linux_name"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$out/$linux_name.tar.gz" "$linux_name"

# Windows: the cross-built install tree plus the top-level files a zip user looks for.
win_prefix=$("$repo/ci/release-build.sh" mingw64)
win_name="bitsht-$version-win64"
cp -a "$win_prefix" "$stage/$win_name"
cp "$repo/README.md" "$repo/LICENSE" "$stage/$win_name/"
MANWIDTH=80 LC_ALL=C.UTF-8 man -E ascii -l "$repo/docs/bitsht.1" 2>/dev/null |
    col -bx >"$stage/$win_name/bitsht.1.txt"
[ -s "$stage/$win_name/bitsht.1.txt" ] || { echo "package: man page rendered empty" >&2; exit 1; }
(cd "$stage" && zip -qr -X "$out/$win_name.zip" "$win_name")

(cd "$out" && sha256sum "$win_name.zip" "$linux_name.tar.gz" >SHA256SUMS)
echo "package: $out"
(cd "$out" && ls -l --time-style=+ | tail -n +2 | awk '{print "  " $5 "  " $NF}' && cat SHA256SUMS)
