"""A loopback HTTP server for the Wine benchmarks (issue 8).

Serves deterministic bytes, throttled, and failures whose sending time is recorded, so the
driver can time BITS from the outside:

  GET|HEAD /data/<size>?rate=<bytes per second>   <size> bytes (i % 251), paced to rate
  GET|HEAD /missing?delay_ms=<ms>                 404 after delay_ms; the moment the 404
                                                  starts going out is recorded per request
  GET|HEAD /vanish/<size>?rate=<r>&after=<bytes>  starts like /data, then closes the
                                                  connection after <bytes>, and answers
                                                  404 from then on (a source that
                                                  disappears mid-transfer)

Ranges ("bytes=a-b" / "bytes=a-") are honoured on /data, as BITS asks for them. Timestamps
are time.monotonic() (CLOCK_MONOTONIC), the clock the driver reads too. Standard library
only: PyPI is out of reach here.
"""

import http.server
import socketserver
import sys
import threading
import time
import urllib.parse

CHUNK = 4096


_PATTERN = bytes(range(251)) * (CHUNK // 251 + 2)


def pattern(offset, n):
    """Bytes offset .. offset+n-1 (n <= CHUNK) of the i % 251 pattern, the fake's too."""
    start = offset % 251
    return _PATTERN[start:start + n]


def pattern_bytes(size):
    """The whole body of /data/<size>, to check a download against."""
    block = bytes(range(251))
    return (block * (size // 251 + 1))[:size]


class Events:
    """What the server did, for the driver: 404s sent, connections cut, request lines."""

    def __init__(self):
        self.lock = threading.Lock()
        self.errors_sent = []  # (monotonic seconds, path)
        self.bodies = []       # (first byte, last byte, path): monotonic seconds
        self.requests = []     # (monotonic seconds, method, path, range header)
        self.vanished = set()  # paths that now answer 404

    def add_request(self, method, path, rng):
        with self.lock:
            self.requests.append((time.monotonic(), method, path, rng))

    def add_error(self, path):
        with self.lock:
            self.errors_sent.append((time.monotonic(), path))

    def add_body(self, t_first, t_last, path):
        with self.lock:
            self.bodies.append((t_first, t_last, path))

    def bodies_since(self, t0):
        with self.lock:
            return [b for b in self.bodies if b[0] >= t0]

    def errors_since(self, t0):
        with self.lock:
            return [e for e in self.errors_sent if e[0] >= t0]


def parse_range(header, size):
    if not header or not header.startswith("bytes="):
        return None
    spec = header[len("bytes="):].split(",")[0].strip()
    first, _, last = spec.partition("-")
    try:
        if first == "":
            n = int(last)
            return max(0, size - n), size - 1
        a = int(first)
        b = int(last) if last else size - 1
    except ValueError:
        return None
    if a >= size or b < a:
        return None
    return a, min(b, size - 1)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bitsht-bench/1"

    def log_message(self, fmt, *args):  # quiet: the driver prints figures only
        pass

    def do_HEAD(self):
        self.handle_any(head=True)

    def do_GET(self):
        self.handle_any(head=False)

    def handle_any(self, head):
        events = self.server.events
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        events.add_request(self.command, url.path, self.headers.get("Range"))
        parts = url.path.strip("/").split("/")
        if parts[0] == "missing":
            time.sleep(int(query.get("delay_ms", "0")) / 1000.0)
            self.send_404(url.path)
        elif parts[0] in ("data", "vanish") and len(parts) == 2 and parts[1].isdigit():
            if url.path in events.vanished:
                self.send_404(url.path)
                return
            cut = int(query["after"]) if parts[0] == "vanish" else None
            self.send_data(url.path, int(parts[1]), int(query.get("rate", "0")), head, cut)
        else:
            self.send_404(url.path)

    def send_404(self, path):
        body = b"not found\n"
        # Recorded as the status line goes out: the earliest moment BITS could know.
        self.server.events.add_error(path)
        self.send_response(404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def send_data(self, path, size, rate, head, cut):
        rng = parse_range(self.headers.get("Range"), size)
        if rng:
            first, last = rng
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (first, last, size))
        else:
            first, last = 0, size - 1
            self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(last - first + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Last-Modified", "Mon, 02 Nov 2026 00:00:00 GMT")
        self.end_headers()
        if head:
            return
        start = time.monotonic()
        sent = 0
        pos = first
        while pos <= last:
            n = min(CHUNK, last - pos + 1)
            if cut is not None and pos + n > cut:
                # The source disappears: the connection drops mid-body and the
                # resource is gone for every later request.
                self.server.events.vanished.add(path)
                self.server.events.add_error(path)
                self.close_connection = True
                self.wfile.flush()
                self.connection.shutdown(2)
                return
            self.wfile.write(pattern(pos, n))
            if sent == 0:
                first_byte = time.monotonic()
            pos += n
            sent += n
            if rate:
                ahead = sent / rate - (time.monotonic() - start)
                if ahead > 0:
                    time.sleep(ahead)
        self.wfile.flush()
        if sent:
            self.server.events.add_body(first_byte, time.monotonic(), path)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that cancels its job drops the connection (BITS Cancel, process exit):
        # expected here, and no reason to print a traceback among the figures.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def start():
    """A server on 127.0.0.1 and an ephemeral port, serving from a thread."""
    srv = Server(("127.0.0.1", 0), Handler)
    srv.events = Events()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv
