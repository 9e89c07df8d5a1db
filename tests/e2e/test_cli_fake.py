"""End-to-end tests of the native bitsht CLI on fake worlds (labels e2e, fake).

Each test writes a world file into its own temporary folder, runs the built CLI as a
user would, and checks the exit code, the JSON report, the files on disk and that the
password never appears in any output.
"""
import contextlib
import fcntl
import json
import os
import select
import signal
import subprocess
import termios
import threading
import time
from pathlib import Path

import pytest

# The native CLI on the fake backend; bitsht.exe under Wine is covered by test_com_wine.py.
BUILDS = ("linux",)

PASSWORD = "Pl4nted-S3cret-7q"  # planted: must never appear in any output

WORLD = r"""
# the standard cast: bob owns the jobs, alice is the helper
user CORP\alice password={pw}
user CORP\bob password=hunter2
option owner=CORP\bob
resource \\fs01\finance\ledger.xlsx size=4096 readable-by=CORP\alice
resource https://files.corp.example/q3.pdf size=100000 rate=50000 readable-by=CORP\alice auth=network
resource https://cdn.example/public.bin size=3000
resource https://cdn.example/gone fail=0x80190194
resource https://cdn.example/stuck size=100 stall
folder {restricted} writable-by=CORP\alice
{extra}
"""


class Cli:
    def __init__(self, command, tmp_path):
        self.command = command
        self.tmp = tmp_path
        self.restricted = tmp_path / "restricted"
        self.restricted.mkdir()
        self.outputs = []

    def world(self, extra=""):
        path = self.tmp / "test.world"
        path.write_text(WORLD.format(pw=PASSWORD, restricted=self.restricted, extra=extra))
        return path

    def run(self, *args, stdin=None, env=None):
        full_env = dict(os.environ)
        for k in ("BITSHT_BACKEND", "BITSHT_FAKE_WORLD", "BITSHT_FAKE_STATE"):
            full_env.pop(k, None)
        full_env.update(env or {})
        proc = subprocess.run([*self.command, *map(str, args)], input=stdin,
                              capture_output=True, text=True, env=full_env, timeout=60)
        self.outputs.append(proc.stdout + proc.stderr)
        return proc

    def transfer_json(self, *args, stdin=PASSWORD + "\n", world_extra=""):
        world = self.world(world_extra)
        proc = self.run("transfer", "--backend", "fake", "--fake-world", world, "--json",
                        *args, stdin=stdin)
        report = json.loads(proc.stdout) if proc.stdout.strip() else None
        return proc, report


@pytest.fixture
def cli(bitsht, tmp_path):
    # BITSHT_NATIVE: run another binary (an ASan build, or valgrind through a wrapper)
    native = os.environ.get("BITSHT_NATIVE")
    c = Cli([native] if native else bitsht, tmp_path)
    yield c
    for out in c.outputs:  # whatever happened, the password was never printed
        assert PASSWORD not in out


def helper(flags):
    return ["--user", "CORP\\alice", "--password-stdin", "--token-flags", flags]


def test_helper_reads_unc_source_with_network_flag(cli, tmp_path):
    dest = tmp_path / "ledger.xlsx"
    proc, rep = cli.transfer_json(*helper("network"), r"\\fs01\finance\ledger.xlsx", dest)
    assert proc.returncode == 0, proc.stderr
    assert rep["outcome"] == "success" and rep["exit_code"] == 0
    assert rep["failed_step"] is None
    assert rep["hresult"]["hex"] == "0x00000000"
    assert rep["files"] == {"total": 1, "transferred": 1}
    assert rep["bytes"] == {"total": 4096, "transferred": 4096}
    assert rep["job_id"].startswith("{") and len(rep["job_id"]) == 38
    assert rep["final_state"] == "ACKNOWLEDGED"
    assert dest.stat().st_size == 4096


def test_same_transfer_without_network_flag_fails_as_owner(cli, tmp_path):
    dest = tmp_path / "ledger.xlsx"
    proc, rep = cli.transfer_json(*helper("local"), r"\\fs01\finance\ledger.xlsx", dest)
    assert proc.returncode == 1
    assert rep["outcome"] == "transfer_failed" and rep["failed_step"] == "transfer"
    assert rep["bits_error"]["context"] == "REMOTE_FILE"
    assert rep["bits_error"]["code"]["name"] == "E_ACCESSDENIED"
    assert rep["final_state"] == "CANCELLED"
    assert not dest.exists()


def test_restricted_destination_needs_local_flag(cli):
    dest = cli.restricted / "public.bin"
    proc, rep = cli.transfer_json("--no-helper-token", "https://cdn.example/public.bin", dest,
                                  stdin="")
    assert proc.returncode == 1
    assert rep["failed_step"] == "add_file" and rep["hresult"]["name"] == "E_ACCESSDENIED"
    proc, rep = cli.transfer_json(*helper("local"), "https://cdn.example/public.bin", dest)
    assert proc.returncode == 0, proc.stderr
    assert dest.stat().st_size == 3000


def test_http_authentication_uses_helper_with_network_flag(cli, tmp_path):
    dest = tmp_path / "q3.pdf"
    proc, rep = cli.transfer_json(*helper("local,network"), "https://files.corp.example/q3.pdf",
                                  dest)
    assert proc.returncode == 0, proc.stderr
    assert rep["elapsed_ms"] >= 2000  # 100 kB at 50 kB per virtual second
    proc, rep = cli.transfer_json(*helper("local"), "https://files.corp.example/q3.pdf",
                                  tmp_path / "q3-again.pdf")
    assert proc.returncode == 1
    assert rep["bits_error"]["code"]["name"] == "BG_E_HTTP_ERROR_401"


def test_wrong_password_exits_3(cli, tmp_path):
    proc, rep = cli.transfer_json(*helper("network"), r"\\fs01\finance\ledger.xlsx",
                                  tmp_path / "x", stdin="not-it\n")
    assert proc.returncode == 3
    assert rep["outcome"] == "token_failed" and rep["failed_step"] == "logon"
    assert rep["hresult"]["hex"] == "0x8007052E"
    assert rep["final_state"] == "CANCELLED"


def test_wine_profile_has_no_token_options(cli, tmp_path):
    proc, rep = cli.transfer_json(*helper("local"), "https://cdn.example/public.bin",
                                  tmp_path / "x", world_extra="option profile=wine8")
    assert proc.returncode == 3
    assert rep["failed_step"] == "token_options"
    assert rep["hresult"]["name"] == "E_NOINTERFACE"
    assert "logging on" not in proc.stderr  # no logon attempted


def test_deadline_cancels_a_stalled_job_in_virtual_time(cli, tmp_path):
    start = time.monotonic()
    proc, rep = cli.transfer_json("--no-helper-token", "https://cdn.example/stuck",
                                  tmp_path / "stuck", stdin="")
    wall = time.monotonic() - start
    assert proc.returncode == 4
    assert rep["outcome"] == "timeout" and rep["elapsed_ms"] == 900000
    assert rep["final_state"] == "CANCELLED"
    assert wall < 60  # 900 s passed on the fake's virtual clock, not on the wall


def test_http_404_reports_the_bits_error(cli, tmp_path):
    proc, rep = cli.transfer_json("--no-helper-token", "https://cdn.example/gone", tmp_path / "g",
                                  stdin="")
    assert proc.returncode == 1
    assert rep["hresult"]["name"] == "BG_E_HTTP_ERROR_404"
    assert rep["bits_error"]["context"] == "REMOTE_FILE"


def test_existing_destination_survives_without_overwrite(cli, tmp_path):
    dest = tmp_path / "keep.bin"
    dest.write_bytes(b"precious")
    proc, rep = cli.transfer_json("--no-helper-token", "https://cdn.example/gone", dest, stdin="")
    assert proc.returncode == 2
    assert "already exists" in rep["detail"]
    assert dest.read_bytes() == b"precious"
    proc, rep = cli.transfer_json("--no-helper-token", "--overwrite",
                                  "https://cdn.example/public.bin", dest, stdin="")
    assert proc.returncode == 0
    assert dest.stat().st_size == 3000


BAD_INPUTS = [
    (["transfer", "--no-helper-token", "https://cdn.example/public.bin", "relative/out.bin"],
     "not a full path"),
    (["transfer", "--no-helper-token", "", "/tmp/out.bin"], "remote name is empty"),
    (["transfer", "--no-helper-token", "ftp://example.com/a", "/tmp/out.bin"],
     "unsupported URL scheme"),
    (["transfer", "--user", "CORP\\alice", "--token-flags", "disk", "https://h/a", "/tmp/a"],
     "--token-flags"),
    (["transfer", "--frobnicate", "https://h/a", "/tmp/a"], "unknown option '--frobnicate'"),
    (["transfer", "--no-helper-token", "https://h/a", "/tmp/a", "https://h/b"], "odd number"),
    (["transfer", "https://h/a", "/tmp/a"], "--no-helper-token"),
    (["transfer", "--user", "CORP\\alice", "https://h/a", "/tmp/a"], "no password"),
    (["transfer", "--user", "CORP\\alice", "--password-env", "BITSHT_NO_SUCH_VAR", "https://h/a",
      "/tmp/a"], "BITSHT_NO_SUCH_VAR is not set"),
    (["transfer", "--no-helper-token", "--timeout", "soon", "https://h/a", "/tmp/a"], "--timeout"),
    (["transfer", "--backend", "com", "--no-helper-token", "https://h/a", "/tmp/a"],
     "Windows build"),
    (["transfer", "--backend", "bits9", "--no-helper-token", "https://h/a", "/tmp/a"],
     "unknown backend"),
    (["frobnicate"], "unknown command"),
    ([], "no command"),
]


@pytest.mark.parametrize("args,message", BAD_INPUTS)
def test_bad_input_exits_2_naming_the_problem(cli, args, message):
    world = cli.world()
    proc = cli.run(*args, env={"BITSHT_FAKE_WORLD": str(world)}, stdin="")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert message in proc.stderr


# Issue 13 item 15 and issue 12 item 9: input that never reaches a job (exit 2, the JSON
# report has no job id and no stage past "checking the request" runs).
NEVER_A_JOB = [
    (["https://cdn example/public.bin", "{dest}"], "URL contains a space"),
    (["https://cdn.example:70000/public.bin", "{dest}"], "URL port is outside 1-65535"),
    (["https://cdn.example/a%g1", "{dest}"], "malformed percent escape"),
    (["https://cdn..example/public.bin", "{dest}"], "invalid host name"),
    (["https://cdn.example/public.bin", r"C:\out\public.bin"], "Windows path"),
    (["https://cdn.example/public.bin", r"\\fs01\share\public.bin"], "Windows path"),
    (["https://cdn.example/public.bin", "/" + "x" * 256], "longer than 255"),
    (["--name", "\U0001F600" * 125, "https://cdn.example/public.bin", "{dest}"],
     "job name is longer than 249"),
    (["https://cdn.example/public.bin", "{tmp}/fifo"], "is not a regular file"),
    (["--overwrite", "https://cdn.example/public.bin", "{tmp}"], "is not a regular file"),
]


@pytest.mark.parametrize("args,message", NEVER_A_JOB)
def test_bad_input_never_reaches_a_job(cli, tmp_path, args, message):
    os.mkfifo(tmp_path / "fifo")  # opening it for reading would block: it must not be opened
    world = cli.world()
    args = [a.format(dest=tmp_path / "out.bin", tmp=tmp_path) for a in args]
    proc = cli.run("transfer", "--fake-world", world, "--json", "--user", "CORP\\alice",
                   "--password-stdin", *args, stdin=PASSWORD + "\n")
    assert proc.returncode == 2, proc.stderr
    rep = json.loads(proc.stdout)
    assert (rep["outcome"], rep["failed_step"], rep["job_id"]) == ("bad_input", "validate", None)
    assert message in rep["detail"]
    assert "creating the BITS job" not in proc.stderr
    assert "logging on" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "restricted", "test.world"]


@pytest.mark.parametrize("args,message", [
    (["https://cdn.example/public.bin", "{dest}", "--fake-state", "S", "--overwrite"],
     "its DOMAIN argument '--fake-state' looks like one"),
    (["https://cdn.example/public.bin", "{dest}", "CORP", "", PASSWORD],
     "the sample form needs a USER name (it is empty)"),
    (["https://cdn.example/public.bin", "{dest}", "CORP", "alice", "--" + PASSWORD],
     "its PASSWORD argument looks like one"),
    (["list", "--fake-state", ""], "option --fake-state needs a non-empty value"),
])
def test_misused_forms_exit_2_before_any_job(cli, tmp_path, args, message):
    world = cli.world()
    args = [a.format(dest=tmp_path / "out.bin") for a in args]
    proc = cli.run(*args, env={"BITSHT_FAKE_WORLD": str(world)})
    assert proc.returncode == 2, proc.stderr
    assert "bitsht: error: " in proc.stderr and message in proc.stderr
    assert not (tmp_path / "out.bin").exists() and not (tmp_path / "S").exists()


def test_unreadable_or_invalid_world_file_exits_2(cli, tmp_path):
    missing = tmp_path / "missing.world"
    proc = cli.run("transfer", "--fake-world", missing, "--no-helper-token", "https://h/a",
                   tmp_path / "a")
    assert proc.returncode == 2
    assert str(missing) in proc.stderr
    broken = tmp_path / "broken.world"
    broken.write_text("user CORP\\alice password=x\nresource https://h/a size=lots\n")
    proc = cli.run("transfer", "--fake-world", broken, "--no-helper-token", "https://h/a",
                   tmp_path / "a")
    assert proc.returncode == 2
    assert f"{broken}:2:" in proc.stderr


def test_sample_positional_form_works_and_warns(cli, tmp_path):
    world = cli.world()
    dest = tmp_path / "public.bin"
    proc = cli.run("https://cdn.example/public.bin", dest, "CORP", "alice", PASSWORD,
                   env={"BITSHT_BACKEND": "fake", "BITSHT_FAKE_WORLD": str(world)})
    assert proc.returncode == 0, proc.stderr
    assert "visible to other processes" in proc.stderr
    assert dest.stat().st_size == 3000


def test_password_from_environment_is_never_printed(cli, tmp_path):
    world = cli.world()
    for flags, expect in (("network", 0), ("local", 1)):
        proc = cli.run("transfer", "--fake-world", world, "--user", "CORP\\alice",
                       "--password-env", "BHT_PW", "--token-flags", flags,
                       r"\\fs01\finance\ledger.xlsx", tmp_path / f"l-{flags}",
                       env={"BHT_PW": PASSWORD})
        assert proc.returncode == expect, proc.stderr
    # the fixture's teardown greps every output of this test for the password


def test_list_is_empty_after_runs_and_state_persists(cli, tmp_path):
    world = cli.world()
    state = tmp_path / "queue.state"
    proc = cli.run("transfer", "--fake-world", world, "--fake-state", state,
                   "--no-helper-token", "https://cdn.example/stuck", tmp_path / "s",
                   "--timeout", "30")
    assert proc.returncode == 4
    assert state.exists()
    proc = cli.run("list", "--fake-world", world, "--fake-state", state, "--json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == {"jobs": []}  # every exit path cancelled its job


def test_help_documents_flags_and_exit_codes(cli):
    proc = cli.run("--help")
    assert proc.returncode == 0
    for text in ("--token-flags", "network = the helper reads a UNC", "exit codes", "--overwrite"):
        assert text in proc.stdout


def test_job_left_by_a_failed_cancel_is_listed_inspected_and_cleaned_up(cli, tmp_path):
    """A Cancel that fails (fault) leaves the job queued: the run says so, and list,
    token-sid, token-flags, clear-token and cleanup then work on it across processes."""
    state = tmp_path / "queue.state"
    broken = cli.world("fault cancel call=1 hr=0x80004005 persistent")
    proc = cli.run("transfer", "--fake-world", broken, "--fake-state", state, "--json",
                   "--user", "CORP\\alice", "--password-stdin", "--token-flags", "local",
                   "--timeout", "30", "https://cdn.example/stuck", tmp_path / "stuck",
                   stdin=PASSWORD + "\n")
    assert proc.returncode == 4
    rep = json.loads(proc.stdout)
    assert rep["job_left_in_queue"] is True
    assert "still in the BITS queue" in proc.stderr
    job = rep["job_id"]

    world = cli.world()  # the same world without the fault
    common = ["--fake-world", world, "--fake-state", state]
    proc = cli.run("list", *common, "--json")
    jobs = json.loads(proc.stdout)["jobs"]
    assert [(j["id"], j["state"], j["name"]) for j in jobs] == [(job, "TRANSFERRING",
                                                                 "bitsht:transfer")]
    assert jobs[0]["age_s"] == 30

    proc = cli.run("token-sid", job, *common)
    assert proc.returncode == 0
    assert proc.stdout.strip().startswith("S-1-5-")
    proc = cli.run("token-flags", job, *common)
    assert (proc.returncode, proc.stdout.strip()) == (0, "local")
    proc = cli.run("token-flags", job, "local,network", *common, "--json")
    assert json.loads(proc.stdout)["token_flags"] == "local,network"
    proc = cli.run("clear-token", job, *common)
    assert proc.returncode == 0
    proc = cli.run("token-sid", job, *common)
    assert (proc.returncode, proc.stdout.strip()) == (0, "(no helper token)")
    proc = cli.run("token-flags", job, *common)
    assert proc.stdout.strip() == "local,network"  # C98: clearing keeps the flags

    proc = cli.run("cleanup", "--older-than", "3600", *common)
    assert (proc.returncode, proc.stdout.strip()) == (0, "cancelled 0 jobs")  # too young
    proc = cli.run("cleanup", *common, "--json")
    assert (proc.returncode, json.loads(proc.stdout)) == (0, {"cancelled": 1, "failed": 0})
    proc = cli.run("list", *common, "--json")
    assert json.loads(proc.stdout) == {"jobs": []}


def test_job_commands_on_an_unknown_job_exit_2(cli, tmp_path):
    world = cli.world()
    for cmd in (["token-sid"], ["token-flags"], ["clear-token"]):
        proc = cli.run(*cmd, "{12345678-1234-1234-1234-123456789ABC}", "--fake-world", world)
        assert proc.returncode == 2
        assert "BG_E_NOT_FOUND" in proc.stderr


def test_wine_profile_token_commands_exit_3(cli, tmp_path):
    state = tmp_path / "queue.state"
    world = cli.world("option profile=wine8\nfault cancel call=1 hr=0x80004005 persistent")
    proc = cli.run("transfer", "--fake-world", world, "--fake-state", state, "--json",
                   "--no-helper-token", "--timeout", "5", "https://cdn.example/stuck",
                   tmp_path / "s")
    job = json.loads(proc.stdout)["job_id"]
    proc = cli.run("token-sid", job, "--fake-world", cli.world("option profile=wine8"),
                   "--fake-state", state)
    assert proc.returncode == 3
    assert "E_NOINTERFACE" in proc.stderr


# ---- issue 13: destinations -------------------------------------------------------------

def _as_nobody(cli):
    """The command prefix that runs the CLI as the unprivileged 'nobody' (root ignores
    permissions, so EACCES cases need another user); skips where that is impossible."""
    import shutil
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or not setpriv:
        pytest.skip("needs root and setpriv to run the CLI as another user")
    return [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", *cli.command]


@pytest.fixture
def shared_dir():
    """A folder 'nobody' can reach (pytest's tmp_path is private to root)."""
    import shutil
    import tempfile
    import pwd
    d = tempfile.mkdtemp(prefix="bitsht-e2e-")
    os.chmod(d, 0o755)
    try:
        nobody = pwd.getpwnam("nobody")
        os.chown(d, nobody.pw_uid, nobody.pw_gid)  # nobody may write it: a real risk
    except (KeyError, PermissionError):
        pass
    yield d
    for root, dirs, _ in os.walk(d):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(d)


def test_unreadable_existing_destination_is_refused_as_another_user(cli, shared_dir):
    """Item 1: as a non-root user, a destination fopen cannot read (mode 000) and one in a
    folder that cannot be searched both exist or may: exit 2, no job, the file untouched."""
    command = _as_nobody(cli)
    world = os.path.join(shared_dir, "t.world")
    with open(world, "w") as f:
        f.write("resource https://cdn.example/public.bin size=3000\n")
    os.chmod(world, 0o644)
    mine = os.path.join(shared_dir, "mine")
    with open(mine, "w") as f:
        f.write("mine\n")
    os.chmod(mine, 0)
    locked = os.path.join(shared_dir, "locked")
    os.mkdir(locked)
    with open(os.path.join(locked, "x"), "w") as f:
        f.write("also mine\n")
    os.chmod(locked, 0o666)  # no search (x) bit: lstat gives EACCES to nobody
    for dest, why in ((mine, "already exists"), (os.path.join(locked, "x"), "cannot tell")):
        proc = subprocess.run([*command, "transfer", "--fake-world", world, "--json",
                               "--no-helper-token", "https://cdn.example/public.bin", dest],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        rep = json.loads(proc.stdout)
        assert rep["job_id"] in (None, "") and why in rep["detail"], rep
    with open(mine) as f:
        assert f.read() == "mine\n"
    os.chmod(locked, 0o755)
    with open(os.path.join(locked, "x")) as f:
        assert f.read() == "also mine\n"


# --- signals, the terminal, secrets in memory (issue 13 items 9-14) ---

ENDLESS = "resource https://cdn.example/endless size=2000000000 rate=1"


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("BITSHT_BACKEND", "BITSHT_FAKE_WORLD", "BITSHT_FAKE_STATE")}
    env.update(extra or {})
    return env


def default_stop_signals():
    """In the child before exec: the stop signals at their defaults, as a terminal's shell
    starts a command (a test run from a script's background job would otherwise hand
    down SIGINT ignored, and bitsht keeps an ignored signal ignored)."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


class Running:
    """A bitsht transfer started in the background, read line by line until it is where
    a test wants it (a watchdog kills it if it never gets there)."""

    def __init__(self, cli, *args, env=None, stdin=None, **popen):
        popen.setdefault("preexec_fn", default_stop_signals)
        self.proc = subprocess.Popen([*cli.command, *map(str, args)], env=clean_env(env),
                                     stdin=subprocess.PIPE if stdin is not None else None,
                                     stderr=subprocess.PIPE, text=True, **popen)
        self.watchdog = threading.Timer(60, self.proc.kill)
        self.watchdog.start()
        self.seen = ""
        if stdin is not None:
            self.proc.stdin.write(stdin)
            self.proc.stdin.close()

    def wait_for(self, text):
        while text not in self.seen:
            line = self.proc.stderr.readline()
            assert line, f"bitsht ended before '{text}': {self.seen}"
            self.seen += line

    def finish(self):
        rest = self.proc.stderr.read() if not self.proc.stderr.closed else ""
        code = self.proc.wait()
        self.watchdog.cancel()
        return code, self.seen + rest


def start_endless(cli, tmp_path, *extra, **popen):
    world = cli.world(ENDLESS)
    out = tmp_path / "out"
    out.mkdir()
    state = tmp_path / "queue.state"
    run = Running(cli, "transfer", "--fake-world", world, "--fake-state", state, "--timeout",
                  "0", *extra, "https://cdn.example/endless", out / "endless.bin", **popen)
    run.wait_for("job state TRANSFERRING")
    return run, world, state, out


def assert_nothing_left(cli, world, state, out):
    assert list(out.iterdir()) == []  # the temporary file went with the job
    proc = cli.run("list", "--fake-world", world, "--fake-state", state, "--json")
    assert json.loads(proc.stdout) == {"jobs": []}


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_stop_signal_mid_job_cancels_the_job_and_its_temporary_file(cli, tmp_path, sig):
    """Issue 13 item 9: SIGHUP (a closed terminal) killed bitsht mid-job (exit -1), the
    temporary file orphaned; every stop signal now takes the cancel path (exit 1)."""
    run, world, state, out = start_endless(cli, tmp_path, "--no-helper-token")
    assert len(list(out.iterdir())) == 1  # the temporary file exists while it runs
    run.proc.send_signal(sig)
    code, err = run.finish()
    assert code == 1, err
    assert "bitsht: error: interrupted; the job was cancelled (step wait)" in err
    assert_nothing_left(cli, world, state, out)


def test_nohup_transfer_survives_the_hangup(cli, tmp_path):
    """`nohup bitsht transfer ... &`: SIGHUP ignored at start stays ignored (the handler
    used to take it over and cancel the transfer when the terminal closed)."""
    run, world, state, out = start_endless(
        cli, tmp_path, "--no-helper-token",
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    run.proc.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    assert run.proc.poll() is None  # still transferring
    run.proc.send_signal(signal.SIGTERM)
    code, err = run.finish()
    assert code == 1, err
    assert_nothing_left(cli, world, state, out)


def test_closed_reader_then_ctrl_c_still_cancels(cli, tmp_path):
    """Issue 13 item 9: `bitsht ... 2>&1 | head` then Ctrl-C: the next stage line hit a
    closed pipe and SIGPIPE killed bitsht (exit -13) before it cancelled. SIGPIPE is
    ignored now: the writes fail, the cancel happens."""
    run, world, state, out = start_endless(cli, tmp_path, "--no-helper-token")
    run.proc.stderr.close()
    run.proc.send_signal(signal.SIGINT)
    code, _ = run.finish()
    assert code == 1
    assert_nothing_left(cli, world, state, out)


def test_two_sigints_back_to_back_never_kill_it(cli, tmp_path):
    """Issue 13 item 10: signal() had SysV semantics (reset on delivery), and a second
    SIGINT right after the first killed bitsht in 4 of 30 runs."""
    for attempt in range(15):
        (tmp_path / str(attempt)).mkdir()
        run, world, state, out = start_endless(cli, tmp_path / str(attempt), "--no-helper-token")
        os.kill(run.proc.pid, signal.SIGINT)
        os.kill(run.proc.pid, signal.SIGINT)
        code, err = run.finish()
        assert code == 1, (attempt, err)
        assert_nothing_left(cli, world, state, out)


@contextlib.contextmanager
def prompt_session(cli, tmp_path, *options):
    """bitsht transfer --user CORP\\alice on a fresh pseudo-terminal that is its
    controlling terminal (so ^C on it is SIGINT), as when a user types at the password
    prompt. Yields (process, master fd, slave fd); the slave shows the terminal's modes."""
    master, slave = os.openpty()
    assert echo_is_on(slave)  # a fresh terminal echoes

    def own_terminal():
        default_stop_signals()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen([*cli.command, "transfer", "--fake-world", str(cli.world()),
                             "--user", "CORP\\alice", *options,
                             "https://cdn.example/public.bin", str(tmp_path / "p.bin")],
                            env=clean_env(), stdin=slave, stdout=slave, stderr=slave,
                            start_new_session=True, preexec_fn=own_terminal)
    try:
        yield proc, master, slave
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
        os.close(slave)


def read_until(fd, text, timeout=30):
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        assert time.monotonic() < deadline, seen
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # EIO: the slave side has no process any more
                break
    return seen.decode(errors="replace")


def echo_is_on(fd):
    return bool(termios.tcgetattr(fd)[3] & termios.ECHO)


@pytest.mark.parametrize("how", ["ctrl-c", "SIGTERM", "SIGHUP"])
def test_interrupted_password_prompt_restores_echo(cli, tmp_path, how):
    """Issue 13 item 11: Ctrl-C at the prompt left the terminal with echo off. Echo is
    off exactly while bitsht waits for the password, and back on whatever ends it."""
    with prompt_session(cli, tmp_path) as (proc, master, slave):
        read_until(master, "Password for CORP\\alice: ")
        assert not echo_is_on(slave)
        if how == "ctrl-c":
            os.write(master, b"\x03")
        else:
            proc.send_signal(getattr(signal, how))
        code = proc.wait(timeout=30)
        out = read_until(master, "interrupted", timeout=5)
        assert code == 2, out
        assert "bitsht: error: the password prompt: interrupted; no job was created" in out
        assert echo_is_on(slave)
        assert not (tmp_path / "p.bin").exists()


@pytest.mark.parametrize("options", [[], ["--password-stdin"]])
def test_password_typed_at_the_prompt_is_not_echoed(cli, tmp_path, options):
    """--password-stdin on a terminal read the typed line with echo on (found in the
    final attack): it prompts like the default now."""
    with prompt_session(cli, tmp_path, *options) as (proc, master, slave):
        read_until(master, "Password for CORP\\alice: ")
        assert not echo_is_on(slave)
        os.write(master, (PASSWORD + "\n").encode())
        code = proc.wait(timeout=30)
        out = read_until(master, "transferred 1 file", timeout=5)
        assert code == 0, out
        assert PASSWORD not in out
        assert echo_is_on(slave)


def full_pipe():
    """A pipe whose buffer is full: the first write to it blocks."""
    r, w = os.pipe()
    flags = fcntl.fcntl(w, fcntl.F_GETFL)
    fcntl.fcntl(w, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    try:
        while True:
            os.write(w, b"x" * 4096)
    except BlockingIOError:
        pass
    fcntl.fcntl(w, fcntl.F_SETFL, flags)
    return r, w


def wait_until_blocked_writing(proc):
    """Waits until proc blocks writing to a full pipe (skips where /proc hides it)."""
    deadline = time.monotonic() + 30
    while "pipe_write" not in (wchan := Path(f"/proc/{proc.pid}/wchan").read_text()):
        if wchan.strip() == "0" and time.monotonic() > deadline - 25:
            pytest.skip("this kernel hides /proc/PID/wchan: cannot see the blocked write")
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.01)


@pytest.mark.parametrize("user, said, code", [
    ("alice", b"bitsht: warning: a password on the command line", 0),
    # issue 14: refused by the parser (no USER): wiped before the error is printed
    ("", b"bitsht: error: the sample form needs a USER name (it is empty)", 2),
])
def test_sample_form_password_leaves_cmdline_before_the_warning(cli, tmp_path, user, said, code):
    """Issue 13 item 13: the warning was printed before argv was wiped, so while stderr
    blocked, /proc/PID/cmdline (ps) showed the password. Now it is gone first; so on a
    usage error, whose message may block the same way."""
    world = cli.world()
    r, w = full_pipe()
    proc = subprocess.Popen([*cli.command, "https://cdn.example/public.bin",
                             str(tmp_path / "p.bin"), "CORP", user, PASSWORD],
                            env=clean_env({"BITSHT_FAKE_WORLD": str(world)}), stderr=w,
                            stdout=subprocess.DEVNULL)
    os.close(w)
    try:
        wait_until_blocked_writing(proc)
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        assert b"p.bin\0CORP\0" + user.encode() in cmdline  # it is the blocked bitsht
        assert PASSWORD.encode() not in cmdline
    finally:
        drained = b""
        while chunk := os.read(r, 65536):  # EOF once bitsht has exited
            drained += chunk
        proc.wait(timeout=30)
        os.close(r)
    assert said in drained
    assert proc.returncode == code


def memory_holds(pid, secret):
    """Whether any readable mapping of process pid holds the bytes of secret (the
    process is stopped while it is read)."""
    os.kill(pid, signal.SIGSTOP)
    try:
        found = False
        with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
            for line in maps:
                fields = line.split()
                start, end = (int(x, 16) for x in fields[0].split("-"))
                if "r" not in fields[1] or (len(fields) > 5 and fields[5] == "[vvar]"):
                    continue
                try:
                    mem.seek(start)
                    if secret in mem.read(end - start):
                        found = True
                except OSError:
                    continue
        return found
    finally:
        os.kill(pid, signal.SIGCONT)


@pytest.mark.parametrize("source", ["stdin", "env"])
def test_password_is_nowhere_in_memory_while_the_job_runs(cli, tmp_path, source):
    """Issue 13 item 14: a stdin password stayed in stdio's buffer for the whole run.
    new-credentials logs on whatever the password (C105), so the world need not hold it
    and any copy found mid-job is one bitsht kept."""
    secret = (PASSWORD + "-mem").encode()
    world = cli.world(ENDLESS)
    if source == "stdin":
        extra, kw = ["--password-stdin"], {"stdin": secret.decode() + "\n"}
    else:
        extra, kw = ["--password-env", "BHT_PW"], {"env": {"BHT_PW": secret.decode()}}
    out = tmp_path / "out"
    out.mkdir()
    run = Running(cli, "transfer", "--fake-world", world, "--timeout", "0", "--user",
                  "CORP\\alice", "--logon-type", "new-credentials", *extra,
                  "https://cdn.example/endless", out / "e.bin", **kw)
    try:
        run.wait_for("job state TRANSFERRING")
        assert memory_holds(run.proc.pid, b"CORP\\alice")  # the scan sees the heap
        assert not memory_holds(run.proc.pid, secret)
        assert secret not in Path(f"/proc/{run.proc.pid}/environ").read_bytes()
    finally:
        run.proc.send_signal(signal.SIGINT)
        code, _ = run.finish()
    assert code == 1


def test_nul_byte_in_the_stdin_password_is_refused(cli, tmp_path):
    proc, rep = cli.transfer_json(*helper("local"), "https://cdn.example/public.bin",
                                  tmp_path / "p.bin", stdin=PASSWORD + "\0junk\n")
    assert proc.returncode == 2
    assert rep["detail"] == "--password-stdin: the password contains a NUL byte"
    assert rep["job_id"] is None and not (tmp_path / "p.bin").exists()


# --- --json is always JSON (issue 13 item 16) ---

def run_bytes(cli, *args, stdin=b""):
    """The CLI with arguments that may not be UTF-8 (bytes), output kept as bytes."""
    proc = subprocess.run([*cli.command, *args], input=stdin, capture_output=True,
                          env=clean_env(), timeout=60)
    cli.outputs.append(proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace"))
    return proc


@pytest.mark.parametrize("remote,local,fragment", [
    (b"https://cdn.example/public.bin", b"/tmp/bht-\xff\xfe.bin", "/tmp/bht-\ufffd\ufffd.bin"),
    (b"https://cdn.example/\xc3(", b"/tmp/bht-x.bin", "https://cdn.example/\ufffd("),
    (b"https://cdn.example/\x1b]0;owned\x07", b"/tmp/bht-x.bin", "\x1b]0;owned\x07"),
    (b"https://cdn.example/public.bin", b"/tmp/\"},\"exit_code\":0,\"x\":{\"\xff",
     "/tmp/\"},\"exit_code\":0,\"x\":{\"\ufffd"),
])
def test_json_report_is_valid_json_whatever_the_input(cli, remote, local, fragment):
    """A path that is not UTF-8 went into "detail" raw, so the report was not JSON; now
    every byte outside valid UTF-8 is U+FFFD and control characters are escaped."""
    world = str(cli.world()).encode()
    proc = run_bytes(cli, b"transfer", b"--fake-world", world, b"--json", b"--no-helper-token",
                     remote, local)
    assert proc.returncode == 2
    rep = json.loads(proc.stdout)  # strict: bytes must be UTF-8, control chars escaped
    assert rep["exit_code"] == 2 and rep["job_id"] is None
    assert fragment in rep["detail"]
    assert b"\x1b" not in proc.stdout


def test_usage_error_as_json_is_valid_json(cli):
    proc = run_bytes(cli, b"transfer", b"--json", b"--user", b"CORP\\\xff", b"--bogus")
    assert proc.returncode == 2
    rep = json.loads(proc.stdout)
    assert rep["outcome"] == "bad_input"


@pytest.mark.parametrize("option", ["--fake-state", "--fake-world"])
def test_a_folder_as_a_fake_file_is_named_in_the_error(cli, tmp_path, option):
    """Issue 13 item 16: a folder as --fake-state printed "bitsht: error: " and nothing
    more (fopen opens a folder; the read fails with EISDIR and said nothing)."""
    folder = tmp_path / "a-folder"
    folder.mkdir()
    proc = cli.run("list", option, folder, "--json")
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["detail"] == f"{folder}: cannot read (Is a directory)"
    assert f"bitsht: error: {folder}: cannot read (Is a directory)\n" in proc.stderr


def test_json_escapes_every_control_character_quote_and_backslash(cli):
    """Issue 14: the JSON report of a usage error that echoes the input is valid JSON for
    every ASCII control character, '"', '\\' and DEL, and a JSON parser gets the input back
    exactly (tests/unit/cli_output.c pins the escapes byte for byte)."""
    raw = "".join(chr(c) for c in range(1, 0x20)) + '"q\\b/' + chr(0x7F)
    proc = cli.run("transfer", "--json", "--backend", "fake", "--timeout", raw,
                   "https://cdn.example/public.bin", str(cli.tmp / "out.bin"))
    assert proc.returncode == 2
    report = json.loads(proc.stdout)
    assert report["outcome"] == "bad_input"
    assert report["exit_code"] == 2
    assert raw in report["detail"]
    # Only the escapes JSON requires: no raw control character reaches stdout.
    assert not any(ord(ch) < 0x20 for ch in proc.stdout.rstrip("\n"))


# --- found in the final attack ---

def test_a_password_given_as_the_variable_name_is_never_repeated(cli, tmp_path):
    """`--password-env S3cret!` (the password instead of a variable name) was repeated in
    "the environment variable S3cret! is not set" and stayed in /proc/PID/cmdline."""
    world = cli.world()
    proc = cli.run("transfer", "--fake-world", world, "--user", "CORP\\alice",
                   "--password-env", PASSWORD, "https://cdn.example/public.bin",
                   tmp_path / "p.bin")
    assert proc.returncode == 2
    assert "--password-env takes the NAME of an environment variable" in proc.stderr
    # the fixture's teardown checks that PASSWORD appears in no output


def test_a_control_character_in_the_user_never_reaches_a_logon(cli, tmp_path):
    """A newline in --user forged a stage line ("logging on CORP\\al" / "ice") and
    reached LogonUser (exit 3, a job created)."""
    proc, rep = cli.transfer_json("--user", "CORP\\al\nice", "--password-stdin",
                                  "https://cdn.example/public.bin", tmp_path / "p.bin")
    assert proc.returncode == 2
    assert rep["detail"] == "--user takes DOMAIN\\USER or USER@DOMAIN, got 'CORP\\al\nice'"
    assert "bitsht: error: --user takes DOMAIN\\USER or USER@DOMAIN, got 'CORP\\al?ice'\n" \
        in proc.stderr  # the text line shows the newline as '?'
    assert rep["job_id"] is None and "logging on" not in proc.stderr


@pytest.mark.parametrize("args,code,why", [
    (["list", "--json"], 1, "No space left on device"),
    (["--help"], 1, "No space left on device"),
    (["--version"], 1, "No space left on device"),  # issue 14: main.c's version path
    (["transfer", "--json", "--no-helper-token", "https://cdn.example/public.bin", "{dest}"], 0,
     "a write failed"),  # the report's own flush failed first
])
def test_output_that_cannot_be_written_is_an_error(cli, tmp_path, args, code, why):
    """`bitsht list --json > /dev/full` exited 0 with nothing written. A lost result is an
    error now; a transfer keeps its code (the file is in place) but says so."""
    world = cli.world()
    args = [a.format(dest=tmp_path / "p.bin") for a in args]
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*cli.command, *args], stdout=full, stderr=subprocess.PIPE,
                              text=True, env=clean_env({"BITSHT_FAKE_WORLD": str(world)}),
                              timeout=60)
    assert proc.returncode == code
    assert f"bitsht: error: cannot write to standard output: {why}\n" in proc.stderr


def test_echoed_input_never_drives_the_terminal(cli, tmp_path):
    """An ESC in an echoed URL reached the terminal (`ESC ]0;owned BEL` retitles it); text
    output shows control characters as '?' (JSON escapes them)."""
    world = cli.world()
    proc = cli.run("transfer", "--fake-world", world, "--no-helper-token",
                   "https://cdn.example/\x1b]0;owned\x07", tmp_path / "x.bin")
    assert proc.returncode == 2
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert ("bitsht: error: file 1: remote name contains a control character: "
            "'https://cdn.example/?]0;owned?' (step validate)\n") in proc.stderr


# ---- issue 13: the state file shared by processes ----------------------------------------

BROKEN_CANCEL = "fault cancel call=1 hr=0x80004005 persistent"  # leaves the job queued


def _leave_a_job(cli, world, state, dest):
    """A transfer whose Cancel fails: its job stays in the queue of state (exit 4)."""
    return subprocess.Popen([*cli.command, "transfer", "--fake-world", str(world),
                             "--fake-state", str(state), "--json", "--no-helper-token",
                             "--timeout", "1", "https://cdn.example/stuck", str(dest)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _list(cli, world, state):
    return subprocess.run([*cli.command, "list", "--fake-world", str(world), "--fake-state",
                           str(state), "--json"], capture_output=True, text=True, timeout=60)


def test_concurrent_runs_sharing_a_state_file_lose_no_job(cli, tmp_path):
    """Item 7: eight transfers at once on one --fake-state each leave a job; all eight are
    in the queue afterwards, with eight different ids, and every `list` run meanwhile
    succeeds. (Before: saves overwrote each other, ids repeated, lists failed with
    'cannot replace the state file'.)"""
    world = cli.world(BROKEN_CANCEL)
    state = tmp_path / "q.state"
    runs = [_leave_a_job(cli, world, state, tmp_path / f"out{i}") for i in range(8)]
    lists = [_list(cli, world, state) for _ in range(10)]
    reports = []
    for p in runs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 4, err
        reports.append(json.loads(out))
    for proc in lists:
        assert proc.returncode == 0, proc.stderr
        json.loads(proc.stdout)
    ids = {r["job_id"] for r in reports}
    assert len(ids) == 8 and all(r["job_left_in_queue"] for r in reports)
    listed = {j["id"] for j in json.loads(_list(cli, world, state).stdout)["jobs"]}
    assert listed == ids


def test_read_only_commands_never_write_the_state_file(cli, tmp_path):
    """Item 8: list, token-sid and token-flags without flags only read: the state file is
    the same file afterwards and nothing is created beside it."""
    world = cli.world(BROKEN_CANCEL)
    folder = tmp_path / "queue"
    folder.mkdir()
    state = folder / "q.state"
    p = _leave_a_job(cli, world, state, tmp_path / "out")
    out, _ = p.communicate(timeout=60)
    job = json.loads(out)["job_id"]
    before = (os.stat(state).st_ino, os.stat(state).st_mtime_ns, sorted(os.listdir(folder)))
    for args in (("list",), ("token-sid", job), ("token-flags", job)):
        proc = cli.run(*args, "--fake-world", world, "--fake-state", state)
        assert proc.returncode in (0, 3), proc.stderr  # token-sid: no helper on this job
    assert (os.stat(state).st_ino, os.stat(state).st_mtime_ns,
            sorted(os.listdir(folder))) == before


def test_a_state_folder_nobody_may_write_stops_a_transfer_before_any_job(cli, shared_dir):
    """Item 8: a changing command must lock (and later save) the state file: a folder the
    user may not write gives exit 2 before any job, instead of exit 1 after a delivered
    file; list still reads it."""
    command = _as_nobody(cli)
    world = os.path.join(shared_dir, "t.world")
    with open(world, "w") as f:
        f.write("resource https://cdn.example/public.bin size=3000\n")
    folder = os.path.join(shared_dir, "queue")
    os.mkdir(folder)  # root's, 0755: nobody may not create files in it
    state = os.path.join(folder, "q.state")
    with open(state, "w") as f:
        f.write("bitsht-fake-state 1\nclock 0\nnext-serial 1\nend 0\n")
    dest = os.path.join(shared_dir, "out.bin")
    proc = subprocess.run([*command, "transfer", "--fake-world", world, "--fake-state", state,
                           "--json", "--no-helper-token", "https://cdn.example/public.bin",
                           dest], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    rep = json.loads(proc.stdout)
    assert rep["exit_code"] == 2 and "cannot lock the state file" in rep["detail"], rep
    assert not os.path.exists(dest)
    proc = subprocess.run([*command, "list", "--fake-world", world, "--fake-state", state],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_a_failed_save_is_reported_once_and_the_json_agrees(cli, tmp_path):
    """Item 8: the queue is saved before the report is printed: a save that fails turns a
    delivered transfer into exit 1, and the JSON says exit_code 1 and why, once."""
    world = cli.world()
    state = tmp_path / "q.state"
    (tmp_path / "q.state.tmp").mkdir()  # the save's temporary cannot be made
    (tmp_path / "q.state.tmp" / "x").write_text("")
    dest = tmp_path / "out.bin"
    proc = cli.run("transfer", "--fake-world", world, "--fake-state", state, "--json",
                   "--no-helper-token", "https://cdn.example/public.bin", dest)
    assert proc.returncode == 1, proc.stderr
    rep = json.loads(proc.stdout)
    assert rep["exit_code"] == 1 and rep["outcome"] == "transfer_failed"
    assert "every file is in place, but the fake queue could not be saved" in rep["detail"]
    assert dest.stat().st_size == 3000
    assert "could not save" not in proc.stderr  # not a second time


@pytest.mark.parametrize("args, code, stdout", [
    (["cleanup"], 1, "cancelled 0 jobs\n"),  # it had succeeded: the lost queue makes it fail
    (["clear-token", "{00000000-0000-0000-0000-000000000000}"], 2, ""),  # its own code stays
])
def test_a_failed_save_after_a_job_command_is_an_error(cli, tmp_path, args, code, stdout):
    """Issue 14 (main.c): a job command whose fake queue cannot be saved at the end says
    so once, after its own output; exit 1 if it had succeeded, its own code otherwise."""
    state = tmp_path / "q.state"
    (tmp_path / "q.state.tmp").mkdir()  # the save's temporary cannot be made
    (tmp_path / "q.state.tmp" / "x").write_text("")
    proc = cli.run(*args, "--fake-world", cli.world(), "--fake-state", state)
    assert proc.returncode == code, proc.stderr
    assert proc.stdout == stdout
    last = proc.stderr.splitlines()[-1]
    assert last.startswith(f"bitsht: error: could not save the fake queue: {state}.tmp: "
                           "cannot write ("), proc.stderr
    assert proc.stderr.count("could not save") == 1
    assert not state.exists()


def test_a_password_read_before_a_refused_backend_is_gone_before_the_error(cli, tmp_path):
    """Issue 14 (main.c): the password is read before the backend opens; when the backend
    is refused (exit 2), the password is wiped before the error is printed, which may
    block on a full stderr as here: meanwhile no copy of it is in the process's memory."""
    secret = (PASSWORD + "-backend").encode()
    r, w = full_pipe()
    proc = subprocess.Popen([*cli.command, "transfer", "--backend", "bogus", "--user",
                             "CORP\\alice", "--password-stdin", "https://cdn.example/public.bin",
                             str(tmp_path / "p.bin")],
                            env=clean_env(), stdin=subprocess.PIPE, stderr=w,
                            stdout=subprocess.DEVNULL)
    os.close(w)
    try:
        proc.stdin.write(secret + b"\n")
        proc.stdin.close()
        wait_until_blocked_writing(proc)
        assert memory_holds(proc.pid, b"CORP\\alice")  # the scan sees its memory
        assert not memory_holds(proc.pid, secret)
    finally:
        drained = b""
        while chunk := os.read(r, 65536):
            drained += chunk
        proc.wait(timeout=30)
        os.close(r)
    assert drained.endswith(b"bitsht: error: unknown backend 'bogus' (fake or com)\n")
    assert proc.returncode == 2
    assert not (tmp_path / "p.bin").exists()


def test_a_usage_error_names_the_problem_then_the_usage(cli):
    """Issue 14 (main.c): the error, then the one-line usage; stdout stays empty (or holds
    only the JSON error with --json)."""
    usage = "usage: bitsht transfer [options] REMOTE LOCAL ... (see bitsht --help)\n"
    proc = cli.run("frobnicate")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == ("bitsht: error: unknown command 'frobnicate' (see bitsht --help)\n"
                           + usage)
    proc = cli.run("list", "--json", "--bogus")
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["detail"] == "list: unexpected argument '--bogus'"
    assert proc.stderr == "bitsht: error: list: unexpected argument '--bogus'\n" + usage


def test_a_json_error_comes_before_the_text_one_on_a_shared_stream(cli):
    """Issue 14 (output.c): with stdout and stderr on one pipe (2>&1), the JSON object is
    written out before the 'bitsht: error:' line, not at exit after it."""
    proc = subprocess.run([*cli.command, "list", "--json", "--bogus"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=60)
    assert proc.returncode == 2
    first, second = proc.stdout.splitlines()[:2]
    assert json.loads(first)["exit_code"] == 2
    assert second == "bitsht: error: list: unexpected argument '--bogus'"


def test_doctor_saves_the_fake_queue_it_used(cli, tmp_path):
    """Issue 14 (main.c): doctor's throw-away jobs take job ids from the shared fake queue,
    so it saves the queue like any command that changes it (ids stay unique)."""
    state = tmp_path / "q.state"
    proc = cli.run("doctor", "--fake-world", cli.world(), "--fake-state", state)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert state.exists() and state.stat().st_size > 0
