"""End-to-end tests of bitsht.exe on Wine's real BITS (labels e2e, com).

Run against a MinGW build under ci/wine-run, e.g.

    /usr/bin/python3 -m pytest tests/e2e/test_com_wine.py --build mingw64 \
        [--build-dir build/dev-com]

Every test runs in the same Wine session (ci/wine-run keeps one wineserver per prefix),
and after every test `bitsht list` must show no job of ours in a non-final state. The
expectations are Wine 8's where it differs from Windows (docs/contract.md): no
IBitsTokenOptions (C87), no error details except for HTTP status errors (C59), failures
noticed only by polling (C80), Cancel deleting the destination path (C47, C48).
"""
import hashlib
import json
import os
import subprocess
import time

import pytest

BUILDS = ("mingw64",)  # Wine's BITS: the expectations below are Wine 8's where it differs

FINAL_STATES = {"ACKNOWLEDGED", "CANCELLED"}


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def payload(size, seed=0):
    """Deterministic bytes that are not all alike, so a shifted copy cannot match."""
    return bytes(((i * 131 + seed * 7 + (i >> 8)) & 0xFF) for i in range(size))


@pytest.fixture
def transfer(run_bitsht):
    """Runs `bitsht transfer --backend com --json ...`; returns (process, report)."""
    def run(*args, env=None, timeout=120):
        proc = run_bitsht("transfer", "--backend", "com", "--json", "--quiet", *args,
                          env=env, timeout=timeout)
        report = json.loads(proc.stdout) if proc.stdout.strip() else None
        return proc, report
    return run


@pytest.fixture(autouse=True)
def queue_is_clean_afterwards(run_bitsht):
    """After every test, in the same Wine session: no job of ours is left unfinished."""
    yield
    proc = run_bitsht("list", "--backend", "com", "--json")
    assert proc.returncode == 0, proc.stderr
    jobs = json.loads(proc.stdout)["jobs"]
    left = [j for j in jobs if j["state"] not in FINAL_STATES]
    assert left == [], f"jobs of ours left in the queue: {left}"


def assert_success(proc, report, files):
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["outcome"] == "success"
    assert report["exit_code"] == 0
    assert report["failed_step"] is None
    assert report["hresult"]["name"] == "S_OK"
    assert report["final_state"] == "ACKNOWLEDGED"
    assert report["job_left_in_queue"] is False
    assert report["files"] == {"total": files, "transferred": files}
    assert report["job_id"].startswith("{") and report["job_id"].endswith("}")


def test_local_file_download_is_byte_identical(transfer, host_path, work_dir, bitsht):
    src = work_dir / "source.bin"
    src.write_bytes(payload(200_000))
    dst = work_dir / "copy.bin"

    proc, report = transfer("--no-helper-token", host_path(src), host_path(dst))

    assert_success(proc, report, 1)
    assert sha256(dst) == sha256(src)
    # C57 (Wine): job byte counts stay unknown, local copies count no bytes
    assert report["bytes"] == {"total": None, "transferred": 0}


def test_http_download_is_byte_identical(transfer, host_path, http_server, work_dir, bitsht):
    data = payload(300_000, seed=1)
    url = http_server.add_file("data.bin", data)
    dst = work_dir / "data.bin"

    proc, report = transfer("--no-helper-token", url, host_path(dst))

    assert_success(proc, report, 1)
    assert hashlib.sha256(dst.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()
    assert report["bytes"]["transferred"] == len(data)
    assert any(m == "GET" and p == "/data.bin" for m, p, _ in http_server.requests)


def test_several_files_in_one_job(transfer, host_path, http_server, work_dir, bitsht):
    local_src = work_dir / "local.src"
    local_src.write_bytes(payload(5_000, seed=2))
    datas = [payload(10_000 + i, seed=3 + i) for i in range(3)]
    urls = [http_server.add_file(f"f{i}.bin", d) for i, d in enumerate(datas)]
    args = [host_path(local_src), host_path(work_dir / "local.bin")]
    for i, url in enumerate(urls):
        args += [url, host_path(work_dir / f"f{i}.bin")]

    proc, report = transfer("--no-helper-token", *args)

    assert_success(proc, report, 4)
    assert (work_dir / "local.bin").read_bytes() == local_src.read_bytes()
    for i, data in enumerate(datas):
        assert (work_dir / f"f{i}.bin").read_bytes() == data


def test_http_404_fails_with_bits_error_code_within_a_second(transfer, host_path, http_server,
                                                             work_dir, bitsht):
    url = http_server.url("status/404")
    dst = work_dir / "never.bin"

    proc, report = transfer("--no-helper-token", "--timeout", "60", url, host_path(dst))

    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert report["outcome"] == "transfer_failed"
    assert report["failed_step"] == "transfer"
    assert report["hresult"]["name"] == "BG_E_HTTP_ERROR_404"
    # C61: Wine keeps context, code and file for HTTP status errors; texts are E_NOTIMPL (C68)
    err = report["bits_error"]
    assert err["context"] == "REMOTE_FILE"
    assert err["code"]["hex"] == "0x80190194"
    assert err["file"] == url
    assert err["description"] == "" and err["context_description"] == ""
    assert report["final_state"] == "CANCELLED"
    assert not dst.exists()
    # Wine never calls JobError (C80): the poll must still notice it. Without the poll the
    # wait would run into the 60 s deadline (exit 4); half of it leaves room for a loaded
    # machine without turning the check into a timing target (those live in ci/bench.sh)
    assert report["elapsed_ms"] < 30000


def test_missing_local_source_fails_without_error_details(transfer, host_path, work_dir, bitsht):
    dst = work_dir / "never.bin"

    proc, report = transfer("--no-helper-token", "--timeout", "60",
                            host_path(work_dir / "no-such-source.bin"), host_path(dst))

    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert report["outcome"] == "transfer_failed"
    assert report["failed_step"] == "transfer"
    # C59/C64: Wine records no error object for a failed local copy
    assert report["bits_error"] is None
    assert report["final_state"] == "CANCELLED"
    assert not dst.exists()
    assert report["elapsed_ms"] < 30000  # noticed by the poll, long before the 60 s deadline


def test_unwritable_destination_fails_at_complete(transfer, host_path, work_dir, bitsht):
    # Wine downloads into %TEMP% (C37) and only the rename at Complete meets the missing
    # folder; Complete then says BG_S_PARTIAL_COMPLETE and acknowledges anyway (C41)
    src = work_dir / "source.bin"
    src.write_bytes(payload(1_000, seed=9))
    dst = work_dir / "no-such-folder" / "copy.bin"

    proc, report = transfer("--no-helper-token", host_path(src), host_path(dst))

    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert report["outcome"] == "transfer_failed"
    assert report["failed_step"] == "complete"
    assert report["hresult"]["name"] == "BG_S_PARTIAL_COMPLETE"
    assert report["final_state"] == "ACKNOWLEDGED"
    assert not dst.exists()


def test_helper_token_request_exits_3_with_e_nointerface_and_no_logon(
        transfer, host_path, http_server, work_dir, bitsht):
    url = http_server.add_file("t.bin", payload(1_000, seed=4))
    dst = work_dir / "t.bin"
    pw = "Pl4nted-W1ne-S3cret"

    proc, report = transfer("--user", "CORP\\alice", "--password-env", "BHT_E2E_PW",
                            "--token-flags", "local,network", url, host_path(dst),
                            env={"BHT_E2E_PW": pw})

    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert report["outcome"] == "token_failed"
    # C87: the token-options step, before any logon (Wine's LogonUserW would accept anyone)
    assert report["failed_step"] == "token_options"
    assert report["hresult"]["name"] == "E_NOINTERFACE"
    assert "IBitsTokenOptions" in report["hresult"]["message"] + report["detail"]
    assert report["final_state"] == "CANCELLED"
    assert report["files"]["total"] == 0  # the job was cancelled before any file was added
    assert not dst.exists()
    assert http_server.requests == []
    assert pw not in proc.stdout + proc.stderr


def test_no_helper_token_transfers_normally(transfer, host_path, http_server, work_dir, bitsht):
    data = payload(2_000, seed=5)
    url = http_server.add_file("plain.bin", data)
    dst = work_dir / "plain.bin"

    proc, report = transfer("--no-helper-token", url, host_path(dst))

    assert_success(proc, report, 1)
    assert dst.read_bytes() == data


@pytest.mark.parametrize("case", ["http_404", "missing_source", "helper_token", "refused"])
def test_existing_destination_survives_a_failing_run(case, transfer, host_path, http_server,
                                                     work_dir, bitsht):
    # Wine's Cancel deletes the destination path (C48): bitsht refuses before the job exists
    dst = work_dir / "precious.txt"
    dst.write_bytes(b"keep me\n")
    remote = {
        "http_404": http_server.url("status/404"),
        "missing_source": host_path(work_dir / "no-such-source.bin"),
        "helper_token": http_server.add_file("x.bin", b"x" * 100),
        "refused": "http://127.0.0.1:1/x.bin",
    }[case]
    token_args = (["--user", "CORP\\alice", "--password-env", "BHT_E2E_PW"]
                  if case == "helper_token" else ["--no-helper-token"])

    proc, report = transfer(*token_args, remote, host_path(dst), env={"BHT_E2E_PW": "pw"})

    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert report["outcome"] == "bad_input"
    assert report["job_id"] is None
    assert "--overwrite" in report["detail"]
    assert dst.read_bytes() == b"keep me\n"


def test_overwrite_replaces_an_existing_destination(transfer, host_path, http_server, work_dir,
                                                    bitsht):
    data = payload(4_000, seed=6)
    url = http_server.add_file("new.bin", data)
    dst = work_dir / "old.bin"
    dst.write_bytes(b"old contents")

    proc, report = transfer("--no-helper-token", "--overwrite", url, host_path(dst))

    assert_success(proc, report, 1)
    assert dst.read_bytes() == data  # C43: Complete replaces it


def test_throttled_transfer_past_timeout_exits_4_and_cancels(transfer, host_path, http_server,
                                                            work_dir, bitsht):
    url = http_server.add_file("slow.bin", payload(800_000, seed=7))
    http_server.throttle = 20_000  # 40 s of transfer
    dst = work_dir / "slow.bin"

    proc, report = transfer("--no-helper-token", "--timeout", "3", url, host_path(dst))

    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert report["outcome"] == "timeout"
    assert report["final_state"] == "CANCELLED"
    assert report["job_left_in_queue"] is False
    # bitsht cancels at the deadline (3 s). Wine's Cancel of an in-flight HTTP download
    # returns only once the download has ended (measured: a 20 s download cancelled at 3 s
    # returned after 20 s; a stalled one never), so the backend stops waiting for the call
    # after 3 s: the job already reads CANCELLED then, and bitsht exits long before the
    # download would have ended (40 s; the bound leaves room for a loaded machine)
    assert 3000 <= report["elapsed_ms"] < 30000
    assert not dst.exists()


def _bitsht_exe_pids(root):
    """Linux pids of the Windows process bitsht.exe started under root (wine-run): Wine's
    loader runs it in place, a descendant of wine-run. Other people's bitsht.exe on the
    same machine are not ours to measure."""
    parent, argv0 = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv0[int(entry)] = f.read().split(b"\0")[0]
        except (OSError, IndexError, ValueError):
            continue

    def descends(pid):
        while pid in parent and pid > 1:
            if pid == root:
                return True
            pid = parent[pid]
        return False

    return [pid for pid, a0 in argv0.items()
            if a0.lower().endswith(b"bitsht.exe") and descends(pid)]


def _cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_of_bitsht_exe(root, deadline):
    """CPU seconds of the bitsht.exe under root. Wine's start-up passes through short-lived
    processes, so a pid that vanishes between listing and reading is looked up again."""
    while True:
        for pid in _bitsht_exe_pids(root):
            try:
                return _cpu_seconds(pid)
            except (OSError, IndexError, ValueError):
                continue
        assert time.monotonic() < deadline, "bitsht.exe never appeared under wine-run"
        time.sleep(0.05)


def test_cpu_of_bitsht_exe_over_a_throttled_five_second_transfer(bitsht, host_path, http_server,
                                                                 work_dir, capsys):
    """Prints the CPU time bitsht.exe spends waiting on a ~5 s transfer.

    wait blocks on the callback's event and polls the state every 200 ms; a busy loop
    would show as ~100% of a core. The bound below only catches that; the figures printed
    are the measurement (the issue's target is < 1% of the wall time)."""
    data = payload(500_000, seed=8)
    url = http_server.add_file("five.bin", data)
    http_server.throttle = 100_000
    dst = work_dir / "five.bin"
    cmd = bitsht + ["transfer", "--backend", "com", "--json", "--quiet", "--no-helper-token",
                    url, host_path(dst)]

    began = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reaped = False
    try:
        _cpu_of_bitsht_exe(proc.pid, deadline=began + 20)  # it has started
        time.sleep(1.5)  # past Wine's start-up and job creation: measure the waiting only
        t1, c1 = time.monotonic(), _cpu_of_bitsht_exe(proc.pid, deadline=time.monotonic() + 5)
        time.sleep(2.5)  # a dozen of wait's 200 ms polls; a busy loop would fill it
        t2, c2 = time.monotonic(), _cpu_of_bitsht_exe(proc.pid, deadline=time.monotonic() + 5)
        _, status, rusage = os.wait4(proc.pid, 0)
        reaped = True
    finally:
        # whatever failed above, the transfer ends before the next test looks at the queue
        if not reaped:
            proc.wait(timeout=120)
    wall = time.monotonic() - began
    out = proc.stdout.read().decode()
    proc.stdout.close()
    proc.stderr.close()

    assert os.waitstatus_to_exitcode(status) == 0, out
    assert dst.read_bytes() == data
    steady = (c2 - c1) / (t2 - t1)
    total_cpu = rusage.ru_utime + rusage.ru_stime
    with capsys.disabled():
        print(f"\n[cpu] bitsht.exe while waiting: {c2 - c1:.3f} s CPU over {t2 - t1:.1f} s "
              f"= {100 * steady:.2f}% ; whole run (wine-run + Wine start-up + bitsht.exe): "
              f"{total_cpu:.2f} s CPU over {wall:.1f} s wall = {100 * total_cpu / wall:.2f}%")
    assert steady < 0.10


def test_bitsht_exe_defaults_to_the_com_backend(run_bitsht, host_path, http_server, work_dir,
                                               bitsht):
    data = payload(3_000, seed=10)
    url = http_server.add_file("default.bin", data)
    dst = work_dir / "default.bin"
    env = {"BITSHT_BACKEND": ""}  # no override from the environment either

    proc = run_bitsht("transfer", "--json", "--quiet", "--no-helper-token", url,
                      host_path(dst), env=env)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert dst.read_bytes() == data
    # only real BITS reaches the loopback server: the fake answers an undeclared http URL
    # with a 404 of its own (fakes/README.md) and sends nothing
    assert any(path == "/default.bin" for _, path, _ in http_server.requests)
