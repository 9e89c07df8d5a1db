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


PROXY = r"resource https://intranet.corp.example/behind-proxy.bin size=5000 proxy-auth-by=CORP\alice"


def test_helper_answers_an_authenticating_proxy(cli, tmp_path):
    # C114: --token-flags network sets the proxy pairs too, so the helper answers the proxy
    proc, rep = cli.transfer_json(*helper("network"),
                                  "https://intranet.corp.example/behind-proxy.bin",
                                  tmp_path / "p.bin", world_extra=PROXY)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "p.bin").stat().st_size == 5000


def test_owner_behind_the_proxy_gets_407(cli, tmp_path):
    proc, rep = cli.transfer_json("--no-helper-token",
                                  "https://intranet.corp.example/behind-proxy.bin",
                                  tmp_path / "p.bin", stdin="", world_extra=PROXY)
    assert proc.returncode == 1
    assert rep["hresult"]["name"] == "BG_E_HTTP_ERROR_407"
    assert rep["final_state"] == "CANCELLED"


def test_network_logon_with_network_flag_is_bad_input_naming_the_types_that_work(cli, tmp_path):
    # C113: exit 2 before any job exists
    proc, rep = cli.transfer_json(*helper("local,network"), "--logon-type", "network",
                                  r"\\fs01\finance\ledger.xlsx", tmp_path / "x")
    assert proc.returncode == 2
    assert rep["outcome"] == "bad_input" and rep["job_id"] is None
    for name in ("network-cleartext", "interactive", "batch", "service", "new-credentials"):
        assert name in rep["detail"]
    assert not (tmp_path / "x").exists()


def test_network_cleartext_logon_reads_the_share(cli, tmp_path):
    proc, rep = cli.transfer_json(*helper("network"), "--logon-type", "network-cleartext",
                                  r"\\fs01\finance\ledger.xlsx", tmp_path / "l.xlsx")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "l.xlsx").stat().st_size == 4096


def test_bare_user_name_is_a_local_account(cli, tmp_path):
    # C112: "alice" alone is looked up on this machine, where there is no alice
    proc, rep = cli.transfer_json("--user", "alice", "--password-stdin", "--token-flags",
                                  "network", r"\\fs01\finance\ledger.xlsx", tmp_path / "x")
    assert proc.returncode == 3
    assert rep["failed_step"] == "logon" and rep["hresult"]["hex"] == "0x8007052E"


def test_new_credentials_explains_itself_and_a_wrong_password_shows_at_the_server(cli,
                                                                                  tmp_path):
    # C115: no password check at logon; the share refuses the wrong credentials later
    world = cli.world()
    proc = cli.run("transfer", "--backend", "fake", "--fake-world", world, *helper("network"),
                   "--logon-type", "new-credentials", r"\\fs01\finance\ledger.xlsx",
                   tmp_path / "x", stdin="not-the-password\n")
    assert proc.returncode == 1
    assert "with new-credentials: the token is your own" in proc.stderr
    assert "the password is not checked now" in proc.stderr
    assert ("with --logon-type new-credentials the password is checked only by the server: "
            "a wrong password for CORP\\alice looks exactly like this") in proc.stderr


def test_help_says_how_to_name_domain_accounts_and_what_new_credentials_does(cli):
    out = cli.run("--help").stdout
    assert "a bare USER is a local account of this machine" in out
    assert "network-cleartext" in out
    assert "password is not checked at logon" in out
