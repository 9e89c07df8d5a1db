"""pytest fixtures for bitsht's end-to-end tests.

Run with Debian's pytest (PyPI is not used):

    /usr/bin/python3 -m pytest tests/e2e --build linux      # build/linux/bin/bitsht
    /usr/bin/python3 -m pytest tests/e2e --build mingw64    # build/mingw64/bin/bitsht.exe
                                                             # under ci/wine-run
    /usr/bin/python3 -m pytest tests/e2e --build windows    # on a Windows runner

Fixtures:
  build         the build under test: "linux", "mingw64" or "windows"
  build_dir     <repo>/build/<build> (or --build-dir)
  bitsht        the command that runs the built CLI, as a list (skips when not built)
  wine_prefix   the Wine prefix this process uses (one per pytest-xdist worker), or None
  run_bitsht    run(*args, stdin=None, env=None, timeout=120) -> CompletedProcess
  host_path     turns a local Path into the path the CLI must be given (Z:\\... under Wine)
  work_dir      a fresh, empty directory for one test
  http_server   a loopback HTTP file server (127.0.0.1, ephemeral port); see HttpServer

A test module can restrict itself to some builds with a module-level
``BUILDS = ("linux",)`` or the ``@pytest.mark.builds("linux")`` marker.
"""
import http.server
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WINE_RUN = REPO / "ci" / "wine-run"
BUILDS = ("linux", "mingw64", "windows")


def pytest_addoption(parser):
    group = parser.getgroup("bitsht")
    group.addoption("--build", choices=BUILDS,
                    default=os.environ.get("BHT_E2E_BUILD") or
                    ("windows" if sys.platform == "win32" else "linux"),
                    help="which build's CLI to test (default: linux, or $BHT_E2E_BUILD)")
    group.addoption("--build-dir", default=None,
                    help="the build tree to take the CLI from (default: build/<build>)")


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "builds(*names): run the test only for these builds")
    # pytest-xdist's own marker, declared for runs without xdist (--dist loadgroup)
    config.addinivalue_line("markers",
                            "xdist_group(name): under pytest-xdist, one worker runs the group")


def _wanted_builds(item):
    marker = item.get_closest_marker("builds")
    if marker is not None:
        return marker.args
    return getattr(item.module, "BUILDS", None)


def pytest_collection_modifyitems(config, items):
    build = config.getoption("--build")
    for item in items:
        wanted = _wanted_builds(item)
        if wanted is not None and build not in wanted:
            item.add_marker(pytest.mark.skip(
                reason=f"runs only for builds {', '.join(wanted)} (this run: {build})"))


@pytest.fixture(scope="session")
def build(request):
    return request.config.getoption("--build")


@pytest.fixture(scope="session")
def build_dir(request, build):
    given = request.config.getoption("--build-dir")
    return Path(given).resolve() if given else REPO / "build" / build


@pytest.fixture(scope="session")
def wine_prefix(build, build_dir):
    """The Wine prefix of this pytest process, for the builds that run under Wine.

    Alone, the build tree's own (build/mingw64/wineprefix, as ctest uses it). Under
    pytest-xdist, each worker has a prefix of its own (wineprefix-gw0, ...): ci/wine-run
    copies it from the template, and the worker's BITS queue is its own, so a test's
    "no job of ours is left" check sees no other worker's job. Its wineserver is stopped
    at the end of the session (by ci/test.sh, after counting its CPU, when it runs us)."""
    if build != "mingw64":
        yield None
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield build_dir / "wineprefix"
        return
    prefix = build_dir / f"wineprefix-{worker}"
    saved = os.environ.get("BHT_WINEPREFIX")
    os.environ["BHT_WINEPREFIX"] = str(prefix)
    yield prefix
    if saved is None:
        del os.environ["BHT_WINEPREFIX"]
    else:
        os.environ["BHT_WINEPREFIX"] = saved
    # ci/test.sh stops every prefix's server itself, after counting its CPU time
    if prefix.is_dir() and os.environ.get("BHT_WINE_SERVERS_STOPPED_BY") != "ci/test.sh":
        subprocess.run(["wineserver", "-k"], env=dict(os.environ, WINEPREFIX=str(prefix)),
                       capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def bitsht(build, build_dir, wine_prefix):
    """The command line that runs the built CLI; skips when that build has no CLI yet."""
    exe = build_dir / "bin" / ("bitsht" if build == "linux" else "bitsht.exe")
    if not exe.is_file():
        pytest.skip(f"{exe} is not built: run `cmake --workflow --preset {build}` first")
    if build == "mingw64":
        return [str(WINE_RUN), str(exe)]
    return [str(exe)]


@pytest.fixture(scope="session")
def host_path(build):
    """Path as the CLI must receive it: Wine maps the Unix root to drive Z:."""
    def convert(path):
        path = Path(path).resolve()
        if build == "mingw64":
            return "Z:" + str(path).replace("/", "\\")
        return str(path)
    return convert


@pytest.fixture
def run_bitsht(bitsht):
    def run(*args, stdin=None, env=None, timeout=120):
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(bitsht + [str(a) for a in args], input=stdin,
                              capture_output=True, text=True, env=full_env, timeout=timeout)
    return run


@pytest.fixture
def work_dir(tmp_path):
    d = tmp_path / "work"
    d.mkdir()
    return d


class HttpServer:
    """A file server on 127.0.0.1 for real transfers (Wine's or Windows's BITS).

    - ``root``: files put there are served at ``url(name)``; HEAD and single byte ranges
      (``Range: bytes=a-b``) work, as BITS uses both.
    - ``/status/<code>`` answers that HTTP status with a short body (e.g. /status/404).
    - ``throttle``: bytes per second for file bodies (None: as fast as possible).
    - ``requests``: (method, path, headers) of every request, in order.
    ``stop()`` also cuts the bodies still being sent: a throttled download that a test left
    to BITS (a cancel at a deadline) would otherwise keep Wine's one BITS worker of that
    prefix busy for the rest of its time, and the next test's job would queue behind it.
    """

    def __init__(self, root):
        self.root = Path(root)
        self.throttle = None
        self.requests = []
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):  # keep test output quiet
                pass

            def do_HEAD(self):
                self._answer(body=False)

            def do_GET(self):
                self._answer(body=True)

            def _answer(self, body):
                with server._lock:
                    server.requests.append((self.command, self.path, dict(self.headers)))
                status = re.fullmatch(r"/status/(\d{3})", self.path)
                if status:
                    return self._send_status(int(status.group(1)), body)
                path = (server.root / self.path.lstrip("/").split("?")[0]).resolve()
                if server.root.resolve() not in path.parents or not path.is_file():
                    return self._send_status(404, body)
                data = path.read_bytes()
                start, end, code = 0, len(data) - 1, 200
                rng = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
                if rng and (rng.group(1) or rng.group(2)):
                    if rng.group(1):
                        start = int(rng.group(1))
                        end = min(int(rng.group(2)), end) if rng.group(2) else end
                    else:  # suffix range: the last N bytes
                        start = max(len(data) - int(rng.group(2)), 0)
                    if start > end:
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(data)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    code = 206
                self.send_response(code)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(end - start + 1))
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
                if code == 206:
                    self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
                self.end_headers()
                if body:
                    self._write_throttled(data[start:end + 1])

            def _send_status(self, code, body):
                payload = f"status {code}\n".encode()
                self.send_response(code)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if body:
                    self.wfile.write(payload)

            def _write_throttled(self, data):
                rate = server.throttle
                if not rate:
                    self.wfile.write(data)
                    return
                chunk = max(1, min(16384, rate // 20))
                began = time.monotonic()
                for sent in range(0, len(data), chunk):
                    if server._stopping.is_set():
                        self.close_connection = True  # the client sees a short body
                        return
                    piece = data[sent:sent + chunk]
                    # each piece leaves when the rate allows it, so the whole body takes
                    # len(data) / rate seconds, measured from the start
                    due = (sent + len(piece)) / rate - (time.monotonic() - began)
                    if due > 0:
                        time.sleep(due)
                    self.wfile.write(piece)
                    self.wfile.flush()

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        # a short poll interval: stop() returns within 50 ms instead of half a second
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, name=""):
        return f"http://127.0.0.1:{self.port}/{name}"

    def add_file(self, name, data):
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return self.url(name)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def http_server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    server = HttpServer(root).start()
    yield server
    server.stop()

