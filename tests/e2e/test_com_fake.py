"""bitsht.exe over the COM-faithful fake BITS (bitsht_fakebits.dll, fakes/com), labels e2e.

BITSHT_COM_SERVER makes the COM backend (src/com) take its BITS manager from the DLL and
BITSHT_FAKE_WORLD gives the DLL its world, so the helper-token flow that Wine's own BITS
cannot run (no IBitsTokenOptions, LogonUserW accepts anything) runs end to end through the
code that speaks COM. Exit codes are the README's: 0 success, 3 helper token not set.
"""
import json
import os

import pytest

BUILDS = ("mingw64", "windows")

PASSWORD = "Pl4nted-S3cret-7q"  # planted: must never appear in any output


@pytest.fixture
def com_fake(bitsht, build, work_dir, host_path):
    """Runs bitsht.exe with the COM fake and a world written into the test's folder."""
    source = work_dir / "source.bin"
    source.write_bytes(os.urandom(150000))
    restricted = work_dir / "restricted"
    restricted.mkdir()

    def world(extra=""):
        path = work_dir / "test.world"
        path.write_text(
            f"user CORP\\alice password={PASSWORD}\n"
            "user CORP\\root password=toor admin\n"
            "option owner=CORP\\bob\n"
            "option clock-speed=100\n"
            f"resource https://files.corp.example/q3.pdf content={host_path(source)} "
            "rate=100000 readable-by=CORP\\alice auth=network\n"
            f"folder {host_path(restricted)} writable-by=CORP\\alice\n" + extra)
        return path

    def run(*args, extra="", password=PASSWORD):
        import subprocess
        env = dict(os.environ)
        for k in ("BITSHT_BACKEND", "BITSHT_FAKE_STATE"):
            env.pop(k, None)
        env.update({"BITSHT_COM_SERVER": "bitsht_fakebits.dll",
                    "BITSHT_FAKE_WORLD": host_path(world(extra)),
                    "BHT_E2E_PW": password})
        proc = subprocess.run([*bitsht, "transfer", "--backend", "com", "--json",
                               "--password-env", "BHT_E2E_PW", *map(str, args)],
                              capture_output=True, text=True, env=env, timeout=120)
        assert PASSWORD not in proc.stdout + proc.stderr
        report = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else None
        return proc, report

    run.source = source
    run.restricted = restricted
    return run


def test_helper_token_transfer_through_com_is_byte_identical(com_fake, host_path):
    out = com_fake.restricted / "q3.pdf"
    proc, report = com_fake("--user", "CORP\\alice", "--token-flags", "local,network",
                            "https://files.corp.example/q3.pdf", host_path(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["outcome"] == "success"
    assert report["final_state"] == "ACKNOWLEDGED"
    assert report["bytes"] == {"total": 150000, "transferred": 150000}
    assert out.read_bytes() == com_fake.source.read_bytes()


def test_wrong_password_through_com_exits_3_at_logon(com_fake, host_path):
    out = com_fake.restricted / "q3.pdf"
    proc, report = com_fake("--user", "CORP\\alice", "--token-flags", "local,network",
                            "https://files.corp.example/q3.pdf", host_path(out),
                            password="not-the-password")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert report["failed_step"] == "logon"
    assert report["hresult"]["hex"] == "0x8007052E"  # ERROR_LOGON_FAILURE (C104)
    assert report["final_state"] == "CANCELLED"
    assert not out.exists()


def test_admin_helper_of_plain_owner_through_com_exits_3_access_denied(com_fake, host_path):
    out = com_fake.restricted / "q3.pdf"
    proc, report = com_fake("--user", "CORP\\root", "--token-flags", "local",
                            "https://files.corp.example/q3.pdf", host_path(out),
                            password="toor")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert report["failed_step"] == "set_helper_token"
    assert report["hresult"]["hex"] == "0x80070005"  # E_ACCESSDENIED (C92)
    assert report["final_state"] == "CANCELLED"


def test_wine8_profile_through_com_exits_3_before_any_logon(com_fake, host_path):
    out = com_fake.restricted / "q3.pdf"
    proc, report = com_fake("--user", "CORP\\alice", "--token-flags", "local,network",
                            "https://files.corp.example/q3.pdf", host_path(out),
                            extra="option profile=wine8\n")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert report["failed_step"] == "token_options"
    assert report["hresult"]["hex"] == "0x80004002"  # E_NOINTERFACE (C87)
    assert report["final_state"] == "CANCELLED"
    assert "logging on" not in proc.stderr


def test_queue_persists_through_bitsht_fake_state(bitsht, work_dir, host_path):
    """BITSHT_FAKE_STATE: a job the first process could not cancel is still in the COM fake's
    queue for the next process (the DLL saves when its last object goes), as in BITS."""
    import subprocess
    (work_dir / "w.world").write_text(
        "option owner=CORP\\bob\n"
        "option clock-speed=100\n"
        "resource https://cdn.example/stuck size=100 stall\n"
        "fault cancel call=1 hr=0x80004005 persistent\n")
    env = dict(os.environ)
    env.pop("BITSHT_BACKEND", None)
    env.update({"BITSHT_COM_SERVER": "bitsht_fakebits.dll",
                "BITSHT_FAKE_WORLD": host_path(work_dir / "w.world"),
                "BITSHT_FAKE_STATE": host_path(work_dir / "q.state")})
    first = subprocess.run([*bitsht, "transfer", "--backend", "com", "--json",
                            "--no-helper-token", "--timeout", "2", "https://cdn.example/stuck",
                            host_path(work_dir / "out.bin")],
                           capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 4, first.stdout + first.stderr
    report = json.loads(first.stdout)
    assert report["job_left_in_queue"] is True
    assert (work_dir / "q.state").exists()
    second = subprocess.run([*bitsht, "list", "--backend", "com"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0, second.stdout + second.stderr
    assert report["job_id"] in second.stdout
    assert "TRANSFERRING" in second.stdout
