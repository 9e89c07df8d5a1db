#!/usr/bin/env python3
"""Runs one conformance binary the way CTest and CI need it.

  run_conformance.py --results DIR --name NAME [--emulator ci/wine-run] -- PROGRAM

- starts http_server.py on 127.0.0.1 (a free port) and passes its base URL in
  BHT_CONFORMANCE_HTTP, unless that is set already or --no-http (fake runs); stops it
  afterwards; BHT_CONFORMANCE_RELEASE names the file that lets the server finish a /slow
  body at once (the suite makes it at a check's end);
- has cmocka write JUnit XML to DIR/NAME-<where>.xml (<where>: native, wine, windows);
- collects the suite's "BHT-CONFORMANCE KNOWN|STALE|SKIP" lines and writes them into that
  XML (cmocka's <skipped/> has no text): a known divergence becomes
  <skipped type="known-divergence" message="..."/>, a skip <skipped type="skip" .../>;
- BHT_CONFORMANCE_RECORD=1 records a trace of the run to DIR/NAME-<where>.trace.jsonl;
- paths handed to a program under Wine are turned into Z:\\... paths.
Exits with the program's exit code. Python 3 standard library only.
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
VERDICT = re.compile(r"^BHT-CONFORMANCE (KNOWN|STALE|SKIP|FAIL) (\S+) (\S+) \| (.*)$")


def wine_path(path):
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def start_server(release):
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "http_server.py"), "--release", release],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline().split()
    if len(line) != 2 or line[0] != "PORT":
        proc.kill()
        raise RuntimeError("http_server.py did not report its port")
    return proc, "http://127.0.0.1:%s" % line[1]


def annotate_xml(xml_path, verdicts, where):
    """Writes the verdict lines into cmocka's XML; returns the counts it holds."""
    tree = ET.parse(xml_path)
    counts = {"checks": 0, "passed": 0, "known": 0, "skipped": 0, "failed": 0, "stale": 0}
    for suite in tree.getroot().iter("testsuite"):
        suite.set("bht-where", where)
        for case in suite.iter("testcase"):
            counts["checks"] += 1
            name = case.get("name")
            v = verdicts.get(name)
            skipped = case.find("skipped")
            failure = case.find("failure")
            if v and v[0] == "STALE":
                counts["stale"] += 1
                if failure is None:
                    failure = ET.SubElement(case, "failure")
                failure.set("type", "stale-divergence")
                failure.set("message", "STALE: " + v[2])
            elif failure is not None:
                counts["failed"] += 1
                if v and v[0] == "FAIL":
                    failure.set("message", v[2])
            elif skipped is not None:
                if v and v[0] == "KNOWN":
                    counts["known"] += 1
                    skipped.set("type", "known-divergence")
                    skipped.set("message", "%s (%s)" % (v[2], v[1]))
                else:
                    counts["skipped"] += 1
                    skipped.set("type", "skip")
                    skipped.set("message", v[2] if v else "skipped")
            else:
                counts["passed"] += 1
    tree.write(xml_path, encoding="UTF-8", xml_declaration=True)
    return counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--platform", default="")
    ap.add_argument("--emulator", default="")
    ap.add_argument("--no-http", action="store_true",
                    help="start no HTTP server (the fake declares its resources itself)")
    ap.add_argument("program", nargs="+")
    args = ap.parse_args()

    under_wine = bool(args.emulator) and args.platform == "Windows"
    where = "wine" if under_wine else ("windows" if os.name == "nt" else "native")
    os.makedirs(args.results, exist_ok=True)
    base = os.path.join(args.results, "%s-%s" % (args.name, where))
    xml_path = base + ".xml"
    if os.path.exists(xml_path):
        os.remove(xml_path)  # cmocka appends to an existing file of its own run only
    topath = wine_path if under_wine else os.path.abspath

    env = dict(os.environ)
    env["CMOCKA_MESSAGE_OUTPUT"] = "xml"
    env["CMOCKA_XML_FILE"] = topath(xml_path)
    env.setdefault("BHT_CONFORMANCE_REPLAY",
                   topath(os.path.join(HERE, "traces", "wine8-conformance.jsonl")))
    if env.get("BHT_CONFORMANCE_RECORD") == "1":
        env["BHT_CONFORMANCE_TRACE"] = topath(base + ".trace.jsonl")
    server = None
    release = base + ".release"  # the suite makes it at a check's end: see http_server.py
    if os.path.exists(release):
        os.remove(release)
    if not env.get("BHT_CONFORMANCE_HTTP") and not args.no_http:
        server, env["BHT_CONFORMANCE_HTTP"] = start_server(release)
        env["BHT_CONFORMANCE_RELEASE"] = topath(release)

    cmd = ([args.emulator] if args.emulator else []) + args.program
    verdicts = {}
    started = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                text=True, errors="replace")
        for line in proc.stdout:
            sys.stdout.write(line)
            m = VERDICT.match(line.rstrip("\r\n"))
            if m:
                kind, check, backend, rest = m.groups()
                if check not in verdicts or verdicts[check][0] != "FAIL":
                    verdicts[check] = (kind, backend, rest)  # a check's first failure
        rc = proc.wait()
    finally:
        if server:
            server.terminate()
            server.wait()
        if os.path.exists(release):
            os.remove(release)
    elapsed = time.monotonic() - started
    sys.stdout.flush()
    if not os.path.exists(xml_path):
        print("run_conformance: %s wrote no JUnit XML (exit %d)" % (args.name, rc))
        return rc or 1
    c = annotate_xml(xml_path, verdicts, where)
    print("run_conformance: %s (%s): %d checks: %d passed, %d known divergences, %d skipped, "
          "%d failed, %d stale; %.2f s; %s" % (args.name, where, c["checks"], c["passed"],
                                              c["known"], c["skipped"], c["failed"], c["stale"],
                                              elapsed, xml_path))
    if rc == 0 and (c["failed"] or c["stale"]):
        rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
