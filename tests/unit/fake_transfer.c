/* bitsht fake: files, the state machine, Complete and Cancel, errors and retries
 * (docs/contract.md C14-C52, C58-C72, §3.1). Real files are checked on disk. */
#include "fake_support.h"

#include <stdio.h>
#include <string.h>

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup_job, fake_t_teardown)

/* ---- adding files ---- */

/* C14 */
static void add_file_http_to_suspended_job_keeps_state_and_counts_the_file(void **state)
{
    struct fake_t *t = *state;
    char local[600];
    struct bht_progress p;

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_state(BHT_JOB_SUSPENDED, fake_t_state(t, t->job));
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.files_total, 1);
}

/* C15 */
static void add_file_accepts_unc_file_url_and_full_local_path(void **state)
{
    struct fake_t *t = *state;
    char local[600], src[600], url[700];

    fake_t_path(t, local, sizeof local, "x.bin");
    fake_t_path(t, src, sizeof src, "src.bin");
    snprintf(url, sizeof url, "file://%s", src);
    assert_hr(S_OK, t->b->add_file(t->w, t->job, "\\\\fs01\\finance\\ledger.xlsx", local));
    assert_hr(S_OK, t->b->add_file(t->w, t->job, url, local));
    assert_hr(S_OK, t->b->add_file(t->w, t->job, src, local));
}

/* C16 */
static void add_file_with_relative_local_name_fails_with_e_invalidarg(void **state)
{
    struct fake_t *t = *state;

    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, PUBLIC_URL, "relative/x.bin"));
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, PUBLIC_URL, "x.bin"));
}

/* §2.4: local names without wildcards, streams or a trailing separator */
static void add_file_with_wildcard_or_directory_local_name_fails(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_path(t, local, sizeof local, "*.bin");
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    fake_t_path(t, local, sizeof local, "a.bin:stream");
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    fake_t_path(t, local, sizeof local, "");
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
}

/* C17 */
static void add_file_with_ftp_remote_fails_with_e_invalidarg(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_path(t, local, sizeof local, "x.bin");
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, "ftp://host/x", local));
}

/* C18 */
static void add_file_with_malformed_remote_fails_with_e_invalidarg(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_path(t, local, sizeof local, "x.bin");
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, "not a url", local));
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, "https://", local));
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, "\\\\server", local));
}

/* C19 */
static void add_file_with_null_names_fails_with_rpc_null_ref_pointer(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_path(t, local, sizeof local, "x.bin");
    assert_hr(BHT_E_RPC_NULL_REF_POINTER, t->b->add_file(t->w, t->job, NULL, local));
    assert_hr(BHT_E_RPC_NULL_REF_POINTER, t->b->add_file(t->w, t->job, PUBLIC_URL, NULL));
}

/* C20 (question 9: the owner writes unless LOCAL_FILE and a helper token are set) */
static void add_file_into_a_folder_the_writer_may_not_write_fails_with_e_accessdenied(
    void **state)
{
    struct fake_t *t = *state;
    char local[600];
    struct bht_progress p;

    fake_t_restricted_path(t, local, sizeof local, "r.bin");
    assert_hr(E_ACCESSDENIED, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.files_total, 0);
    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    assert_hr(S_OK, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
}

/* §2.4: parent directories must exist */
static void add_file_into_a_missing_folder_fails_with_path_not_found(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_path(t, local, sizeof local, "missing-dir/x.bin");
    assert_hr(BHT_E_PATH_NOT_FOUND, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
}

/* C21, C32 */
static void add_file_to_transferred_job_keeps_it_transferred_until_resume(void **state)
{
    struct fake_t *t = *state;
    char a[600], b[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", a);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    fake_t_add(t, PUBLIC_URL, "b.bin", b);
    assert_state(BHT_JOB_TRANSFERRED, fake_t_state(t, t->job));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_QUEUED, fake_t_state(t, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(a, PUBLIC_SIZE));
    assert_true(fake_t_file_is_pattern(b, PUBLIC_SIZE));
}

/* C22 */
static void add_file_after_complete_fails_with_bg_e_invalid_state(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_path(t, local, sizeof local, "x.bin");
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
}

/* C23 */
static void add_file_after_cancel_fails_with_bg_e_invalid_state(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_path(t, local, sizeof local, "x.bin");
    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
}

/* C24: the default MaxFilesPerJob is 200 */
static void add_file_201st_fails_with_bg_e_too_many_files_in_job(void **state)
{
    struct fake_t *t = *state;
    char local[600];
    int i;

    fake_t_path(t, local, sizeof local, "x.bin");
    for (i = 0; i < 200; i++)
        assert_hr(S_OK, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    assert_hr(BG_E_TOO_MANY_FILES_IN_JOB, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
}

/* C24: administrators are exempt */
static void admin_owner_is_exempt_from_files_per_job_limit(void **state)
{
    struct fake_t *t = *state;
    char local[600];
    struct bht_job *job;

    fake_t_world(t, "option owner=CORP\\root\noption max-files-per-job=1\n");
    job = t->job = fake_t_new_job(t);
    fake_t_path(t, local, sizeof local, "x.bin");
    assert_hr(S_OK, t->b->add_file(t->w, job, PUBLIC_URL, local));
    assert_hr(S_OK, t->b->add_file(t->w, job, PUBLIC_URL, local));
}

/* ---- Resume and Suspend ---- */

/* C27 */
static void resume_on_empty_job_fails_with_bg_e_empty(void **state)
{
    struct fake_t *t = *state;

    assert_hr(BG_E_EMPTY, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_SUSPENDED, fake_t_state(t, t->job));
}

/* C28, §3.1: even an instantaneous transfer shows every state to a waiter */
static void resume_passes_through_queued_connecting_transferring_to_transferred(void **state)
{
    struct fake_t *t = *state;
    enum bht_job_state st = (enum bht_job_state)0x7777;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_QUEUED, fake_t_state(t, t->job));
    assert_hr(S_OK, t->b->wait(t->w, t->job, 1000, &st));
    assert_state(BHT_JOB_CONNECTING, st);
    assert_hr(S_OK, t->b->wait(t->w, t->job, 1000, &st));
    assert_state(BHT_JOB_TRANSFERRING, st);
    assert_hr(S_OK, t->b->wait(t->w, t->job, 1000, &st));
    assert_state(BHT_JOB_TRANSFERRED, st);
    /* act-now state: wait returns at once */
    assert_hr(S_OK, t->b->wait(t->w, t->job, 1000, &st));
    assert_state(BHT_JOB_TRANSFERRED, st);
    assert_int_equal(bht_fake_now_ms(t->w), 0); /* nothing took virtual time */
}

/* C29 */
static void resume_on_queued_job_succeeds_and_changes_nothing(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_QUEUED, fake_t_state(t, t->job));
}

/* C30, C60 */
static void resume_from_error_requeues_and_keeps_error_until_transferring(void **state)
{
    struct fake_t *t = *state;
    struct bht_job_error e;
    enum bht_job_state st;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    /* flags without a token: ERROR with BG_E_TOKEN_REQUIRED (C100) */
    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, BHT_TOKEN_LOCAL_FILE));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, 0));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_QUEUED, fake_t_state(t, t->job));
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_hr(BG_E_TOKEN_REQUIRED, e.code);
    assert_hr(S_OK, t->b->wait(t->w, t->job, 1000, &st));
    assert_state(BHT_JOB_CONNECTING, st);
    assert_hr(S_OK, t->b->wait(t->w, t->job, 1000, &st));
    assert_state(BHT_JOB_TRANSFERRING, st);
    assert_hr(BG_E_ERROR_INFORMATION_UNAVAILABLE, t->b->get_error(t->w, t->job, &e));
}

/* C30: finished files are kept, the failed one is retried */
static void resume_from_error_keeps_finished_files(void **state)
{
    struct fake_t *t = *state;
    struct bht_progress p;
    char a[600], b[600];

    fake_t_world(t, "resource https://cdn.example/later size=10 fail=0x801901F7\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, PUBLIC_URL, "a.bin", a);
    fake_t_add(t, "https://cdn.example/later", "b.bin", b);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.files_transferred, 1);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.files_transferred, 1);
    assert_int_equal(p.bytes_transferred, PUBLIC_SIZE);
}

/* C31 (question 2) */
static void resume_on_transferred_job_with_nothing_new_succeeds_and_stays(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_state(t, t->job));
}

/* C33 */
static void resume_on_final_job_fails_with_bg_e_invalid_state(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *other = fake_t_new_job(t);

    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->resume(t->w, t->job));
    assert_hr(S_OK, t->b->complete(t->w, other));
    assert_hr(BG_E_INVALID_STATE, t->b->resume(t->w, other));
    t->b->release(t->w, other);
}

/* C34 */
static void suspend_stops_a_transferring_job_and_resume_continues_it(void **state)
{
    struct fake_t *t = *state;
    struct bht_progress p;
    char local[600];

    fake_t_world(t, "resource https://cdn.example/slow size=5000 rate=1000\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/slow", "s.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    bht_fake_advance(t->w, 2000);
    assert_state(BHT_JOB_TRANSFERRING, fake_t_state(t, t->job));
    assert_hr(S_OK, t->b->suspend(t->w, t->job));
    assert_state(BHT_JOB_SUSPENDED, fake_t_state(t, t->job));
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.bytes_transferred, 2000);
    bht_fake_advance(t->w, 60000); /* nothing moves while suspended */
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.bytes_transferred, 2000);
    assert_hr(S_OK, t->b->suspend(t->w, t->job)); /* already suspended: stays */
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_int_equal(bht_fake_now_ms(t->w), 62000 + 3000);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, 5000));
}

/* C35 */
static void suspend_on_final_job_fails_with_bg_e_invalid_state(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->suspend(t->w, t->job));
}

/* ---- Complete ---- */

/* C36, C37 */
static void complete_renames_the_hidden_temporary_into_place(void **state)
{
    struct fake_t *t = *state;
    enum bht_job_state st;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_int_equal(fake_t_file_size(local), -1); /* C37: invisible before Complete */
    assert_int_equal(fake_t_count_temporaries(t->dir), 1);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_hr(S_OK, t->b->get_state(t->w, t->job, &st));
    assert_state(BHT_JOB_ACKNOWLEDGED, st);
    assert_true(fake_t_file_is_pattern(local, PUBLIC_SIZE));
    assert_int_equal(fake_t_count_temporaries(t->dir), 0);
    assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_ACKNOWLEDGED), 1);
}

/* C38 */
static void complete_with_a_failed_file_keeps_finished_ones_and_returns_partial(void **state)
{
    struct fake_t *t = *state;
    char a[600], b[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", a);
    fake_t_add(t, "https://cdn.example/gone", "b.bin", b);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(BG_S_PARTIAL_COMPLETE, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(a, PUBLIC_SIZE));
    assert_int_equal(fake_t_file_size(b), -1);
    assert_int_equal(fake_t_count_temporaries(t->dir), 0);
}

/* C38: a partly written temporary of a transferring job is deleted */
static void complete_while_transferring_deletes_the_partial_temporary(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, "https://cdn.example/stuck", "s.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    bht_fake_advance(t->w, 1000);
    assert_state(BHT_JOB_TRANSFERRING, fake_t_state(t, t->job));
    assert_int_equal(fake_t_count_temporaries(t->dir), 1);
    assert_hr(BG_S_PARTIAL_COMPLETE, t->b->complete(t->w, t->job));
    assert_int_equal(fake_t_count_temporaries(t->dir), 0);
    assert_int_equal(fake_t_file_size(local), -1);
}

/* C39 (question 3) */
static void complete_with_no_finished_file_returns_partial_and_acknowledges(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(BG_S_PARTIAL_COMPLETE, t->b->complete(t->w, t->job));
    assert_state(BHT_JOB_ACKNOWLEDGED, fake_t_state(t, t->job));
}

/* C40 (question 3) */
static void complete_on_empty_job_succeeds(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_state(BHT_JOB_ACKNOWLEDGED, fake_t_state(t, t->job));
}

/* C41, C101: the rename at Complete is the helper's when LOCAL_FILE is set */
static void complete_whose_rename_is_denied_fails_and_leaves_the_job_transferred(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    fake_t_restricted_path(t, local, sizeof local, "r.bin");
    assert_hr(S_OK, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->clear_helper_token(t->w, t->job)); /* now the owner renames */
    assert_hr(E_ACCESSDENIED, t->b->complete(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_state(t, t->job));
    assert_int_equal(fake_t_file_size(local), -1);
    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, PUBLIC_SIZE));
}

/* C41: a rename the file system refuses (a folder sits at the destination) */
static void complete_whose_rename_fails_on_disk_returns_the_error_and_can_be_retried(
    void **state)
{
    struct fake_t *t = *state;
    char local[600];

    char first[600];

    /* The first file renames; the second's place is taken by a folder. */
    fake_t_add(t, PUBLIC_URL, "first.bin", first);
    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    fake_t_mkdir(local);
    assert_hr(E_ACCESSDENIED, t->b->complete(t->w, t->job)); /* EISDIR / EACCES mapped */
    assert_state(BHT_JOB_TRANSFERRED, fake_t_state(t, t->job));
    assert_true(fake_t_file_is_pattern(first, PUBLIC_SIZE));
    assert_int_equal(fake_t_count_temporaries(t->dir), 1); /* a.bin's, kept */
    { /* the half-done Complete is kept by a state file and read back */
        char path[600], err[700];
        struct bht_fake_world *w2 = bht_fake_world_new();
        assert_non_null(w2);
        fake_t_path(t, path, sizeof path, "q.state");
        assert_hr(S_OK, bht_fake_state_save(t->w, path, err, sizeof err));
        assert_hr(S_OK, bht_fake_world_parse(w2, FAKE_T_STANDARD_WORLD, NULL, err, sizeof err));
        assert_hr(S_OK, bht_fake_state_load(w2, path, err, sizeof err));
        assert_int_equal(bht_fake_job_count(w2), 1);
        bht_fake_world_free(w2);
    }
    /* The retry renames only what is left; the first file stays as it is. */
    fake_t_write_file(first, "mine", 4);
    fake_t_rmdir(local);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, PUBLIC_SIZE));
    assert_int_equal(fake_t_file_size(first), 4);
    assert_int_equal(fake_t_count_temporaries(t->dir), 0);
}

/* C43 (question 16) */
static void complete_replaces_an_existing_destination_file(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    fake_t_write_file(local, "old", 3);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_int_equal(fake_t_file_size(local), 3); /* untouched until Complete */
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, PUBLIC_SIZE));
}

/* C44 */
static void complete_on_final_job_fails_with_bg_e_invalid_state(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *other = fake_t_new_job(t);

    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->complete(t->w, t->job));
    assert_hr(S_OK, t->b->cancel(t->w, other));
    assert_hr(BG_E_INVALID_STATE, t->b->complete(t->w, other));
    t->b->release(t->w, other);
}

/* ---- Cancel ---- */

/* C46 */
static void cancel_deletes_temporaries_and_never_creates_the_destination(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_int_equal(fake_t_count_temporaries(t->dir), 1);
    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_state(BHT_JOB_CANCELLED, fake_t_state(t, t->job));
    assert_int_equal(fake_t_count_temporaries(t->dir), 0);
    assert_int_equal(fake_t_file_size(local), -1);
    assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_CANCELLED), 1);
}

/* C48 */
static void cancel_leaves_an_existing_destination_file_untouched(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    fake_t_write_file(local, "keep me", 7);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_int_equal(fake_t_file_size(local), 7);
}

/* C49 */
static void cancel_on_empty_suspended_job_succeeds(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_state(BHT_JOB_CANCELLED, fake_t_state(t, t->job));
}

/* C50 */
static void cancel_while_transferring_stops_the_transfer(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, "https://cdn.example/stuck", "s.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    bht_fake_advance(t->w, 10);
    assert_state(BHT_JOB_TRANSFERRING, fake_t_state(t, t->job));
    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_state(BHT_JOB_CANCELLED, fake_t_state(t, t->job));
    assert_int_equal(fake_t_count_temporaries(t->dir), 0);
}

/* C52 */
static void cancel_on_final_job_fails_with_bg_e_invalid_state(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->cancel(t->w, t->job));
}

/* ---- errors ---- */

/* C58 */
static void get_error_without_an_error_fails_with_information_unavailable(void **state)
{
    struct fake_t *t = *state;
    struct bht_job_error e;
    char local[600];

    assert_hr(BG_E_ERROR_INFORMATION_UNAVAILABLE, t->b->get_error(t->w, t->job, &e));
    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(BG_E_ERROR_INFORMATION_UNAVAILABLE, t->b->get_error(t->w, t->job, &e));
}

/* C59, C61, C65 */
static void undeclared_http_resource_fails_with_http_404_remote_file(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, "https://nowhere.example/x", "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_BG_E_HTTP_ERROR(404), "https://nowhere.example/x");
}

/* C61: fail= declares the status */
static void declared_failing_resource_fails_with_its_hresult(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, "https://cdn.example/gone", "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_BG_E_HTTP_ERROR(404), "https://cdn.example/gone");
    assert_int_equal(fake_t_count_temporaries(t->dir), 0);
}

/* C62 */
static void other_http_status_fails_with_0x80190000_plus_status(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "resource https://cdn.example/e500 fail=0x801901F4\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/e500", "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_HR(0x801901F4u), "https://cdn.example/e500");
}

/* C63 */
static void transient_failures_are_retried_after_the_minimum_retry_delay(void **state)
{
    struct fake_t *t = *state;
    enum bht_job_state st;
    struct bht_job_error e;
    char local[600];
    int transients = 0, i;

    fake_t_add(t, "https://cdn.example/big.iso", "big.iso", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    for (i = 0; i < 100; i++) {
        assert_hr(S_OK, t->b->wait(t->w, t->job, 24u * 3600u * 1000u, &st));
        if (st == BHT_JOB_TRANSIENT_ERROR) {
            transients++;
            assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
            assert_int_equal(e.context, BHT_ERRCTX_GENERAL_TRANSPORT);
            assert_hr(BHT_E_WINHTTP_CANNOT_CONNECT, e.code);
            assert_int_equal(bht_fake_now_ms(t->w), (uint64_t)(transients - 1) * 600000u);
        }
        if (st == BHT_JOB_TRANSFERRED)
            break;
    }
    assert_state(BHT_JOB_TRANSFERRED, st);
    assert_int_equal(transients, 3);
    assert_int_equal(bht_fake_now_ms(t->w), 3u * 600000u);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, 100000));
}

/* C64: undeclared UNC source */
static void undeclared_unc_source_fails_with_bad_netpath(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_add(t, "\\\\nosuch\\share\\f.txt", "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_E_BAD_NETPATH, "\\\\nosuch\\share\\f.txt");
}

/* C64: a missing local source (question 13: the fake says ERROR, FILE_NOT_FOUND) */
static void missing_local_source_fails_with_file_not_found(void **state)
{
    struct fake_t *t = *state;
    char local[600], src[600];

    fake_t_path(t, src, sizeof src, "no-such-source.bin");
    fake_t_add(t, src, "a.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_E_FILE_NOT_FOUND, src);
}

/* C64: a destination the writer lost between AddFile and the transfer */
static void destination_denied_at_transfer_fails_with_local_file_access_denied(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    fake_t_restricted_path(t, local, sizeof local, "r.bin");
    assert_hr(S_OK, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, 0)); /* owner writes now */
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_LOCAL_FILE, E_ACCESSDENIED, PUBLIC_URL);
}

/* C15: an undeclared real file is copied byte for byte (file:// too) */
static void undeclared_real_local_file_is_copied(void **state)
{
    struct fake_t *t = *state;
    char src[600], url[700], a[600], b[600];
    static const char data[] = "real bytes from this machine\n";

    fake_t_path(t, src, sizeof src, "src.txt");
    fake_t_write_file(src, data, sizeof data - 1);
    snprintf(url, sizeof url, "file://%s", src);
    fake_t_add(t, src, "a.txt", a);
    fake_t_add(t, url, "b.txt", b);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_int_equal(fake_t_file_size(a), sizeof data - 1);
    assert_int_equal(fake_t_file_size(b), sizeof data - 1);
}

/* content= serves the bytes of a real file under a declared name */
static void content_resource_serves_the_files_bytes(void **state)
{
    struct fake_t *t = *state;
    char src[600], world[800], local[600];
    FILE *fp;
    char buf[64];
    size_t n;

    fake_t_path(t, src, sizeof src, "ledger.bin");
    fake_t_write_file(src, "0123456789", 10);
    snprintf(world, sizeof world, "resource https://files.example/ledger content=%s\n", src);
    fake_t_world(t, world);
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://files.example/ledger", "l.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    fp = fopen(local, "rb");
    assert_non_null(fp);
    n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    assert_int_equal(n, 10);
    assert_memory_equal(buf, "0123456789", 10);
}

/* C69 */
static void zero_no_progress_timeout_makes_transient_errors_fatal(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "option no-progress-timeout=0\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/big.iso", "big.iso", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_GENERAL_TRANSPORT, BHT_E_WINHTTP_CANNOT_CONNECT,
                 "https://cdn.example/big.iso");
}

/* C71 */
static void retry_delay_beyond_the_timeout_means_no_retry(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "option retry-delay=7200\noption no-progress-timeout=3600\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/big.iso", "big.iso", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_int_equal(bht_fake_now_ms(t->w), 0);
}

/* C71: anything below 5 s becomes 5 s */
static void retry_delay_below_five_seconds_becomes_five(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "option retry-delay=1\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/big.iso", "big.iso", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_int_equal(bht_fake_now_ms(t->w), 15000);
}

/* C72 */
static void transient_errors_become_error_after_the_no_progress_timeout(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "option no-progress-timeout=3600\n"
                    "resource https://cdn.example/down size=1 transient=1000000\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/down", "d.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_int_equal(bht_fake_now_ms(t->w), 3600u * 1000u);
    fake_t_expect_file_error(t, BHT_ERRCTX_GENERAL_TRANSPORT, BHT_E_WINHTTP_CANNOT_CONNECT,
                 "https://cdn.example/down");
}

/* C72: the timer starts at the first transient error, not when the world began: a job
 * first failing two hours into the world still gets its whole hour of retries (the fake
 * once started every job's timer at 0, so this job went to ERROR at its first retry). */
static void the_no_progress_timer_starts_at_the_first_transient_error(void **state)
{
    struct fake_t *t = *state;
    struct bht_job_error e;
    enum bht_job_state st;
    char local[600];

    fake_t_world(t, "option no-progress-timeout=3600\noption retry-delay=600\n"
                    "resource https://cdn.example/down size=1 transient=1000000\n");
    bht_fake_advance(t->w, 7200u * 1000u);
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/down", "d.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    do
        assert_hr(S_OK, t->b->wait(t->w, t->job, 3600u * 1000u, &st));
    while (st == BHT_JOB_QUEUED || st == BHT_JOB_CONNECTING);
    assert_state(BHT_JOB_TRANSIENT_ERROR, st);
    assert_int_equal(bht_fake_now_ms(t->w), 7200u * 1000u);
    /* retried every 600 s until an hour after that first error */
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_int_equal(bht_fake_now_ms(t->w), 10800u * 1000u);
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_int_equal(e.context, BHT_ERRCTX_GENERAL_TRANSPORT);
    assert_hr(BHT_E_WINHTTP_CANNOT_CONNECT, e.code);
}

/* C72: progress restarts the timer. The first file fails at 0, 600 and 1200 s and arrives
 * at 1800 s; the second then fails for 3000 s more (1800-4200) and arrives at 4800 s: in
 * time, as its hour runs from 1800 s, not from 0. */
static void progress_restarts_the_no_progress_timer(void **state)
{
    struct fake_t *t = *state;
    char a[600], b[600];

    fake_t_world(t, "option no-progress-timeout=3600\noption retry-delay=600\n"
                    "resource https://cdn.example/a size=1 transient=3\n"
                    "resource https://cdn.example/b size=1 transient=5\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/a", "a.bin", a);
    fake_t_add(t, "https://cdn.example/b", "b.bin", b);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_int_equal(bht_fake_now_ms(t->w), 4800u * 1000u);
}

/* backend.h wait: a stalled job times out with S_FALSE after exactly the timeout */
static void wait_on_a_stalled_job_times_out_on_the_virtual_clock(void **state)
{
    struct fake_t *t = *state;
    enum bht_job_state st = (enum bht_job_state)0x7777;
    char local[600];

    fake_t_add(t, "https://cdn.example/stuck", "s.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_hr(S_OK, t->b->wait(t->w, t->job, 1000, &st));
    assert_state(BHT_JOB_CONNECTING, st);
    assert_hr(S_OK, t->b->wait(t->w, t->job, 1000, &st));
    assert_state(BHT_JOB_TRANSFERRING, st);
    assert_hr(S_FALSE, t->b->wait(t->w, t->job, 15u * 60u * 1000u, &st));
    assert_state(BHT_JOB_TRANSFERRING, st);
    assert_int_equal(t->b->clock_ms(t->w), 15u * 60u * 1000u);
}

/* rate= is bytes per virtual second */
static void rate_limited_transfer_takes_virtual_time_and_reports_progress(void **state)
{
    struct fake_t *t = *state;
    struct bht_progress p;
    enum bht_job_state st;
    char local[600];

    fake_t_world(t, "resource https://cdn.example/slow size=2500 rate=1000\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/slow", "s.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    /* a zero timeout still sees the step that is due now */
    assert_hr(S_OK, t->b->wait(t->w, t->job, 0, &st));
    assert_state(BHT_JOB_CONNECTING, st);
    bht_fake_advance(t->w, 1000);
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.bytes_transferred, 1000);
    assert_int_equal(p.bytes_total, 2500);
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_int_equal(bht_fake_now_ms(t->w), 2500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(add_file_http_to_suspended_job_keeps_state_and_counts_the_file),
        T(add_file_accepts_unc_file_url_and_full_local_path),
        T(add_file_with_relative_local_name_fails_with_e_invalidarg),
        T(add_file_with_wildcard_or_directory_local_name_fails),
        T(add_file_with_ftp_remote_fails_with_e_invalidarg),
        T(add_file_with_malformed_remote_fails_with_e_invalidarg),
        T(add_file_with_null_names_fails_with_rpc_null_ref_pointer),
        T(add_file_into_a_folder_the_writer_may_not_write_fails_with_e_accessdenied),
        T(add_file_into_a_missing_folder_fails_with_path_not_found),
        T(add_file_to_transferred_job_keeps_it_transferred_until_resume),
        T(add_file_after_complete_fails_with_bg_e_invalid_state),
        T(add_file_after_cancel_fails_with_bg_e_invalid_state),
        T(add_file_201st_fails_with_bg_e_too_many_files_in_job),
        T(admin_owner_is_exempt_from_files_per_job_limit),
        T(resume_on_empty_job_fails_with_bg_e_empty),
        T(resume_passes_through_queued_connecting_transferring_to_transferred),
        T(resume_on_queued_job_succeeds_and_changes_nothing),
        T(resume_from_error_requeues_and_keeps_error_until_transferring),
        T(resume_from_error_keeps_finished_files),
        T(resume_on_transferred_job_with_nothing_new_succeeds_and_stays),
        T(resume_on_final_job_fails_with_bg_e_invalid_state),
        T(suspend_stops_a_transferring_job_and_resume_continues_it),
        T(suspend_on_final_job_fails_with_bg_e_invalid_state),
        T(complete_renames_the_hidden_temporary_into_place),
        T(complete_with_a_failed_file_keeps_finished_ones_and_returns_partial),
        T(complete_while_transferring_deletes_the_partial_temporary),
        T(complete_with_no_finished_file_returns_partial_and_acknowledges),
        T(complete_on_empty_job_succeeds),
        T(complete_whose_rename_is_denied_fails_and_leaves_the_job_transferred),
        T(complete_whose_rename_fails_on_disk_returns_the_error_and_can_be_retried),
        T(complete_replaces_an_existing_destination_file),
        T(complete_on_final_job_fails_with_bg_e_invalid_state),
        T(cancel_deletes_temporaries_and_never_creates_the_destination),
        T(cancel_leaves_an_existing_destination_file_untouched),
        T(cancel_on_empty_suspended_job_succeeds),
        T(cancel_while_transferring_stops_the_transfer),
        T(cancel_on_final_job_fails_with_bg_e_invalid_state),
        T(get_error_without_an_error_fails_with_information_unavailable),
        T(undeclared_http_resource_fails_with_http_404_remote_file),
        T(declared_failing_resource_fails_with_its_hresult),
        T(other_http_status_fails_with_0x80190000_plus_status),
        T(transient_failures_are_retried_after_the_minimum_retry_delay),
        T(undeclared_unc_source_fails_with_bad_netpath),
        T(missing_local_source_fails_with_file_not_found),
        T(destination_denied_at_transfer_fails_with_local_file_access_denied),
        T(undeclared_real_local_file_is_copied),
        T(content_resource_serves_the_files_bytes),
        T(zero_no_progress_timeout_makes_transient_errors_fatal),
        T(retry_delay_beyond_the_timeout_means_no_retry),
        T(retry_delay_below_five_seconds_becomes_five),
        T(transient_errors_become_error_after_the_no_progress_timeout),
        T(progress_restarts_the_no_progress_timer),
        T(the_no_progress_timer_starts_at_the_first_transient_error),
        T(wait_on_a_stalled_job_times_out_on_the_virtual_clock),
        T(rate_limited_transfer_takes_virtual_time_and_reports_progress),
    };
    return cmocka_run_group_tests_name("fake_transfer", tests, NULL, NULL);
}
