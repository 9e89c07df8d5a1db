/* bitsht: the helper-token flow (bht_run_transfer) against the fake world. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core_fixture.h"

static const char *const q3[] = {"https://files.corp.example/q3.pdf"};
static const char *const ledger[] = {"\\\\fs01\\finance\\ledger.xlsx"};
static const char *const public_bin[] = {"https://cdn.example/public.bin"};

static void run(struct core_fixture *f)
{
    bht_run_transfer(&f->be, &f->req, &f->rep);
}

/* docs/design.md steps 2-6, C88, C101: the helper reads an SMB source with NETWORK. */
static void helper_reads_unc_source_with_network_flag(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_NETWORK, ledger, 1, 0);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(bht_outcome_exit_code(f->rep.outcome), 0);
    assert_hr(S_OK, f->rep.hr);
    assert_int_equal(f->rep.failed_step, BHT_STEP_NONE);
    assert_int_equal(f->rep.final_state, BHT_JOB_ACKNOWLEDGED);
    assert_int_equal(f->rep.progress.files_transferred, 1);
    assert_int_equal(f->rep.progress.bytes_transferred, 4096);
    assert_int_equal(fake_t_file_size(f->local[0]), 4096);
    assert_int_equal(strlen(f->rep.job_id), BHT_JOB_ID_SIZE - 1);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_LOGON), 1);
    core_fixture_assert_clean(f);
}

/* C101: without NETWORK the owner reads the share and is denied (exit 1, not 3: the
 * token was set, BITS just used the owner for this part). */
static void unc_source_without_network_flag_fails_as_owner(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, ledger, 1, 0);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_TRANSFER);
    assert_hr(E_ACCESSDENIED, f->rep.hr);
    assert_true(f->rep.has_bits_error);
    assert_int_equal(f->rep.bits_error.context, BHT_ERRCTX_REMOTE_FILE);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    assert_int_equal(fake_t_file_size(f->local[0]), -1);
    core_fixture_assert_clean(f);
}

/* C101: LOCAL_FILE makes the helper write a folder only it may write. */
static void helper_writes_restricted_folder_with_local_flag(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_bin, 1, 1);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(fake_t_file_size(f->local[0]), 3000);
    core_fixture_assert_clean(f);
}

/* C20: without a helper, AddFile checks the owner's write access and refuses. */
static void restricted_folder_without_helper_is_refused_at_add_file(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, 0, public_bin, 1, 1);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_ADD_FILE);
    assert_hr(E_ACCESSDENIED, f->rep.hr);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_LOGON), 0);
    core_fixture_assert_clean(f);
}

/* §3.4 rule 4: NETWORK with an HTTP remote also sets implicit credentials; the helper
 * then answers the server's challenge. */
static void http_auth_resource_uses_helper_with_network_flag(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_NETWORK | BHT_TOKEN_LOCAL_FILE, q3, 1, 0);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_IMPLICIT_CREDENTIALS), 1);
    assert_int_equal(fake_t_file_size(f->local[0]), 1048576);
    /* 1 MiB at 64 KiB per virtual second: 16 s of virtual time, no wall time */
    assert_true(f->rep.elapsed_ms >= 16000);
    core_fixture_assert_clean(f);
}

static void wrong_password_fails_at_logon_with_exit_3(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_NETWORK, ledger, 1, 0);
    memset(f->password, 0, sizeof f->password);
    strcpy(f->password, "not-the-password");
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TOKEN_FAILED);
    assert_int_equal(bht_outcome_exit_code(f->rep.outcome), 3);
    assert_int_equal(f->rep.failed_step, BHT_STEP_LOGON);
    assert_hr(BHT_E_LOGON_FAILURE, f->rep.hr); /* C104 */
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_ADD_FILE), 0);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_HELPER_TOKEN), 0);
    core_fixture_assert_clean(f);
}

/* C87 (Wine 8): no IBitsTokenOptions; exit 3 before any logon, job cancelled. */
static void wine_profile_fails_before_logon(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_world(f, "option profile=wine8\n");
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_bin, 1, 0);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TOKEN_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_TOKEN_OPTIONS);
    assert_hr(E_NOINTERFACE, f->rep.hr);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_LOGON), 0);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    core_fixture_assert_clean(f);
}

/* C92 (1607+): an administrator helper needs an administrator caller. */
static void admin_helper_with_non_admin_owner_is_refused(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_bin, 1, 0);
    f->req.user = "root";
    memset(f->password, 0, sizeof f->password);
    strcpy(f->password, "toor");
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TOKEN_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_SET_HELPER_TOKEN);
    assert_hr(E_ACCESSDENIED, f->rep.hr);
    core_fixture_assert_clean(f);
}

/* docs/design.md step 6: the deadline cancels a job that never progresses; 900 s of virtual
 * time pass without any wall time. */
static void stalled_job_hits_deadline_and_is_cancelled(void **state)
{
    struct core_fixture *f = *state;
    static const char *const stuck[] = {"https://cdn.example/stuck"};

    core_fixture_request(f, 0, stuck, 1, 0);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TIMEOUT);
    assert_int_equal(bht_outcome_exit_code(f->rep.outcome), 4);
    assert_int_equal(f->rep.failed_step, BHT_STEP_WAIT);
    assert_hr(BHT_E_TIMEOUT, f->rep.hr);
    assert_int_equal(f->rep.elapsed_ms, 900000);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    core_fixture_assert_clean(f);
}

/* A deadline met mid-transfer: the report gives the bytes moved by then (no progress
 * events asked for, so nothing refreshed them during the transfer), and the job id even if
 * BITS could not tell it (an empty id, never stale bytes). */
static void a_deadline_mid_transfer_reports_the_bytes_moved_by_then(void **state)
{
    struct core_fixture *f = *state;
    static const char *const slow[] = {"https://files.corp.example/q3.pdf"};

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK, slow, 1, 1);
    f->req.timeout_s = 5;           /* 1 MiB at 65536 B/s takes 16 s */
    f->req.progress_interval_ms = 0;
    bht_fake_fail(f->t->w, BHT_OP_GET_ID, 1, E_FAIL, BHT_FAULT_ONCE);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TIMEOUT);
    assert_true(f->rep.progress.bytes_transferred == 5u * 65536u);
    assert_true(f->rep.progress.bytes_total == 1048576u);
    assert_string_equal(f->rep.job_id, "");
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    core_fixture_assert_clean(f);
}

/* C63, C71: transient errors are waited through (BITS retries). */
static void transient_errors_are_waited_through(void **state)
{
    struct core_fixture *f = *state;
    static const char *const big[] = {"https://cdn.example/big.iso"};

    core_fixture_request(f, 0, big, 1, 0);
    f->req.timeout_s = 0; /* retries take 3 x 600 virtual seconds */
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(f->rep.transient_errors, 3);
    assert_int_equal(fake_t_file_size(f->local[0]), 100000);
    core_fixture_assert_clean(f);
}

static void max_transient_gives_up(void **state)
{
    struct core_fixture *f = *state;
    static const char *const big[] = {"https://cdn.example/big.iso"};

    core_fixture_request(f, 0, big, 1, 0);
    f->req.timeout_s = 0;
    f->req.max_transient = 1;
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_TRANSFER);
    assert_int_equal(f->rep.transient_errors, 2);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    core_fixture_assert_clean(f);
}

/* C61: a 404 is a fatal error with the BITS error object in the report. */
static void http_404_reports_bits_error_and_cancels(void **state)
{
    struct core_fixture *f = *state;
    static const char *const gone[] = {"https://cdn.example/gone"};

    core_fixture_request(f, 0, gone, 1, 0);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_hr(BHT_BG_E_HTTP_ERROR(404), f->rep.hr);
    assert_true(f->rep.has_bits_error);
    assert_int_equal(f->rep.bits_error.context, BHT_ERRCTX_REMOTE_FILE);
    assert_hr(BHT_BG_E_HTTP_ERROR(404), f->rep.bits_error.code);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    assert_int_equal(fake_t_file_size(f->local[0]), -1);
    assert_int_equal(fake_t_count_temporaries(f->t->dir), 0); /* C46: temporaries removed */
    core_fixture_assert_clean(f);
}

/* C100: BITS drops the helper token mid-transfer (owner log-off); the flow sets it
 * again from the still-open logon token and resumes, once. */
static void token_required_is_recovered_once(void **state)
{
    struct core_fixture *f = *state;
    static const char *const flaky[] = {"https://cdn.example/flaky"};

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, flaky, 1, 0);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(f->rep.token_recoveries, 1);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_HELPER_TOKEN), 2);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_LOGON), 1);
    assert_int_equal(fake_t_file_size(f->local[0]), 50000);
    core_fixture_assert_clean(f);
}

/* Bad input never creates a job (exit 2). */
static void invalid_request_creates_no_job(void **state)
{
    struct core_fixture *f = *state;
    static const char *const ftp[] = {"ftp://example.com/x"};

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, ftp, 1, 0);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_BAD_INPUT);
    assert_int_equal(bht_outcome_exit_code(f->rep.outcome), 2);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CREATE_JOB), 0);
    assert_false(f->rep.job_created);
    core_fixture_assert_clean(f);
}

/* docs/design.md "Exit codes": an existing destination is never destroyed without --overwrite. */
static void existing_destination_is_refused_without_overwrite(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, 0, public_bin, 1, 0);
    fake_t_write_file(f->local[0], "keep me", 7);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_BAD_INPUT);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CREATE_JOB), 0);
    assert_int_equal(fake_t_file_size(f->local[0]), 7);

    f->req.overwrite = 1;
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(fake_t_file_size(f->local[0]), 3000); /* C43: replaced */
    core_fixture_assert_clean(f);
}

/* Writes "mine" at the destination when the job first reaches TRANSFERRING: another
 * program creating the file while BITS transfers. */
static void create_destination_midway(void *user, const struct bht_event *ev)
{
    struct core_fixture *f = user;

    if (ev->kind == BHT_EVENT_STATE && ev->state == BHT_JOB_TRANSFERRING &&
        fake_t_file_size(f->local[0]) < 0)
        fake_t_write_file(f->local[0], "mine", 4);
}

/* Issue 13 item 2: a destination that appears during the transfer is kept: no Complete,
 * the job is cancelled (its temporary deleted), exit 1 with ERROR_FILE_EXISTS. */
static void destination_created_during_the_transfer_is_kept(void **state)
{
    struct core_fixture *f = *state;
    static const char *const slow[] = {"https://cdn.example/slow"};

    core_fixture_world(f, "resource https://cdn.example/slow size=5000 rate=1000\n");
    core_fixture_request(f, 0, slow, 1, 0);
    f->req.on_event = create_destination_midway;
    f->req.event_user = f;
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(bht_outcome_exit_code(f->rep.outcome), 1);
    assert_int_equal(f->rep.failed_step, BHT_STEP_COMPLETE);
    assert_hr(BHT_E_FILE_EXISTS, f->rep.hr);
    assert_non_null(strstr(f->rep.detail, "appeared during the transfer"));
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_COMPLETE), 0);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    assert_int_equal(f->rep.job_left_in_queue, 0);
    assert_int_equal(fake_t_file_size(f->local[0]), 4);
    assert_int_equal(fake_t_count_temporaries(f->t->dir), 0);
    core_fixture_assert_clean(f);

    /* --overwrite: the user asked for it to be replaced (C43). */
    remove(f->local[0]);
    f->req.overwrite = 1;
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(fake_t_file_size(f->local[0]), 5000);
}

struct event_log {
    int stages[BHT_STEP_DONE + 1];
    int states;
};

static void count_events(void *user, const struct bht_event *ev)
{
    struct event_log *log = user;

    if (ev->kind == BHT_EVENT_STAGE)
        log->stages[ev->step]++;
    else if (ev->kind == BHT_EVENT_STATE)
        log->states++;
}

/* The documented order (§3.4): token options, logon, impersonate, set token, flags,
 * revert, then add files, resume, wait, complete. */
static void stages_follow_the_documented_order(void **state)
{
    struct core_fixture *f = *state;
    struct event_log log;
    const enum bht_fake_op order[] = {BHT_OP_CREATE_JOB, BHT_OP_GET_TOKEN_OPTIONS, BHT_OP_LOGON,
                                      BHT_OP_IMPERSONATE, BHT_OP_SET_HELPER_TOKEN,
                                      BHT_OP_SET_HELPER_TOKEN_FLAGS, BHT_OP_REVERT,
                                      BHT_OP_ADD_FILE, BHT_OP_RESUME, BHT_OP_COMPLETE};
    size_t next = 0;

    memset(&log, 0, sizeof log);
    core_fixture_request(f, BHT_TOKEN_NETWORK, ledger, 1, 0);
    f->req.on_event = count_events;
    f->req.event_user = &log;
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    for (size_t i = 0; i < bht_fake_log_size(f->t->w) && next < sizeof order / sizeof order[0];
         i++) {
        const char *entry = bht_fake_log_entry(f->t->w, i);
        const char *want = bht_fake_op_name(order[next]);
        if (strncmp(entry, want, strlen(want)) == 0 && entry[strlen(want)] == ' ')
            next++;
    }
    assert_int_equal(next, sizeof order / sizeof order[0]);
    assert_int_equal(log.stages[BHT_STEP_LOGON], 1);
    assert_int_equal(log.stages[BHT_STEP_COMPLETE], 1);
    assert_int_equal(log.stages[BHT_STEP_CANCEL], 0);
    assert_true(log.states >= 3); /* QUEUED, CONNECTING/TRANSFERRING, TRANSFERRED */
}

static int interrupt_after_three_polls(void *user)
{
    int *polls = user;
    return ++*polls > 3;
}

/* Ctrl-C: the flow notices within one progress interval and cancels the job. */
static void interruption_cancels_the_job(void **state)
{
    struct core_fixture *f = *state;
    static const char *const stuck[] = {"https://cdn.example/stuck"};
    int polls = 0;

    core_fixture_request(f, 0, stuck, 1, 0);
    f->req.progress_interval_ms = 500;
    f->req.interrupted = interrupt_after_three_polls;
    f->req.event_user = &polls;
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_WAIT);
    assert_hr(BHT_E_CANCELLED, f->rep.hr);
    assert_true(f->rep.elapsed_ms <= 1500);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    core_fixture_assert_clean(f);
}

static int always_interrupted(void *user)
{
    (void)user;
    return 1;
}

/* Issue 13 item 12: a Ctrl-C that lands while the request is checked (a slow file
 * system) ends the run there: no job is created and nobody is logged on. */
static void interruption_before_the_job_creates_nothing(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_bin, 1, 0);
    f->req.interrupted = always_interrupted;
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_CREATE_JOB);
    assert_hr(BHT_E_CANCELLED, f->rep.hr);
    assert_int_equal(f->rep.job_created, 0);
    assert_string_equal(f->rep.job_id, "");
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CREATE_JOB), 0);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_LOGON), 0);
    core_fixture_assert_clean(f);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, core_fixture_setup, core_fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(helper_reads_unc_source_with_network_flag),
        T(unc_source_without_network_flag_fails_as_owner),
        T(helper_writes_restricted_folder_with_local_flag),
        T(restricted_folder_without_helper_is_refused_at_add_file),
        T(http_auth_resource_uses_helper_with_network_flag),
        T(wrong_password_fails_at_logon_with_exit_3),
        T(wine_profile_fails_before_logon),
        T(admin_helper_with_non_admin_owner_is_refused),
        T(stalled_job_hits_deadline_and_is_cancelled),
        T(a_deadline_mid_transfer_reports_the_bytes_moved_by_then),
        T(transient_errors_are_waited_through),
        T(max_transient_gives_up),
        T(http_404_reports_bits_error_and_cancels),
        T(token_required_is_recovered_once),
        T(invalid_request_creates_no_job),
        T(existing_destination_is_refused_without_overwrite),
        T(destination_created_during_the_transfer_is_kept),
        T(stages_follow_the_documented_order),
        T(interruption_cancels_the_job),
        T(interruption_before_the_job_creates_nothing),
    };
    return cmocka_run_group_tests_name("core_flow", tests, NULL, NULL);
}
