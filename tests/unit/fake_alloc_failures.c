/* bitsht fake: every allocation of the world and state files may fail (alloc_fault.h), one
 * at a time, each in its own run: the answer is "out of memory" (or the op's own code), the
 * world is left as it was, and nothing leaks (the heap in use is what it was before).
 * Native builds only (GNU ld's --wrap). */
#include "fake_support.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../fakes/fake_internal.h"
#include "alloc_fault.h"

#define MAX_RUNS 100000u

/* Every kind of declaration; 40 users and 37 resources: each growing array and index grows. */
static char *rich_world(void)
{
    size_t cap = 16384, used = 0;
    char *s = malloc(cap);
    int i;

    assert_non_null(s);
    used += (size_t)snprintf(s + used, cap - used,
                             "#\n##\n" /* a line one byte longer than the buffer so far */
                             "user CORP\\alice password=S3cret! logon=interactive,network\n"
                             "user CORP\\bob password=hunter2 admin\n"
                             "user CORP\\carol password=c\nuser CORP\\dave password=d\n"
                             "user CORP\\erin password=e\n"
                             "resource https://x.example/a size=10 readable-by=CORP\\alice,"
                             "CORP\\bob,CORP\\carol,CORP\\dave,CORP\\erin "
                             "proxy-auth-by=CORP\\alice\n"
                             "resource \\\\fs\\share\\b content=data/b.bin readable-by=CORP\\bob\n"
                             "folder /srv/a writable-by=CORP\\alice\n"
                             "folder /srv/b/ writable-by=CORP\\bob,CORP\\alice\n"
                             "option owner=SVC\\runner\noption profile=wine8\n"
                             "fault cancel call=1 hr=0x80004005\nsystem cost=roaming\n");
    for (i = 0; i < 35; i++) /* past 32: every index grows from 64 slots to 128 */
        used += (size_t)snprintf(s + used, cap - used,
                                 "user CORP\\u%d password=p\nresource https://x.example/r%d size=%d\n",
                                 i, i, i);
    return s;
}

static void expect_out_of_memory(const char *err, const char *source)
{
    char want[256];
    unsigned line = 0;

    if (strncmp(err, source, strlen(source)) != 0 ||
        sscanf(err + strlen(source), ":%u:", &line) != 1)
        fail_msg("error \"%s\"", err);
    snprintf(want, sizeof want, "%s:%u: out of memory", source, line);
    assert_string_equal(err, want);
}

/* fakes/README.md: a failed parse leaves the world as it was — out of memory included. */
static void a_world_parse_survives_every_allocation_failure(void **state)
{
    char *text = rich_world(), err[512];
    unsigned k;

    (void)state;
    for (k = 1; k < MAX_RUNS; k++) {
        struct bht_fake_world *w;
        bht_hr hr;
        int fired;

        alloc_track_begin();
        w = bht_fake_world_new();
        assert_non_null(w);
        alloc_fault_arm(k);
        hr = bht_fake_world_parse(w, text, "worlds/t.world", err, sizeof err);
        fired = alloc_fault_disarm();
        if (!fired) {
            const struct fake_resource *b = fake_find_resource(w, "\\\\fs\\share\\b");
            assert_hr(S_OK, hr);
            assert_int_equal(w->users.n, 41); /* and SVC\runner, the implicit owner */
            assert_int_equal(w->n_resources, 37);
            assert_int_equal(w->n_folders, 2);
            assert_string_equal(w->owner->name, "runner");
            assert_non_null(b);
            assert_string_equal(b->content, "worlds/data/b.bin");
            bht_fake_world_free(w);
            assert_int_equal(alloc_track_end(), 0);
            break;
        }
        assert_hr(E_INVALIDARG, hr);
        expect_out_of_memory(err, "worlds/t.world");
        assert_int_equal(w->users.n, 0);
        assert_int_equal(w->n_resources, 0);
        assert_int_equal(w->n_folders, 0);
        assert_null(w->owner);
        assert_int_equal(w->profile, BHT_FAKE_PROFILE_WINDOWS);
        assert_int_equal(w->faults[BHT_OP_CANCEL].nth, 0);
        assert_int_equal(w->sys.network_cost, 0x1); /* not the text's roaming (0x80) */
        bht_fake_world_free(w);
        if (alloc_track_end() != 0)
            fail_msg("allocation %u failed: %lu blocks leaked", k,
                     (unsigned long)alloc_track_end());
    }
    assert_true(k > 40); /* the sweep did reach the commit */
    free(text);
}

/* A saved queue with 40 jobs (the loader's array and index grow), one of 5 files (its file
 * array grows twice) and a helper token. */
static char *rich_state(struct fake_t *t, size_t *n)
{
    struct bht_job *jobs[40];
    char path[600], local[600], name[32];
    char *text;
    int i;

    for (i = 0; i < 40; i++)
        jobs[i] = fake_t_new_job(t);
    for (i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "f%d.bin", i);
        fake_t_path(t, local, sizeof local, name);
        assert_hr(S_OK, t->b->add_file(t->w, jobs[0], PUBLIC_URL, local));
    }
    fake_t_set_alice_helper(t, jobs[1], BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK);
    fake_t_path(t, local, sizeof local, "done.bin"); /* a TRANSFERRED job keeps a temporary */
    assert_hr(S_OK, t->b->add_file(t->w, jobs[2], PUBLIC_URL, local));
    assert_hr(S_OK, t->b->resume(t->w, jobs[2]));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, jobs[2]));
    fake_t_path(t, path, sizeof path, "rich.state");
    assert_hr(S_OK, bht_fake_state_save(t->w, path, NULL, 0));
    for (i = 0; i < 40; i++)
        t->b->release(t->w, jobs[i]);
    text = fake_t_read_file(path, n);
    return text;
}

/* A failed load leaves the queue as it was (empty here), whatever allocation failed. */
static void a_state_load_survives_every_allocation_failure(void **state)
{
    struct fake_t *t = *state;
    size_t n;
    char *text = rich_state(t, &n), *copy = malloc(n + 1), err[512];
    unsigned k;

    assert_non_null(copy);
    for (k = 1; k < MAX_RUNS; k++) {
        bht_hr hr;
        int fired;

        fake_t_world(t, NULL);
        memcpy(copy, text, n + 1); /* the parser writes into its text */
        alloc_track_begin();
        alloc_fault_arm(k);
        hr = fake_state_parse_text(t->w, copy, n, "q.state", err, sizeof err);
        fired = alloc_fault_disarm();
        if (!fired) {
            alloc_track_end();
            assert_hr(S_OK, hr);
            assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_SUSPENDED), 39);
            assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_TRANSFERRED), 1);
            break;
        }
        assert_hr(E_INVALIDARG, hr);
        if (strncmp(err, "q.state: line ", 14) != 0)
            fail_msg("allocation %u: error \"%s\"", k, err);
        assert_null(t->w->q_head);
        assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_SUSPENDED), 0);
        if (alloc_track_end() != 0)
            fail_msg("allocation %u failed: %lu blocks leaked", k,
                     (unsigned long)alloc_track_end());
    }
    assert_true(k > 20);
    free(copy);
    free(text);
}

static void saving_and_locking_answer_out_of_memory(void **state)
{
    struct fake_t *t = *state;
    struct bht_fake_state_lock *lock = (struct bht_fake_state_lock *)&lock;
    char path[600], err[700] = "poison";

    fake_t_path(t, path, sizeof path, "q.state");
    alloc_track_begin();
    alloc_fault_arm(1); /* PATH.tmp's name */
    assert_hr(E_OUTOFMEMORY, bht_fake_state_save(t->w, path, err, sizeof err));
    assert_true(alloc_fault_disarm());
    assert_string_equal(err, "");
    assert_int_equal(fake_t_file_size(path), -1);
    alloc_fault_arm(1); /* PATH.lock's name */
    assert_hr(E_OUTOFMEMORY, bht_fake_state_lock(path, 1, &lock, err, sizeof err));
    assert_true(alloc_fault_disarm());
    assert_null(lock);
    lock = (struct bht_fake_state_lock *)&lock;
    alloc_fault_arm(2); /* the lock itself */
    assert_hr(E_OUTOFMEMORY, bht_fake_state_lock(path, 1, &lock, err, sizeof err));
    assert_true(alloc_fault_disarm());
    assert_null(lock);
    assert_int_equal(alloc_track_end(), 0);
}

static void the_world_answers_out_of_memory(void **state)
{
    struct bht_fake_world *w;
    char *p;

    (void)state;
    alloc_fault_arm(1);
    assert_null(bht_fake_world_new());
    assert_true(alloc_fault_disarm());

    /* the implicit owner of a world no text named one: LOCAL\owner, made once */
    w = bht_fake_world_new();
    assert_non_null(w);
    alloc_track_begin();
    alloc_fault_arm(1);
    assert_null(fake_owner(w));
    assert_true(alloc_fault_disarm());
    alloc_fault_arm(2);
    assert_null(fake_owner(w));
    assert_true(alloc_fault_disarm());
    assert_int_equal(alloc_track_end(), 0);
    assert_int_equal(w->users.n, 0);
    { /* the session op then knows no owner: admin unknown, no account (not stale bytes) */
        struct bht_session_info ses;
        memset(&ses, 0xAB, sizeof ses);
        alloc_fault_arm(1);
        assert_hr(S_OK, bht_fake_system_ops.session(w, &ses));
        assert_true(alloc_fault_disarm());
        assert_int_equal(ses.admin, BHT_TRI_UNKNOWN);
        assert_string_equal(ses.account, "");
    }

    /* the call log is a diagnostic: its own failure never changes the op's answer */
    alloc_fault_arm(1);
    assert_hr(E_ACCESSDENIED, fake_leave(w, BHT_OP_CANCEL, E_ACCESSDENIED, NULL));
    assert_true(alloc_fault_disarm());
    assert_int_equal(bht_fake_log_size(w), 0);
    bht_fake_world_free(w);

    alloc_fault_arm(1);
    assert_null(fake_path_parent("/a/b"));
    assert_true(alloc_fault_disarm());
    alloc_fault_arm(1);
    assert_null(fake_file_url_to_path("file:///a/b"));
    assert_true(alloc_fault_disarm());
    alloc_fault_arm(1);
    assert_null(fake_user_new("D", "n", "pw", 0, 0, 1000));
    assert_true(alloc_fault_disarm());
    alloc_fault_arm(2); /* the password's copy */
    assert_null(fake_user_new("D", "n", "pw", 0, 0, 1000));
    assert_true(alloc_fault_disarm());
    p = fake_strdup("x");
    assert_string_equal(p, "x");
    free(p);
}

/* Every buffer the world and state files allocate holds what is written into it, and no
 * more is written (alloc_fault.c guards the bytes past each block's end). */
static void buffers_are_as_large_as_what_they_hold(void **state)
{
    struct fake_t *t = *state;
    struct bht_fake_state_lock *lock = NULL;
    struct bht_fake_world *w;
    char path[600], err[700], local[600];

    fake_t_path(t, path, sizeof path, "q.state");
    fake_t_add(t, PUBLIC_URL, "a b%.bin", local); /* escaped in the file, decoded back */
    alloc_track_begin();
    free(fake_path_parent("/a/b"));
    free(fake_path_parent("/a"));
    free(fake_path_syntax_parent(FAKE_PATH_WINDOWS, "C:\\a"));
    free(fake_file_url_to_path("file:///a/b"));
    free(fake_strdup("abc"));
    w = bht_fake_world_new(); /* a world file read and freed */
    assert_non_null(w);
    assert_hr(S_OK, bht_fake_world_load(w, FAKE_T_SOURCE_DIR "/fakes/worlds/demo.world", err,
                                        sizeof err));
    bht_fake_world_free(w);
    w = bht_fake_world_new();
    assert_non_null(w);
    assert_hr(S_OK, bht_fake_world_parse(w, FAKE_T_STANDARD_WORLD "resource /r content=d/r\n",
                                         "worlds/t.world", err, sizeof err));
    assert_hr(S_OK, bht_fake_state_lock(path, 1, &lock, err, sizeof err));
    assert_hr(S_OK, bht_fake_state_save(t->w, path, err, sizeof err));
    assert_hr(S_OK, bht_fake_state_load(w, path, err, sizeof err));
    bht_fake_state_unlock(lock);
    bht_fake_world_free(w);
    assert_int_equal(alloc_track_end(), 0);
}

/* A world freed with tokens still open and jobs still queued frees them too. */
static void a_world_frees_what_it_still_holds(void **state)
{
    struct bht_fake_world *w;
    struct bht_token *tok = NULL;
    struct bht_job *job = NULL;
    char err[256];

    (void)state;
    alloc_track_begin();
    w = bht_fake_world_new();
    assert_non_null(w);
    assert_hr(S_OK, bht_fake_world_parse(w, FAKE_T_STANDARD_WORLD, NULL, err, sizeof err));
    assert_hr(S_OK, bht_fake_identity_ops.logon(w, "CORP", "alice", "S3cret!",
                                                BHT_LOGON_INTERACTIVE, &tok));
    assert_hr(S_OK, bht_fake_identity_ops.logon(w, "CORP", "bob", "hunter2",
                                                BHT_LOGON_INTERACTIVE, &tok));
    assert_int_equal(bht_fake_open_tokens(w), 2);
    assert_hr(S_OK, bht_fake_identity_ops.impersonate(w, tok)); /* still impersonating */
    assert_hr(S_OK, bht_fake_bits_ops.create_job(w, "j", &job));
    assert_true(bht_fake_log_size(w) > 0);
    bht_fake_set_log_limit(w, 4); /* the old log is freed, a new one made */
    assert_int_equal(bht_fake_log_size(w), 0);
    assert_hr(S_OK, fake_leave(w, BHT_OP_CLOSE, S_OK, NULL));
    assert_int_equal(bht_fake_log_size(w), 1);
    bht_fake_bits_ops.release(w, job); /* handles first (fakes/README.md); the job stays */
    bht_fake_world_free(w);
    assert_int_equal(alloc_track_end(), 0);
}

/* Starts tracking allocations, then makes a world of its own from text (the fixture's
 * folders kept): everything it allocates from here on must go back by the tracking's end. */
static struct fake_t tracked_world(const struct fake_t *t, const char *text)
{
    struct fake_t u = *t;
    char err[256];

    alloc_track_begin();
    u.w = bht_fake_world_new();
    assert_non_null(u.w);
    assert_hr(S_OK, bht_fake_world_parse(u.w, text, NULL, err, sizeof err));
    return u;
}

/* A completed job has left the queue and lives as long as its last handle: releasing one
 * of two handles keeps it, the last one frees it with everything it held (the temporary's
 * name went at the rename). */
static void a_completed_job_goes_with_its_last_handle(void **state)
{
    struct fake_t *t = *state, u;
    const struct bht_bits_ops *b = &bht_fake_bits_ops;
    struct bht_job *job = NULL, *again = NULL;
    char local[600], id[BHT_JOB_ID_SIZE];
    enum bht_job_state st = BHT_JOB_QUEUED;

    char src[600], url[700], world[1600], local2[600], local3[600];
    int fds;

    /* Three sources: the pattern, a file no resource declares (a file:// URL) and a
     * declared one read from a file a second at a time: their buffers, names and open
     * files all go back. */
    fake_t_path(t, local, sizeof local, "done.bin");
    fake_t_path(t, local2, sizeof local2, "done2.bin");
    fake_t_path(t, local3, sizeof local3, "done3.bin");
    fake_t_path(t, src, sizeof src, "src.bin");
    fake_t_write_file(src, "0123456789", 10);
    snprintf(url, sizeof url, "file://%s%s", src[0] == '/' ? "" : "/", src);
    snprintf(world, sizeof world,
             FAKE_T_STANDARD_WORLD "resource https://x.example/f content=%s rate=4\n", src);
    fds = fake_t_open_fds();
    u = tracked_world(t, world);
    assert_hr(S_OK, b->create_job(u.w, "j", &job));
    assert_hr(S_OK, b->get_id(u.w, job, id));
    assert_hr(S_OK, b->open_job(u.w, id, &again));
    assert_hr(S_OK, b->add_file(u.w, job, PUBLIC_URL, local));
    assert_hr(S_OK, b->add_file(u.w, job, url, local2));
    assert_hr(S_OK, b->add_file(u.w, job, "https://x.example/f", local3));
    assert_hr(S_OK, b->resume(u.w, job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(&u, job));
    assert_hr(S_OK, b->complete(u.w, job));
    b->release(u.w, job);
    assert_hr(S_OK, b->get_state(u.w, again, &st)); /* still there for the other handle */
    assert_int_equal(st, BHT_JOB_ACKNOWLEDGED);
    b->release(u.w, again);
    bht_fake_world_free(u.w);
    assert_int_equal(alloc_track_end(), 0);
    assert_int_equal(fake_t_open_fds(), fds);
    assert_true(fake_t_file_is_pattern(local, PUBLIC_SIZE));
    {
        char *text;
        size_t n = 0;
        text = fake_t_read_file(local2, &n);
        assert_true(n == 10 && !memcmp(text, "0123456789", 10));
        free(text);
        text = fake_t_read_file(local3, &n);
        assert_true(n == 10 && !memcmp(text, "0123456789", 10));
        free(text);
    }
}

/* A job cancelled mid-transfer leaves the schedule with the queue: its memory can go with
 * its last handle while the clock runs on (freed blocks are poisoned, so a job left in the
 * schedule would be followed into them). Wine keeps a final job listed until the next
 * Resume (§5 item 15); a job with no handle left goes then. */
static void final_jobs_leave_the_schedule_and_the_queue_whole(void **state)
{
    struct fake_t *t = *state, u;
    const struct bht_bits_ops *b = &bht_fake_bits_ops;
    struct bht_job *job = NULL, *other = NULL;
    char local[600], world[1200];

    (void)t;
    for (int wine = 0; wine < 2; wine++) {
        snprintf(world, sizeof world, "%s" FAKE_T_STANDARD_WORLD
                 "resource https://cdn.example/slow size=5000 rate=1000\n",
                 wine ? "option profile=wine8\n" : "");
        fake_t_path(t, local, sizeof local, wine ? "w.bin" : "s.bin");
        u = tracked_world(t, world);
        assert_hr(S_OK, b->create_job(u.w, "j", &job));
        assert_hr(S_OK, b->add_file(u.w, job, "https://cdn.example/slow", local));
        assert_hr(S_OK, b->resume(u.w, job));
        bht_fake_advance(u.w, 1500);
        assert_state(BHT_JOB_TRANSFERRING, fake_t_state(&u, job));
        b->cancel(u.w, job);
        b->release(u.w, job);
        assert_int_equal(u.w->queue_len, wine); /* Wine: still listed */
        bht_fake_advance(u.w, 10000);
        assert_hr(S_OK, b->create_job(u.w, "k", &other));
        assert_hr(S_OK, b->add_file(u.w, other, "https://cdn.example/slow", local));
        assert_hr(S_OK, b->resume(u.w, other)); /* Wine: sweeps the cancelled job */
        assert_int_equal(u.w->queue_len, 1);
        b->cancel(u.w, other);
        b->release(u.w, other);
        bht_fake_world_free(u.w);
        assert_int_equal(alloc_track_end(), 0);
    }
}

/* A user's password is wiped before its memory goes back (a secret, even a fake one). */
static void a_freed_password_is_wiped_first(void **state)
{
    struct fake_user *u;
    const void *password, *record;

    (void)state;
    alloc_track_begin();
    u = fake_user_new("D", "n", "S3cret!", 0, 0, 1000);
    assert_non_null(u);
    password = u->password;
    record = u;
    fake_user_free(u);
    assert_int_equal(alloc_track_end(), 0);
    assert_int_equal(alloc_freed_zeroed(password), 1);
    assert_int_equal(alloc_freed_zeroed(record), 0); /* the record itself is not wiped */
}

/* Looking up the folder of a path frees the resolved names it asked the C library for
 * (realpath's, not wrapped: the heap must not grow over many lookups). */
static void folder_lookups_free_what_they_resolve(void **state)
{
    struct fake_t *t = *state;
    size_t before;
    int i;

    (void)fake_find_folder(t->w, t->restricted); /* the C library's first-use allocations */
    before = mallinfo2().uordblks;
    for (i = 0; i < 1000; i++)
        assert_non_null(fake_find_folder(t->w, t->restricted));
    if (mallinfo2().uordblks > before + 4096)
        fail_msg("the heap grew by %lu bytes over 1000 lookups",
                 (unsigned long)(mallinfo2().uordblks - before));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_world_parse_survives_every_allocation_failure),
        cmocka_unit_test_setup_teardown(a_state_load_survives_every_allocation_failure,
                                        fake_t_setup, fake_t_teardown),
        cmocka_unit_test_setup_teardown(saving_and_locking_answer_out_of_memory, fake_t_setup,
                                        fake_t_teardown),
        cmocka_unit_test(the_world_answers_out_of_memory),
        cmocka_unit_test(a_world_frees_what_it_still_holds),
        cmocka_unit_test_setup_teardown(a_completed_job_goes_with_its_last_handle, fake_t_setup,
                                        fake_t_teardown),
        cmocka_unit_test_setup_teardown(final_jobs_leave_the_schedule_and_the_queue_whole,
                                        fake_t_setup, fake_t_teardown),
        cmocka_unit_test(a_freed_password_is_wiped_first),
        cmocka_unit_test_setup_teardown(folder_lookups_free_what_they_resolve, fake_t_setup,
                                        fake_t_teardown),
        cmocka_unit_test_setup_teardown(buffers_are_as_large_as_what_they_hold, fake_t_setup_job,
                                        fake_t_teardown),
    };
    return cmocka_run_group_tests_name("fake_alloc_failures", tests, NULL, NULL);
}
