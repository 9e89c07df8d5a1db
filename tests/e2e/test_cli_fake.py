"""End-to-end tests of the native bitsht CLI on fake worlds (labels e2e, fake).

Each test writes a world file into its own temporary folder, runs the built CLI as a
user would, and checks the exit code, the JSON report, the files on disk and that the
password never appears in any output.
"""
import json
import os
import subprocess
import time

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
