"""End-to-end tests of what real Windows does and the fake now models (issue 12): the
service going away mid-run, logon types that carry no credentials onward, bare user names
as local accounts, a proxy that asks for NTLM/Kerberos, new-credentials logons.

The native CLI on fake worlds (labels e2e, fake); the world and runner come from
test_cli_fake.py.
"""
import pytest

from test_cli_fake import PASSWORD, cli, helper  # noqa: F401 (cli is the fixture)

BUILDS = ("linux",)

# Issue 12 item 5: a call that meets one of these has lost the BITS service.
LOST_SERVICE = [
    ("0x80010108", "RPC_E_DISCONNECTED"),
    ("0x80010007", "RPC_E_SERVER_DIED"),
    ("0x80010012", "RPC_E_SERVER_DIED_DNE"),
    ("0x800706BF", "HRESULT_FROM_WIN32(RPC_S_CALL_FAILED_DNE)"),
    ("0x800401FD", "CO_E_OBJNOTCONNECTED"),
    ("0x800706BA", "HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)"),
]


@pytest.mark.parametrize("hexval,name", LOST_SERVICE)
def test_bits_going_away_mid_run_exits_5_and_points_to_cleanup(cli, tmp_path, hexval, name):
    # from the first wait on, every call fails: the service is gone, the job cannot be
    # cancelled, and the report says it may still be queued
    dead = "\n".join(f"fault {op} call=1 hr={hexval} persistent"
                     for op in ("wait", "get_state", "get_progress", "cancel"))
    proc, rep = cli.transfer_json(*helper("network"), r"\\fs01\finance\ledger.xlsx",
                                  tmp_path / "x", world_extra=dead)
    assert proc.returncode == 5
    assert rep["outcome"] == "unavailable" and rep["exit_code"] == 5
    assert rep["failed_step"] == "wait"
    assert rep["hresult"]["hex"] == hexval and rep["hresult"]["name"] == name
    assert rep["job_left_in_queue"] is True
    assert "may still be in the BITS queue" in proc.stderr
    assert "'bitsht cleanup' removes it" in proc.stderr
    assert not (tmp_path / "x").exists()
