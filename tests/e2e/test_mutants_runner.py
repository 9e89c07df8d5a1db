"""Self-test of ci/mutants, the project's mutation-testing runner (issue 14), not of bitsht.

- the operators derive exactly the documented mutants from a snippet of C (comments,
  strings, preprocessor lines and Windows-only branches untouched);
- on the fixture in tests/harness/mutants/ (clamp.c, tested by check_clamp.c above and
  inside its range, never at the maximum) the runner kills the mutants the check sees,
  reports the ones it cannot see as survivors with file:line and the change, honours the
  allowlist, writes the JSON results and exits 1 while a survivor is left.
"""
import importlib.machinery
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from conftest import REPO

BUILDS = ("linux",)

RUNNER = REPO / "ci" / "mutants"
FIXTURE = REPO / "tests" / "harness" / "mutants"


def load_runner():
    loader = importlib.machinery.SourceFileLoader("bht_mutants", str(RUNNER))
    spec = importlib.util.spec_from_loader("bht_mutants", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


SNIPPET = """\
#include <stdio.h>
#define LIMIT 4 /* never mutated: a preprocessor line */
static bool small(int n)
{
    return n < 4; /* "n < 4" in a comment stays */
}
bht_hr step(struct ctx *c)
{
    if (c->n >= 2)
        log_it("a < b");
    c->ops.cancel(c->job);
    return S_OK;
}
"""


def test_operators_derive_exactly_the_documented_mutants():
    runner = load_runner()
    got = [(m["line"], m["op"], m["change"]) for m in runner.generate("s.c", SNIPPET)]
    assert got == [
        (5, "ret", "return n < 4 -> return !(n < 4)"),
        (5, "ror", "< -> <="),
        (5, "const", "const 4 -> 5"),
        (5, "const", "const 4 -> 3"),
        (9, "neg", "if (C) -> if (!(C))"),
        (9, "ror", ">= -> >"),
        (9, "const", "const 2 -> 3"),
        (9, "const", "const 2 -> 1"),
        (10, "call", "delete call log_it(...)"),
        (11, "call", "delete call cancel(...)"),
        (12, "hr", "S_OK -> E_FAIL"),
    ]
    by_change = {m["change"]: m for m in runner.generate("s.c", SNIPPET)}
    mutated = runner.apply(SNIPPET, by_change["if (C) -> if (!(C))"])
    assert "if (!(c->n >= 2))" in mutated
    mutated = runner.apply(SNIPPET, by_change["delete call cancel(...)"])
    assert "    (void)0;\n    return S_OK;" in mutated


WINDOWS_SNIPPET = """\
int f(int n)
{
#ifdef _WIN32
    n += 1; /* Windows only */
#else
    n -= 2;
#endif
#if defined(_WIN32)
    return n > 5;
#elif defined(__APPLE__)
    return n > 6;
#endif
#ifndef _WIN32
#ifdef __linux__
    return n > 7;
#endif
#else
    return n > 8;
#endif
    return 0;
}
"""


def test_windows_only_code_is_never_mutated():
    """The _WIN32 branches are not compiled natively: a mutant there could not be killed
    (issue 14: backend_select.c's COM branch came out as survivors)."""
    runner = load_runner()
    assert runner.windows_only_lines(WINDOWS_SNIPPET) == {4, 9, 18}
    lines = {m["line"] for m in runner.generate("w.c", WINDOWS_SNIPPET)}
    assert lines == {6, 11, 15, 20}


def test_runner_kills_what_the_check_sees_and_lists_what_it_cannot(tmp_path):
    if shutil.which("cc") is None:
        pytest.skip("no C compiler")
    results = tmp_path / "mutants.json"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "--root", str(FIXTURE), "--setup-cmd", "true",
         "--build-cmd", "cc -Wall -Werror -o check clamp.c check_clamp.c",
         "--test-cmd", "./check", "--allow", str(FIXTURE / "mutants.allow"),
         "--json", str(results), "-j", "2", str(FIXTURE / "clamp.c")],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr      # survivors are left
    data = json.loads(results.read_text())
    status = {(m["line"], m["change"]): m["status"] for m in data["mutants"]}
    assert status == {
        (7, "if (C) -> if (!(C))"): "killed",
        (7, "> -> >="): "equivalent",                 # allowlisted, with its reason
        (7, "const 100 -> 101"): "survived",          # the check never tries 100 or 101
        (7, "const 100 -> 99"): "survived",
        (8, "const 100 -> 101"): "killed",
        (8, "const 100 -> 99"): "killed",
        (9, "return v -> return 0"): "killed",
    }
    assert data["files"]["clamp.c"]["score"] == 66.7           # 4 killed of 6 scored
    assert "clamp.c:7: [const] const 100 -> 101\n      line: if (v > 100)" in proc.stdout
    assert "clamp.c:7: [ror]" not in proc.stdout.split("survivors")[1]
    # --rerun: the killed verdicts are taken over, only the others run again.
    again = tmp_path / "again.json"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "--root", str(FIXTURE), "--setup-cmd", "true",
         "--build-cmd", "cc -Wall -Werror -o check clamp.c check_clamp.c",
         "--test-cmd", "./check", "--allow", str(FIXTURE / "mutants.allow"),
         "--json", str(again), "--rerun", str(results), str(FIXTURE / "clamp.c")],
        capture_output=True, text=True, timeout=300)
    assert "4 verdicts (killed, timeout, stillborn) taken from" in proc.stdout
    rerun = json.loads(again.read_text())
    assert {(m["line"], m["change"]): m["status"] for m in rerun["mutants"]} == status
    assert sum(1 for m in rerun["mutants"] if m.get("reused")) == 4
    # The fixture itself is left as it was: mutants live only in the workers' copies.
    assert "if (v > 100)" in (FIXTURE / "clamp.c").read_text()
    assert not (FIXTURE / "check").exists()


def test_an_interrupted_sweep_leaves_its_verdicts_so_far(tmp_path):
    """Issue 14: the runner wrote its results only at the end, so a sweep killed after an
    hour kept nothing. Now the JSON holds the verdicts so far, marked partial, and --rerun
    takes them over."""
    if shutil.which("cc") is None:
        pytest.skip("no C compiler")
    results = tmp_path / "mutants.json"
    # The baseline and the first two mutants run the real check; from the third on, a test
    # run waits for a release file (created once the runner is stopped, as a user stops it).
    count, release = tmp_path / "runs", tmp_path / "release"
    test_cmd = (f"echo x >> {count}; if [ $(wc -l < {count}) -le 3 ]; then ./check; "
                f"else for i in $(seq 600); do [ -e {release} ] && exit 0; sleep 0.1; done; fi")
    proc = subprocess.Popen(
        [sys.executable, str(RUNNER), "--root", str(FIXTURE), "--setup-cmd", "true",
         "--build-cmd", "cc -Wall -Werror -o check clamp.c check_clamp.c",
         "--test-cmd", test_cmd, "--allow", str(FIXTURE / "mutants.allow"),
         "--json", str(results), "-j", "1", "--save-every", "1", "--timeout", "120",
         str(FIXTURE / "clamp.c")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(600):
            if results.exists() and len(json.loads(results.read_text())["mutants"]) == 2:
                break
            assert proc.poll() is None, "the runner ended before it was stopped"
            subprocess.run(["sleep", "0.1"])
        else:
            pytest.fail("no partial results after two mutants")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        release.touch()
    data = json.loads(results.read_text())
    assert data["partial"] is True and data["done"] == 2 and data["of"] == 7
    first_two = [(m["line"], m["change"], m["status"]) for m in data["mutants"]]
    # The first two mutants in source order, judged by the real check.
    assert first_two == [(7, "if (C) -> if (!(C))", "killed"), (7, "> -> >=", "survived")]
    again = tmp_path / "again.json"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "--root", str(FIXTURE), "--setup-cmd", "true",
         "--build-cmd", "cc -Wall -Werror -o check clamp.c check_clamp.c",
         "--test-cmd", "./check", "--allow", str(FIXTURE / "mutants.allow"),
         "--json", str(again), "--rerun", str(results), "--list", str(FIXTURE / "clamp.c")],
        capture_output=True, text=True, timeout=60)
    assert "1 verdicts (killed, timeout, stillborn) taken from" in proc.stdout
