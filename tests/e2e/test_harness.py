"""Self-tests of the build and test harness (issue 3), not of bitsht.

They prove what the harness promises, with the real pieces (toolchain files,
cmake/cmocka.cmake, ci/wine-run, ctest) on the fixtures in tests/harness/, which are built
here and are not part of the suite:
- a failing cmocka assertion, native or in an .exe under Wine, is reported as a failure
  (exit code, ctest's JUnit XML, cmocka's XML);
- ci/wine-run passes exit codes through, recreates a missing or broken prefix, and kills
  a program that exceeds its time limit;
- the loopback HTTP server of conftest.py serves files, byte ranges, scripted statuses,
  throttles, and cuts the bodies still being sent when it stops.
They run once, in the linux pytest session (they cover both builds themselves).
"""
import http.client
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from conftest import REPO, WINE_RUN, HttpServer

BUILDS = ("linux",)
# Under pytest-xdist these run in one worker: they share the fixture build trees.
pytestmark = pytest.mark.xdist_group("harness")

FIXTURES = REPO / "tests" / "harness"
TOOLCHAIN = REPO / "toolchains" / "mingw-w64-x86_64.cmake"
MINGW_CMOCKA = REPO / ".cache" / "cmocka-mingw" / "x86_64"


def require(program):
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed: run ci/bootstrap.sh")


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 600)
    return subprocess.run([str(c) for c in cmd], **kw)


def build_fixtures(kind):
    """Configure and build tests/harness/ for "linux" or "mingw64"; returns the build tree.

    Kept under build/harness-fixtures/ so a second run only re-checks it."""
    require("cmake")
    require("ninja")
    out = REPO / "build" / "harness-fixtures" / kind
    args = ["cmake", "-S", FIXTURES, "-B", out, "-G", "Ninja",
            f"-DBHT_CMOCKA_XML_DIR={out / 'cmocka-xml'}"]
    if kind == "mingw64":
        require("x86_64-w64-mingw32-gcc")
        require("wine")
        if not (MINGW_CMOCKA / "include" / "cmocka.h").is_file():
            pytest.skip("CMocka for MinGW is not built: run ci/bootstrap.sh")
        args += [f"-DCMAKE_TOOLCHAIN_FILE={TOOLCHAIN}", f"-DBHT_CMOCKA_ROOT={MINGW_CMOCKA}"]
    configured = run(args)
    assert configured.returncode == 0, configured.stdout + configured.stderr
    built = run(["cmake", "--build", out, "-j", "2"])
    assert built.returncode == 0, built.stdout + built.stderr
    return out


def stop_wineserver(prefix):
    """Stops the prefix's server and waits for it to be gone: a server still exiting when
    ci/wine-run next starts one makes that start fail as "already running", and Wine's
    processes were then started by the program, holding the test's pipe (seen once: the
    test waited out its 600 s limit)."""
    if prefix.is_dir():
        env = dict(os.environ, WINEPREFIX=str(prefix))
        run(["wineserver", "-k"], env=env, timeout=60)
        run(["wineserver", "-w"], env=env, timeout=60)


@pytest.fixture(scope="module")
def native_fixtures():
    return build_fixtures("linux")


@pytest.fixture(scope="module")
def exe_fixtures():
    out = build_fixtures("mingw64")
    yield out
    # ci/test.sh stops the servers of every prefix under build/ after counting their CPU
    if os.environ.get("BHT_WINE_SERVERS_STOPPED_BY") != "ci/test.sh":
        stop_wineserver(out / "wineprefix")


def ctest_reports_failure(build_tree, tmp_path):
    """Runs the fixture's cmocka test through ctest as ci/test.sh does; returns the XML."""
    xml_dir = build_tree / "cmocka-xml"
    shutil.rmtree(xml_dir, ignore_errors=True)
    xml_dir.mkdir()
    junit = tmp_path / "ctest.xml"
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="xml")
    result = run(["ctest", "--test-dir", build_tree, "-R", "^harness_failing_assertion$",
                  "--output-junit", junit], env=env)
    assert result.returncode != 0, "ctest passed a test with a failing assertion:\n" + result.stdout

    cases = {c.get("name"): c for c in ET.parse(junit).getroot().iter("testcase")}
    assert cases["harness_failing_assertion"].get("status") == "fail"

    reports = list(xml_dir.glob("harness_failing_assertion.*.xml"))
    assert len(reports) == 1, f"cmocka wrote {reports} in {xml_dir}"
    suite = ET.parse(reports[0]).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    failed = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert failed == ["failing_case"]


def test_failing_assertion_fails_the_native_run(native_fixtures, tmp_path):
    direct = run([native_fixtures / "bin" / "harness_failing_assertion"])
    assert direct.returncode == 1  # cmocka exits with the number of failed cases
    ctest_reports_failure(native_fixtures, tmp_path)


def test_failing_assertion_fails_the_exe_run_under_wine(exe_fixtures, tmp_path):
    direct = run([WINE_RUN, exe_fixtures / "bin" / "harness_failing_assertion.exe"])
    assert direct.returncode == 1, direct.stderr  # passed through wine-run unchanged
    assert "failing_case" in direct.stdout + direct.stderr
    ctest_reports_failure(exe_fixtures, tmp_path)


def test_ctest_runs_exe_through_wine_run(exe_fixtures):
    # The emulator comes from the toolchain file: CMake prefixes it to the test command.
    listed = run(["ctest", "--test-dir", exe_fixtures, "--show-only=json-v1"])
    assert listed.returncode == 0
    assert str(WINE_RUN.name) in listed.stdout


def test_wine_run_kills_a_program_over_its_time_limit(exe_fixtures, tmp_path):
    prog = exe_fixtures / "bin" / "harness_never_finishes.exe"
    out_path, err_path = tmp_path / "out", tmp_path / "err"
    started = time.monotonic()
    # stdin is a pipe this test holds open and never writes: the program would wait forever.
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen([str(WINE_RUN), str(prog)], stdin=subprocess.PIPE,
                                stdout=out, stderr=err,
                                env=dict(os.environ, BHT_WINE_TIMEOUT="2"))
        try:
            rc = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdin.close()
    elapsed = time.monotonic() - started
    assert rc == 124
    assert "exceeded its time limit of 2s" in err_path.read_text()
    assert "waiting for the end of standard input" in out_path.read_text()  # it really ran
    assert elapsed < 30


def test_wine_run_creates_a_missing_prefix_and_recreates_a_broken_one(exe_fixtures, tmp_path):
    prefix = tmp_path / "prefix"
    prog = exe_fixtures / "bin" / "harness_never_finishes.exe"  # EOF at once: exits 0
    env = dict(os.environ, BHT_WINEPREFIX=str(prefix))
    try:
        first = run([WINE_RUN, prog], env=env, stdin=subprocess.DEVNULL)
        assert first.returncode == 0, first.stderr
        assert "creating Wine prefix" in first.stderr
        assert (prefix / ".bitsht-ready").is_file()
        drivers = (prefix / "user.reg").read_text(errors="replace")
        assert '"Graphics"="null"' in drivers

        again = run([WINE_RUN, prog], env=env, stdin=subprocess.DEVNULL)
        assert again.returncode == 0
        assert "creating Wine prefix" not in again.stderr  # an intact prefix is kept

        stop_wineserver(prefix)
        (prefix / "system.reg").write_text("")  # broken: an empty registry hive
        fixed = run([WINE_RUN, prog], env=env, stdin=subprocess.DEVNULL)
        assert fixed.returncode == 0, fixed.stderr
        assert "creating Wine prefix" in fixed.stderr
        assert (prefix / "system.reg").stat().st_size > 0
    finally:
        stop_wineserver(prefix)


def test_http_server_serves_files_ranges_and_statuses(http_server):
    data = bytes(range(256)) * 40
    url = http_server.add_file("dir/blob.bin", data)

    with urllib.request.urlopen(url, timeout=10) as r:
        assert (r.status, r.read()) == (200, data)
    ranged = urllib.request.Request(url, headers={"Range": "bytes=100-199"})
    with urllib.request.urlopen(ranged, timeout=10) as r:
        assert r.status == 206
        assert r.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
        assert r.read() == data[100:200]
    head = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(head, timeout=10) as r:
        assert r.headers["Content-Length"] == str(len(data))

    for path, code in (("status/404", 404), ("status/503", 503), ("nothing-here", 404)):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(http_server.url(path), timeout=10)
        assert err.value.code == code
    assert [r[0] for r in http_server.requests] == ["GET", "GET", "HEAD", "GET", "GET", "GET"]


def test_http_server_stop_cuts_a_throttled_body_short(tmp_path):
    server = HttpServer(tmp_path).start()
    url = server.add_file("long.bin", b"y" * 200_000)
    server.throttle = 20_000  # 10 s of body
    try:
        r = urllib.request.urlopen(url, timeout=10)
        assert r.read(1000) == b"y" * 1000
        server.stop()
        started = time.monotonic()
        with pytest.raises(http.client.IncompleteRead) as short:
            r.read()
        assert time.monotonic() - started < 2
        assert 1000 <= len(short.value.partial) + 1000 < 200_000
    finally:
        server.stop()


def test_http_server_throttles_to_the_given_rate(http_server):
    url = http_server.add_file("slow.bin", b"x" * 30000)
    http_server.throttle = 60000  # bytes/s: 30000 bytes take about half a second
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=10) as r:
        assert len(r.read()) == 30000
    elapsed = time.monotonic() - started
    assert 0.45 <= elapsed < 5
