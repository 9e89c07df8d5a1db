"""The conformance suite's HTTP server (tests/conformance/http_server.py), not bitsht.

A /slow body must keep a job in flight for seconds, and must end at once when a check ends
(the suite makes the --release file then, tests/conformance/fixture.c), or every check on
it waits the whole body out. Runs in the linux pytest session only (no Wine needed).
"""
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import REPO

BUILDS = ("linux",)
SERVER = REPO / "tests" / "conformance" / "http_server.py"


def pattern(n):
    return bytes(((i * 7 + 3) & 0xFF) for i in range(n))


@pytest.fixture
def server(tmp_path):
    release = tmp_path / "release"
    proc = subprocess.Popen([sys.executable, str(SERVER), "--release", str(release)],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    word, port = proc.stdout.readline().split()
    assert word == "PORT"
    yield f"http://127.0.0.1:{port}", release
    proc.terminate()
    proc.wait(timeout=10)


def test_a_slow_body_takes_its_time_without_the_release_file(server):
    base, _ = server
    started = time.monotonic()
    with urllib.request.urlopen(f"{base}/slow/2560", timeout=10) as r:
        body = r.read()
    # ten chunks of 256 bytes, 100 ms apart
    assert (body, time.monotonic() - started >= 0.85) == (pattern(2560), True)


def test_the_release_file_ends_a_slow_body_at_once(server):
    base, release = server
    with urllib.request.urlopen(f"{base}/slow/25600", timeout=10) as r:  # 10 s unreleased
        first = r.read(256)
        release.touch()
        started = time.monotonic()
        rest = r.read()
    assert first + rest == pattern(25600)
    assert time.monotonic() - started < 1.0
    # gone again: the next body is slow again
    release.unlink()
    started = time.monotonic()
    with urllib.request.urlopen(f"{base}/slow/1024", timeout=10) as r:
        assert r.read() == pattern(1024)
    assert time.monotonic() - started >= 0.25
