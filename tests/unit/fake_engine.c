/* bitsht fake: the transfer engine's pieces (fakes/fake_engine.c, the scheduler's lists in
 * fakes/fake_jobs.c) and the rarer ways a transfer ends: what a remote name is (C15, C17,
 * C18), which states are final or act-now (§3.3), the byte pattern, the temporary's name
 * (question 16), a source that vanishes or shrinks between two chunks, a temporary removed
 * under the job, an empty resource, a token dropped in the middle of a chunk (C100), an
 * undeclared local source read by a helper, and jobs leaving the scheduler's list in any
 * order. Then what ci/mutants found unpinned: the owner as the writer of a declared folder,
 * what a fatal or transient error does to the file and the schedule, a log-off with other
 * jobs waiting (C100), when a transient error is fatal (C69, C71), SMB's transient error,
 * 403, and Wine's list of HTTP error statuses and its bad-name error (§5 items 5-7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_support.h"
#include "../../fakes/fake_internal.h"

#ifdef _WIN32
#define SEP "\\"
#define ROOT "C:\\"
#else
#define SEP "/"
#define ROOT "/"
#endif

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)

static void what_a_remote_name_is(void **state)
{
    static const struct {
        const char *remote;
        enum fake_remote_kind kind;
    } k[] = {
        {"http://h/x", FAKE_REMOTE_HTTP},
        {"HTTPS://h", FAKE_REMOTE_HTTP},
        {"hTtP://h", FAKE_REMOTE_HTTP},
        {"http://", FAKE_REMOTE_BAD},     /* no host */
        {"https:///x", FAKE_REMOTE_BAD},  /* no host */
        {"http:/h/x", FAKE_REMOTE_BAD},
        {"ftp://h/x", FAKE_REMOTE_BAD},
        {"\\\\srv\\share", FAKE_REMOTE_UNC},
        {"\\\\srv\\share\\f.txt", FAKE_REMOTE_UNC},
        {"\\\\", FAKE_REMOTE_BAD},        /* no server */
        {"\\\\\\share\\f", FAKE_REMOTE_BAD},
        {"\\\\srv", FAKE_REMOTE_BAD},     /* no share */
        {"\\\\srv\\", FAKE_REMOTE_BAD},
        {"\\\\srv\\\\f", FAKE_REMOTE_BAD},
        {"\\x", FAKE_REMOTE_BAD},
        {"x\\srv\\share", FAKE_REMOTE_BAD},  /* one backslash, second: no UNC name */
        {"\\ssrv\\share", FAKE_REMOTE_BAD},  /* one backslash, first */
        {"file:///tmp/x", FAKE_REMOTE_LOCAL},
        {"FILE://x", FAKE_REMOTE_LOCAL},
        {"file://", FAKE_REMOTE_BAD},
        {"A:\\x", FAKE_REMOTE_LOCAL},     /* the drive letters' ends, both cases */
        {"Z:/x", FAKE_REMOTE_LOCAL},
        {"a:/x", FAKE_REMOTE_LOCAL},
        {"z:\\x", FAKE_REMOTE_LOCAL},
        {"@:\\x", FAKE_REMOTE_BAD},       /* just outside them */
        {"[:\\x", FAKE_REMOTE_BAD},
        {"`:\\x", FAKE_REMOTE_BAD},
        {"{:\\x", FAKE_REMOTE_BAD},
        {"1:\\x", FAKE_REMOTE_BAD},
        {"C:x", FAKE_REMOTE_BAD},         /* drive-relative */
        {"C\\x", FAKE_REMOTE_BAD},
        {"relative/x", FAKE_REMOTE_BAD},
        {"", FAKE_REMOTE_BAD},
#ifndef _WIN32
        {"/abs/x", FAKE_REMOTE_LOCAL},    /* the native full path */
#endif
    };

    (void)state;
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (fake_remote_kind(k[i].remote) != k[i].kind)
            fail_msg("'%s': kind %d, want %d", k[i].remote, (int)fake_remote_kind(k[i].remote),
                     (int)k[i].kind);
}

static void final_and_act_now_states(void **state)
{
    (void)state;
    /* C09/C11: ACKNOWLEDGED and CANCELLED are final; §3.3: the caller must act on those,
     * TRANSFERRED and ERROR. */
    for (int s = 0; s < BHT_JOB_STATE_COUNT; s++) {
        int final = s == BHT_JOB_ACKNOWLEDGED || s == BHT_JOB_CANCELLED;
        int act = final || s == BHT_JOB_TRANSFERRED || s == BHT_JOB_ERROR;
        assert_int_equal(fake_state_is_final((enum bht_job_state)s), final);
        assert_int_equal(fake_state_is_act_now((enum bht_job_state)s), act);
    }
}

static void the_pattern_counts_modulo_251(void **state)
{
    unsigned char b[6];

    (void)state;
    fake_pattern_fill(0, b, 3);
    assert_int_equal(b[0], 0);
    assert_int_equal(b[2], 2);
    fake_pattern_fill(249, b, 4); /* wraps after 250 */
    assert_int_equal(b[0], 249);
    assert_int_equal(b[1], 250);
    assert_int_equal(b[2], 0);
    assert_int_equal(b[3], 1);
    fake_pattern_fill(251u * 1000u + 7u, b, 1);
    assert_int_equal(b[0], 7);
    fake_pattern_fill(0x100000000ull, b, 1); /* past 32 bits: 2^32 % 251 == 123 */
    assert_int_equal(b[0], 123);
}

/* Question 16: ".BIT" + the GUID's 32 hex digits + the file's index in 4 hex digits, beside
 * the destination. */
static void the_temporary_is_named_after_the_job_and_the_file(void **state)
{
    static struct fake_file f[0x1B];
    struct fake_job j;
    char *name;

    (void)state;
    memset(&j, 0, sizeof j);
    fake_job_format_id(0x1234ABCDu, BHT_FAKE_FIXED_ID_TAG, j.id);
    assert_string_equal(j.id, "{1234ABCD-FA4E-4B17-9B17-0000B175B175}");
    j.files = f;
    j.n_files = 0x1B;
    f[0].local = ROOT "dl" SEP "a.bin";
    f[0x1A].local = ROOT "top.bin"; /* in the root: no separator added */
    name = fake_temp_name(&j, 0);
    assert_string_equal(name, ROOT "dl" SEP ".BIT1234ABCDFA4E4B179B170000B175B1750000.tmp");
    free(name);
    name = fake_temp_name(&j, 0x1A);
    assert_string_equal(name, ROOT ".BIT1234ABCDFA4E4B179B170000B175B175001A.tmp");
    free(name);
}

/* ---- the rarer ends of a transfer ---- */

/* Waits until the job has moved at least `bytes` (asserting it keeps TRANSFERRING). */
static void run_to_bytes(struct fake_t *t, uint64_t bytes)
{
    struct bht_progress p;
    enum bht_job_state st;

    for (int i = 0; i < 1000; i++) {
        assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
        if (p.bytes_transferred >= bytes)
            return;
        t->b->wait(t->w, t->job, 100, &st);
        assert_false(fake_state_is_act_now(st));
    }
    fail_msg("never reached %llu bytes", (unsigned long long)bytes);
}

static uint64_t bytes_moved(struct fake_t *t)
{
    struct bht_progress p;

    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    return p.bytes_transferred;
}

/* README (content=): missing at transfer time is ERROR, REMOTE_FILE, 0x80070002 — also when
 * it goes between two chunks; a source that shrinks under the job fails the read. */
static void a_content_file_that_vanishes_or_shrinks_mid_transfer(void **state)
{
    struct fake_t *t = *state;
    char content[600], local[600], world[1400];

    fake_t_path(t, content, sizeof content, "source.bin");
    fake_t_write_file(content, "0123456789", 10);
    snprintf(world, sizeof world, "resource https://cdn.example/real content=%s rate=2\n",
             content);
    fake_t_world(t, world);
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/real", "real.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    run_to_bytes(t, 2);
    assert_int_equal(remove(content), 0);
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_E_FILE_NOT_FOUND, "https://cdn.example/real");
    assert_true(bytes_moved(t) == 2);

    /* The same source cut to 3 bytes after the first chunk: the next read comes up short. */
    t->b->cancel(t->w, t->job);
    t->b->release(t->w, t->job);
    fake_t_write_file(content, "0123456789", 10);
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/real", "real2.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    run_to_bytes(t, 2);
    fake_t_write_file(content, "012", 3);
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, E_FAIL, "https://cdn.example/real");
    assert_true(bytes_moved(t) == 2);

    /* Missing before the job connects: the same error at once, nothing moved. */
    t->b->cancel(t->w, t->job);
    t->b->release(t->w, t->job);
    assert_int_equal(remove(content), 0);
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/real", "real3.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_E_FILE_NOT_FOUND, "https://cdn.example/real");
    assert_true(bytes_moved(t) == 0);
}

/* The job's own temporary removed between two chunks: the reopen (never a create) fails. */
static void a_temporary_removed_under_the_job(void **state)
{
    struct fake_t *t = *state;
    char local[600], *temp;

    fake_t_world(t, "resource https://cdn.example/slow size=10 rate=2\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/slow", "slow.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    run_to_bytes(t, 2);
    temp = fake_temp_name(t->job->job, 0);
    assert_non_null(temp);
    assert_int_equal(remove(temp), 0);
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_LOCAL_FILE, BHT_E_FILE_NOT_FOUND, "https://cdn.example/slow");
    assert_int_equal(fake_t_file_size(temp), -1); /* not made again */
    free(temp);
}

/* A resource of no bytes: TRANSFERRED, and Complete leaves an empty file (C36). */
static void an_empty_resource_makes_an_empty_file(void **state)
{
    struct fake_t *t = *state;
    struct bht_progress p;
    char local[600];

    fake_t_world(t, "resource https://cdn.example/empty size=0\n"
                    "resource https://cdn.example/empty-slow size=0 rate=10\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/empty", "e.bin", local);
    fake_t_add(t, "https://cdn.example/empty-slow", "e2.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_true(p.bytes_total == 0);
    assert_int_equal(p.files_transferred, 2);
    assert_true(bht_fake_now_ms(t->w) == 0);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_int_equal(fake_t_file_size(local), 0);
    fake_t_path(t, local, sizeof local, "e.bin");
    assert_int_equal(fake_t_file_size(local), 0);
}

/* A new job in t->job transferring remote into name with alice's helper token (LOCAL_FILE:
 * a token drop matters to it), resumed; returns the state it runs to. */
static enum bht_job_state run_with_helper(struct fake_t *t, const char *remote, const char *name,
                                          char *local)
{
    t->job = fake_t_new_job(t);
    fake_t_add(t, remote, name, local);
    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    return fake_t_run(t, t->job);
}

/* Waits without letting the clock move until the job is connected (TRANSFERRING): the
 * step that moves bytes is then still due. */
static void connect_now(struct fake_t *t)
{
    enum bht_job_state st = BHT_JOB_QUEUED;

    for (int k = 0; k < 3 && st != BHT_JOB_TRANSFERRING; k++)
        t->b->wait(t->w, t->job, 0, &st);
    assert_state(BHT_JOB_TRANSFERRING, st);
}

/* C100: the chunk that would pass drop-token-after is cut there, so the drop happens at
 * exactly that byte (and at the virtual time those bytes take). */
static void a_token_drop_in_the_middle_of_a_chunk(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "resource https://cdn.example/drop size=5000 rate=1000 "
                    "drop-token-after=2500\n");
    assert_state(BHT_JOB_ERROR, run_with_helper(t, "https://cdn.example/drop", "d.bin", local));
    fake_t_expect_file_error(t, BHT_ERRCTX_GENERAL_QUEUE_MANAGER, BG_E_TOKEN_REQUIRED,
                 "https://cdn.example/drop");
    assert_true(bytes_moved(t) == 2500);
    assert_true(bht_fake_now_ms(t->w) == 2500);
    /* Once per resource: with a new token the rest goes through. */
    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_true(bytes_moved(t) == 5000);
}

/* drop-token-after=0: the owner logs off before the first byte, whatever the rate (the
 * fake once moved a whole first chunk, or with no rate the whole file, before the drop). */
static void a_token_drop_at_byte_0_comes_before_any_byte(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "resource https://cdn.example/fast size=5000 drop-token-after=0\n"
                    "resource https://cdn.example/slow size=5000 rate=1000 drop-token-after=0\n");
    for (int i = 0; i < 2; i++) {
        assert_state(BHT_JOB_ERROR,
                     run_with_helper(t, i ? "https://cdn.example/slow" : "https://cdn.example/fast",
                                     "z.bin", local));
        fake_t_expect_error(t, BHT_ERRCTX_GENERAL_QUEUE_MANAGER, BG_E_TOKEN_REQUIRED);
        assert_true(bytes_moved(t) == 0);
        t->b->cancel(t->w, t->job);
        t->b->release(t->w, t->job);
        t->job = NULL;
    }
}

/* A job with nothing due leaves the scheduler's list: a stalled transfer (connected, never
 * progressing) and a finished one; the list stays as short as the jobs that have a step
 * pending (the benchmark's 10,000 jobs depend on it). */
static void a_job_with_nothing_due_leaves_the_schedule(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/stuck", "stuck.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    connect_now(t);
    assert_int_equal(t->job->job->active, 0);
    assert_null(t->w->a_head);
    t->b->cancel(t->w, t->job);
    t->b->release(t->w, t->job);
    t->job = fake_t_new_job(t);
    fake_t_add(t, PUBLIC_URL, "p.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_int_equal(t->job->job->active, 0);
    assert_null(t->w->a_head);
}

/* A drop planned after the last byte is no drop: the file completes as it reaches it. */
static void a_token_drop_at_the_last_byte_is_no_drop(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "resource https://cdn.example/drop size=5000 rate=1000 "
                    "drop-token-after=5000\n");
    assert_state(BHT_JOB_TRANSFERRED,
                 run_with_helper(t, "https://cdn.example/drop", "d.bin", local));
    assert_true(bytes_moved(t) == 5000);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, 5000));
}

/* The temporary holds what has been transferred and no more: a rate-limited file grows a
 * second's worth per step; a one-byte file is written whole at once. */
static void the_temporary_grows_with_the_transfer(void **state)
{
    struct fake_t *t = *state;
    char local[600], one[600];
    char *tmp;

    fake_t_world(t, "resource https://cdn.example/slow size=5000 rate=1000\n"
                    "resource https://cdn.example/one size=1\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/slow", "s.bin", local);
    fake_t_add(t, "https://cdn.example/one", "one.bin", one);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    run_to_bytes(t, 2000);
    assert_true(bytes_moved(t) == 2000);
    tmp = fake_temp_name(t->job->job, 0);
    assert_non_null(tmp);
    assert_true(fake_t_file_size(tmp) == 2000);
    free(tmp);
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, 5000));
    assert_true(fake_t_file_is_pattern(one, 1));
}

/* Connected but before its first step, a file that takes time holds no byte yet, even one
 * that fits in a single step (500 bytes at 1000/s; 1 byte in 1 ms); a chunk cut short by a
 * token drop writes only up to the drop. */
static void nothing_is_written_ahead_of_the_clock(void **state)
{
    struct fake_t *t = *state;
    static const char *const names[] = {"https://cdn.example/half", "https://cdn.example/ms"};
    char local[600];
    char *tmp;

    fake_t_world(t, "resource https://cdn.example/half size=500 rate=1000\n"
                    "resource https://cdn.example/ms size=1 rate=1000\n"
                    "resource https://cdn.example/cut size=5000 drop-token-after=2500\n");
    for (int i = 0; i < 2; i++) {
        t->job = fake_t_new_job(t);
        fake_t_add(t, names[i], i ? "ms.bin" : "half.bin", local);
        assert_hr(S_OK, t->b->resume(t->w, t->job));
        connect_now(t);
        assert_true(bytes_moved(t) == 0);
        tmp = fake_temp_name(t->job->job, 0);
        assert_true(fake_t_file_size(tmp) == 0);
        free(tmp);
        assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
        assert_hr(S_OK, t->b->complete(t->w, t->job));
        assert_true(fake_t_file_is_pattern(local, i ? 1 : 500));
        t->b->release(t->w, t->job);
        t->job = NULL;
    }
    assert_state(BHT_JOB_ERROR, run_with_helper(t, "https://cdn.example/cut", "cut.bin", local));
    assert_true(bytes_moved(t) == 2500);
    tmp = fake_temp_name(t->job->job, 0);
    assert_true(fake_t_file_size(tmp) == 2500);
    free(tmp);
}

#ifndef _WIN32
/* An undeclared real file on this machine is the owner's: a helper asked to read local
 * sources (NETWORK, C101) is refused; a missing one is FILE_NOT_FOUND in an existing folder
 * and PATH_NOT_FOUND in a missing one. */
static void undeclared_local_sources(void **state)
{
    struct fake_t *t = *state;
    char src[600], local[600], missing[600], nowhere[700];

    fake_t_path(t, src, sizeof src, "mine.bin");
    fake_t_path(t, missing, sizeof missing, "not-there.bin");
    fake_t_path(t, nowhere, sizeof nowhere, "no-folder/x.bin");
    fake_t_write_file(src, "abc", 3);

    t->job = fake_t_new_job(t);
    fake_t_add(t, src, "copy.bin", local);
    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_NETWORK);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, E_ACCESSDENIED, src);
    /* Without the helper the owner reads it. */
    assert_hr(S_OK, t->b->clear_helper_token(t->w, t->job));
    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, t->job, 0));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_int_equal(fake_t_file_size(local), 3);
    t->b->release(t->w, t->job);

    t->job = fake_t_new_job(t);
    fake_t_add(t, missing, "copy2.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_E_FILE_NOT_FOUND, missing);
    t->b->cancel(t->w, t->job);
    t->b->release(t->w, t->job);

    t->job = fake_t_new_job(t);
    fake_t_add(t, nowhere, "copy3.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_E_PATH_NOT_FOUND, nowhere);
}
#endif

/* Wine accepts any remote name (C17) and fails it when the job runs: ERROR, and a
 * non-HTTP failure of a declared resource is an error there too (§5 item 7 covers only
 * HTTP statuses). */
static void wine8_fails_a_bad_name_and_a_non_http_failure_at_run_time(void **state)
{
    struct fake_t *t = *state;
    struct bht_progress p;
    char local[600];

    fake_t_world(t, "option profile=wine8\n"
                    "resource https://cdn.example/denied fail=0x80070005\n");
    t->job = fake_t_new_job(t);
    fake_t_path(t, local, sizeof local, "bad.bin");
    assert_hr(S_OK, t->b->add_file(t->w, t->job, "not a url", local));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.files_transferred, 0);
    assert_int_equal(fake_t_count_temporaries(t->dir), 0);
    t->b->cancel(t->w, t->job);
    t->b->release(t->w, t->job);

    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/denied", "denied.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.files_transferred, 0);
}

/* The scheduler's list is a doubly linked list with the newest job first: jobs leave it
 * from the head, the middle and the end, and the others still run to the end. */
static void jobs_leave_the_schedule_in_any_order(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *j[3];
    enum bht_job_state st;
    char local[600], name[32];

    fake_t_world(t, "resource https://cdn.example/r size=10 rate=1\n");
    for (int i = 0; i < 3; i++) {
        j[i] = fake_t_new_job(t);
        snprintf(name, sizeof name, "r%d.bin", i);
        fake_t_path(t, local, sizeof local, name);
        assert_hr(S_OK, t->b->add_file(t->w, j[i], "https://cdn.example/r", local));
        assert_hr(S_OK, t->b->resume(t->w, j[i]));
    }
    /* Everyone connected and transferring: the list is j2, j1, j0 (newest first). */
    for (int i = 0; i < 3; i++)
        while (fake_t_state(t, j[i]) != BHT_JOB_TRANSFERRING)
            t->b->wait(t->w, j[i], 1, &st);
    /* The middle one, then the head (which has one after it), then j0 runs alone. */
    assert_hr(S_OK, t->b->suspend(t->w, j[1]));
    assert_hr(S_OK, t->b->suspend(t->w, j[2]));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, j[0]));
    assert_true(bht_fake_now_ms(t->w) == 10000);
    assert_state(BHT_JOB_SUSPENDED, fake_t_state(t, j[1]));
    assert_state(BHT_JOB_SUSPENDED, fake_t_state(t, j[2]));
    /* j0, the list's last entry, left it as its head: it joins it again (a stale link
     * would make it its own successor and the scheduler would loop for ever). */
    fake_t_path(t, local, sizeof local, "r0-more.bin");
    assert_hr(S_OK, t->b->add_file(t->w, j[0], "https://cdn.example/r", local));
    assert_hr(S_OK, t->b->resume(t->w, j[0]));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, j[0]));
    assert_true(bht_fake_now_ms(t->w) == 20000);
    /* The suspended ones come back on the list and finish too. */
    assert_hr(S_OK, t->b->resume(t->w, j[1]));
    assert_hr(S_OK, t->b->resume(t->w, j[2]));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, j[2]));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, j[1]));
    for (int i = 0; i < 3; i++) {
        assert_hr(S_OK, t->b->complete(t->w, j[i]));
        t->b->release(t->w, j[i]);
    }
    assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_ACKNOWLEDGED), 3);
}

/* A QUEUED job whose files are all done (a state file can hold one: saved between the last
 * byte and the step that would have said so) goes TRANSFERRED at its next step, without
 * connecting again and with its bytes as they were. */
static void a_queued_job_with_every_file_done_is_transferred(void **state)
{
    struct fake_t *t = *state;
    struct fake_job *j;
    struct bht_progress p;
    enum bht_job_state st;
    char local[600];

    t->job = fake_t_new_job(t);
    fake_t_add(t, PUBLIC_URL, "q1.bin", local);
    fake_t_add(t, PUBLIC_URL, "q2.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    j = t->job->job;
    j->current = 0;
    j->new_files = 1;
    fake_job_set_state(t->w, j, BHT_JOB_QUEUED);
    fake_job_schedule(t->w, j, bht_fake_now_ms(t->w));
    assert_hr(S_OK, t->b->wait(t->w, t->job, 1000, &st));
    assert_state(BHT_JOB_TRANSFERRED, st); /* in one step: no CONNECTING on the way */
    assert_int_equal(j->current, 2);
    assert_int_equal(j->new_files, 0);
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_true(p.bytes_transferred == 2u * PUBLIC_SIZE);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, PUBLIC_SIZE));
}

/* Wine keeps final jobs listed until the next Resume (§5 item 15); one nobody holds a
 * handle to is freed when it leaves (the leak checks of linux-asan see the rest). */
static void wine8_sweeps_a_released_final_job_on_the_next_resume(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a, *b;
    struct bht_job_info *list = NULL;
    size_t n = 0;
    char local[600];

    fake_t_world(t, "option profile=wine8\n");
    a = fake_t_new_job(t);
    assert_hr(S_OK, t->b->cancel(t->w, a)); /* stays listed */
    t->b->release(t->w, a);
    assert_hr(S_OK, t->b->enum_jobs(t->w, "", &list, &n));
    assert_int_equal(n, 1);
    t->b->free_mem(t->w, list);
    b = fake_t_new_job(t);
    fake_t_path(t, local, sizeof local, "b.bin");
    assert_hr(S_OK, t->b->add_file(t->w, b, PUBLIC_URL, local));
    assert_hr(S_OK, t->b->resume(t->w, b));
    list = NULL;
    assert_hr(S_OK, t->b->enum_jobs(t->w, "", &list, &n));
    assert_int_equal(n, 1); /* b only */
    assert_int_equal(list[0].state, BHT_JOB_QUEUED);
    t->b->free_mem(t->w, list);
    t->b->release(t->w, b);
}

/* ---- survivors of ci/mutants in fakes/fake_engine.c (issue 14) ---- */

/* C20: the owner writes a folder declared writable by them (no helper: the writer is the
 * owner, never nobody). */
static void the_owner_writes_a_folder_declared_for_them(void **state)
{
    struct fake_t *t = *state;
    char world[800], local[600];

    snprintf(world, sizeof world, "folder %s writable-by=CORP\\bob\n"
                                  "resource https://cdn.example/w size=10\n", t->dir);
    fake_t_world(t, world);
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/w", "w.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, 10));
}

/* C61, C62: a fatal error closes the file (a Resume reconnects and keeps the bytes
 * written) and takes the job off the scheduler's list. */
static void a_fatal_error_closes_the_file_and_leaves_the_schedule(void **state)
{
    struct fake_t *t = *state;
    struct fake_job *j;
    char local[600];

    fake_t_world(t, "resource https://cdn.example/drop size=5000 rate=1000 "
                    "drop-token-after=2500\n");
    assert_state(BHT_JOB_ERROR, run_with_helper(t, "https://cdn.example/drop", "d.bin", local));
    j = t->job->job;
    assert_int_equal(j->files[0].opened, 0);
    assert_int_equal(j->active, 0);
    assert_true(j->next_ms == FAKE_NO_EVENT);
    assert_true(bytes_moved(t) == 2500);
}

/* C100: the owner logs off (drop-token-after) while other jobs with helper tokens are
 * QUEUED, in TRANSIENT_ERROR or SUSPENDED: the first two fail at once with
 * BG_E_TOKEN_REQUIRED (no context but the queue manager's) and leave the scheduler's list;
 * the suspended one stays as it is. */
static void a_log_off_fails_queued_and_waiting_jobs_with_helper_tokens(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *b[3], *dropper;
    static const enum bht_job_state before[3] = {BHT_JOB_QUEUED, BHT_JOB_TRANSIENT_ERROR,
                                                 BHT_JOB_SUSPENDED};
    char local[600], name[32];

    fake_t_world(t, "resource https://cdn.example/drop size=5000 rate=1000 "
                    "drop-token-after=2500\n"
                    "resource https://cdn.example/other size=10\n");
    for (int i = 0; i < 3; i++) {
        b[i] = fake_t_new_job(t);
        snprintf(name, sizeof name, "o%d.bin", i);
        fake_t_path(t, local, sizeof local, name);
        assert_hr(S_OK, t->b->add_file(t->w, b[i], "https://cdn.example/other", local));
        fake_t_set_alice_helper(t, b[i], BHT_TOKEN_LOCAL_FILE);
        fake_job_set_state(t->w, b[i]->job, before[i]); /* as a state file may hold them */
        if (before[i] != BHT_JOB_SUSPENDED)
            fake_job_schedule(t->w, b[i]->job, 1000000);
    }
    dropper = t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/drop", "d.bin", local);
    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_true(bht_fake_now_ms(t->w) == 2500);
    for (int i = 0; i < 2; i++) {
        t->job = b[i];
        assert_state(BHT_JOB_ERROR, fake_t_state(t, b[i]));
        fake_t_expect_error(t, BHT_ERRCTX_GENERAL_QUEUE_MANAGER, BG_E_TOKEN_REQUIRED);
        assert_int_equal(b[i]->job->active, 0);
        assert_true(b[i]->job->next_ms == FAKE_NO_EVENT);
    }
    assert_state(BHT_JOB_SUSPENDED, fake_t_state(t, b[2]));
    assert_false(b[2]->job->error.present);
    for (int i = 0; i < 3; i++)
        t->b->release(t->w, b[i]);
    t->job = dropper;
}

/* C63, C69, C71: a transient error waits for a retry unless the timeout is zero or the
 * retry delay is beyond it; a delay equal to the timeout still waits (and then gives up,
 * C72); Wine has none (§5 item 5). The file is closed either way (bytes kept). */
static void when_a_transient_error_is_fatal(void **state)
{
    static const struct {
        const char *options;
        enum bht_job_state first;
    } c[] = {
        {"option retry-delay=5\noption no-progress-timeout=5\n", BHT_JOB_TRANSIENT_ERROR},
        {"option retry-delay=6\noption no-progress-timeout=5\n", BHT_JOB_ERROR},
        {"option retry-delay=5\noption no-progress-timeout=0\n", BHT_JOB_ERROR},
        {"option profile=wine8\n", BHT_JOB_ERROR},
        {"", BHT_JOB_TRANSIENT_ERROR},
    };
    struct fake_t *t = *state;
    char world[400], local[600];
    enum bht_job_state st;

    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        snprintf(world, sizeof world, "%sresource https://cdn.example/t size=10 transient=1\n",
                 c[i].options);
        fake_t_world(t, world);
        t->job = fake_t_new_job(t);
        fake_t_add(t, "https://cdn.example/t", "t.bin", local);
        assert_hr(S_OK, t->b->resume(t->w, t->job));
        t->job->job->files[0].opened = 1; /* whatever the job held before */
        do
            t->b->wait(t->w, t->job, 1, &st);
        while (st == BHT_JOB_QUEUED || st == BHT_JOB_CONNECTING);
        if (st != c[i].first)
            fail_msg("case %u: state %d, want %d", (unsigned)i, (int)st, (int)c[i].first);
        assert_true(bht_fake_now_ms(t->w) == 0);
        assert_int_equal(t->job->job->error.context, BHT_ERRCTX_GENERAL_TRANSPORT);
        assert_hr(BHT_E_WINHTTP_CANNOT_CONNECT, t->job->job->error.code);
        assert_int_equal(t->job->job->files[0].opened, 0);
        if (i == 0) { /* C72: the retry is due when the timeout runs out: ERROR at 5 s */
            assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
            assert_true(bht_fake_now_ms(t->w) == 5000);
        }
        t->b->cancel(t->w, t->job);
        t->b->release(t->w, t->job);
        t->job = NULL;
    }
}

/* A transient failure of an SMB source is BAD_NETPATH in the transport context (C15). */
static void a_transient_smb_failure_is_bad_netpath(void **state)
{
    struct fake_t *t = *state;
    enum bht_job_state st;
    char local[600];

    fake_t_world(t, "resource \\\\fs01\\pub\\f.bin size=10 transient=1\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "\\\\fs01\\pub\\f.bin", "f.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    do
        t->b->wait(t->w, t->job, 1, &st);
    while (st == BHT_JOB_QUEUED || st == BHT_JOB_CONNECTING);
    assert_state(BHT_JOB_TRANSIENT_ERROR, st);
    fake_t_expect_error(t, BHT_ERRCTX_GENERAL_TRANSPORT, BHT_E_BAD_NETPATH);
}

/* C61: an HTTP source readable only by others, without auth=network, is 403. */
static void an_http_source_for_others_is_403(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "resource https://cdn.example/private size=10 readable-by=CORP\\alice\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://cdn.example/private", "p.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    fake_t_expect_file_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_BG_E_HTTP_ERROR(403),
                             "https://cdn.example/private");
}

/* §5 item 7 (C62): Wine fails only on 400, 401, 404, 407, 414, 501, 503, 504 and 505; any
 * other status's body is the file (the neighbours of each, and odd ones next to a listed
 * even one). */
static void wine8_http_statuses_that_are_errors(void **state)
{
    static const unsigned errors[] = {400, 401, 404, 407, 414, 501, 503, 504, 505};
    static const unsigned files[] = {399, 402, 403, 405, 406, 408, 413, 415, 500, 502, 506};
    struct fake_t *t = *state;
    char world[200], local[600];
    enum bht_job_state st;

    for (size_t i = 0; i < sizeof errors / sizeof errors[0] + sizeof files / sizeof files[0];
         i++) {
        int is_error = i < sizeof errors / sizeof errors[0];
        unsigned status = is_error ? errors[i] : files[i - sizeof errors / sizeof errors[0]];

        snprintf(world, sizeof world,
                 "option profile=wine8\nresource https://cdn.example/s size=10 fail=0x%08X\n",
                 (unsigned)BHT_BG_E_HTTP_ERROR(status));
        fake_t_world(t, world);
        t->job = fake_t_new_job(t);
        fake_t_add(t, "https://cdn.example/s", "s.bin", local);
        assert_hr(S_OK, t->b->resume(t->w, t->job));
        st = fake_t_run(t, t->job);
        if (st != (is_error ? BHT_JOB_ERROR : BHT_JOB_TRANSFERRED))
            fail_msg("status %u: state %d", status, (int)st);
        if (is_error) {
            fake_t_expect_error(t, BHT_ERRCTX_REMOTE_FILE, BHT_BG_E_HTTP_ERROR(status));
            t->b->cancel(t->w, t->job);
        } else {
            assert_hr(S_OK, t->b->complete(t->w, t->job));
            assert_true(fake_t_file_is_pattern(local, 10));
        }
        t->b->release(t->w, t->job);
        t->job = NULL;
    }
}

/* C17: a name Wine accepted but nobody can open fails with E_INVALIDARG and no context
 * (which get_error does not report there: §5 item 6). */
static void wine8_a_bad_name_is_invalidarg_without_context(void **state)
{
    struct fake_t *t = *state;
    char local[600];

    fake_t_world(t, "option profile=wine8\n");
    t->job = fake_t_new_job(t);
    fake_t_path(t, local, sizeof local, "bad.bin");
    assert_hr(S_OK, t->b->add_file(t->w, t->job, "not a url", local));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_true(t->job->job->error.present);
    assert_int_equal(t->job->job->error.context, BHT_ERRCTX_NONE);
    assert_hr(E_INVALIDARG, t->job->job->error.code);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(what_a_remote_name_is),
        cmocka_unit_test(final_and_act_now_states),
        cmocka_unit_test(the_pattern_counts_modulo_251),
        cmocka_unit_test(the_temporary_is_named_after_the_job_and_the_file),
        T(a_content_file_that_vanishes_or_shrinks_mid_transfer),
        T(a_temporary_removed_under_the_job),
        T(an_empty_resource_makes_an_empty_file),
        T(a_token_drop_in_the_middle_of_a_chunk),
        T(a_token_drop_at_the_last_byte_is_no_drop),
        T(a_job_with_nothing_due_leaves_the_schedule),
        T(a_token_drop_at_byte_0_comes_before_any_byte),
        T(the_temporary_grows_with_the_transfer),
        T(nothing_is_written_ahead_of_the_clock),
#ifndef _WIN32
        T(undeclared_local_sources),
#endif
        T(wine8_fails_a_bad_name_and_a_non_http_failure_at_run_time),
        T(jobs_leave_the_schedule_in_any_order),
        T(a_queued_job_with_every_file_done_is_transferred),
        T(wine8_sweeps_a_released_final_job_on_the_next_resume),
        T(the_owner_writes_a_folder_declared_for_them),
        T(a_fatal_error_closes_the_file_and_leaves_the_schedule),
        T(a_log_off_fails_queued_and_waiting_jobs_with_helper_tokens),
        T(when_a_transient_error_is_fatal),
        T(a_transient_smb_failure_is_bad_netpath),
        T(an_http_source_for_others_is_403),
        T(wine8_http_statuses_that_are_errors),
        T(wine8_a_bad_name_is_invalidarg_without_context),
    };
    return cmocka_run_group_tests_name("fake engine", tests, NULL, NULL);
}
