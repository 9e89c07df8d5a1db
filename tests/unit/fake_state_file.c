/* bitsht fake: the state file — the queue outlives one process (round trip), and a
 * corrupt or truncated file is an error naming it, never a crash (fakes/README.md). */
#include "fake_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)

static void save(struct fake_t *t, const char *path)
{
    char err[512];

    if (bht_fake_state_save(t->w, path, err, sizeof err) != S_OK)
        fail_msg("save: %s", err);
}

static struct bht_job *open_id(struct fake_t *t, const char *id)
{
    struct bht_job *job = NULL;

    assert_hr(S_OK, t->b->open_job(t->w, id, &job));
    return job;
}

static char *read_all(const char *path, size_t *out_n)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    buf[n] = '\0';
    *out_n = (size_t)n;
    return buf;
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
    assert_true(BHT_FAILED(bht_fake_state_save(t->w, path, err, sizeof err)));
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
    text = read_all(path, &n);
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

static void corrupt(struct fake_t *t, const char *text, const char *expected)
{
    char path[600], err[900], want[1200];

    fake_t_path(t, path, sizeof path, "bad.state");
    fake_t_write_file(path, text, strlen(text));
    if (bht_fake_state_load(t->w, path, err, sizeof err) != E_INVALIDARG)
        fail_msg("accepted; expected the refusal \"%s\"", expected);
    snprintf(want, sizeof want, "%s: %s", path, expected);
    assert_string_equal(err, want);
}

#define HDR "bitsht-fake-state 1\nclock 100\nnext-serial 5\n"
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
    };
    return cmocka_run_group_tests_name("fake_state_file", tests, NULL, NULL);
}
