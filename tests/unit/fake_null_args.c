/* bitsht: the fake's answers to missing arguments and the identity fake's edges, exact
 * values. Every ops call with a NULL job handle or a NULL out pointer fails with
 * E_INVALIDARG and changes nothing (the COM backend's proxies refuse the same calls before
 * BITS sees them); freeing or releasing NULL is harmless. Logon by UPN and by qualified
 * name (C103) with one account name in two domains; tokens close in any order (C106 close
 * of NULL: ERROR_INVALID_HANDLE); impersonation nests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "fake_support.h"

static void every_op_refuses_a_null_job_or_out_pointer(void **state)
{
    struct fake_t *t = *state;
    const struct bht_bits_ops *b = t->b;
    void *w = t->w;
    char id[BHT_JOB_ID_SIZE], local[600];
    uint32_t flags;
    char *sid;
    enum bht_job_state st;
    struct bht_progress p;
    struct bht_job_error e;
    struct bht_job_info *jobs;
    size_t n;

    fake_t_path(t, local, sizeof local, "x.bin");
    assert_hr(E_INVALIDARG, b->create_job(w, "bitsht:x", NULL));
    assert_hr(E_INVALIDARG, b->open_job(w, "{00000000-0000-0000-0000-000000000000}", NULL));
    assert_hr(E_INVALIDARG, b->get_id(w, NULL, id));
    assert_hr(E_INVALIDARG, b->get_id(w, t->job, NULL));
    assert_hr(E_INVALIDARG, b->add_file(w, NULL, PUBLIC_URL, local));
    assert_hr(E_INVALIDARG, b->set_priority(w, NULL, BHT_PRIORITY_HIGH));
    assert_hr(E_INVALIDARG, b->set_notify_flags(w, NULL, 3));
    assert_hr(E_INVALIDARG, b->get_notify_flags(w, NULL, &flags));
    assert_hr(E_INVALIDARG, b->get_notify_flags(w, t->job, NULL));
    assert_hr(E_INVALIDARG, b->set_implicit_credentials(w, NULL));
    assert_hr(E_INVALIDARG, b->get_token_options(w, NULL));
    assert_hr(E_INVALIDARG, b->set_helper_token(w, NULL));
    assert_hr(E_INVALIDARG, b->set_helper_token_flags(w, NULL, BHT_TOKEN_LOCAL_FILE));
    assert_hr(E_INVALIDARG, b->get_helper_token_flags(w, NULL, &flags));
    assert_hr(E_INVALIDARG, b->get_helper_token_flags(w, t->job, NULL));
    assert_hr(E_INVALIDARG, b->get_helper_token_sid(w, NULL, &sid));
    assert_hr(E_INVALIDARG, b->get_helper_token_sid(w, t->job, NULL));
    assert_hr(E_INVALIDARG, b->clear_helper_token(w, NULL));
    assert_hr(E_INVALIDARG, b->resume(w, NULL));
    assert_hr(E_INVALIDARG, b->suspend(w, NULL));
    assert_hr(E_INVALIDARG, b->wait(w, NULL, 10, &st));
    assert_hr(E_INVALIDARG, b->wait(w, t->job, 10, NULL));
    assert_hr(E_INVALIDARG, b->get_state(w, NULL, &st));
    assert_hr(E_INVALIDARG, b->get_state(w, t->job, NULL));
    assert_hr(E_INVALIDARG, b->get_progress(w, NULL, &p));
    assert_hr(E_INVALIDARG, b->get_progress(w, t->job, NULL));
    assert_hr(E_INVALIDARG, b->get_error(w, NULL, &e));
    assert_hr(E_INVALIDARG, b->get_error(w, t->job, NULL));
    assert_hr(E_INVALIDARG, b->complete(w, NULL));
    assert_hr(E_INVALIDARG, b->cancel(w, NULL));
    assert_hr(E_INVALIDARG, b->enum_jobs(w, "", NULL, &n));
    assert_hr(E_INVALIDARG, b->enum_jobs(w, "", &jobs, NULL));
    b->free_mem(w, NULL);
    b->release(w, NULL);
    /* Nothing changed: one job, still suspended, no file, no helper token. */
    assert_int_equal(bht_fake_job_count(t->w), 1);
    assert_state(BHT_JOB_SUSPENDED, fake_t_state(t, t->job));
    assert_hr(S_OK, b->get_helper_token_sid(w, t->job, &sid));
    assert_null(sid);
    assert_int_equal(fake_t_file_size(local), -1);
}

/* What a refused call leaves in its outputs: an empty id, no flags (C74), QUEUED, all-zero
 * progress and error; and a successful GetProgress writes every field, whatever the caller's
 * structure held before. */
static void refused_calls_leave_defined_outputs(void **state)
{
    struct fake_t *t = *state;
    char id[BHT_JOB_ID_SIZE], local[600];
    uint32_t flags = 0xFFu;
    enum bht_job_state st = BHT_JOB_ERROR;
    struct bht_progress p, zero;
    struct bht_job_error e, no_error;

    memset(id, 'X', sizeof id);
    assert_hr(E_INVALIDARG, t->b->get_id(t->w, NULL, id));
    assert_int_equal(id[0], '\0');
    assert_hr(E_INVALIDARG, t->b->get_notify_flags(t->w, NULL, &flags));
    assert_int_equal(flags, 0);
    assert_hr(E_INVALIDARG, t->b->get_state(t->w, NULL, &st));
    assert_int_equal(st, BHT_JOB_QUEUED);
    memset(&p, 0xAB, sizeof p);
    memset(&zero, 0, sizeof zero);
    assert_hr(E_INVALIDARG, t->b->get_progress(t->w, NULL, &p));
    assert_memory_equal(&p, &zero, sizeof p);
    memset(&e, 0xAB, sizeof e);
    memset(&no_error, 0, sizeof no_error);
    assert_hr(E_INVALIDARG, t->b->get_error(t->w, NULL, &e));
    assert_memory_equal(&e, &no_error, sizeof e);
    assert_hr(E_INVALIDARG, t->b->enum_jobs(t->w, "", NULL, NULL));
    assert_true(fake_t_log_has(t, "enum_jobs \"\" 0 -> E_INVALIDARG")); /* no count */

    fake_t_add(t, PUBLIC_URL, "p.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    memset(&p, 0xAB, sizeof p);
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    zero.bytes_total = PUBLIC_SIZE;
    zero.bytes_transferred = PUBLIC_SIZE;
    zero.files_total = 1;
    zero.files_transferred = 1;
    assert_memory_equal(&p, &zero, sizeof p);
}

static void logon_by_upn_and_by_qualified_name(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *b = NULL, *c = NULL;
    char long_upn[600];

    /* A name before '@' longer than any account name: no such user. */
    memset(long_upn, 'a', 300);
    strcpy(long_upn + 300, "@CORP");
    assert_hr(BHT_E_LOGON_FAILURE,
              t->id->logon(t->w, "", long_upn, "S3cret!", BHT_LOGON_INTERACTIVE, &b));
    assert_null(b);
    /* Two domains with an alice: each qualified form finds its own. */
    fake_t_world(t, "user OTHER\\alice password=0ther!\n");
    assert_hr(BHT_E_LOGON_FAILURE,
              t->id->logon(t->w, "OTHER", "alice", "S3cret!", BHT_LOGON_INTERACTIVE, &b));
    assert_hr(S_OK, t->id->logon(t->w, "OTHER", "alice", "0ther!", BHT_LOGON_INTERACTIVE, &b));
    assert_hr(S_OK, t->id->logon(t->w, "", "alice@CORP", "S3cret!", BHT_LOGON_INTERACTIVE, &c));
    assert_int_equal(bht_fake_open_tokens(t->w), 2);
    t->id->close(t->w, b);
    t->id->close(t->w, c);
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
}

/* Tokens close in any order; closing NULL is ERROR_INVALID_HANDLE. */
static void tokens_close_in_any_order(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok[3];

    for (int i = 0; i < 3; i++)
        assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE,
                                     &tok[i]));
    assert_int_equal(bht_fake_open_tokens(t->w), 3);
    assert_hr(S_OK, t->id->close(t->w, tok[1])); /* the middle one */
    assert_int_equal(bht_fake_open_tokens(t->w), 2);
    assert_hr(S_OK, t->id->close(t->w, tok[2])); /* the newest */
    assert_int_equal(bht_fake_open_tokens(t->w), 1);
    assert_hr(S_OK, t->id->close(t->w, tok[0]));
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
    for (int i = 0; i < 3; i++)
        assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE,
                                     &tok[i]));
    assert_hr(S_OK, t->id->close(t->w, tok[0])); /* the oldest first */
    assert_hr(S_OK, t->id->close(t->w, tok[2]));
    assert_hr(S_OK, t->id->close(t->w, tok[1]));
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
    assert_hr(BHT_E_INVALID_HANDLE, t->id->close(t->w, NULL));
    /* Impersonation nests: four levels grow the stack past its first size. */
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE,
                                 &tok[0]));
    for (unsigned i = 1; i <= 5; i++) {
        assert_hr(S_OK, t->id->impersonate(t->w, tok[0]));
        assert_int_equal(bht_fake_impersonation_depth(t->w), i);
    }
    for (unsigned i = 5; i > 0; i--) {
        assert_hr(S_OK, t->id->revert(t->w));
        assert_int_equal(bht_fake_impersonation_depth(t->w), i - 1);
    }
    t->id->close(t->w, tok[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_op_refuses_a_null_job_or_out_pointer,
                                        fake_t_setup_job, fake_t_teardown),
        cmocka_unit_test_setup_teardown(refused_calls_leave_defined_outputs, fake_t_setup_job,
                                        fake_t_teardown),
        cmocka_unit_test_setup_teardown(logon_by_upn_and_by_qualified_name, fake_t_setup,
                                        fake_t_teardown),
        cmocka_unit_test_setup_teardown(tokens_close_in_any_order, fake_t_setup, fake_t_teardown),
    };
    return cmocka_run_group_tests_name("fake null arguments and identity edges", tests, NULL,
                                       NULL);
}
