/* bitsht fake: out of memory. The fake checks every allocation it makes and answers
 * E_OUTOFMEMORY (or fails the job with it) leaving nothing half made; this program fails
 * each allocation of an operation in turn and checks that, with alloc_fault.h (the allocator
 * wrapped at link time: GNU ld, native builds only; the C library's own allocations, fopen's
 * say, are not reached). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_fault.h"
#include "fake_support.h"
#include "../../fakes/fake_internal.h"

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)
#define TJ(name) cmocka_unit_test_setup_teardown(name, fake_t_setup_job, fake_t_teardown)

/* k allocations from now succeed, the next one fails (once). */
static void arm(long k)
{
    alloc_fault_arm((unsigned)k + 1);
}

/* Disarms; 1 when the planned failure happened. */
static int disarm(void)
{
    return alloc_fault_disarm();
}

/* create_job fails at each of its allocations with E_OUTOFMEMORY and leaves no job and
 * nothing allocated behind. */
static void create_job_out_of_memory(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *h, *first = NULL;
    bht_hr hr;
    long k;

    /* A first job makes the index, which then has room: what a failed create allocated
     * and kept would be a leak. */
    assert_hr(S_OK, t->b->create_job(t->w, "bitsht:first", &first));
    for (k = 0;; k++) {
        h = (struct bht_job *)1;
        alloc_track_begin();
        arm(k);
        hr = t->b->create_job(t->w, "bitsht:oom", &h);
        if (!disarm())
            break;
        assert_int_equal(alloc_track_end(), 0);
        assert_hr(E_OUTOFMEMORY, hr);
        assert_null(h);
        assert_int_equal(bht_fake_job_count(t->w), 1);
    }
    alloc_track_end();
    assert_hr(S_OK, hr);
    assert_true(k >= 3); /* the job, its name, the handle */
    assert_int_equal(bht_fake_job_count(t->w), 2);
    t->b->release(t->w, h);
    t->b->release(t->w, first);

    /* With 32 jobs the index (64 slots, kept at most half full) must grow for the 33rd:
     * that growth failing is create_job's E_OUTOFMEMORY too, never a job made but missing
     * from the index. */
    for (int i = 2; i < 32; i++) {
        assert_hr(S_OK, t->b->create_job(t->w, "bitsht:fill", &h));
        t->b->release(t->w, h);
    }
    assert_int_equal(t->w->queue_len, 32);
    for (k = 0;; k++) {
        h = (struct bht_job *)1;
        arm(k);
        hr = t->b->create_job(t->w, "bitsht:33", &h);
        if (!disarm())
            break;
        assert_hr(E_OUTOFMEMORY, hr);
        assert_null(h);
        assert_int_equal(t->w->queue_len, 32);
    }
    assert_hr(S_OK, hr);
    assert_true(k >= 3); /* the index grew at k = 1 and kept its room; then the rest */
    assert_int_equal(t->w->job_index.n, 33);
    t->b->release(t->w, h);
}

/* add_file: the destination's folder name, the files array, the two names. */
static void add_file_out_of_memory(void **state)
{
    struct fake_t *t = *state;
    struct bht_progress p;
    char local[600];
    bht_hr hr;
    long k;

    fake_t_path(t, local, sizeof local, "oom.bin");
    for (k = 0;; k++) {
        arm(k);
        hr = t->b->add_file(t->w, t->job, PUBLIC_URL, local);
        if (!disarm())
            break;
        assert_hr(E_OUTOFMEMORY, hr);
        assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
        assert_int_equal(p.files_total, 0);
    }
    assert_hr(S_OK, hr);
    assert_true(k >= 3);
    assert_hr(S_OK, t->b->get_progress(t->w, t->job, &p));
    assert_int_equal(p.files_total, 1);

    /* A second file (the array has room now): a failure at any of its allocations leaves
     * nothing allocated behind. */
    fake_t_path(t, local, sizeof local, "oom2.bin");
    for (k = 0;; k++) {
        alloc_track_begin();
        arm(k);
        hr = t->b->add_file(t->w, t->job, PUBLIC_URL, local);
        if (!disarm())
            break;
        assert_int_equal(alloc_track_end(), 0);
        assert_hr(E_OUTOFMEMORY, hr);
    }
    alloc_track_end();
    assert_hr(S_OK, hr);
    assert_true(k >= 3); /* the folder's name, the two names */
}

/* open_job's handle, enum_jobs' list, get_helper_token_sid's string. */
static void handles_lists_and_strings_out_of_memory(void **state)
{
    struct fake_t *t = *state;
    char id[BHT_JOB_ID_SIZE], *sid = (char *)1;
    struct bht_job *h = (struct bht_job *)1;
    struct bht_job_info *list = (struct bht_job_info *)1;
    size_t n = 7;

    assert_hr(S_OK, t->b->get_id(t->w, t->job, id));
    arm(0);
    assert_hr(E_OUTOFMEMORY, t->b->open_job(t->w, id, &h));
    assert_int_equal(disarm(), 1);
    assert_null(h);
    arm(0);
    assert_hr(E_OUTOFMEMORY, t->b->enum_jobs(t->w, "", &list, &n));
    assert_int_equal(disarm(), 1);
    assert_null(list);
    assert_int_equal(n, 0);
    fake_t_set_alice_helper(t, t->job, 0);
    arm(0);
    assert_hr(E_OUTOFMEMORY, t->b->get_helper_token_sid(t->w, t->job, &sid));
    assert_int_equal(disarm(), 1);
    assert_null(sid);
}

/* LogonUserW's token and the impersonation stack: nothing open, nothing pushed. */
static void tokens_out_of_memory(void **state)
{
    struct fake_t *t = *state;
    static const enum bht_logon_type types[] = {BHT_LOGON_INTERACTIVE,
                                                BHT_LOGON_NEW_CREDENTIALS};
    struct bht_token *tok = (struct bht_token *)1;

    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        arm(0);
        assert_hr(E_OUTOFMEMORY, t->id->logon(t->w, "CORP", "alice", "S3cret!", types[i], &tok));
        assert_int_equal(disarm(), 1);
        assert_null(tok);
        assert_int_equal(bht_fake_open_tokens(t->w), 0);
    }
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE, &tok));
    arm(0);
    assert_hr(E_OUTOFMEMORY, t->id->impersonate(t->w, tok));
    assert_int_equal(disarm(), 1);
    assert_int_equal(bht_fake_impersonation_depth(t->w), 0);
    assert_hr(S_OK, t->id->impersonate(t->w, tok));
    assert_int_equal(bht_fake_impersonation_depth(t->w), 1);
    assert_hr(S_OK, t->id->revert(t->w));
    assert_hr(S_OK, t->id->close(t->w, tok));

    bht_fake_set_profile(t->w, BHT_FAKE_PROFILE_WINE8); /* the dummy handle is a token too */
    arm(0);
    assert_hr(E_OUTOFMEMORY, t->id->logon(t->w, "x", "y", "z", BHT_LOGON_INTERACTIVE, &tok));
    assert_int_equal(disarm(), 1);
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
}

/* A transfer whose step cannot allocate fails the job with E_OUTOFMEMORY in LOCAL_FILE
 * (the folder's name, the temporary's name, the copy buffer); with every allocation
 * granted it goes through. */
static void a_transfer_out_of_memory(void **state)
{
    struct fake_t *t = *state;
    enum bht_job_state st;
    char local[600], name[32];
    long k;

    fake_t_world(t, "resource https://cdn.example/slow size=10 rate=5\n");
    for (k = 0;; k++) {
        t->job = fake_t_new_job(t);
        snprintf(name, sizeof name, "t%ld.bin", k);
        fake_t_add(t, "https://cdn.example/slow", name, local);
        assert_hr(S_OK, t->b->resume(t->w, t->job));
        arm(k);
        st = fake_t_run(t, t->job);
        if (!disarm())
            break;
        assert_state(BHT_JOB_ERROR, st);
        fake_t_expect_file_error(t, BHT_ERRCTX_LOCAL_FILE, E_OUTOFMEMORY,
                                 "https://cdn.example/slow");
        assert_hr(S_OK, t->b->cancel(t->w, t->job));
        t->b->release(t->w, t->job);
        t->job = NULL;
    }
    assert_state(BHT_JOB_TRANSFERRED, st);
    assert_true(k >= 3);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, 10));
}

/* The index cannot grow: reserve and put say so and the index is as it was. */
static void the_index_out_of_memory(void **state)
{
    struct fake_index ix = {0};
    int a, b;

    (void)state;
    arm(0);
    assert_int_equal(fake_index_reserve(&ix, 1), 0);
    assert_int_equal(disarm(), 1);
    assert_int_equal(ix.cap, 0);
    assert_int_equal(fake_index_put(&ix, 1, &a), 1);
    for (int i = 2; i <= 32; i++)
        assert_int_equal(fake_index_put(&ix, (uint64_t)i, &b), 1);
    arm(0);
    assert_int_equal(fake_index_put(&ix, 33, &b), 0); /* the 33rd needs 128 slots */
    assert_int_equal(disarm(), 1);
    assert_int_equal(ix.n, 32);
    assert_int_equal(ix.cap, 64);
    {
        size_t cursor = 0;
        assert_ptr_equal(fake_index_next(&ix, 1, &cursor), &a);
    }
    fake_index_free(&ix);
}

/* read_all cannot grow its buffer: E_OUTOFMEMORY and a message naming the file. */
static void reading_a_file_out_of_memory(void **state)
{
    struct fake_t *t = *state;
    char path[600], err[700], want[700];
    char *text = (char *)1;
    size_t n = 5;
    FILE *fp;

    fake_t_path(t, path, sizeof path, "w.txt");
    fake_t_write_file(path, "world", 5);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    arm(0);
    assert_hr(E_OUTOFMEMORY, fake_fs_read_all(fp, path, &text, &n, err, sizeof err));
    assert_int_equal(disarm(), 1);
    fclose(fp);
    assert_null(text);
    assert_true(n == 0);
    snprintf(want, sizeof want, "%s: out of memory reading it", path);
    assert_string_equal(err, want);
}

/* The second growth fails on a file bigger than the first buffer (64 KiB): the first
 * buffer is freed with it, nothing leaks. A folder read as a file (EISDIR) frees its
 * buffer too. */
static void a_failed_read_frees_its_buffer(void **state)
{
    struct fake_t *t = *state;
    char path[600], err[700];
    static char big[100000];
    char *text = (char *)1;
    size_t n = 5;
    FILE *fp;

    memset(big, 'b', sizeof big);
    fake_t_path(t, path, sizeof path, "big.txt");
    fake_t_write_file(path, big, sizeof big);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    alloc_track_begin();
    arm(1); /* allocation 0 is the first buffer, 1 its growth */
    assert_hr(E_OUTOFMEMORY, fake_fs_read_all(fp, path, &text, &n, err, sizeof err));
    assert_int_equal(disarm(), 1);
    assert_int_equal(alloc_track_end(), 0);
    fclose(fp);
    assert_null(text);
    assert_true(n == 0);

    fp = fopen(t->dir, "rb");
    assert_non_null(fp);
    alloc_track_begin();
    assert_hr(E_ACCESSDENIED, fake_fs_read_all(fp, t->dir, &text, &n, err, sizeof err));
    assert_int_equal(alloc_track_end(), 0);
    fclose(fp);
    assert_null(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(create_job_out_of_memory),
        TJ(add_file_out_of_memory),
        TJ(handles_lists_and_strings_out_of_memory),
        T(tokens_out_of_memory),
        T(a_transfer_out_of_memory),
        cmocka_unit_test(the_index_out_of_memory),
        T(reading_a_file_out_of_memory),
        T(a_failed_read_frees_its_buffer),
    };
    return cmocka_run_group_tests_name("fake out of memory", tests, NULL, NULL);
}
