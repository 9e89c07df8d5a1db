#!/usr/bin/env python3
"""HTTP test server for the conformance suite (fixture_world.h lists what it serves).

  GET /file/<n>     n bytes (byte i = (i * 7 + 3) & 0xFF), 200, Content-Length
  GET /status/<nnn> status nnn, body "status nnn\\n" (11 bytes)
  GET /slow/<n>     n bytes, 256 every 100 ms: a transfer that stays in flight; while the
                    file given by --release exists, the rest at once (a check's end)
HEAD answers the same headers. Listens on 127.0.0.1 only; prints "PORT <n>" on its first
line of output once it accepts connections. Python 3 standard library only.
"""
import argparse
import http.server
import os
import sys
import time

CHUNK = 256
SLOW_PAUSE_S = 0.1
MAX_SIZE = 64 * 1024 * 1024


def pattern(start, n):
    return bytes(((i * 7 + 3) & 0xFF) for i in range(start, start + n))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bitsht-conformance/1"

    def log_message(self, fmt, *args):  # quiet: ctest output stays readable
        if self.server.verbose:
            super().log_message(fmt, *args)

    def _route(self):
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        if len(parts) == 2 and parts[1].isdigit():
            kind, n = parts[0], int(parts[1])
            if kind in ("file", "slow") and n <= MAX_SIZE:
                return kind, n
            if kind == "status" and 100 <= n <= 599:
                return kind, n
        return None, 0

    def end_headers(self):
        # No keep-alive: a client that abandons a /slow body (Cancel) must not leave a
        # half-read connection in its pool for the next request to queue behind.
        self.send_header("Connection", "close")
        self.close_connection = True
        super().end_headers()

    def _answer(self, with_body):
        kind, n = self._route()
        if kind is None:
            body = b"not here\n"
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)
            return
        if kind == "status":
            body = ("status %d\n" % n).encode()
            self.send_response(n)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        if not with_body:
            return
        sent = 0
        try:
            while sent < n:
                slow = kind == "slow" and not self.server.released()
                k = min(CHUNK if slow else 65536, n - sent)
                self.wfile.write(pattern(sent, k))
                self.wfile.flush()
                sent += k
                if slow and sent < n:
                    time.sleep(SLOW_PAUSE_S)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client cancelled: expected for /slow

    def do_GET(self):
        self._answer(True)

    def do_HEAD(self):
        self._answer(False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0, help="0: any free port")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--release", default="",
                    help="while this file exists, /slow bodies are sent at full speed")
    args = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    srv.verbose = args.verbose
    srv.released = lambda: bool(args.release) and os.path.exists(args.release)
    print("PORT %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
