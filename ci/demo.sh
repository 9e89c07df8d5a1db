#!/usr/bin/env bash
# The README's main job: a real helper-token transfer flow, run natively on the fake BITS
# with an embedded demo world, showing every stage.
#
# CORP\bob owns the job; CORP\alice is the helper: only she may read the finance share and
# the authenticated intranet server, and only she may write the restricted folder. The demo
# shows the owner failing alone, then bitsht handing BITS alice's token with the flags that
# cover each part (docs/contract.md C101), then that no job is left in the queue.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# A fresh machine needs only a compiler, CMake and Ninja for this (ci/bootstrap.sh installs
# the rest of what the tests need).
need=()
for p in cmake ninja-build gcc; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" = installed ] || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
    echo "demo: installing ${need[*]}"
    sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_=sudo
    $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

build="$repo/build/demo"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBHT_BUILD_TESTS=OFF -DBHT_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target bitsht >/dev/null
bitsht="$build/bin/bitsht"

demo=$(mktemp -d /tmp/bitsht-demo.XXXXXX)
trap 'rm -rf "$demo"' EXIT
mkdir "$demo/restricted" "$demo/out"
head -c 65536 /dev/urandom >"$demo/q3-ledger.xlsx"      # the share's content
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')  # never printed
cat >"$demo/demo.world" <<WORLD
# bitsht demo world (fakes/README.md): bob owns the jobs, alice is the helper.
user CORP\\alice password=$password
user CORP\\bob password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
option owner=CORP\\bob
resource \\\\fs01\\finance\\q3-ledger.xlsx content=$demo/q3-ledger.xlsx readable-by=CORP\\alice
resource https://intranet.corp.example/q3.pdf size=1048576 rate=262144 readable-by=CORP\\alice auth=network
folder $demo/restricted writable-by=CORP\\alice
WORLD
export BITSHT_BACKEND=fake BITSHT_FAKE_WORLD="$demo/demo.world" BITSHT_FAKE_STATE="$demo/queue.state"

step() { printf '\n=== %s\n$ %s\n' "$1" "$2"; }
expect() { # expect CODE COMMAND...: run, show, and insist on the exit code
    local want=$1; shift
    set +e; "$@"; local got=$?; set -e
    echo "(exit $got)"
    [ "$got" -eq "$want" ] || { echo "demo: expected exit $want, got $got" >&2; exit 1; }
}

step "1. The owner alone cannot read the finance share" \
     "bitsht transfer --no-helper-token '\\\\fs01\\finance\\q3-ledger.xlsx' out/ledger.xlsx"
expect 1 "$bitsht" transfer --no-helper-token '\\fs01\finance\q3-ledger.xlsx' "$demo/out/ledger.xlsx"

step "2. With alice's helper token and --token-flags network, BITS reads the share as her" \
     "bitsht transfer --user CORP\\alice --password-stdin --token-flags network ..."
printf '%s\n' "$password" | expect 0 "$bitsht" transfer --user 'CORP\alice' --password-stdin \
    --token-flags network '\\fs01\finance\q3-ledger.xlsx' "$demo/out/ledger.xlsx"
cmp "$demo/q3-ledger.xlsx" "$demo/out/ledger.xlsx"
echo "ledger.xlsx: $(sha256sum <"$demo/out/ledger.xlsx" | cut -c1-16)... identical to the share's copy"

step "3. HTTP authentication and a folder only alice may write: --token-flags local,network" \
     "bitsht transfer --user CORP\\alice --password-stdin --token-flags local,network --json ..."
printf '%s\n' "$password" | expect 0 "$bitsht" transfer --user 'CORP\alice' --password-stdin \
    --token-flags local,network --json https://intranet.corp.example/q3.pdf "$demo/restricted/q3.pdf"

step "4. A wrong password stops before any transfer (exit 3), the job is cancelled" \
     "bitsht transfer --user CORP\\alice --password-stdin ..."
echo "not-the-password" | expect 3 "$bitsht" transfer --user 'CORP\alice' --password-stdin \
    --token-flags network '\\fs01\finance\q3-ledger.xlsx' "$demo/out/ledger-2.xlsx"

step "5. Nothing of ours is left in the BITS queue" "bitsht list"
expect 0 "$bitsht" list
if grep -rqF "$password" "$demo/queue.state"; then echo "demo: password in the state file" >&2; exit 1; fi
echo
echo "demo: done (the helper's password was generated for this run and never printed)"
