/* bitsht fake: the rarer answers of the ops (fakes/fake_bits.c, fakes/fake_identity.c):
 * SetCredentials pairs at the ends of their ranges (C114), C93 for a job whose helper is an
 * administrator, the error object's descriptions for every context (C68) and when it is
 * not there (C58, C59 Wine, C66), enumeration without a prefix and of a name longer than
 * the list keeps (wine8 takes any length), Complete and Cancel when a temporary or a
 * destination cannot be deleted (C42, C47, C51), the cost flags of a running job (C117),
 * and LogonUserW's logon types and NULL arguments (C103). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_support.h"
#include "../../fakes/fake_internal.h"

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)
#define TJ(name) cmocka_unit_test_setup_teardown(name, fake_t_setup_job, fake_t_teardown)

static void credentials_of(struct fake_t *t, char *out, size_t size)
{
    char id[BHT_JOB_ID_SIZE];

    assert_hr(S_OK, t->b->get_id(t->w, t->job, id));
    assert_hr(S_OK, bht_fake_implicit_credentials(t->w, id, out, size));
}

/* C114: targets 1 (server) and 2 (proxy), schemes 1 (basic) to 5 (passport). */
static void credential_pairs_at_the_ends_of_their_ranges(void **state)
{
    struct fake_t *t = *state;
    char pairs[128];

    assert_hr(E_INVALIDARG, fake_set_implicit_credentials_pair(t->w, t->job, 0, 3));
    assert_hr(E_INVALIDARG, fake_set_implicit_credentials_pair(t->w, t->job, 3, 3));
    assert_hr(E_INVALIDARG, fake_set_implicit_credentials_pair(t->w, t->job, 1, 0));
    assert_hr(E_INVALIDARG, fake_set_implicit_credentials_pair(t->w, t->job, 2, 6));
    assert_int_equal(bht_fake_calls(t->w, BHT_OP_SET_IMPLICIT_CREDENTIALS), 0);
    assert_int_equal(t->job->job->credentials, 0);
    assert_hr(S_OK, fake_set_implicit_credentials_pair(t->w, t->job, 1, 1));
    assert_hr(S_OK, fake_set_implicit_credentials_pair(t->w, t->job, 2, 5));
    assert_int_equal(t->job->job->credentials, FAKE_CRED_BIT(1, 1) | FAKE_CRED_BIT(2, 5));
    credentials_of(t, pairs, sizeof pairs);
    assert_string_equal(pairs, "server/basic proxy/passport");
    assert_hr(S_OK, fake_set_implicit_credentials_pair(t->w, t->job, 2, 3));
    assert_hr(S_OK, fake_set_implicit_credentials_pair(t->w, t->job, 1, 4));
    credentials_of(t, pairs, sizeof pairs);
    assert_string_equal(pairs, "server/negotiate proxy/ntlm server/basic proxy/passport");
    assert_int_equal(bht_fake_calls(t->w, BHT_OP_SET_IMPLICIT_CREDENTIALS), 4);
}

/* C93: with an administrator's token as the helper, a non-admin owner may not change the
 * flags (a state file written by a world under the legacy rule, where bob was an
 * administrator, holds such a job). */
static void helper_flags_of_an_admin_helper_need_an_admin_owner(void **state)
{
    struct fake_t *t = *state;
    struct fake_job *j = t->job->job;
    uint32_t flags = 77;

    j->has_helper = 1;
    j->helper.local = j->helper.network = fake_find_user(t->w, "CORP\\root");
    assert_non_null(j->helper.local);
    assert_hr(E_ACCESSDENIED, t->b->set_helper_token_flags(t->w, t->job, BHT_TOKEN_LOCAL_FILE));
    assert_hr(S_OK, t->b->get_helper_token_flags(t->w, t->job, &flags));
    assert_int_equal(flags, 0);
    /* A non-admin helper: allowed. */
    j->helper.local = j->helper.network = fake_find_user(t->w, "CORP\\alice");
    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, BHT_TOKEN_LOCAL_FILE));
    assert_hr(S_OK, t->b->get_helper_token_flags(t->w, t->job, &flags));
    assert_int_equal(flags, BHT_TOKEN_LOCAL_FILE);
}

static void set_error(struct fake_job *j, enum bht_error_context ctx, bht_hr code, int file)
{
    j->error.present = 1;
    j->error.context = ctx;
    j->error.code = code;
    j->error.file = file;
}

/* C68: GetErrorContextDescription's text for each BG_ERROR_CONTEXT, GetErrorDescription's
 * the code's message. */
static void every_error_context_has_its_description(void **state)
{
    struct fake_t *t = *state;
    static const struct {
        enum bht_error_context ctx;
        const char *text;
    } d[] = {
        {BHT_ERRCTX_NONE, "No error."},
        {BHT_ERRCTX_UNKNOWN, "The error context is unknown."},
        {BHT_ERRCTX_GENERAL_QUEUE_MANAGER,
         "The error occurred in the Background Intelligent Transfer Service (BITS)."},
        {BHT_ERRCTX_QUEUE_MANAGER_NOTIFICATION,
         "The error occurred while BITS was notifying the application."},
        {BHT_ERRCTX_LOCAL_FILE, "The error occurred while processing the local file."},
        {BHT_ERRCTX_REMOTE_FILE, "The error occurred while processing the remote file."},
        {BHT_ERRCTX_GENERAL_TRANSPORT, "The error occurred in the transport layer."},
        {BHT_ERRCTX_REMOTE_APPLICATION, "The error occurred in the remote application."},
        {(enum bht_error_context)99, "The error context is unknown."},
    };
    struct bht_job_error e;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        set_error(t->job->job, d[i].ctx, E_ACCESSDENIED, 0);
        assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
        assert_int_equal(e.context, d[i].ctx);
        assert_string_equal(e.context_description, d[i].text);
        assert_string_equal(e.description, bht_hr_message(E_ACCESSDENIED));
        assert_string_equal(e.remote_name, PUBLIC_URL);
    }
}

/* C58: no error object once TRANSFERRED; C66: "" when the error names no file, or a file
 * the job does not have; C59 Wine: only HTTP statuses, without descriptions (C68 Wine). */
static void when_the_error_object_is_there(void **state)
{
    struct fake_t *t = *state;
    struct fake_job *j = t->job->job;
    struct bht_job_error e;
    char local[600];

    fake_t_add(t, PUBLIC_URL, "a.bin", local);
    set_error(j, BHT_ERRCTX_REMOTE_FILE, BHT_BG_E_HTTP_ERROR(404), -1);
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_string_equal(e.remote_name, "");
    set_error(j, BHT_ERRCTX_REMOTE_FILE, BHT_BG_E_HTTP_ERROR(404), 1);
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_string_equal(e.remote_name, "");
    set_error(j, BHT_ERRCTX_REMOTE_FILE, BHT_BG_E_HTTP_ERROR(404), 0);
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_string_equal(e.remote_name, PUBLIC_URL);
    j->error.present = 0;
    assert_hr(BG_E_ERROR_INFORMATION_UNAVAILABLE, t->b->get_error(t->w, t->job, &e));
    j->error.present = 1;
    fake_job_set_state(t->w, j, BHT_JOB_TRANSFERRED);
    assert_hr(BG_E_ERROR_INFORMATION_UNAVAILABLE, t->b->get_error(t->w, t->job, &e));
    fake_job_set_state(t->w, j, BHT_JOB_ERROR);

    bht_fake_set_profile(t->w, BHT_FAKE_PROFILE_WINE8);
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_hr(BHT_BG_E_HTTP_ERROR(404), e.code);
    assert_int_equal(e.context, BHT_ERRCTX_REMOTE_FILE);
    assert_string_equal(e.description, "");
    assert_string_equal(e.context_description, "");
    assert_string_equal(e.remote_name, PUBLIC_URL);
    set_error(j, BHT_ERRCTX_LOCAL_FILE, E_ACCESSDENIED, 0);
    assert_hr(BG_E_ERROR_INFORMATION_UNAVAILABLE, t->b->get_error(t->w, t->job, &e));
}

/* C11 with no prefix: every job of the caller; a display name longer than the list's
 * 1024 bytes (wine8 takes any length, C02 is Windows') is cut there. */
static void enumeration_without_a_prefix_and_of_long_names(void **state)
{
    struct fake_t *t = *state;
    struct bht_job_info *list = NULL;
    struct bht_job *h[2];
    char name[1100];
    size_t n = 0;

    assert_hr(S_OK, t->b->enum_jobs(t->w, NULL, &list, &n));
    assert_int_equal(n, 0);
    assert_null(list);
    h[0] = fake_t_new_job(t);
    assert_hr(S_OK, t->b->create_job(t->w, "other", &h[1]));
    assert_hr(S_OK, t->b->enum_jobs(t->w, NULL, &list, &n));
    assert_int_equal(n, 2);
    assert_string_equal(list[0].display_name, "bitsht:test");
    assert_string_equal(list[1].display_name, "other");
    t->b->free_mem(t->w, list);
    assert_true(fake_t_log_has(t, "enum_jobs \"\" 2 -> S_OK"));
    t->b->release(t->w, h[0]);
    t->b->release(t->w, h[1]);

    fake_t_world(t, "option profile=wine8\n");
    memset(name, 'n', sizeof name);
    name[4 * BHT_DISPLAY_NAME_MAX] = '\0'; /* exactly what fits */
    assert_hr(S_OK, t->b->create_job(t->w, name, &h[0]));
    name[4 * BHT_DISPLAY_NAME_MAX] = 'n'; /* one byte more */
    name[4 * BHT_DISPLAY_NAME_MAX + 1] = '\0';
    assert_hr(S_OK, t->b->create_job(t->w, name, &h[1]));
    assert_hr(S_OK, t->b->enum_jobs(t->w, "nnn", &list, &n));
    assert_int_equal(n, 2);
    assert_int_equal(strlen(list[0].display_name), 4 * BHT_DISPLAY_NAME_MAX);
    assert_int_equal(strlen(list[1].display_name), 4 * BHT_DISPLAY_NAME_MAX);
    assert_int_equal(list[1].state, BHT_JOB_SUSPENDED); /* the field after the name intact */
    t->b->free_mem(t->w, list);
    t->b->release(t->w, h[0]);
    t->b->release(t->w, h[1]);
}

/* Puts a folder with something in it where path is: remove() cannot delete it. */
static void block_with_a_full_folder(const char *path)
{
    char inner[700];

    remove(path);
    fake_t_mkdir(path);
    snprintf(inner, sizeof inner, "%s/keep", path);
    fake_t_write_file(inner, "k", 1);
}

/* Two files, the first finished and the second half-way, suspended. */
static void one_done_one_half_way(struct fake_t *t, char *local0, char *local1, uint64_t tag)
{
    struct bht_progress p;
    enum bht_job_state st;

    fake_t_world(t, "resource https://cdn.example/slow size=10 rate=2\n");
    bht_fake_world_set_id_tag(t->w, tag); /* temporaries of their own in the same folder */
    t->job = fake_t_new_job(t);
    fake_t_add(t, PUBLIC_URL, "done.bin", local0);
    fake_t_add(t, "https://cdn.example/slow", "half.bin", local1);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    for (int i = 0;; i++) {
        t->b->wait(t->w, t->job, 1000, &st);
        assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
        if (p.bytes_transferred >= PUBLIC_SIZE + 2)
            break;
        if (i > 50)
            fail_msg("stuck in state %d at %llu bytes", (int)st, (unsigned long long)p.bytes_transferred);
    }
    assert_hr(S_OK, t->b->suspend(t->w, t->job));
}

/* C42: Complete cannot delete an unfinished file's temporary: the finished file is in
 * place, the job ACKNOWLEDGED, and BG_S_UNABLE_TO_DELETE_FILES (never from Wine's Complete,
 * which says BG_S_PARTIAL_COMPLETE). */
static void complete_that_cannot_delete_a_temporary(void **state)
{
    struct fake_t *t = *state;
    char local0[600], local1[600], *temp;

    for (int wine = 0; wine < 2; wine++) {
        one_done_one_half_way(t, local0, local1, 1u + (unsigned)wine);
        if (wine)
            bht_fake_set_profile(t->w, BHT_FAKE_PROFILE_WINE8);
        temp = fake_temp_name(t->job->job, 1);
        block_with_a_full_folder(temp);
        assert_hr(wine ? BG_S_PARTIAL_COMPLETE : BG_S_UNABLE_TO_DELETE_FILES,
                  t->b->complete(t->w, t->job));
        assert_state(BHT_JOB_ACKNOWLEDGED, fake_t_state(t, t->job));
        assert_true(fake_t_file_is_pattern(local0, PUBLIC_SIZE));
        assert_int_equal(fake_t_file_size(local1), -1);
        free(temp);
        t->b->release(t->w, t->job);
        t->job = NULL;
    }
}

/* C51: Cancel cannot delete a temporary: CANCELLED with BG_S_UNABLE_TO_DELETE_FILES. C47
 * Wine: the destination goes too; a destination that cannot be deleted is the same
 * answer, one that can be is S_OK. */
static void cancel_that_cannot_delete_a_file(void **state)
{
    struct fake_t *t = *state;
    char local0[600], local1[600], *temp;

    one_done_one_half_way(t, local0, local1, 1);
    temp = fake_temp_name(t->job->job, 1);
    block_with_a_full_folder(temp);
    assert_hr(BG_S_UNABLE_TO_DELETE_FILES, t->b->cancel(t->w, t->job));
    assert_state(BHT_JOB_CANCELLED, fake_t_state(t, t->job));
    assert_int_equal(fake_t_count_temporaries(t->dir), 1); /* the blocked one only */
    free(temp);

    fake_t_world(t, "option profile=wine8\n"); /* releases t->job */
    t->job = fake_t_new_job(t);
    fake_t_add(t, PUBLIC_URL, "w.bin", local0);
    fake_t_write_file(local0, "old", 3);
    assert_hr(S_OK, t->b->cancel(t->w, t->job)); /* it was there and went */
    assert_int_equal(fake_t_file_size(local0), -1);
    t->b->release(t->w, t->job);
    t->job = fake_t_new_job(t);
    fake_t_add(t, PUBLIC_URL, "w2.bin", local1);
    block_with_a_full_folder(local1);
    assert_hr(BG_S_UNABLE_TO_DELETE_FILES, t->b->cancel(t->w, t->job));
    assert_state(BHT_JOB_CANCELLED, fake_t_state(t, t->job));
}

/* C117: new cost flags on a job that is already transferring change nothing about its
 * schedule: a stalled transfer stays stalled. */
static void cost_flags_of_a_running_job_do_not_wake_it(void **state)
{
    struct fake_t *t = *state;
    struct bht_progress p;
    enum bht_job_state st;
    char local[600];

    fake_t_add(t, "https://cdn.example/stuck", "s.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    while (fake_t_state(t, t->job) != BHT_JOB_TRANSFERRING)
        t->b->wait(t->w, t->job, 10, &st);
    assert_hr(S_OK, t->b->set_cost_flags(t->w, t->job, 0x800000FFu));
    assert_hr(S_FALSE, t->b->wait(t->w, t->job, 60000, &st));
    assert_state(BHT_JOB_TRANSFERRING, st);
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_true(p.bytes_transferred == 0);
    assert_hr(E_INVALIDARG, t->b->set_cost_flags(t->w, NULL, 0x1));
    assert_true(fake_t_log_has(t, "set_cost_flags (null) 0x00000001 -> E_INVALIDARG"));
}

/* C103: the six logon types LogonUserW takes, nothing else; NULL names are
 * ERROR_INVALID_PARAMETER and logged as "(null)", never the password. */
static void logon_types_and_null_arguments(void **state)
{
    struct fake_t *t = *state;
    static const enum bht_logon_type valid[] = {
        BHT_LOGON_INTERACTIVE, BHT_LOGON_NETWORK, BHT_LOGON_BATCH, BHT_LOGON_SERVICE,
        BHT_LOGON_NETWORK_CLEARTEXT, BHT_LOGON_NEW_CREDENTIALS,
    };
    static const int invalid[] = {0, 1, 6, 7, 10, -1};
    struct bht_token *tok = NULL;

    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        assert_hr(S_OK, t->id->logon(t->w, "CORP", "root", "toor", valid[i], &tok));
        assert_non_null(tok);
        assert_hr(S_OK, t->id->close(t->w, tok));
    }
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        assert_hr(E_INVALIDARG, t->id->logon(t->w, "CORP", "root", "toor",
                                             (enum bht_logon_type)invalid[i], &tok));
        assert_null(tok);
    }
    assert_hr(E_INVALIDARG,
              t->id->logon(t->w, NULL, "root", "toor", BHT_LOGON_INTERACTIVE, &tok));
    assert_true(fake_t_log_has(t, "logon (null)\\root type=2 -> E_INVALIDARG"));
    assert_hr(E_INVALIDARG,
              t->id->logon(t->w, "CORP", NULL, "toor", BHT_LOGON_INTERACTIVE, &tok));
    assert_true(fake_t_log_has(t, "logon CORP\\(null) type=2 -> E_INVALIDARG"));
    assert_hr(E_INVALIDARG,
              t->id->logon(t->w, "CORP", "root", NULL, BHT_LOGON_INTERACTIVE, &tok));
    assert_null(tok);
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
}

/* A UPN's name part is at most 127 bytes (the longest account name the fake holds): one
 * of exactly 127 logs on, one of 128 is no account (and is never copied: linux-asan would
 * see a byte written past the buffer). */
static void upn_names_at_the_longest(void **state)
{
    struct fake_t *t = *state;
    char name[160], line[256], upn[200];
    struct bht_token *tok = NULL;

    memset(name, 'u', FAKE_NAME_MAX - 1);
    name[FAKE_NAME_MAX - 1] = '\0';
    snprintf(line, sizeof line, "user CORP\\%s password=pw\n", name);
    fake_t_world(t, line);
    snprintf(upn, sizeof upn, "%s@CORP", name);
    assert_hr(S_OK, t->id->logon(t->w, "", upn, "pw", BHT_LOGON_INTERACTIVE, &tok));
    assert_hr(S_OK, t->id->close(t->w, tok));
    snprintf(upn, sizeof upn, "u%s@CORP", name);
    assert_hr(BHT_E_LOGON_FAILURE,
              t->id->logon(t->w, "", upn, "pw", BHT_LOGON_INTERACTIVE, &tok));
    assert_null(tok);
}

/* C106: no token, or Wine's dummy handle, cannot be impersonated; CloseHandle(NULL) is
 * ERROR_INVALID_HANDLE unless an injected fault answers first. */
static void impersonating_or_closing_no_token(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = NULL;

    assert_hr(BHT_E_INVALID_HANDLE, t->id->impersonate(t->w, NULL));
    assert_true(fake_t_log_has(t, "impersonate ?\\? -> "));
    assert_int_equal(bht_fake_impersonation_depth(t->w), 0);
    assert_hr(BHT_E_INVALID_HANDLE, t->id->close(t->w, NULL));
    bht_fake_fail(t->w, BHT_OP_CLOSE, 2, E_OUTOFMEMORY, BHT_FAULT_ONCE);
    assert_hr(E_OUTOFMEMORY, t->id->close(t->w, NULL));
    assert_hr(BHT_E_INVALID_HANDLE, t->id->close(t->w, NULL));

    bht_fake_set_profile(t->w, BHT_FAKE_PROFILE_WINE8);
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "root", "wrong", BHT_LOGON_INTERACTIVE, &tok));
    assert_hr(BHT_E_INVALID_HANDLE, t->id->impersonate(t->w, tok));
    assert_int_equal(bht_fake_impersonation_depth(t->w), 0);
    assert_hr(S_OK, t->id->close(t->w, tok));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TJ(credential_pairs_at_the_ends_of_their_ranges),
        TJ(helper_flags_of_an_admin_helper_need_an_admin_owner),
        TJ(every_error_context_has_its_description),
        TJ(when_the_error_object_is_there),
        T(enumeration_without_a_prefix_and_of_long_names),
        T(complete_that_cannot_delete_a_temporary),
        T(cancel_that_cannot_delete_a_file),
        TJ(cost_flags_of_a_running_job_do_not_wake_it),
        T(logon_types_and_null_arguments),
        T(upn_names_at_the_longest),
        T(impersonating_or_closing_no_token),
    };
    return cmocka_run_group_tests_name("fake ops", tests, NULL, NULL);
}
