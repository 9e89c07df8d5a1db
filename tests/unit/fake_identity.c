/* bitsht fake: logon, impersonation, revert, close (docs/contract.md C103-C107) and the
 * accounting tests rely on (open tokens, impersonation depth). */
#include "fake_support.h"

#include <string.h>

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)

/* C103 */
static void logon_with_the_right_password_gives_an_open_token(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = (struct bht_token *)0xdeadbeef;

    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE, &tok));
    assert_non_null(tok);
    assert_int_equal(bht_fake_open_tokens(t->w), 1);
    assert_hr(S_OK, t->id->close(t->w, tok));
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
}

/* C103: account names compare without case; a UPN with an empty domain works */
static void logon_accepts_any_case_and_a_upn(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *a = NULL, *b = NULL;

    assert_hr(S_OK, t->id->logon(t->w, "corp", "ALICE", "S3cret!", BHT_LOGON_NETWORK, &a));
    assert_hr(S_OK, t->id->logon(t->w, "", "alice@CORP", "S3cret!", BHT_LOGON_BATCH, &b));
    assert_int_equal(bht_fake_open_tokens(t->w), 2);
    t->id->close(t->w, a);
    t->id->close(t->w, b);
}

/* C104 */
static void logon_with_a_wrong_password_fails_with_logon_failure(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = (struct bht_token *)0xdeadbeef;

    assert_hr(BHT_E_LOGON_FAILURE,
              t->id->logon(t->w, "CORP", "alice", "wrong", BHT_LOGON_INTERACTIVE, &tok));
    assert_null(tok);
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
}

/* C104: an unknown account and the implicit owner (no password) cannot log on */
static void logon_as_an_unknown_user_fails_with_logon_failure(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = NULL;

    assert_hr(BHT_E_LOGON_FAILURE,
              t->id->logon(t->w, "CORP", "mallory", "x", BHT_LOGON_INTERACTIVE, &tok));
    fake_t_world(t, "option owner=LOCAL\\svc\n");
    assert_hr(BHT_E_LOGON_FAILURE, t->id->logon(t->w, "LOCAL", "svc", "", BHT_LOGON_INTERACTIVE, &tok));
}

/* C104 */
static void logon_type_not_granted_fails_with_logon_type_not_granted(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = NULL;

    assert_hr(BHT_E_LOGON_TYPE_NOT_GRANTED,
              t->id->logon(t->w, "CORP", "carol", "pw", BHT_LOGON_INTERACTIVE, &tok));
    assert_null(tok);
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "carol", "pw", BHT_LOGON_NETWORK, &tok));
    t->id->close(t->w, tok);
}

/* C104 */
static void logon_with_a_blank_password_fails_with_account_restriction(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = NULL;

    fake_t_world(t, "user CORP\\dave\n");
    assert_hr(BHT_E_ACCOUNT_RESTRICTION,
              t->id->logon(t->w, "CORP", "dave", "", BHT_LOGON_INTERACTIVE, &tok));
    assert_null(tok);
}

/* C103: argument checks (ERROR_INVALID_PARAMETER) */
static void logon_with_a_bad_type_or_null_fails_with_e_invalidarg(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = NULL;

    assert_hr(E_INVALIDARG,
              t->id->logon(t->w, "CORP", "alice", "S3cret!", (enum bht_logon_type)1, &tok));
    assert_hr(E_INVALIDARG, t->id->logon(t->w, "CORP", NULL, "S3cret!", BHT_LOGON_BATCH, &tok));
    assert_hr(E_INVALIDARG, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_BATCH, NULL));
}

/* C105: NEW_CREDENTIALS checks nothing at logon time */
static void new_credentials_logon_succeeds_whatever_the_password(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = NULL;

    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "wrong", BHT_LOGON_NEW_CREDENTIALS, &tok));
    assert_non_null(tok);
    t->id->close(t->w, tok);
}

/* C106, C107 */
static void impersonate_and_revert_track_the_depth(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *a = NULL, *r = NULL;

    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE, &a));
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "root", "toor", BHT_LOGON_INTERACTIVE, &r));
    assert_hr(S_OK, t->id->impersonate(t->w, a));
    assert_int_equal(bht_fake_impersonation_depth(t->w), 1);
    assert_hr(S_OK, t->id->impersonate(t->w, r));
    assert_int_equal(bht_fake_impersonation_depth(t->w), 2);
    assert_hr(S_OK, t->id->revert(t->w));
    assert_hr(S_OK, t->id->revert(t->w));
    assert_int_equal(bht_fake_impersonation_depth(t->w), 0);
    t->id->close(t->w, a);
    t->id->close(t->w, r);
}

/* C107 (unverified on Windows; the fake answers S_OK) */
static void revert_without_impersonation_succeeds(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->id->revert(t->w));
    assert_int_equal(bht_fake_impersonation_depth(t->w), 0);
}

/* C106: a job created while impersonating belongs to the impersonated user */
static void job_created_while_impersonating_is_owned_by_that_user(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *a = NULL;
    struct bht_job *job;
    struct bht_job_info *v = NULL;
    size_t n = 9;

    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE, &a));
    assert_hr(S_OK, t->id->impersonate(t->w, a));
    job = fake_t_new_job(t);
    assert_hr(S_OK, t->b->enum_jobs(t->w, "", &v, &n));
    assert_int_equal(n, 1);
    t->b->free_mem(t->w, v);
    assert_hr(S_OK, t->id->revert(t->w));
    assert_hr(S_OK, t->b->enum_jobs(t->w, "", &v, &n));
    assert_int_equal(n, 0); /* C11: bob sees none of alice's */
    t->b->release(t->w, job);
    t->id->close(t->w, a);
}

/* secrets never reach the call log */
static void the_call_log_never_contains_a_password(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *a = NULL, *b = NULL;
    size_t i;

    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE, &a));
    assert_hr(BHT_E_LOGON_FAILURE, t->id->logon(t->w, "CORP", "alice", "another-secret",
                                                BHT_LOGON_INTERACTIVE, &b));
    assert_true(fake_t_log_has(t, "logon CORP\\alice type=2 -> S_OK"));
    for (i = 0; i < bht_fake_log_size(t->w); i++) {
        assert_null(strstr(bht_fake_log_entry(t->w, i), "S3cret!"));
        assert_null(strstr(bht_fake_log_entry(t->w, i), "another-secret"));
    }
    t->id->close(t->w, a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(logon_with_the_right_password_gives_an_open_token),
        T(logon_accepts_any_case_and_a_upn),
        T(logon_with_a_wrong_password_fails_with_logon_failure),
        T(logon_as_an_unknown_user_fails_with_logon_failure),
        T(logon_type_not_granted_fails_with_logon_type_not_granted),
        T(logon_with_a_blank_password_fails_with_account_restriction),
        T(logon_with_a_bad_type_or_null_fails_with_e_invalidarg),
        T(new_credentials_logon_succeeds_whatever_the_password),
        T(impersonate_and_revert_track_the_depth),
        T(revert_without_impersonation_succeeds),
        T(job_created_while_impersonating_is_owned_by_that_user),
        T(the_call_log_never_contains_a_password),
    };
    return cmocka_run_group_tests_name("fake_identity", tests, NULL, NULL);
}
