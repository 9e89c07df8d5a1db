/* bitsht: what real Windows does that the fake once said yes to (issue 12), on the fake and
 * through the core: implicit credentials for a proxy as well as the server (C114), network
 * logons that carry no credentials onward (C113), a bare user name meaning a local account
 * (C112). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../fakes/fake_internal.h" /* the per-pair SetCredentials the COM fake uses */
#include "core_fixture.h"

#define BEHIND_PROXY "https://intranet.corp.example/behind-proxy.bin"
#define PROXY_WORLD "resource " BEHIND_PROXY " size=5000 proxy-auth-by=CORP\\alice\n"

static const char *const behind_proxy[] = {BEHIND_PROXY};
static const char *const ledger[] = {"\\\\fs01\\finance\\ledger.xlsx"};

static enum bht_job_state transfer(struct fake_t *t, const char *remote, char *local)
{
    fake_t_add(t, remote, "out.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    return fake_t_run(t, t->job);
}

static void pairs_of(struct fake_t *t, struct bht_job *job, char *out, size_t size)
{
    char id[BHT_JOB_ID_SIZE];

    assert_hr(S_OK, t->b->get_id(t->w, job, id));
    assert_hr(S_OK, bht_fake_implicit_credentials(t->w, id, out, size));
}

/* A job of its own in the fixture's world (core_fixture keeps none). */
static void new_job(struct core_fixture *f, const char *extra)
{
    core_fixture_world(f, extra);
    f->t->job = fake_t_new_job(f->t);
}

/* C114: the op sets NULL credentials for the server and the proxy, Negotiate and NTLM. */
static void implicit_credentials_cover_server_and_proxy_with_negotiate_and_ntlm(void **state)
{
    struct core_fixture *f = *state;
    char pairs[128];

    new_job(f, NULL);
    pairs_of(f->t, f->t->job, pairs, sizeof pairs);
    assert_string_equal(pairs, "");
    assert_hr(S_OK, f->t->b->set_implicit_credentials(f->t->w, f->t->job));
    pairs_of(f->t, f->t->job, pairs, sizeof pairs);
    assert_string_equal(pairs, "server/negotiate server/ntlm proxy/negotiate proxy/ntlm");
}

/* C114: a proxy that asks for NTLM/Kerberos admits the helper once the proxy pairs are set */
static void proxy_admits_the_helper_with_the_proxy_pairs(void **state)
{
    struct core_fixture *f = *state;
    char local[600];

    new_job(f, PROXY_WORLD);
    fake_t_set_alice_helper(f->t, f->t->job, BHT_TOKEN_NETWORK);
    assert_hr(S_OK, fake_set_implicit_credentials_pair(f->t->w, f->t->job, 2, 4));
    assert_state(BHT_JOB_TRANSFERRED, transfer(f->t, BEHIND_PROXY, local));
}

/* C114: with the server pairs only, the owner answers the proxy and is refused: HTTP 407 */
static void server_pairs_alone_leave_the_proxy_to_the_owner(void **state)
{
    struct core_fixture *f = *state;
    char local[600];

    new_job(f, PROXY_WORLD);
    fake_t_set_alice_helper(f->t, f->t->job, BHT_TOKEN_NETWORK);
    assert_hr(S_OK, fake_set_implicit_credentials_pair(f->t->w, f->t->job, 1, 4));
    assert_hr(S_OK, fake_set_implicit_credentials_pair(f->t->w, f->t->job, 1, 3));
    assert_state(BHT_JOB_ERROR, transfer(f->t, BEHIND_PROXY, local));
    fake_t_expect_error(f->t, BHT_ERRCTX_REMOTE_FILE, BHT_BG_E_HTTP_ERROR(407));
}

/* C114 through the core: --token-flags network behind the proxy works, and the job carries
 * the four pairs */
static void core_transfer_behind_an_authenticating_proxy_sets_the_proxy_pairs(void **state)
{
    struct core_fixture *f = *state;
    char line[160];

    core_fixture_world(f, PROXY_WORLD);
    core_fixture_request(f, BHT_TOKEN_NETWORK, behind_proxy, 1, 0);
    bht_fake_set_log_limit(f->t->w, 64);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(fake_t_file_size(f->local[0]), 5000);
    snprintf(line, sizeof line, "set_implicit_credentials %s pairs=0x%03x -> ", f->rep.job_id,
             FAKE_CRED_BIT(1, 4) | FAKE_CRED_BIT(1, 3) | FAKE_CRED_BIT(2, 4) |
                 FAKE_CRED_BIT(2, 3));
    assert_true(fake_t_log_has(f->t, line));
    core_fixture_assert_clean(f);
}

/* C114: without a helper the owner meets the proxy and is refused (exit 1, 407) */
static void core_transfer_behind_the_proxy_as_the_owner_fails_with_407(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_world(f, PROXY_WORLD);
    core_fixture_request(f, 0, behind_proxy, 1, 0);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_hr(BHT_BG_E_HTTP_ERROR(407), f->rep.hr);
    core_fixture_assert_clean(f);
}

/* C113: a NETWORK logon's token has no credentials to present: the share refuses it */
static void network_logon_helper_cannot_open_an_smb_source(void **state)
{
    struct core_fixture *f = *state;
    char local[600];

    new_job(f, NULL);
    fake_t_set_alice_helper_as(f->t, f->t->job, BHT_TOKEN_NETWORK, BHT_LOGON_NETWORK);
    assert_state(BHT_JOB_ERROR, transfer(f->t, ledger[0], local));
    fake_t_expect_error(f->t, BHT_ERRCTX_REMOTE_FILE, E_ACCESSDENIED);
}

/* C113: NETWORK_CLEARTEXT keeps them: the same transfer succeeds */
static void network_cleartext_helper_opens_the_smb_source(void **state)
{
    struct core_fixture *f = *state;
    char local[600];

    new_job(f, NULL);
    fake_t_set_alice_helper_as(f->t, f->t->job, BHT_TOKEN_NETWORK, BHT_LOGON_NETWORK_CLEARTEXT);
    assert_state(BHT_JOB_TRANSFERRED, transfer(f->t, ledger[0], local));
}

/* C113: the core refuses the combination before any job exists (exit 2) and names the
 * logon types that work; network-cleartext runs it */
static void core_refuses_network_logon_with_network_flag(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_NETWORK, ledger, 1, 0);
    f->req.logon_type = BHT_LOGON_NETWORK;
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_BAD_INPUT);
    assert_int_equal(f->rep.failed_step, BHT_STEP_VALIDATE);
    assert_false(f->rep.job_created);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CREATE_JOB), 0);
    assert_non_null(strstr(f->rep.detail, "network-cleartext, interactive, batch, service or "
                                          "new-credentials"));
    core_fixture_assert_clean(f);

    core_fixture_request(f, BHT_TOKEN_NETWORK, ledger, 1, 0);
    f->req.logon_type = BHT_LOGON_NETWORK_CLEARTEXT;
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    core_fixture_assert_clean(f);
}

/* C112: a bare name is looked up among the machine's own accounts only (domain "."), so
 * CORP\alice is not found as "alice"; a local account is, by bare name or ".\name" */
static void bare_user_name_means_a_local_account(void **state)
{
    struct core_fixture *f = *state;
    struct bht_token *tok = (struct bht_token *)0x1;

    core_fixture_world(f, "user LOCAL\\dave password=d4ve\n");
    assert_hr(BHT_E_LOGON_FAILURE,
              f->t->id->logon(f->t->w, "", "alice", "S3cret!", BHT_LOGON_INTERACTIVE, &tok));
    assert_null(tok);
    assert_hr(S_OK, f->t->id->logon(f->t->w, "", "dave", "d4ve", BHT_LOGON_INTERACTIVE, &tok));
    assert_hr(S_OK, f->t->id->close(f->t->w, tok));
    assert_hr(S_OK, f->t->id->logon(f->t->w, ".", "dave", "d4ve", BHT_LOGON_INTERACTIVE, &tok));
    assert_hr(S_OK, f->t->id->close(f->t->w, tok));
    /* the domain account by its qualified names */
    assert_hr(S_OK,
              f->t->id->logon(f->t->w, "", "alice@CORP", "S3cret!", BHT_LOGON_INTERACTIVE, &tok));
    assert_hr(S_OK, f->t->id->close(f->t->w, tok));
}

/* C112: the machine's name is declared with option local-domain */
static void local_domain_option_names_the_machine(void **state)
{
    struct core_fixture *f = *state;
    struct bht_token *tok = NULL;

    core_fixture_world(f, "option local-domain=WS01\nuser WS01\\erin password=3rin\n"
                          "user LOCAL\\dave password=d4ve\n");
    assert_hr(S_OK, f->t->id->logon(f->t->w, "", "erin", "3rin", BHT_LOGON_INTERACTIVE, &tok));
    assert_hr(S_OK, f->t->id->close(f->t->w, tok));
    assert_hr(BHT_E_LOGON_FAILURE,
              f->t->id->logon(f->t->w, "", "dave", "d4ve", BHT_LOGON_INTERACTIVE, &tok));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, core_fixture_setup, core_fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(implicit_credentials_cover_server_and_proxy_with_negotiate_and_ntlm),
        T(proxy_admits_the_helper_with_the_proxy_pairs),
        T(server_pairs_alone_leave_the_proxy_to_the_owner),
        T(core_transfer_behind_an_authenticating_proxy_sets_the_proxy_pairs),
        T(core_transfer_behind_the_proxy_as_the_owner_fails_with_407),
        T(network_logon_helper_cannot_open_an_smb_source),
        T(network_cleartext_helper_opens_the_smb_source),
        T(core_refuses_network_logon_with_network_flag),
        T(bare_user_name_means_a_local_account),
        T(local_domain_option_names_the_machine),
    };

    return cmocka_run_group_tests_name("windows_rules", tests, NULL, NULL);
}
