/* bitsht fake: the state file — the queue outlives one process (round trip), and a
 * corrupt or truncated file is an error naming it, never a crash (fakes/README.md). */
#if !defined(_WIN32) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700 /* fork, setrlimit */
#endif
#include "fake_support.h"

#include "../../fakes/fake_internal.h"
#include "alloc_fault.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)

static void save(struct fake_t *t, const char *path)
{
    char err[512] = "poison";

    if (bht_fake_state_save(t->w, path, err, sizeof err) != S_OK)
        fail_msg("save: %s", err);
    assert_string_equal(err, ""); /* no error said for a save that worked */
}

static struct bht_job *open_id(struct fake_t *t, const char *id)
{
    struct bht_job *job = NULL;

    assert_hr(S_OK, t->b->open_job(t->w, id, &job));
    return job;
}

static void round_trip_keeps_jobs_files_states_tokens_errors_and_time(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a = fake_t_new_job(t), *b = NULL, *c = fake_t_new_job(t), *d, *x;
    char ida[BHT_JOB_ID_SIZE], idb[BHT_JOB_ID_SIZE], idc[BHT_JOB_ID_SIZE], idd[BHT_JOB_ID_SIZE];
    char path[600], tmp[620], la[600], lb[600], lc[600], *sid = NULL;
    struct bht_job_error e;
    struct bht_progress p;
    struct bht_job_info *v = NULL;
    uint32_t flags = 0;
    size_t n = 0;

    fake_t_path(t, path, sizeof path, "queue.state");
    fake_t_path(t, la, sizeof la, "a file%.bin");
    fake_t_restricted_path(t, lb, sizeof lb, "b.bin");
    fake_t_path(t, lc, sizeof lc, "c.bin");
    assert_hr(S_OK, t->b->create_job(t->w, "bitsht:two words %20", &b));
    d = fake_t_new_job(t);
    assert_hr(S_OK, t->b->add_file(t->w, a, PUBLIC_URL, la));
    fake_t_set_alice_helper(t, b, BHT_TOKEN_LOCAL_FILE);
    assert_hr(S_OK, t->b->add_file(t->w, b, PUBLIC_URL, lb));
    assert_hr(S_OK, t->b->resume(t->w, b));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, b));
    assert_hr(S_OK, t->b->add_file(t->w, c, "https://cdn.example/gone", lc));
    assert_hr(S_OK, t->b->resume(t->w, c));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, c));
    assert_hr(S_OK, t->b->cancel(t->w, d));
    bht_fake_advance(t->w, 12345);
    t->b->get_id(t->w, a, ida);
    t->b->get_id(t->w, b, idb);
    t->b->get_id(t->w, c, idc);
    t->b->get_id(t->w, d, idd);
    save(t, path);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_equal(fake_t_file_size(tmp), -1); /* written aside, then renamed */
    t->b->release(t->w, a);
    t->b->release(t->w, b);
    t->b->release(t->w, c);
    t->b->release(t->w, d);

    fake_t_world(t, NULL); /* a new process: same world file, empty queue */
    assert_hr(S_OK, bht_fake_state_load(t->w, path, NULL, 0));
    assert_int_equal(bht_fake_now_ms(t->w), 12345);
    assert_hr(S_OK, t->b->enum_jobs(t->w, "", &v, &n));
    assert_int_equal(n, 3);
    assert_string_equal(v[2].display_name, "bitsht:two words %20"); /* queue order */
    t->b->free_mem(t->w, v);

    a = open_id(t, ida);
    assert_state(BHT_JOB_SUSPENDED, fake_t_state(t, a));
    assert_hr(S_OK, t->b->get_progress(t->w, a, &p));
    assert_int_equal(p.files_total, 1);

    b = open_id(t, idb);
    assert_state(BHT_JOB_TRANSFERRED, fake_t_state(t, b));
    assert_hr(S_OK, t->b->get_helper_token_sid(t->w, b, &sid));
    assert_non_null(sid);
    assert_non_null(strstr(sid, "-1000"));
    t->b->free_mem(t->w, sid);
    assert_hr(S_OK, t->b->get_helper_token_flags(t->w, b, &flags));
    assert_int_equal(flags, BHT_TOKEN_LOCAL_FILE);
    assert_hr(S_OK, t->b->complete(t->w, b)); /* the helper renames the kept temporary */
    assert_true(fake_t_file_is_pattern(lb, PUBLIC_SIZE));

    c = open_id(t, idc);
    assert_state(BHT_JOB_ERROR, fake_t_state(t, c));
    assert_hr(S_OK, t->b->get_error(t->w, c, &e));
    assert_int_equal(e.context, BHT_ERRCTX_REMOTE_FILE);
    assert_hr(BHT_BG_E_HTTP_ERROR(404), e.code);
    assert_string_equal(e.remote_name, "https://cdn.example/gone");

    x = NULL;
    assert_hr(BG_E_NOT_FOUND, t->b->open_job(t->w, idd, &x)); /* cancelled: not saved */
    /* ids continue after the last one ever created */
    x = fake_t_new_job(t);
    {
        char idx[BHT_JOB_ID_SIZE];
        t->b->get_id(t->w, x, idx);
        assert_string_equal(idx, "{00000005-FA4E-4B17-9B17-0000B175B175}");
    }
    t->b->release(t->w, a);
    t->b->release(t->w, b);
    t->b->release(t->w, c);
    t->b->release(t->w, x);
}

/* a queued job keeps running after a reload (jobs outlive the process) */
static void a_reloaded_queued_job_runs_to_transferred(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a = fake_t_new_job(t);
    char path[600], local[600], id[BHT_JOB_ID_SIZE];

    fake_t_path(t, path, sizeof path, "queue.state");
    fake_t_path(t, local, sizeof local, "a.bin");
    assert_hr(S_OK, t->b->add_file(t->w, a, "https://cdn.example/flaky", local));
    assert_hr(S_OK, t->b->resume(t->w, a));
    bht_fake_advance(t->w, 7000); /* 7000 of 50000 bytes, mid-file */
    t->b->get_id(t->w, a, id);
    save(t, path);
    t->b->release(t->w, a);
    fake_t_world(t, NULL);
    assert_hr(S_OK, bht_fake_state_load(t->w, path, NULL, 0));
    a = open_id(t, id);
    assert_state(BHT_JOB_TRANSFERRING, fake_t_state(t, a));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, a));
    assert_int_equal(bht_fake_now_ms(t->w), 50000);
    assert_hr(S_OK, t->b->complete(t->w, a));
    assert_true(fake_t_file_is_pattern(local, 50000));
    t->b->release(t->w, a);
}

/* loading replaces the queue: refused while handles to its jobs are open */
static void loading_with_open_job_handles_is_refused(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a = fake_t_new_job(t);
    char path[600], err[900];

    fake_t_path(t, path, sizeof path, "q.state");
    save(t, path);
    assert_hr(E_INVALIDARG, bht_fake_state_load(t->w, path, err, sizeof err));
    assert_non_null(strstr(err, "open job handles"));
    t->b->release(t->w, a);
    assert_hr(S_OK, bht_fake_state_load(t->w, path, err, sizeof err));
}

/* saved between connecting and the (instantaneous) bytes: the reloaded job must not write
 * the file twice */
static void a_job_saved_just_after_connecting_delivers_the_exact_bytes(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a = fake_t_new_job(t);
    enum bht_job_state st;
    char path[600], local[600], id[BHT_JOB_ID_SIZE];

    fake_t_path(t, path, sizeof path, "q.state");
    fake_t_path(t, local, sizeof local, "a.bin");
    assert_hr(S_OK, t->b->add_file(t->w, a, PUBLIC_URL, local));
    assert_hr(S_OK, t->b->resume(t->w, a));
    assert_hr(S_OK, t->b->wait(t->w, a, 1000, &st));
    assert_hr(S_OK, t->b->wait(t->w, a, 1000, &st));
    assert_state(BHT_JOB_TRANSFERRING, st);
    t->b->get_id(t->w, a, id);
    save(t, path);
    t->b->release(t->w, a);
    fake_t_world(t, NULL);
    assert_hr(S_OK, bht_fake_state_load(t->w, path, NULL, 0));
    a = open_id(t, id);
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, a));
    assert_hr(S_OK, t->b->complete(t->w, a));
    assert_true(fake_t_file_is_pattern(local, PUBLIC_SIZE));
    t->b->release(t->w, a);
}

static void a_missing_state_file_is_an_empty_queue(void **state)
{
    struct fake_t *t = *state;
    char path[600], err[256] = "poison";

    fake_t_path(t, path, sizeof path, "never-written.state");
    assert_hr(S_OK, bht_fake_state_load(t->w, path, err, sizeof err));
    assert_string_equal(err, "");
    assert_int_equal(bht_fake_job_count(t->w), 0);
}

static void saving_into_a_missing_folder_fails_and_names_the_file(void **state)
{
    struct fake_t *t = *state;
    char path[600], err[700];

    fake_t_path(t, path, sizeof path, "no-dir/q.state");
    alloc_track_begin();
    assert_true(BHT_FAILED(bht_fake_state_save(t->w, path, err, sizeof err)));
    assert_int_equal(alloc_track_end(), 0); /* PATH.tmp's name freed */
    assert_non_null(strstr(err, "no-dir"));
}

/* every proper prefix of a valid file is refused, with the file named */
static void every_truncation_of_a_state_file_is_refused(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a = fake_t_new_job(t);
    char path[600], cut[600], local[600], err[900];
    size_t n, len;
    char *text;

    fake_t_path(t, path, sizeof path, "full.state");
    fake_t_path(t, cut, sizeof cut, "cut.state");
    fake_t_path(t, local, sizeof local, "a.bin");
    assert_hr(S_OK, t->b->add_file(t->w, a, PUBLIC_URL, local));
    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, a, BHT_TOKEN_NETWORK));
    save(t, path);
    t->b->release(t->w, a);
    text = fake_t_read_file(path, &n);
    for (len = 0; len < n; len++) {
        fake_t_world(t, NULL);
        fake_t_write_file(cut, text, len);
        if (bht_fake_state_load(t->w, cut, err, sizeof err) != E_INVALIDARG)
            fail_msg("a %lu-byte prefix of %lu was accepted", (unsigned long)len,
                     (unsigned long)n);
        assert_true(!strncmp(err, cut, strlen(cut)));
        assert_int_equal(bht_fake_job_count(t->w), 0); /* nothing half-loaded */
    }
    fake_t_world(t, NULL);
    fake_t_write_file(cut, text, n);
    assert_hr(S_OK, bht_fake_state_load(t->w, cut, err, sizeof err));
    assert_int_equal(bht_fake_job_count(t->w), 1);
    free(text);
}

/* A refusal gives this error and frees all it took (alloc_fault.h, native builds). */
static void corrupt(struct fake_t *t, const char *text, const char *expected)
{
    char path[600], err[900], want[1200];
    bht_hr hr;
    size_t left;

    fake_t_path(t, path, sizeof path, "bad.state");
    fake_t_write_file(path, text, strlen(text));
    alloc_track_begin();
    hr = bht_fake_state_load(t->w, path, err, sizeof err);
    left = alloc_track_end();
    if (hr != E_INVALIDARG)
        fail_msg("accepted; expected the refusal \"%s\"", expected);
    if (left)
        fail_msg("%lu blocks left behind (or overrun) by the refusal \"%s\"",
                 (unsigned long)left, expected);
    snprintf(want, sizeof want, "%s: %s", path, expected);
    assert_string_equal(err, want);
}

#define HDR "bitsht-fake-state 1\nclock 100\nnext-serial 5\n"
/* a full local path of the host, as a state file spells it */
#ifdef _WIN32
#define LOCAL_A "C:\\tmp\\a"
#define LOCAL_B "C:\\tmp\\b"
#else
#define LOCAL_A "/tmp/a"
#define LOCAL_B "/tmp/b"
#endif
#define ID1 "{00000001-FA4E-4B17-9B17-0000B175B175}"
#define JOB(state, owner, rest) "job " ID1 " " state " " owner " 2 3 0 0 - - 0 - - " rest "\n"
#define GOOD_JOB JOB("3", "=CORP\\bob", "0 1 0 0 0x00000000 -1 0 =n")

static void corrupt_state_files_are_refused_with_the_reason(void **state)
{
    struct fake_t *t = *state;

    corrupt(t, "hello\n", "line 1: not a bitsht fake state file");
    corrupt(t, "bitsht-fake-state 2\n", "line 1: unsupported version 2 (this build reads 1)");
    corrupt(t, "bitsht-fake-state 1\nclock x\n", "line 2: expected 'clock <ms>'");
    corrupt(t, "bitsht-fake-state 1\nclock 1\nnext-serial 0\n",
            "line 3: expected 'next-serial <n>'");
    corrupt(t, HDR "end 0", "line 4: truncated (no newline at the end)");
    corrupt(t, HDR "end 1\n", "line 4: 'end' count does not match the jobs read");
    corrupt(t, HDR "end 0\nextra\n", "line 5: data after 'end'");
    corrupt(t, HDR GOOD_JOB GOOD_JOB "end 2\n", "line 5: duplicate job " ID1);
    corrupt(t, HDR JOB("9", "=CORP\\bob", "0 1 0 0 0x00000000 -1 0 =n") "end 1\n",
            "line 4: bad state");
    corrupt(t, HDR JOB("7", "=CORP\\bob", "0 1 0 0 0x00000000 -1 0 =n") "end 1\n",
            "line 4: bad state"); /* final jobs are never saved */
    corrupt(t, HDR JOB("3", "=CORP\\ghost", "0 1 0 0 0x00000000 -1 0 =n") "end 1\n",
            "line 4: unknown user 'CORP\\ghost' (not declared in this world)");
    corrupt(t, HDR "job {0000000X-FA4E-4B17-9B17-0000B175B175} 3 =CORP\\bob 2 3 0 0 - - 0 - - "
                   "0 1 0 0 0x00000000 -1 0 =n\nend 1\n",
            "line 4: bad job id");
    corrupt(t, HDR "job {00000009-FA4E-4B17-9B17-0000B175B175} 3 =CORP\\bob 2 3 0 0 - - 0 - - "
                   "0 1 0 0 0x00000000 -1 0 =n\nend 1\n",
            "line 4: bad job id"); /* beyond next-serial */
    { /* a non-hex digit at the first and last place of each tag group, or a broken
       * separator in the fixed middle "-4B17-9B17-": each is no id */
        static const int at[] = {10, 13, 14, 25, 32, 33, 36};
        for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
            char text[400];
            snprintf(text, sizeof text, HDR JOB("3", "=CORP\\bob", "0 1 0 0 0x00000000 -1 0 =n")
                     "end 1\n");
            text[strlen(HDR) + 4 + at[k]] = at[k] == 14 ? '+' : 'G';
            corrupt(t, text, "line 4: bad job id");
        }
    }
    corrupt(t, HDR JOB("3", "=CORP\\bob", "0 1 0 0 0x00000000 -1 1 =n") "end 1\n",
            "line 5: expected a file record");
    corrupt(t, HDR JOB("3", "=CORP\\bob", "0 1 0 0 0x00000000 -1 1 =n")
                   "file 1 0 0 10 11 =https://x.example/a =/tmp/a -\nend 1\n",
            "line 5: inconsistent byte counts");
    corrupt(t, HDR JOB("3", "=CORP\\bob", "0 1 0 0 0x00000000 -1 1 =n")
                   "file 0 0 0 - 0 =https://x.example/a =/tmp/%00 -\nend 1\n",
            "line 5: bad file names");
    corrupt(t, HDR JOB("2", "=CORP\\bob", "0 1 0 0 0x00000000 -1 0 =n") "end 1\n",
            "line 4: a transferring job needs a current file");
    corrupt(t, HDR JOB("3", "=CORP\\bob", "0 1 0 0 0x0000000 -1 0 =n") "end 1\n",
            "line 4: bad error code");
    corrupt(t, HDR JOB("3", "=CORP\\bob", "0 1 0 0 0x00000000 3 0 =n") "end 1\n",
            "line 4: bad file count");
    corrupt(t, HDR "job " ID1 " 3\nend 1\n", "line 4: expected a job record or 'end'");
    {
        static const char zero[] = HDR "end 0\n\0\n";
        char path[600], err[900];
        fake_t_path(t, path, sizeof path, "zero-byte.state");
        fake_t_write_file(path, zero, sizeof zero - 1); /* not "nul.*": a device on Windows */
        assert_hr(E_INVALIDARG, bht_fake_state_load(t->w, path, err, sizeof err));
        if (!strstr(err, "NUL byte"))
            fail_msg("error \"%s\"", err);
    }
}


/* One job line: every field after the id (C09: only jobs still in the queue are saved). */
#define JOBLINE(fields) "job " ID1 " " fields "\n"
#define ONE_FILE_JOB JOBLINE("3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 1 =n")

static void corrupt_job_fields_are_refused_one_by_one(void **state)
{
    static const struct {
        const char *fields, *why;
    } cases[] = {
        {"3 CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n", "malformed user field"},
        {"3 =CORP%00bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n", "malformed user field"},
        {"3 - 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n", "a user is required"},
        {"x =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n", "bad state"},
        {"3 =CORP\\bob 4 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n", "bad job properties"},
        {"3 =CORP\\bob 2 64 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n", "bad job properties"},
        {"3 =CORP\\bob 2 3 1024 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n", "bad job properties"},
        {"3 =CORP\\bob 2 3 0 4 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n", "bad job properties"},
        {"3 =CORP\\bob 2 3 0 0 =CORP\\ghost - 0 - - 0 1 0 0 0x00000000 -1 0 =n",
         "unknown user 'CORP\\ghost' (not declared in this world)"},
        {"3 =CORP\\bob 2 3 0 0 =CORP\\alice =CORP\\ghost 0 - - 0 1 0 0 0x00000000 -1 0 =n",
         "unknown user 'CORP\\ghost' (not declared in this world)"},
        {"3 =CORP\\bob 2 3 0 0 CORP\\alice - 0 - - 0 1 0 0 0x00000000 -1 0 =n",
         "malformed user field"},
        {"3 =CORP\\bob 2 3 0 0 - =CORP\\alice 0 - - 0 1 0 0 0x00000000 -1 0 =n",
         "network helper without a helper token"},
        {"3 =CORP\\bob 2 3 0 0 - - 101 - - 0 1 0 0 0x00000000 -1 0 =n", "bad times"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 x - 0 1 0 0 0x00000000 -1 0 =n", "bad times"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - 101 0 1 0 0 0x00000000 -1 0 =n", "bad times"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 99 - 0 1 0 0 0x00000000 -1 0 =n",
         "a step scheduled in the past"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 100001 1 0 0 0x00000000 -1 0 =n",
         "bad job progress fields"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 2 0 0 0x00000000 -1 0 =n", "bad job progress fields"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 x 0 0x00000000 -1 0 =n", "bad job progress fields"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 8 0x00000000 -1 0 =n", "bad job progress fields"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 1x00000000 -1 0 =n", "bad error code"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x000000000 -1 0 =n", "bad error code"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x0000000G -1 0 =n", "bad error code"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0y00000000 -1 0 =n", "bad error code"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 x 0 =n", "bad error file index"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1x 0 =n", "bad error file index"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -2 0 =n", "bad error file index"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 a 0 =n", "bad error file index"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000  0 =n", "bad error file index"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 19 0 =n", "bad file count"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 100000 0 =n",
         "bad error file index"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 100001 =n", "bad file count"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 1 1 0 0 0x00000000 -1 0 =n", "bad file count"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 0 0 =n", "bad file count"},
        {"1 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n",
         "a transferring job needs a current file"},
        {"5 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n",
         "a transient error needs its no-progress start"},
        {"5 =CORP\\bob 2 3 0 0 - - 0 100 - 0 1 0 0 0x00000000 -1 0 =n",
         "a transient error needs its no-progress start"},
        {"2 =CORP\\bob 2 3 0 0 - - 0 - - 1 1 0 0 0x00000000 -1 1 =n",
         "a transferring job needs a current file"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 -", "bad display name"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 n", "bad display name"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =%0", "bad display name"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =%G0", "bad display name"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =%0g", "bad display name"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =%00", "bad display name"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =%1G", "bad display name"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =%G1", "bad display name"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 18446744073709551615 - 0 1 0 0 0x00000000 -1 0 =n",
         "bad times"},
        {"3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 0x00000000 -1 0 =n x x x x",
         "expected a job record or 'end'"},
    };
    struct fake_t *t = *state;
    char text[600], want[200];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, HDR "job " ID1 " %s\nend 1\n", cases[i].fields);
        snprintf(want, sizeof want, "line 4: %s", cases[i].why);
        corrupt(t, text, want);
        assert_int_equal(bht_fake_job_count(t->w), 0);
    }
}

static void corrupt_file_records_are_refused_one_by_one(void **state)
{
    static const struct {
        const char *record, *why;
    } cases[] = {
        {"fil 0 0 0 10 0 =https://x.example/a =" LOCAL_A " -", "expected a file record"},
        {"file 0 0 0 10 0 =https://x.example/a =" LOCAL_A "", "expected a file record"},
        {"file 2 0 0 10 0 =https://x.example/a =" LOCAL_A " -", "bad file flags"},
        {"file 0 2 0 10 0 =https://x.example/a =" LOCAL_A " -", "bad file flags"},
        {"file 0 0 2 10 0 =https://x.example/a =" LOCAL_A " -", "bad file flags"},
        {"file 0 0 0 x 0 =https://x.example/a =" LOCAL_A " -", "bad byte counts"},
        {"file 0 0 0 18446744073709551615 0 =https://x.example/a =" LOCAL_A " -",
         "bad byte counts"},
        {"file 0 0 0 10 18446744073709551615 =https://x.example/a =" LOCAL_A " -",
         "bad byte counts"},
        {"file 0 0 0 10 x =https://x.example/a =" LOCAL_A " -", "bad byte counts"},
        {"file 0 0 0 - 1 =https://x.example/a =" LOCAL_A " -", "inconsistent byte counts"},
        {"file 1 0 0 - 0 =https://x.example/a =" LOCAL_A " -", "inconsistent byte counts"},
        {"file 1 0 0 10 9 =https://x.example/a =" LOCAL_A " -", "inconsistent byte counts"},
        {"file 0 1 0 10 0 =https://x.example/a =" LOCAL_A " -", "inconsistent byte counts"},
        {"file 0 0 0 10 11 =https://x.example/a =" LOCAL_A " -", "inconsistent byte counts"},
        {"file 0 0 0 10 0 - =" LOCAL_A " -", "bad file names"},
        {"file 0 0 0 10 0 = =" LOCAL_A " -", "bad file names"},
        {"file 0 0 0 10 0 =https://x.example/a - -", "bad file names"},
        {"file 0 0 0 10 0 =https://x.example/a = -", "bad file names"},
        {"file 0 0 0 10 0 =https://x.example/a =" LOCAL_A " =", "bad file names"},
        {"file 0 0 0 10 0 =https://x.example/a =" LOCAL_A " =%00", "bad file names"},
        {"file 0 0 0 10 0 =https://x.example/a =" LOCAL_A " x", "bad file names"},
        {"file 0 0 0 10 0 x =" LOCAL_A " -", "bad file names"},
        {"file 0 0 0 10 0 =https://x.example/a x -", "bad file names"},
        {"file 0 0 0 10 0 =https://x.example/a =tmp/a -", "the local name is not a full path"},
        {"file 0 0 0 10 0 =https://x.example/a =" LOCAL_A " =/tmp/x.tmp",
         "a temporary name the fake never makes"},
    };
    struct fake_t *t = *state;
    char text[600], want[200];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, HDR ONE_FILE_JOB "%s\nend 1\n", cases[i].record);
        snprintf(want, sizeof want, "line 5: %s", cases[i].why);
        corrupt(t, text, want);
        assert_int_equal(bht_fake_job_count(t->w), 0);
    }
}

static void corrupt_headers_and_ends_are_refused(void **state)
{
    struct fake_t *t = *state;

    corrupt(t, "bitsht-fake-state 1 x\n", "line 1: not a bitsht fake state file");
    corrupt(t, "bitsht-fake-stat 1\n", "line 1: not a bitsht fake state file");
    corrupt(t, "bitsht-fake-state 1\nclock 1 2\n", "line 2: expected 'clock <ms>'");
    corrupt(t, "bitsht-fake-state 1\nclocks 1\n", "line 2: expected 'clock <ms>'");
    corrupt(t, "bitsht-fake-state 1\nclock 9223372036854775808\n",
            "line 2: expected 'clock <ms>'");
    corrupt(t, "bitsht-fake-state 1\nclock 1\nnext-serial 1 2\n",
            "line 3: expected 'next-serial <n>'");
    corrupt(t, "bitsht-fake-state 1\nclock 1\nnext-serials 1\n",
            "line 3: expected 'next-serial <n>'");
    corrupt(t, "bitsht-fake-state 1\nclock 1\nnext-serial 4294967296\n",
            "line 3: expected 'next-serial <n>'");
    corrupt(t, HDR "end x\n", "line 4: 'end' count does not match the jobs read");
    corrupt(t, HDR "end 0 0\n", "line 4: expected a job record or 'end'");
    corrupt(t, HDR "\n", "line 4: expected a job record or 'end'");
    corrupt(t, "", "line 1: truncated (no 'end' line)");
    corrupt(t, HDR, "line 4: truncated (no 'end' line)");
}

/* The largest value of every bounded field loads, exactly as written. */
static void a_state_file_at_every_bound_loads(void **state)
{
    struct fake_t *t = *state;
    static const char text[] =
        "bitsht-fake-state 1\nclock 9223372036854775807\nnext-serial 4294967295\n"
        "job {FFFFFFFE-FA4E-4B17-9B17-0000B175B175} 5 =CORP\\bob 3 63 1023 3 =CORP\\alice "
        "=CORP\\carol 9223372036854775807 18446744073709551614 9223372036854775807 0 1 1 7 "
        "0xFFFFFFFF 1 2 =a%2fb%7e%7E%25%09%7F%1A%1a\n"
        "file 1 1 1 18446744073709551614 18446744073709551614 =https://x.example/a =" LOCAL_A
        " -\n"
        "file 0 0 0 - 0 =https://x.example/b =" LOCAL_B " -\n"
        "end 1\n";
    const struct fake_job *j;
    char path[600], err[900];

    fake_t_path(t, path, sizeof path, "bounds.state");
    fake_t_write_file(path, text, strlen(text));
    if (bht_fake_state_load(t->w, path, err, sizeof err) != S_OK)
        fail_msg("refused: %s", err);
    assert_int_equal(bht_fake_now_ms(t->w), 9223372036854775807ull);
    assert_int_equal(t->w->next_serial, 4294967295u);
    j = t->w->q_head;
    assert_non_null(j);
    assert_null(j->q_next);
    assert_string_equal(j->id, "{FFFFFFFE-FA4E-4B17-9B17-0000B175B175}");
    assert_int_equal(j->serial, 0xFFFFFFFEu);
    assert_int_equal(j->state, BHT_JOB_TRANSIENT_ERROR);
    assert_string_equal(j->owner->name, "bob");
    assert_int_equal(j->priority, BHT_PRIORITY_LOW);
    assert_int_equal(j->notify_flags, 63);
    assert_int_equal(j->credentials, 1023);
    assert_int_equal(j->token_flags, 3);
    assert_true(j->has_helper);
    assert_string_equal(j->helper.local->name, "alice");
    assert_string_equal(j->helper.network->name, "carol");
    assert_int_equal(j->created_ms, 9223372036854775807ull);
    assert_int_equal(j->next_ms, 18446744073709551614ull);
    assert_int_equal(j->no_progress_since_ms, 9223372036854775807ull);
    assert_int_equal(j->current, 0);
    assert_int_equal(j->new_files, 1);
    assert_int_equal(j->error.present, 1);
    assert_int_equal(j->error.context, BHT_ERRCTX_REMOTE_APPLICATION);
    assert_int_equal((uint32_t)j->error.code, 0xFFFFFFFFu);
    assert_int_equal(j->error.file, 1);
    assert_string_equal(j->display_name, "a/b~~%\t\x7f\x1a\x1a");
    assert_int_equal(j->n_files, 2);
    assert_int_equal(j->files[0].done, 1);
    assert_int_equal(j->files[0].renamed, 1);
    assert_int_equal(j->files[0].opened, 1);
    assert_int_equal(j->files[0].bytes_total, 18446744073709551614ull);
    assert_int_equal(j->files[0].bytes_done, 18446744073709551614ull);
    assert_string_equal(j->files[0].remote, "https://x.example/a");
    assert_string_equal(j->files[0].local, LOCAL_A);
    assert_null(j->files[0].temp);
    assert_int_equal(j->files[1].bytes_total, BHT_SIZE_UNKNOWN);
    assert_int_equal(j->files[1].done, 0);
    assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_TRANSIENT_ERROR), 1);
}

/* The exact bytes of a saved queue (fakes/README.md, "State file"): blanks, '%', controls
 * and DEL escaped as %XX, "-" for nothing, final jobs left out. */
static void a_saved_queue_has_these_exact_bytes(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a = NULL, *b = fake_t_new_job(t), *c = fake_t_new_job(t);
    char path[600], local[600], want[4096];
    size_t n;
    char *text;

    fake_t_path(t, path, sizeof path, "exact.state");
    fake_t_path(t, local, sizeof local, "x y.bin");
    assert_hr(S_OK, t->b->create_job(t->w, "bitsht: %\t\x7f!~", &a));
    assert_hr(S_OK, t->b->add_file(t->w, a, PUBLIC_URL, local));
    fake_t_set_alice_helper(t, a, BHT_TOKEN_LOCAL_FILE);
    assert_hr(S_OK, t->b->set_priority(t->w, a, BHT_PRIORITY_HIGH));
    assert_hr(S_OK, t->b->cancel(t->w, c)); /* final: not saved */
    bht_fake_advance(t->w, 42);
    save(t, path);
    t->b->release(t->w, a);
    t->b->release(t->w, b);
    t->b->release(t->w, c);
    text = fake_t_read_file(path, &n);
    fake_t_path(t, local, sizeof local, "x%20y.bin"); /* as saved: the blank escaped */
    snprintf(want, sizeof want,
             "bitsht-fake-state 1\nclock 42\nnext-serial 4\n"
             /* b: suspended, normal priority, no helper, nothing added, no timer (C72) */
             "job {00000001-FA4E-4B17-9B17-0000B175B175} 3 =CORP\\bob 2 3 0 0 - - 0 - - 0 0 0 "
             "0 0x00000000 -1 0 =bitsht:test\n"
             /* a: high priority, alice's token for the local file, one new file */
             "job {00000003-FA4E-4B17-9B17-0000B175B175} 3 =CORP\\bob 1 3 0 1 =CORP\\alice "
             "=CORP\\alice 0 - - 0 1 0 0 0x00000000 -1 1 =bitsht:%%20%%25%%09%%7F!~\n"
             "file 0 0 0 - 0 =" PUBLIC_URL " =%s -\n"
             "end 2\n",
             local);
    assert_string_equal(text, want);
    assert_int_equal(n, strlen(want));
    free(text);
}


static void load_text(struct fake_t *t, const char *text)
{
    char path[600], err[900];

    fake_t_world(t, NULL);
    fake_t_path(t, path, sizeof path, "ok.state");
    fake_t_write_file(path, text, strlen(text));
    if (bht_fake_state_load(t->w, path, err, sizeof err) != S_OK)
        fail_msg("refused: %s", err);
}

/* The smallest values and the edges between accepted and refused. */
static void state_files_at_the_lower_edges_load(void **state)
{
    struct fake_t *t = *state;

    load_text(t, "bitsht-fake-state 1\nclock 0\nnext-serial 1\nend 0\n");
    assert_int_equal(t->w->next_serial, 1);
    assert_int_equal(bht_fake_now_ms(t->w), 0);
    assert_null(t->w->q_head);
    /* the last serial below next-serial; current == the file count when not transferring */
    load_text(t, "bitsht-fake-state 1\nclock 100\nnext-serial 5\n"
                 "job {00000004-1111-4B17-9B17-222222222222} 5 =CORP\\bob 0 0 0 0 - - 100 - "
                 "100 1 0 0 07 0x80004005 0 1 =\n"
                 "file 0 0 0 0 0 =https://x.example/a =" LOCAL_A " -\nend 1\n");
    assert_int_equal(t->w->q_head->serial, 4);
    assert_string_equal(t->w->q_head->id, "{00000004-1111-4B17-9B17-222222222222}"); /* as saved */
    assert_int_equal(t->w->q_head->state, BHT_JOB_TRANSIENT_ERROR); /* no step, a start */
    assert_int_equal(t->w->q_head->current, 1);
    assert_int_equal(t->w->q_head->error.file, 0);
    assert_int_equal((uint32_t)t->w->q_head->error.code, 0x80004005u);
    assert_int_equal(t->w->q_head->error.context, BHT_ERRCTX_REMOTE_APPLICATION); /* "07" */
    assert_string_equal(t->w->q_head->display_name, "");
    corrupt(t, "bitsht-fake-state 1\nclock 100\nnext-serial 4\n"
               "job {00000004-FA4E-4B17-9B17-0000B175B175} 3 =CORP\\bob 0 0 0 0 - - 100 100 "
               "100 0 0 0 0 0x00000000 -1 0 =\nend 1\n",
            "line 4: bad job id");
}


/* A save that cannot replace PATH (a folder there) fails naming PATH, leaves no PATH.tmp. */
static void a_save_that_cannot_replace_the_file_says_so(void **state)
{
    struct fake_t *t = *state;
    char path[600], inside[700], tmp[620], err[900], want[1000];

    fake_t_path(t, path, sizeof path, "a-folder.state");
    fake_t_mkdir(path);
    snprintf(inside, sizeof inside, "%s/keep", path);
    fake_t_write_file(inside, "x", 1);
    assert_true(BHT_FAILED(bht_fake_state_save(t->w, path, err, sizeof err)));
    snprintf(want, sizeof want, "%s: cannot replace the state file", path);
    assert_string_equal(err, want);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_equal(fake_t_file_size(tmp), -1);
    assert_int_equal(fake_t_file_size(inside), 1);
    assert_true(BHT_FAILED(bht_fake_state_save(t->w, path, NULL, 0))); /* no err: still fails */
    remove(inside);
    fake_t_rmdir(path);
}

/* A save whose bytes cannot all be written (the file size limit here) fails and removes
 * its temporary file; the old state file stays as it was. */
static void a_save_that_cannot_write_says_so(void **state)
{
#ifdef _WIN32
    (void)state;
    skip(); /* no file size limit to set */
#else
    struct fake_t *t = *state;
    char path[600], tmp[620], err[900], want[1000], *text;
    struct rlimit old, small;
    void (*old_handler)(int);
    struct bht_job *job;
    size_t n;

    fake_t_path(t, path, sizeof path, "limited.state");
    save(t, path); /* the old file, 48 bytes */
    job = fake_t_new_job(t); /* the next save is longer than the limit */
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = 60;
    old_handler = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    assert_hr(E_FAIL, bht_fake_state_save(t->w, path, err, sizeof err));
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(want, sizeof want, "%s: write failed", tmp);
    assert_string_equal(err, want);
    assert_int_equal(fake_t_file_size(tmp), -1);
    text = fake_t_read_file(path, &n);
    assert_string_equal(text, "bitsht-fake-state 1\nclock 0\nnext-serial 1\nend 0\n");
    free(text);
    t->b->release(t->w, job);
#endif
}

/* The lock's refusals: no folder for PATH.lock; held by another process (S_FALSE, no
 * error, without waiting); bad arguments. */
static void locking_refusals_are_told(void **state)
{
    struct fake_t *t = *state;
    struct bht_fake_state_lock *lock = (struct bht_fake_state_lock *)&lock;
    char path[600], err[900], want[1000];
    bht_hr hr;

    fake_t_path(t, path, sizeof path, "no-dir/q.state");
    alloc_track_begin();
    hr = bht_fake_state_lock(path, 1, &lock, err, sizeof err);
    assert_int_equal(alloc_track_end(), 0); /* the name and the lock freed */
    assert_true(BHT_FAILED(hr));
    assert_null(lock);
    snprintf(want, sizeof want, "%s.lock: cannot lock the state file (%s)", path,
             bht_hr_message(hr));
    assert_string_equal(err, want);
    assert_true(BHT_FAILED(bht_fake_state_lock(path, 1, &lock, NULL, 0)));
    strcpy(err, "poison");
    assert_hr(E_INVALIDARG, bht_fake_state_lock(NULL, 1, &lock, err, sizeof err));
    assert_string_equal(err, "");
    assert_hr(E_INVALIDARG, bht_fake_state_lock(path, 1, NULL, err, sizeof err));
    bht_fake_state_unlock(NULL);
#ifndef _WIN32
    {
        pid_t child;
        int status = 0;

        fake_t_path(t, path, sizeof path, "held.state");
        assert_hr(S_OK, bht_fake_state_lock(path, 0, &lock, err, sizeof err));
        child = fork();
        assert_true(child >= 0);
        if (child == 0) { /* another process: the lock is busy; nothing stays open */
            struct bht_fake_state_lock *other = NULL;
            int fds = fake_t_open_fds();
            strcpy(err, "poison");
            hr = bht_fake_state_lock(path, 0, &other, err, sizeof err);
            _exit(hr == S_FALSE && other == NULL && err[0] == '\0' && fake_t_open_fds() == fds
                      ? 0
                      : 1);
        }
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        bht_fake_state_unlock(lock);
        child = fork(); /* unlocked: now the other process gets it */
        assert_true(child >= 0);
        if (child == 0) {
            struct bht_fake_state_lock *other = NULL;
            _exit(bht_fake_state_lock(path, 0, &other, NULL, 0) == S_OK ? 0 : 1);
        }
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
#endif
}

static void loading_and_saving_refuse_bad_arguments(void **state)
{
    struct fake_t *t = *state;
    char path[600], err[900] = "poison", small[6];

    assert_hr(E_INVALIDARG, bht_fake_state_load(NULL, "x", err, sizeof err));
    assert_string_equal(err, "");
    strcpy(err, "poison");
    assert_hr(E_INVALIDARG, bht_fake_state_load(t->w, NULL, err, sizeof err));
    assert_string_equal(err, "");
    strcpy(err, "poison");
    assert_hr(E_INVALIDARG, bht_fake_state_save(NULL, "x", err, sizeof err));
    assert_string_equal(err, "");
    strcpy(err, "poison");
    assert_hr(E_INVALIDARG, bht_fake_state_save(t->w, NULL, err, sizeof err));
    assert_string_equal(err, "");
#ifndef _WIN32 /* Windows says ENOENT for a path through a file */
    { /* a path through a file: not "no file yet", an error */
        char bad_path[700], want[1000];

        fake_t_path(t, path, sizeof path, "plain.file");
        fake_t_write_file(path, "x", 1);
        snprintf(bad_path, sizeof bad_path, "%s/q.state", path);
        assert_hr(fake_fs_hr_from_errno(ENOTDIR),
                  bht_fake_state_load(t->w, bad_path, err, sizeof err));
        snprintf(want, sizeof want, "%s: cannot read (%s)", bad_path, strerror(ENOTDIR));
        assert_string_equal(err, want);
        assert_true(BHT_FAILED(bht_fake_state_load(t->w, bad_path, NULL, 0)));
    }
#endif
    /* a refusal without room for its reason: cut, never overrun */
    fake_t_path(t, path, sizeof path, "hello.state");
    fake_t_write_file(path, "hello\n", 6);
    assert_hr(E_INVALIDARG, bht_fake_state_load(t->w, path, NULL, 0));
    assert_hr(E_INVALIDARG, bht_fake_state_load(t->w, path, small, sizeof small));
    assert_int_equal(strncmp(small, path, 5), 0);
    assert_int_equal(small[5], '\0');
}

/* Loading replaces the queue and its accounting: counts per state and per owner (C05)
 * are those of the loaded jobs only. */
static void a_load_replaces_the_accounting(void **state)
{
    /* owned by CORP\\alice, the world's first user (every user's count is reset) */
    static const char text[] = HDR JOB("3", "=CORP\\alice", "0 1 0 0 0x00000000 -1 0 =n")
        "end 1\n";
    struct fake_t *t = *state;
    struct bht_job *jobs[2];
    char path[600];
    int i;

    fake_t_world(t, "option owner=CORP\\alice\noption max-jobs-per-user=2\n");
    for (i = 0; i < 2; i++) {
        jobs[i] = fake_t_new_job(t);
        t->b->release(t->w, jobs[i]);
    }
    fake_t_path(t, path, sizeof path, "one.state");
    fake_t_write_file(path, text, strlen(text));
    assert_hr(S_OK, bht_fake_state_load(t->w, path, NULL, 0));
    assert_int_equal(t->w->queue_len, 1); /* the two before are gone */
    assert_int_equal(t->w->q_head->serial, 1);
    assert_ptr_equal(t->w->q_head, t->w->q_tail);
    assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_SUSPENDED), 1);
    assert_int_equal(bht_fake_job_count(t->w), 1); /* the loaded one, not the two before */
    jobs[0] = fake_t_new_job(t); /* alice's second job: within the limit of 2 */
    assert_hr(BG_E_TOO_MANY_JOBS_PER_USER, t->b->create_job(t->w, "third", &jobs[1]));
    t->b->release(t->w, jobs[0]);
}

/* What a crashed save left at PATH.tmp is replaced, never appended to or refused. */
static void a_stale_temporary_is_replaced(void **state)
{
    struct fake_t *t = *state;
    char path[600], tmp[620], *text;
    size_t n;

    fake_t_path(t, path, sizeof path, "q.state");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fake_t_write_file(tmp, "junk from a crash\n", 18);
    save(t, path);
    assert_int_equal(fake_t_file_size(tmp), -1);
    text = fake_t_read_file(path, &n);
    assert_string_equal(text, "bitsht-fake-state 1\nclock 0\nnext-serial 1\nend 0\n");
    free(text);
}

/* Final jobs left in the queue (Wine keeps them until released) are never saved (C09). */
static void final_jobs_are_not_saved(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job;
    char path[600], *text;
    size_t n;

    fake_t_world(t, "option profile=wine8\n");
    job = fake_t_new_job(t);
    assert_hr(S_OK, t->b->cancel(t->w, job));
    assert_non_null(t->w->q_head); /* still queued while the handle is open */
    fake_t_path(t, path, sizeof path, "q.state");
    save(t, path);
    text = fake_t_read_file(path, &n);
    assert_string_equal(text, "bitsht-fake-state 1\nclock 0\nnext-serial 2\nend 0\n");
    free(text);
    t->b->release(t->w, job);
}

/* Loading, saving and locking close every file they open, refused or not. */
static void files_are_closed_after_use(void **state)
{
    struct fake_t *t = *state;
    struct bht_fake_state_lock *lock = NULL;
    char path[600], bad_path[600], world[600];
    int before = fake_t_open_fds();

    if (before < 0)
        skip();
    fake_t_path(t, path, sizeof path, "q.state");
    fake_t_path(t, bad_path, sizeof bad_path, "bad.state");
    fake_t_path(t, world, sizeof world, "t.world");
    fake_t_write_file(bad_path, "hello\n", 6);
    fake_t_write_file(world, "user X\\y password=p\n", 20);
    save(t, path);
    assert_hr(S_OK, bht_fake_state_load(t->w, path, NULL, 0));
    assert_hr(E_INVALIDARG, bht_fake_state_load(t->w, bad_path, NULL, 0));
    assert_hr(S_OK, bht_fake_world_load(t->w, world, NULL, 0));
    assert_hr(E_INVALIDARG, bht_fake_world_load(t->w, bad_path, NULL, 0));
    assert_int_equal(fake_t_open_fds(), before);
    assert_hr(S_OK, bht_fake_state_lock(path, 0, &lock, NULL, 0));
    assert_int_equal(fake_t_open_fds(), before + 1);
    bht_fake_state_unlock(lock);
    assert_int_equal(fake_t_open_fds(), before);
}

/* Users at the name limit (127 bytes of domain and of name) survive a save and a load. */
static void owners_with_the_longest_names_survive_a_round_trip(void **state)
{
    struct fake_t *t = *state;
    char text[600], name[128], path[600];
    struct bht_job *job;

    memset(name, 'n', 127);
    name[127] = '\0';
    snprintf(text, sizeof text, "user %s\\%s password=p\noption owner=%s\\%s\n", name, name,
             name, name);
    fake_t_world(t, text);
    job = fake_t_new_job(t);
    t->b->release(t->w, job);
    fake_t_path(t, path, sizeof path, "long.state");
    save(t, path);
    fake_t_world(t, text);
    assert_hr(S_OK, bht_fake_state_load(t->w, path, NULL, 0));
    assert_non_null(t->w->q_head);
    assert_string_equal(t->w->q_head->owner->domain, name);
    assert_string_equal(t->w->q_head->owner->name, name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(round_trip_keeps_jobs_files_states_tokens_errors_and_time),
        T(a_reloaded_queued_job_runs_to_transferred),
        T(a_job_saved_just_after_connecting_delivers_the_exact_bytes),
        T(loading_with_open_job_handles_is_refused),
        T(a_missing_state_file_is_an_empty_queue),
        T(saving_into_a_missing_folder_fails_and_names_the_file),
        T(every_truncation_of_a_state_file_is_refused),
        T(corrupt_state_files_are_refused_with_the_reason),
        T(corrupt_job_fields_are_refused_one_by_one),
        T(corrupt_file_records_are_refused_one_by_one),
        T(corrupt_headers_and_ends_are_refused),
        T(a_state_file_at_every_bound_loads),
        T(state_files_at_the_lower_edges_load),
        T(a_saved_queue_has_these_exact_bytes),
        T(a_save_that_cannot_replace_the_file_says_so),
        T(a_save_that_cannot_write_says_so),
        T(locking_refusals_are_told),
        T(loading_and_saving_refuse_bad_arguments),
        T(a_load_replaces_the_accounting),
        T(a_stale_temporary_is_replaced),
        T(final_jobs_are_not_saved),
        T(files_are_closed_after_use),
        T(owners_with_the_longest_names_survive_a_round_trip),
    };
    return cmocka_run_group_tests_name("fake_state_file", tests, NULL, NULL);
}
