"""End-to-end tests of `bitsht doctor` and `transfer --allow-metered` (issue 17).

Natively on fake worlds: the text and the JSON of the demo world, one world per failing or
warning check (exact statuses and exit codes), bad input (exit 2), the helper checks, and a
metered world where a job is held without --allow-metered and transfers with it.
Under Wine (mingw64) on Wine's real BITS: which checks answer and which say `unknown`.
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO_WORLD = REPO / "fakes" / "worlds" / "demo.world"
PASSWORD = "Pl4nted-S3cret-7q"  # planted: must never appear in any output
CHECKS = ["bits-service", "logon-session", "bits-version", "helper-token-support",
          "job-limits", "network-cost", "proxy"]
HELPER_CHECKS = ["helper-logon", "helper-token-rule"]

WORLD = r"""
user CORP\alice password={pw}
user CORP\root password={pw} admin
user CORP\bob password=hunter2
option owner=CORP\bob
resource https://cdn.example/public.bin size=3000
{extra}
"""


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BITSHT_")}
    env.update(extra or {})
    return env


@pytest.fixture
def doctor(bitsht, tmp_path):
    """doctor(extra_world_lines, *args, stdin=None) -> (process, parsed JSON or None)."""
    outputs = []

    def run(extra="", *args, stdin=None, json_out=True, world=None):
        if world is None:
            world = tmp_path / "t.world"
            world.write_text(WORLD.format(pw=PASSWORD, extra=extra))
        argv = [*bitsht, "doctor", "--backend", "fake", "--fake-world", str(world),
                *(["--json"] if json_out else []), *args]
        proc = subprocess.run(argv, input=stdin, capture_output=True, text=True,
                              env=clean_env(), timeout=60)
        outputs.append(proc.stdout + proc.stderr)
        rep = json.loads(proc.stdout) if json_out and proc.stdout.strip() else None
        return proc, rep

    yield run
    for out in outputs:
        assert PASSWORD not in out


def statuses(rep):
    return {c["id"]: c["status"] for c in rep["checks"]}


def check(rep, cid):
    return next(c for c in rep["checks"] if c["id"] == cid)


@pytest.mark.builds("linux")
def test_demo_world_text_has_a_reason_and_a_fix_line_per_check(doctor):
    proc, _ = doctor(world=DEMO_WORLD, json_out=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2 * len(CHECKS) + 1
    for i, cid in enumerate(CHECKS):
        status, name = lines[2 * i].split()[:2]
        assert (status, name) == ("pass", cid)
        assert lines[2 * i + 1].strip().startswith("fix: nothing to do")
    assert lines[-1] == "7 pass, 0 warn, 0 fail, 0 unknown"
    assert "BITS 10.3" in lines[4]


@pytest.mark.builds("linux")
def test_demo_world_json_lists_every_check_with_id_status_reason_fix(doctor):
    proc, rep = doctor(world=DEMO_WORLD)
    assert proc.returncode == 0
    assert [c["id"] for c in rep["checks"]] == CHECKS
    for c in rep["checks"]:
        assert set(c) == {"id", "status", "reason", "fix", "hresult"}
        assert c["status"] == "pass" and c["reason"] and c["fix"] == "nothing to do"
        assert c["hresult"] is None
    assert rep["exit_code"] == 0


# One world per failing or warning check: (world lines, check, status, exit code).
VERDICTS = [
    ("system start=disabled service=stopped", "bits-service", "fail", 1),
    ("system service=absent", "bits-service", "fail", 1),
    ("system service=paused", "bits-service", "warn", 0),
    ("system session=batch", "logon-session", "fail", 1),           # C109
    ("system session=service", "logon-session", "fail", 1),         # C109
    ("system session=network", "logon-session", "fail", 1),         # C109
    ("system session=new-credentials", "logon-session", "warn", 0),
    ("system session=system", "logon-session", "pass", 0),
    ("system bits-version=3.0", "bits-version", "fail", 1),
    ("system bits-version=4.0", "bits-version", "warn", 0),
    ("option profile=wine8", "helper-token-support", "fail", 1),    # C87
    ("system policy-max-jobs-per-user=0", "job-limits", "fail", 1),  # C05 (policy)
    ("system cost=roaming", "network-cost", "warn", 0),
    ("system cost=variable", "network-cost", "warn", 0),
    ("system proxy=named:proxy.corp.example:8080", "proxy", "warn", 0),  # C114
    ("system proxy=auto:http://wpad/wpad.dat", "proxy", "warn", 0),
    ("system session=unknown", "logon-session", "unknown", 0),
    ("system cost=unknown proxy=unknown bits-version=unknown", "network-cost", "unknown", 0),
]


@pytest.mark.builds("linux")
@pytest.mark.parametrize("extra,cid,status,code", VERDICTS,
                         ids=[f"{v[1]}-{v[2]}-{v[0].split()[-1]}" for v in VERDICTS])
def test_each_world_gives_its_verdict_and_exit_code(doctor, extra, cid, status, code):
    proc, rep = doctor(extra)
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert rep["exit_code"] == code
    assert check(rep, cid)["status"] == status
    others = {k: v for k, v in statuses(rep).items() if k != cid}
    expected_others = {k: "pass" for k in CHECKS if k != cid}
    if "unknown" in extra and cid == "network-cost":
        expected_others.update({"proxy": "unknown", "bits-version": "unknown"})
    if cid == "bits-service" and status == "fail":  # the fake's BITS cannot be reached either
        expected_others.update({"helper-token-support": "fail", "job-limits": "unknown"})
    if extra == "system policy-max-jobs-per-user=0":
        expected_others["helper-token-support"] = "fail"  # the probe job is refused too
    assert others == expected_others


@pytest.mark.builds("linux")
def test_policy_limit_failure_names_the_hresult_the_probe_got(doctor):
    proc, rep = doctor("system policy-max-jobs-per-user=0")
    probe = check(rep, "helper-token-support")
    assert probe["hresult"]["hex"] == "0x80200049"
    assert probe["hresult"]["name"] == "BG_E_TOO_MANY_JOBS_PER_USER"
    assert "MaxJobsPerUser policy" in check(rep, "job-limits")["reason"]


@pytest.mark.builds("linux")
def test_disabled_bits_fails_a_transfer_with_exit_5_and_doctor_says_why(doctor, bitsht, tmp_path):
    proc, rep = doctor("system start=disabled")
    assert check(rep, "helper-token-support")["hresult"]["hex"] == "0x80070422"
    world = tmp_path / "t.world"  # the world doctor() just wrote
    proc = subprocess.run([*bitsht, "transfer", "--backend", "fake", "--fake-world", str(world),
                           "--json", "--no-helper-token", "https://cdn.example/public.bin",
                           str(tmp_path / "p.bin")], capture_output=True, text=True,
                          env=clean_env(), timeout=60)
    assert proc.returncode == 5, proc.stderr
    assert json.loads(proc.stdout)["hresult"]["hex"] == "0x80070422"


@pytest.mark.builds("linux")
def test_helper_checks_pass_for_a_good_helper(doctor):
    proc, rep = doctor("", "--user", "CORP\\alice", "--password-stdin", "--token-flags",
                       "local,network", stdin=PASSWORD + "\n")
    assert proc.returncode == 0, proc.stderr
    assert [c["id"] for c in rep["checks"]] == CHECKS + HELPER_CHECKS
    assert statuses(rep)["helper-logon"] == "pass"
    assert statuses(rep)["helper-token-rule"] == "pass"
    assert "flags 0x3" in check(rep, "helper-token-rule")["reason"]


@pytest.mark.builds("linux")
def test_admin_helper_for_a_non_admin_owner_fails_c92(doctor):
    proc, rep = doctor("", "--user", "CORP\\root", "--password-stdin", stdin=PASSWORD + "\n")
    assert proc.returncode == 1
    rule = check(rep, "helper-token-rule")
    assert rule["status"] == "fail"
    assert rule["hresult"]["hex"] == "0x80070005"
    assert "C92" in rule["reason"]


@pytest.mark.builds("linux")
def test_wrong_password_fails_helper_logon_and_leaves_the_rule_unknown(doctor):
    proc, rep = doctor("", "--user", "CORP\\alice", "--password-stdin", stdin="wrong\n")
    assert proc.returncode == 1
    assert check(rep, "helper-logon")["hresult"]["hex"] == "0x8007052E"
    assert statuses(rep)["helper-token-rule"] == "unknown"


@pytest.mark.builds("linux")
def test_network_logon_with_network_flag_warns_c113(doctor):
    proc, rep = doctor("", "--user", "CORP\\alice", "--password-stdin", "--logon-type",
                       "network", "--token-flags", "network", stdin=PASSWORD + "\n")
    assert proc.returncode == 0
    assert statuses(rep)["helper-logon"] == "warn"
    assert "C113" in check(rep, "helper-logon")["reason"]


@pytest.mark.builds("linux")
@pytest.mark.parametrize("args,message", [
    (["--password-stdin"], "doctor: a password option, --logon-type and --token-flags need "
                           "--user DOMAIN\\USER"),
    (["--token-flags", "local"], "need --user"),
    (["--logon-type", "sideways", "--user", "CORP\\alice"], "--logon-type takes"),
    (["--timeout", "5"], "doctor: unexpected argument '--timeout'"),
    (["extra"], "doctor: unexpected argument 'extra'"),
])
def test_bad_input_exits_2_before_any_check(doctor, args, message):
    proc, rep = doctor("", *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert rep["outcome"] == "bad_input" and "checks" not in rep


@pytest.mark.builds("linux")
def test_unreadable_world_is_bad_input(doctor, tmp_path):
    proc, _ = doctor(world=tmp_path / "missing.world", json_out=False)
    assert proc.returncode == 2


# C117: held on a roaming network without cost flags, moves with TRANSFER_ALWAYS
@pytest.mark.builds("linux")
def test_metered_world_holds_without_allow_metered_and_transfers_with_it(bitsht, tmp_path):
    world = tmp_path / "metered.world"
    world.write_text(WORLD.format(pw=PASSWORD, extra="system cost=roaming"))
    base = [*bitsht, "transfer", "--backend", "fake", "--fake-world", str(world), "--json",
            "--no-helper-token", "--timeout", "60", "https://cdn.example/public.bin"]
    held = subprocess.run([*base, str(tmp_path / "held.bin")], capture_output=True, text=True,
                          env=clean_env(), timeout=60)
    rep = json.loads(held.stdout)
    assert held.returncode == 4, held.stderr
    assert rep["outcome"] == "timeout" and rep["final_state"] == "CANCELLED"
    assert rep["bytes"]["transferred"] == 0 and rep["cost_flags"] is None
    assert "job state QUEUED" in held.stderr and "TRANSFERRING" not in held.stderr
    assert not (tmp_path / "held.bin").exists()
    moved = subprocess.run([*base, "--allow-metered", str(tmp_path / "moved.bin")],
                           capture_output=True, text=True, env=clean_env(), timeout=60)
    rep = json.loads(moved.stdout)
    assert moved.returncode == 0, moved.stderr
    assert rep["outcome"] == "success" and rep["cost_flags"] == "transfer_always"
    assert (tmp_path / "moved.bin").stat().st_size == 3000


# C117: no IBackgroundCopyJob5: a warning, and the transfer goes on
@pytest.mark.builds("linux")
def test_allow_metered_without_job5_warns_and_goes_on(bitsht, tmp_path):
    world = tmp_path / "w.world"
    world.write_text(WORLD.format(pw=PASSWORD, extra="option profile=wine8"))
    proc = subprocess.run([*bitsht, "transfer", "--backend", "fake", "--fake-world", str(world),
                           "--json", "--no-helper-token", "--allow-metered",
                           "https://cdn.example/public.bin", str(tmp_path / "p.bin")],
                          capture_output=True, text=True, env=clean_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["cost_flags"] == "unsupported"
    assert ("bitsht: warning: --allow-metered: this BITS cannot set job cost flags (no "
            "IBackgroundCopyJob5)") in proc.stderr


# ---- Wine's real BITS (bitsht.exe under ci/wine-run) ----

# Measured on Wine 8.0 (Debian 12), fresh prefix: what answers and what cannot tell.
WINE_STATUSES = {
    "bits-service": "pass",          # SCM answers: BITS running, start type manual
    "logon-session": "pass",         # LSA gives no logon type; the token's INTERACTIVE SID does
    "bits-version": "unknown",       # no BackgroundCopyManagerX_Y class is registered
    "helper-token-support": "fail",  # no IBitsTokenOptions: E_NOINTERFACE (C87)
    "job-limits": "pass",            # the user is an administrator: exempt, machine visible
    "network-cost": "pass",          # INetworkCostManager answers UNRESTRICTED
    "proxy": "warn",                 # WinHTTP: IE settings say auto-detect (WPAD)
}


@pytest.mark.builds("mingw64")
def test_wine_doctor_says_which_checks_answer_and_which_cannot_tell(run_bitsht):
    proc = run_bitsht("doctor", "--backend", "com", "--json")
    rep = json.loads(proc.stdout)
    assert statuses(rep) == WINE_STATUSES, rep
    assert proc.returncode == 1 and rep["exit_code"] == 1
    assert check(rep, "helper-token-support")["hresult"]["name"] == "E_NOINTERFACE"
    assert check(rep, "network-cost")["reason"].endswith("(cost 0x1): jobs transfer without waiting")
    # the throw-away job was cancelled: nothing of ours is left
    listed = json.loads(run_bitsht("list", "--backend", "com", "--json").stdout)["jobs"]
    assert [j for j in listed if j["state"] not in ("ACKNOWLEDGED", "CANCELLED")] == []


@pytest.mark.builds("mingw64")
def test_wine_doctor_with_a_helper_logs_on_but_cannot_impersonate(run_bitsht):
    proc = run_bitsht("doctor", "--backend", "com", "--json", "--user", "WINE\\helper",
                      "--password-stdin", stdin=PASSWORD + "\n")
    rep = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert statuses(rep)["helper-logon"] == "pass"         # Wine's LogonUserW accepts anything
    rule = check(rep, "helper-token-rule")
    assert rule["status"] == "fail" and rule["hresult"]["name"] == "E_NOINTERFACE"
    assert PASSWORD not in proc.stdout + proc.stderr


# C117: Wine 8.0's BITS has no IBackgroundCopyJob5
@pytest.mark.builds("mingw64")
def test_wine_allow_metered_warns_and_transfers(run_bitsht, host_path, http_server, work_dir):
    http_server.add_file("m.bin", b"m" * 5000)
    dest = work_dir / "m.bin"
    proc = run_bitsht("transfer", "--backend", "com", "--json", "--no-helper-token",
                      "--allow-metered", "--timeout", "120", http_server.url("m.bin"),
                      host_path(dest))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["cost_flags"] == "unsupported"
    assert "cannot set job cost flags (no IBackgroundCopyJob5)" in proc.stderr
    assert dest.read_bytes() == b"m" * 5000


# ---- the COM fake (fakes/com, bitsht_fakebits.dll) under Wine ----

COM_FAKE_WORLD = r"""
user CORP\alice password={pw}
user CORP\bob password=hunter2
option owner=CORP\bob
resource https://cdn.example/public.bin size=3000
system cost=roaming
"""


@pytest.fixture
def com_fake_env(work_dir, host_path):
    world = work_dir / "m.world"
    world.write_text(COM_FAKE_WORLD.format(pw=PASSWORD))
    return {"BITSHT_COM_SERVER": "bitsht_fakebits.dll", "BITSHT_FAKE_WORLD": host_path(world)}


@pytest.mark.builds("mingw64")
def test_com_fake_doctor_asks_bits_through_com(run_bitsht, com_fake_env):
    """The BITS checks go through src/com to the COM fake (Windows-like: token options,
    the caller's jobs, no all-users view for a non-administrator); the machine checks stay
    Win32's questions, answered by Wine."""
    proc = run_bitsht("doctor", "--backend", "com", "--json", env=com_fake_env)
    rep = json.loads(proc.stdout)
    assert statuses(rep) == dict(WINE_STATUSES, **{"helper-token-support": "pass"})
    assert "machine: not visible" in check(rep, "job-limits")["reason"]
    assert proc.returncode == 0


# C117 through COM: IBackgroundCopyJob5::SetProperty(COST_FLAGS) on the COM fake
@pytest.mark.builds("mingw64")
def test_com_fake_metered_job_is_held_without_allow_metered_and_moves_with_it(
        run_bitsht, com_fake_env, work_dir, host_path):
    base = ["transfer", "--backend", "com", "--json", "--no-helper-token",
            "https://cdn.example/public.bin"]
    # held for 2 s: unheld, the fake moves these 3000 bytes in milliseconds
    held = run_bitsht(*base, "--timeout", "2", host_path(work_dir / "held.bin"),
                      env=com_fake_env)
    rep = json.loads(held.stdout)
    assert held.returncode == 4 and rep["final_state"] == "CANCELLED", held.stderr
    assert rep["cost_flags"] is None and "TRANSFERRING" not in held.stderr
    moved = run_bitsht(*base, "--timeout", "30", "--allow-metered",
                       host_path(work_dir / "moved.bin"), env=com_fake_env)
    rep = json.loads(moved.stdout)
    assert moved.returncode == 0, moved.stderr
    assert rep["cost_flags"] == "transfer_always"  # IBackgroundCopyJob5::SetProperty
    assert (work_dir / "moved.bin").stat().st_size == 3000
