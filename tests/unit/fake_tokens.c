/* bitsht fake: helper tokens — token options, capture, admin rules, flags, and what each
 * flag lets the helper do during a transfer (docs/contract.md C87-C101, §3.4). */
#include "fake_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup_job, fake_t_teardown)

/* SIDs follow declaration order: alice 1000, bob 1001, root 1002, carol 1003. */
#define SID_PREFIX "S-1-5-21-1004336348-1177238915-682003330-"

static struct bht_token *logon_as(struct fake_t *t, const char *user, const char *password)
{
    struct bht_token *tok = NULL;

    assert_hr(S_OK, t->id->logon(t->w, "CORP", user, password, BHT_LOGON_INTERACTIVE, &tok));
    return tok;
}

/* The documented order (§3.4 rule 3) as user: log on, impersonate, SetHelperToken (and the
 * flags, when given and the token was taken), revert, close. Returns SetHelperToken's
 * result; every other step must succeed. */
static bht_hr set_helper_as(struct fake_t *t, const char *user, const char *password,
                            uint32_t flags)
{
    struct bht_token *tok = logon_as(t, user, password);
    bht_hr hr;

    assert_hr(S_OK, t->id->impersonate(t->w, tok));
    hr = t->b->set_helper_token(t->w, t->job);
    if (hr == S_OK && flags)
        assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, flags));
    assert_hr(S_OK, t->id->revert(t->w));
    assert_hr(S_OK, t->id->close(t->w, tok));
    return hr;
}

static void expect_sid(struct fake_t *t, struct bht_job *job, const char *rid)
{
    char *sid = (char *)0xdeadbeef;

    assert_hr(S_OK, t->b->get_helper_token_sid(t->w, job, &sid));
    if (!rid) {
        assert_null(sid);
        return;
    }
    assert_non_null(sid);
    assert_true(!strncmp(sid, SID_PREFIX, strlen(SID_PREFIX)));
    assert_string_equal(sid + strlen(SID_PREFIX), rid);
    t->b->free_mem(t->w, sid);
}

static enum bht_job_state transfer(struct fake_t *t, const char *remote, int restricted,
                                   char *local)
{
    if (restricted)
        fake_t_restricted_path(t, local, 600, "out.bin");
    else
        fake_t_path(t, local, 600, "out.bin");
    assert_hr(S_OK, t->b->add_file(t->w, t->job, remote, local));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    return fake_t_run(t, t->job);
}

/* C87 */
static void get_token_options_as_the_owner_succeeds(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->get_token_options(t->w, t->job));
}

/* C87: 1607+, a non-admin caller needs the owner's SID on the thread */
static void get_token_options_while_impersonating_another_user_is_denied(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *alice = logon_as(t, "alice", "S3cret!");

    assert_hr(S_OK, t->id->impersonate(t->w, alice));
    assert_hr(E_ACCESSDENIED, t->b->get_token_options(t->w, t->job));
    /* §3.4 rule 2: a token call that must obtain the interface itself is refused too */
    assert_hr(E_ACCESSDENIED, t->b->set_helper_token(t->w, t->job));
    assert_hr(S_OK, t->id->revert(t->w));
    assert_hr(S_OK, t->id->close(t->w, alice));
}

/* C87: an administrator passes the check */
static void get_token_options_while_impersonating_an_admin_succeeds(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *root = logon_as(t, "root", "toor");

    assert_hr(S_OK, t->id->impersonate(t->w, root));
    assert_hr(S_OK, t->b->get_token_options(t->w, t->job));
    assert_hr(S_OK, t->id->revert(t->w));
    assert_hr(S_OK, t->id->close(t->w, root));
}

/* C88, C97 */
static void set_helper_token_captures_the_impersonated_users_token(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->get_token_options(t->w, t->job));
    assert_hr(S_OK, set_helper_as(t, "alice", "S3cret!", 0));
    /* the job keeps its own reference: closing the handle drops nothing */
    expect_sid(t, t->job, "1000");
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
    assert_int_equal(bht_fake_impersonation_depth(t->w), 0);
}

/* C89 (question 7) */
static void set_helper_token_without_impersonation_captures_the_process_token(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->get_token_options(t->w, t->job));
    assert_hr(S_OK, t->b->set_helper_token(t->w, t->job));
    expect_sid(t, t->job, "1001"); /* bob, the owner */
}

/* C91 */
static void legacy_rule_refuses_any_helper_token_for_a_non_admin_owner(void **state)
{
    struct fake_t *t = *state;

    fake_t_world(t, "option admin-rule=legacy\n");
    t->job = fake_t_new_job(t);
    assert_hr(S_OK, t->b->get_token_options(t->w, t->job));
    assert_hr(E_ACCESSDENIED, set_helper_as(t, "alice", "S3cret!", 0));
    expect_sid(t, t->job, NULL);
}

/* C91 */
static void legacy_rule_lets_an_admin_owner_set_a_helper_token(void **state)
{
    struct fake_t *t = *state;

    fake_t_world(t, "option admin-rule=legacy\noption owner=CORP\\root\n");
    t->job = fake_t_new_job(t);
    assert_hr(S_OK, t->b->get_token_options(t->w, t->job));
    assert_hr(S_OK, set_helper_as(t, "alice", "S3cret!", 0));
    expect_sid(t, t->job, "1000");
}

/* C92 */
static void admin_helper_token_from_a_non_admin_owner_is_denied(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->get_token_options(t->w, t->job));
    assert_hr(E_ACCESSDENIED, set_helper_as(t, "root", "toor", 0));
    expect_sid(t, t->job, NULL);
}

/* C92 */
static void admin_owner_may_set_an_admin_helper_token(void **state)
{
    struct fake_t *t = *state;

    fake_t_world(t, "option owner=CORP\\root\n");
    t->job = fake_t_new_job(t);
    assert_hr(S_OK, t->b->get_token_options(t->w, t->job));
    assert_hr(S_OK, set_helper_as(t, "root", "toor", BHT_TOKEN_VALID_MASK));
    expect_sid(t, t->job, "1002");
}

/* C93, C95 */
static void set_helper_token_flags_accepts_each_valid_combination(void **state)
{
    struct fake_t *t = *state;
    uint32_t f, got;

    for (f = 0; f <= BHT_TOKEN_VALID_MASK; f++) {
        got = 0xdeadbeef;
        assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, f));
        assert_hr(S_OK, t->b->get_helper_token_flags(t->w, t->job, &got));
        assert_int_equal(got, f);
    }
}

/* C94 (question 5) */
static void set_helper_token_flags_outside_0x3_fails_with_e_invalidarg(void **state)
{
    struct fake_t *t = *state;
    uint32_t got = 0xdeadbeef;

    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, BHT_TOKEN_NETWORK));
    assert_hr(E_INVALIDARG, t->b->set_helper_token_flags(t->w, t->job, 0x4));
    assert_hr(E_INVALIDARG, t->b->set_helper_token_flags(t->w, t->job, 0x80000001u));
    assert_hr(S_OK, t->b->get_helper_token_flags(t->w, t->job, &got));
    assert_int_equal(got, BHT_TOKEN_NETWORK);
}

/* C95 */
static void new_job_has_helper_token_flags_0(void **state)
{
    struct fake_t *t = *state;
    uint32_t got = 0xdeadbeef;

    assert_hr(S_OK, t->b->get_helper_token_flags(t->w, t->job, &got));
    assert_int_equal(got, 0);
}

/* C96 */
static void get_helper_token_sid_without_a_token_gives_null(void **state)
{
    struct fake_t *t = *state;

    expect_sid(t, t->job, NULL);
}

/* C98 */
static void clear_helper_token_drops_the_token_and_keeps_the_flags(void **state)
{
    struct fake_t *t = *state;
    uint32_t got = 0;

    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK);
    expect_sid(t, t->job, "1000");
    assert_hr(S_OK, t->b->clear_helper_token(t->w, t->job));
    expect_sid(t, t->job, NULL);
    assert_hr(S_OK, t->b->get_helper_token_flags(t->w, t->job, &got));
    assert_int_equal(got, BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK);
}

/* C99 (question 5) */
static void token_calls_on_a_cancelled_job_fail_with_bg_e_invalid_state(void **state)
{
    struct fake_t *t = *state;
    uint32_t got;
    char *sid;

    assert_hr(S_OK, t->b->get_token_options(t->w, t->job));
    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->set_helper_token(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->set_helper_token_flags(t->w, t->job, 1));
    assert_hr(BG_E_INVALID_STATE, t->b->get_helper_token_flags(t->w, t->job, &got));
    assert_hr(BG_E_INVALID_STATE, t->b->get_helper_token_sid(t->w, t->job, &sid));
    assert_hr(BG_E_INVALID_STATE, t->b->clear_helper_token(t->w, t->job));
    /* The same when IBitsTokenOptions is first asked for after the cancel (the call
     * obtains it, then finds the job final). */
    {
        struct bht_job *other = fake_t_new_job(t);
        assert_hr(S_OK, t->b->cancel(t->w, other));
        assert_hr(BG_E_INVALID_STATE, t->b->set_helper_token(t->w, other));
        t->b->release(t->w, other);
    }
}

/* C100 */
static void flags_without_a_helper_token_fail_the_transfer_with_token_required(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, BHT_TOKEN_NETWORK));
    assert_state(BHT_JOB_ERROR, transfer(t, PUBLIC_URL, 0, local));
    fake_t_expect_error(t, BHT_ERRCTX_GENERAL_QUEUE_MANAGER, BG_E_TOKEN_REQUIRED);
    /* documented fix: set a token, Resume */
    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_NETWORK);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
}

/* C100: the owner logs off mid-transfer (drop-token-after) */
static void dropped_helper_token_fails_the_transfer_and_a_new_token_resumes_it(void **state)
{
    struct fake_t *t = *state;
    struct bht_progress p;
    char local[600];

    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    assert_state(BHT_JOB_ERROR, transfer(t, "https://cdn.example/flaky", 1, local));
    fake_t_expect_error(t, BHT_ERRCTX_GENERAL_QUEUE_MANAGER, BG_E_TOKEN_REQUIRED);
    expect_sid(t, t->job, NULL);
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.bytes_transferred, 20000);
    assert_int_equal(bht_fake_now_ms(t->w), 20000); /* 1000 bytes per virtual second */
    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_int_equal(bht_fake_now_ms(t->w), 50000); /* resumed at byte 20000 */
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, 50000));
}

/* C100: flags 0 + Resume is the other documented way out */
static void dropped_token_job_resumes_as_the_owner_after_flags_0(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_NETWORK);
    assert_state(BHT_JOB_ERROR, transfer(t, "https://cdn.example/flaky", 0, local));
    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, 0));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
}

/* C101: LOCAL_FILE makes the helper write the destination */
static void local_file_flag_lets_the_helper_write_a_folder_only_it_may_write(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    assert_state(BHT_JOB_TRANSFERRED, transfer(t, PUBLIC_URL, 1, local));
    assert_int_equal(fake_t_count_temporaries(t->restricted), 1);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, PUBLIC_SIZE));
}

/* C101: NETWORK makes the helper open an SMB source */
static void network_flag_lets_the_helper_read_a_unc_source(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_NETWORK);
    assert_state(BHT_JOB_TRANSFERRED,
                 transfer(t, "\\\\fs01\\finance\\ledger.xlsx", 0, local));
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, 4096));
}

/* C101: LOCAL_FILE does not cover the source: the owner reads it and is refused */
static void local_file_flag_alone_does_not_open_a_unc_source(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    assert_state(BHT_JOB_ERROR, transfer(t, "\\\\fs01\\finance\\ledger.xlsx", 0, local));
    fake_t_expect_error(t, BHT_ERRCTX_REMOTE_FILE, E_ACCESSDENIED);
}

/* C101, §3.4 rule 4: HTTP authentication as the helper needs NETWORK and implicit
 * credentials */
static void network_flag_answers_http_authentication_after_implicit_credentials(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_NETWORK);
    assert_hr(S_OK, t->b->set_implicit_credentials(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED,
                 transfer(t, "https://files.corp.example/q3.pdf", 0, local));
    assert_int_equal(bht_fake_now_ms(t->w), 16000); /* 1 MiB at 64 KiB per virtual second */
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, 1048576));
}

/* C101, §3.4 rule 4 */
static void http_authentication_without_implicit_credentials_fails_with_401(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_NETWORK);
    assert_state(BHT_JOB_ERROR, transfer(t, "https://files.corp.example/q3.pdf", 0, local));
    fake_t_expect_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_BG_E_HTTP_ERROR(401));
}

/* C101: without any helper, a resource only alice may read is refused to the owner */
static void restricted_http_resource_without_helper_fails_with_401(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    assert_hr(S_OK, t->b->set_implicit_credentials(t->w, t->job));
    assert_state(BHT_JOB_ERROR, transfer(t, "https://files.corp.example/q3.pdf", 0, local));
    fake_t_expect_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_BG_E_HTTP_ERROR(401));
}

/* C101 + C105: a NEW_CREDENTIALS token is the owner locally and alice on the network */
static void new_credentials_helper_reads_the_network_as_the_named_user(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = NULL;
    char local[600];

    assert_hr(S_OK, t->b->get_token_options(t->w, t->job));
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_NEW_CREDENTIALS,
                                 &tok));
    assert_hr(S_OK, t->id->impersonate(t->w, tok));
    assert_hr(S_OK, t->b->set_helper_token(t->w, t->job));
    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, BHT_TOKEN_NETWORK));
    assert_hr(S_OK, t->id->revert(t->w));
    assert_hr(S_OK, t->id->close(t->w, tok));
    expect_sid(t, t->job, "1001"); /* the local identity is still bob */
    assert_state(BHT_JOB_TRANSFERRED,
                 transfer(t, "\\\\fs01\\finance\\ledger.xlsx", 0, local));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(get_token_options_as_the_owner_succeeds),
        T(get_token_options_while_impersonating_another_user_is_denied),
        T(get_token_options_while_impersonating_an_admin_succeeds),
        T(set_helper_token_captures_the_impersonated_users_token),
        T(set_helper_token_without_impersonation_captures_the_process_token),
        T(legacy_rule_refuses_any_helper_token_for_a_non_admin_owner),
        T(legacy_rule_lets_an_admin_owner_set_a_helper_token),
        T(admin_helper_token_from_a_non_admin_owner_is_denied),
        T(admin_owner_may_set_an_admin_helper_token),
        T(set_helper_token_flags_accepts_each_valid_combination),
        T(set_helper_token_flags_outside_0x3_fails_with_e_invalidarg),
        T(new_job_has_helper_token_flags_0),
        T(get_helper_token_sid_without_a_token_gives_null),
        T(clear_helper_token_drops_the_token_and_keeps_the_flags),
        T(token_calls_on_a_cancelled_job_fail_with_bg_e_invalid_state),
        T(flags_without_a_helper_token_fail_the_transfer_with_token_required),
        T(dropped_helper_token_fails_the_transfer_and_a_new_token_resumes_it),
        T(dropped_token_job_resumes_as_the_owner_after_flags_0),
        T(local_file_flag_lets_the_helper_write_a_folder_only_it_may_write),
        T(network_flag_lets_the_helper_read_a_unc_source),
        T(local_file_flag_alone_does_not_open_a_unc_source),
        T(network_flag_answers_http_authentication_after_implicit_credentials),
        T(http_authentication_without_implicit_credentials_fails_with_401),
        T(restricted_http_resource_without_helper_fails_with_401),
        T(new_credentials_helper_reads_the_network_as_the_named_user),
    };
    return cmocka_run_group_tests_name("fake_tokens", tests, NULL, NULL);
}
