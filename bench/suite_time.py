#!/usr/bin/python3
"""suite_s of issue 8: wall time of the native unit + fake conformance run.

Two figures, medians over --reps runs after one warm-up run:
- suite_native_s: `ctest -L '^(unit|conformance)$'` in the given build tree, as people and
  ci/test.sh run it (runners, wrappers and CTest itself included);
- suite_native_binaries_s: the same test programs started directly, one after the other,
  with their CTest environment and working directory (a command of the form
  `python3 RUNNER ... -- PROGRAM` runs PROGRAM only), which is the cost of the tests
  themselves. The gap between the two is the harness's overhead.
Prints "name value unit" lines; exits 1 when a test fails (then no time is meaningful).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

LABELS = "^(unit|conformance)$"


def say(msg):
    print("suite_time: " + msg, file=sys.stderr, flush=True)


def tests_of(build):
    out = subprocess.run(["ctest", "--show-only=json-v1", "-L", LABELS], cwd=build,
                         capture_output=True, text=True, check=True).stdout
    tests = []
    for t in json.loads(out).get("tests", []):
        cmd = t.get("command") or []
        if "--" in cmd and os.path.basename(cmd[0]).startswith("python"):
            cmd = cmd[cmd.index("--") + 1:]
        props = {p.get("name"): p.get("value") for p in t.get("properties", [])}
        env = dict(os.environ)
        for item in props.get("ENVIRONMENT") or []:
            key, _, value = item.partition("=")
            env[key] = value
        tests.append((t["name"], cmd, props.get("WORKING_DIRECTORY") or build, env))
    return tests


def timed(fn):
    t0 = time.monotonic()
    ok = fn()
    return ok, time.monotonic() - t0


def run_ctest(build, jobs):
    r = subprocess.run(["ctest", "-j%d" % jobs, "-L", LABELS], cwd=build,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def run_direct(tests):
    for name, cmd, cwd, env in tests:
        r = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            say("%s failed when run directly (exit %d): %s" % (name, r.returncode, cmd))
            return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()

    tests = tests_of(a.build)
    if not tests:
        say("no test labelled unit or conformance in " + a.build)
        return 1
    runs = {"suite_native_s": lambda: run_ctest(a.build, 1),
            "suite_native_j2_s": lambda: run_ctest(a.build, 2),
            "suite_native_binaries_s": lambda: run_direct(tests)}
    for name, fn in runs.items():
        if not fn():  # warm-up, and the check that everything passes
            say("%s: the run failed; no time taken" % name)
            return 1
        times = []
        for _ in range(a.reps):
            ok, t = timed(fn)
            if not ok:
                say("%s: a timed run failed" % name)
                return 1
            times.append(t)
        print("%s %.3f s" % (name, statistics.median(times)), flush=True)
    print("suite_native_tests %d tests" % len(tests), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
