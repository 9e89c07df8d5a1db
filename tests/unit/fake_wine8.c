/* bitsht fake: the wine8 profile reproduces Wine 8's divergences (docs/contract.md),
 * so the core's Wine paths can be tested without Wine. One test per §5 item modelled. */
#include "fake_support.h"

#include <string.h>

static int wine_setup(void **state)
{
    struct fake_t *t;

    fake_t_setup(state);
    t = *state;
    fake_t_world(t, "option profile=wine8\n");
    t->job = fake_t_new_job(t);
    return 0;
}

#define T(name) cmocka_unit_test_setup_teardown(name, wine_setup, fake_t_teardown)

/* §5.1, C87 */
static void every_token_op_answers_e_nointerface(void **state)
{
    struct fake_t *t = *state;
    uint32_t f = 0xdeadbeef;
    char *sid = (char *)0xdeadbeef;

    assert_int_equal(bht_fake_get_profile(t->w), BHT_FAKE_PROFILE_WINE8);
    assert_hr(E_NOINTERFACE, t->b->get_token_options(t->w, t->job));
    assert_hr(E_NOINTERFACE, t->b->set_helper_token(t->w, t->job));
    assert_hr(E_NOINTERFACE, t->b->set_helper_token_flags(t->w, t->job, 1));
    assert_hr(E_NOINTERFACE, t->b->get_helper_token_flags(t->w, t->job, &f));
    assert_int_equal(f, 0);
    assert_hr(E_NOINTERFACE, t->b->get_helper_token_sid(t->w, t->job, &sid));
    assert_null(sid);
    assert_hr(E_NOINTERFACE, t->b->clear_helper_token(t->w, t->job));
}

/* §5.2, C103, C106 */
static void logon_always_succeeds_and_impersonation_fails_with_invalid_handle(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = NULL;

    assert_hr(S_OK, t->id->logon(t->w, "NOPE", "nobody", "wrong", BHT_LOGON_INTERACTIVE, &tok));
    assert_non_null(tok);
    assert_hr(BHT_E_INVALID_HANDLE, t->id->impersonate(t->w, tok));
    assert_int_equal(bht_fake_impersonation_depth(t->w), 0);
    assert_hr(S_OK, t->id->close(t->w, tok));
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
}

/* §5.5, C63 */
static void transient_failures_go_straight_to_error(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, "https://cdn.example/big.iso", "big.iso", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_int_equal(bht_fake_now_ms(t->w), 0);
}

/* §5.6, C59, C68 */
static void get_error_only_reports_http_status_errors_and_without_text(void **state)
{
    struct fake_t *t = *state;
    struct bht_job_error e;
    char local[600];
    struct bht_job *other;

    fake_t_add(t, "\\\\nosuch\\share\\x", "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(BG_E_ERROR_INFORMATION_UNAVAILABLE, t->b->get_error(t->w, t->job, &e));
    other = t->job;
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/gone", "b.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_hr(BHT_BG_E_HTTP_ERROR(404), e.code);
    assert_string_equal(e.description, "");
    t->b->release(t->w, other);
}

/* §5.6, C60: Resume clears the error at once */
static void resume_clears_the_error_at_once(void **state)
{
    struct fake_t *t = *state;
    struct bht_job_error e;
    char local[600];

    fake_t_add(t, "https://cdn.example/gone", "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_hr(BG_E_ERROR_INFORMATION_UNAVAILABLE, t->b->get_error(t->w, t->job, &e));
}

/* §5.7, C62 */
static void http_500_counts_as_success(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "option profile=wine8\nresource https://cdn.example/e500 size=10 fail=0x801901F4\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/e500", "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
}

/* §5.8, C34, C83-C84 */
static void suspend_is_not_implemented_and_set_priority_accepts_anything(void **state)
{
    struct fake_t *t = *state;

    assert_hr(E_NOTIMPL, t->b->suspend(t->w, t->job));
    assert_hr(S_OK, t->b->set_priority(t->w, t->job, (enum bht_priority)9));
}

/* §5.9, C16, C17 */
static void add_file_validates_nothing(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->add_file(t->w, t->job, "ftp://host/x", "relative.bin"));
    assert_hr(BHT_E_RPC_NULL_REF_POINTER, t->b->add_file(t->w, t->job, NULL, "x"));
}

/* §5.10, C22 */
static void add_file_after_complete_is_silently_accepted(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    assert_hr(S_OK, t->b->complete(t->w, t->job));
    fake_t_add(t, PUBLIC_URL, "a.bin", local);
}

/* §5.11, C31 */
static void resume_on_a_transferred_job_with_nothing_new_gives_bg_e_empty(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(BG_E_EMPTY, t->b->resume(t->w, t->job));
}

/* §5.12, C41 */
static void complete_with_a_failed_rename_still_acknowledges(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    fake_t_mkdir(local); /* a folder where the file should go: the rename fails */
    assert_int_equal(fake_t_count_temporaries(t->dir), 1);
    assert_hr(BG_S_PARTIAL_COMPLETE, t->b->complete(t->w, t->job));
    assert_state(BHT_JOB_ACKNOWLEDGED, fake_t_state(t, t->job));
    assert_int_equal(fake_t_count_temporaries(t->dir), 0); /* the temporary went too */
    fake_t_rmdir(local);
}

/* C38 (measured on Wine 8.0): Complete in ERROR answers BG_S_PARTIAL_COMPLETE and keeps
 * no file, not even the one that finished; its temporary is gone too */
static void complete_in_error_keeps_no_file(void **state)
{
    struct fake_t *t = *state;
    char good[600], bad[600], later[2][600];

    /* Four files fill the job's files array exactly (it grows 4, 8, ...), so a read past
     * its end while the temporaries are removed is what linux-asan reports. */
    fake_t_add(t, PUBLIC_URL, "good.bin", good);
    fake_t_add(t, "https://cdn.example/gone", "bad.bin", bad);
    fake_t_add(t, PUBLIC_URL, "later1.bin", later[0]);
    fake_t_add(t, PUBLIC_URL, "later2.bin", later[1]);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_int_equal(fake_t_count_temporaries(t->dir), 1); /* good.bin's, finished */
    assert_hr(BG_S_PARTIAL_COMPLETE, t->b->complete(t->w, t->job));
    assert_state(BHT_JOB_ACKNOWLEDGED, fake_t_state(t, t->job));
    assert_int_equal(fake_t_file_size(good), -1);
    assert_int_equal(fake_t_file_size(bad), -1);
    assert_int_equal(fake_t_file_size(later[0]), -1);
    assert_int_equal(fake_t_file_size(later[1]), -1);
    assert_int_equal(fake_t_count_temporaries(t->dir), 0);
}

/* C44 (measured on Wine 8.0): Complete refuses a cancelled job and acknowledges it all the same */
static void complete_of_a_cancelled_job_refuses_and_acknowledges(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->complete(t->w, t->job));
    assert_state(BHT_JOB_ACKNOWLEDGED, fake_t_state(t, t->job));
}

/* §5.13, C47 */
static void cancel_returns_unable_to_delete_files_in_the_normal_case(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(BG_S_UNABLE_TO_DELETE_FILES, t->b->cancel(t->w, t->job));
    assert_int_equal(fake_t_count_temporaries(t->dir), 0);
}

/* §5.13, C48: the reason bitsht refuses to overwrite without --overwrite */
static void cancel_destroys_an_existing_destination_file(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    fake_t_write_file(local, "precious", 8);
    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_int_equal(fake_t_file_size(local), -1);
}

/* §5.15, C09, C11 */
static void final_jobs_stay_visible_until_some_job_is_resumed(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *x = NULL, *other = fake_t_new_job(t);
    struct bht_job_info *v = NULL;
    size_t n = 0;
    char id[BHT_JOB_ID_SIZE], local[600];

    t->b->get_id(t->w, t->job, id);
    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_hr(S_OK, t->b->open_job(t->w, id, &x));
    t->b->release(t->w, x);
    assert_hr(S_OK, t->b->enum_jobs(t->w, "", &v, &n));
    assert_int_equal(n, 2);
    t->b->free_mem(t->w, v);
    fake_t_path(t, local, sizeof local, "o.bin");
    assert_hr(S_OK, t->b->add_file(t->w, other, PUBLIC_URL, local));
    assert_hr(S_OK, t->b->resume(t->w, other));
    assert_hr(BG_E_NOT_FOUND, t->b->open_job(t->w, id, &x));
    assert_hr(S_OK, t->b->enum_jobs(t->w, "", &v, &n));
    assert_int_equal(n, 1);
    t->b->free_mem(t->w, v);
    t->b->release(t->w, other);
}

/* §5.16, C05 */
static void there_are_no_job_limits(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a, *b;

    fake_t_world(t, "option profile=wine8\noption max-jobs-per-user=1\n");
    a = fake_t_new_job(t);
    b = fake_t_new_job(t);
    t->b->release(t->w, a);
    t->b->release(t->w, b);
}

/* §5.17, C57 */
static void bytes_total_stays_unknown_and_local_copies_count_no_bytes(void **state)
{
    struct fake_t *t = *state;
    struct bht_progress p;
    char local[600], src[600];

    fake_t_path(t, src, sizeof src, "src.bin");
    fake_t_write_file(src, "abc", 3);
    fake_t_add(t, src, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_true(p.bytes_total == BHT_SIZE_UNKNOWN);
    assert_int_equal(p.bytes_transferred, 0);
    assert_int_equal(p.files_transferred, 1);
}

/* §5.18, C75 */
static void notify_flag_0x20_is_not_implemented(void **state)
{
    struct fake_t *t = *state;

    assert_hr(E_NOTIMPL, t->b->set_notify_flags(t->w, t->job, 0x20));
    assert_hr(S_OK, t->b->set_notify_flags(t->w, t->job, 0x1F));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(every_token_op_answers_e_nointerface),
        T(logon_always_succeeds_and_impersonation_fails_with_invalid_handle),
        T(transient_failures_go_straight_to_error),
        T(get_error_only_reports_http_status_errors_and_without_text),
        T(resume_clears_the_error_at_once),
        T(http_500_counts_as_success),
        T(suspend_is_not_implemented_and_set_priority_accepts_anything),
        T(add_file_validates_nothing),
        T(add_file_after_complete_is_silently_accepted),
        T(resume_on_a_transferred_job_with_nothing_new_gives_bg_e_empty),
        T(complete_with_a_failed_rename_still_acknowledges),
        T(complete_in_error_keeps_no_file),
        T(complete_of_a_cancelled_job_refuses_and_acknowledges),
        T(cancel_returns_unable_to_delete_files_in_the_normal_case),
        T(cancel_destroys_an_existing_destination_file),
        T(final_jobs_stay_visible_until_some_job_is_resumed),
        T(there_are_no_job_limits),
        T(bytes_total_stays_unknown_and_local_copies_count_no_bytes),
        T(notify_flag_0x20_is_not_implemented),
    };
    return cmocka_run_group_tests_name("fake_wine8", tests, NULL, NULL);
}
