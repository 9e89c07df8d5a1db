/* bitsht fake: the real files the fake writes, as any program writing into folders other
 * people can write must (issue 13 items 5 and 6): temporaries unique across processes and
 * created exclusively, no link followed that the fake did not make, a state file that can
 * only name temporaries the fake itself makes. */
#if !defined(_WIN32) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700 /* symlink */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_support.h"

#ifdef _WIN32
#define SEP "\\"
#else
#include <unistd.h>
#define SEP "/"
#endif

#include <dirent.h>

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)

/* A second world in the same folder: another process, as far as the fake can tell (its
 * own random id tag, its own serials starting at 1). */
static struct bht_fake_world *another_process(const char *extra)
{
    struct bht_fake_world *w = bht_fake_world_new();
    char err[256];

    assert_non_null(w);
    if (bht_fake_world_parse(w, extra, "other", err, sizeof err) != S_OK)
        fail_msg("other world: %s", err);
    return w;
}

static void fill_file(const char *path, char byte, size_t n)
{
    char *buf = malloc(n);

    assert_non_null(buf);
    memset(buf, byte, n);
    fake_t_write_file(path, buf, n);
    free(buf);
}

/* 1 when every one of the n bytes of path is byte. */
static int file_is_all(const char *path, char byte, size_t n)
{
    FILE *fp = fopen(path, "rb");
    size_t i;
    int c, ok = fp != NULL;

    for (i = 0; ok && i < n; i++)
        ok = fgetc(fp) == (unsigned char)byte;
    if (ok)
        ok = (c = fgetc(fp)) == EOF;
    if (fp)
        fclose(fp);
    return ok;
}

/* The name of the one temporary in dir (fails the test unless there is exactly one). */
static void the_temporary(const char *dir, char *out, size_t size)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (!strncmp(e->d_name, ".BIT", 4) && len > 8 && !strcmp(e->d_name + len - 4, ".tmp")) {
            snprintf(out, size, "%s" SEP "%s", dir, e->d_name);
            n++;
        }
    }
    closedir(d);
    assert_int_equal(n, 1);
}

/* Item 5: two processes transferring at once into one folder each deliver their own
 * bytes. (Before: both named their temporary .BIT000000010000.tmp and opened it with
 * "wb", so one delivered a mix of both sources.) */
static void two_processes_writing_one_folder_keep_their_bytes_apart(void **state)
{
    struct fake_t *t = *state;
    char src_a[600], src_b[600], extra[1400], a[600], b[600], id_a[BHT_JOB_ID_SIZE],
        id_b[BHT_JOB_ID_SIZE];
    struct bht_fake_world *other;
    struct bht_job *job_b = NULL;
    enum bht_job_state st_a = BHT_JOB_QUEUED, st_b = BHT_JOB_QUEUED;
    int i;

    fake_t_path(t, src_a, sizeof src_a, "src-a");
    fake_t_path(t, src_b, sizeof src_b, "src-b");
    fill_file(src_a, 'A', 5000);
    fill_file(src_b, 'B', 5000);
    snprintf(extra, sizeof extra,
             "resource https://x.example/a content=%s rate=1000\n"
             "resource https://x.example/b content=%s rate=1000\n", src_a, src_b);
    fake_t_world(t, extra);
    other = another_process(extra);
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://x.example/a", "a.bin", a);
    fake_t_path(t, b, sizeof b, "b.bin");
    assert_hr(S_OK, t->b->create_job(other, "bitsht:test", &job_b));
    assert_hr(S_OK, t->b->add_file(other, job_b, "https://x.example/b", b));
    assert_hr(S_OK, t->b->get_id(t->w, t->job, id_a));
    assert_hr(S_OK, t->b->get_id(other, job_b, id_b));
    assert_string_not_equal(id_a, id_b); /* both are job 1 of their world */
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_hr(S_OK, t->b->resume(other, job_b));
    for (i = 0; i < 100 && (st_a != BHT_JOB_TRANSFERRED || st_b != BHT_JOB_TRANSFERRED); i++) {
        /* one virtual second each, in turn: both temporaries are open at once */
        if (st_a != BHT_JOB_TRANSFERRED)
            t->b->wait(t->w, t->job, 1000, &st_a);
        if (st_b != BHT_JOB_TRANSFERRED)
            t->b->wait(other, job_b, 1000, &st_b);
        assert_true(st_a != BHT_JOB_ERROR && st_b != BHT_JOB_ERROR);
    }
    assert_int_equal(fake_t_count_temporaries(t->dir), 2);
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_hr(S_OK, t->b->complete(other, job_b));
    assert_true(file_is_all(a, 'A', 5000));
    assert_true(file_is_all(b, 'B', 5000));
    t->b->release(other, job_b);
    bht_fake_world_free(other);
}

/* Items 5 and 6: a name already at the temporary's place (a planted file, a link to
 * someone's file, the leftover of a process that died) is never opened: the job fails
 * with ERROR_ALREADY_EXISTS and what was there is untouched. Two worlds with the same
 * fixed id tag make the same name, as two runs of a deterministic test do. */
static void a_name_already_at_the_temporary_is_never_written_through(void **state)
{
    struct fake_t *t = *state;
    char local[600], temp[700], victim[600];
    struct bht_fake_world *crashed;
    struct bht_job *job = NULL;
    struct bht_job_error e;

    /* A first process creates the temporary, then dies without cancelling. */
    crashed = another_process(FAKE_T_STANDARD_WORLD);
    bht_fake_world_set_id_tag(crashed, BHT_FAKE_FIXED_ID_TAG);
    fake_t_path(t, local, sizeof local, "x.bin");
    assert_hr(S_OK, t->b->create_job(crashed, "bitsht:test", &job));
    assert_hr(S_OK, t->b->add_file(crashed, job, "https://cdn.example/stuck", local));
    assert_hr(S_OK, t->b->resume(crashed, job));
    bht_fake_advance(crashed, 1000);
    t->b->release(crashed, job);
    bht_fake_world_free(crashed);
    the_temporary(t->dir, temp, sizeof temp);

    fake_t_path(t, victim, sizeof victim, "victim");
    fake_t_write_file(victim, "precious", 8);
#ifndef _WIN32
    remove(temp); /* someone puts a link to their victim in its place */
    assert_int_equal(symlink(victim, temp), 0);
#endif
    t->job = fake_t_new_job(t); /* the same GUID: job 1, the fixed tag */
    assert_hr(S_OK, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_int_equal(e.context, BHT_ERRCTX_LOCAL_FILE);
    assert_hr(BHT_HR_FROM_WIN32(183), e.code); /* ERROR_ALREADY_EXISTS */
    assert_int_equal(fake_t_file_size(victim), 8);
    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_int_equal(fake_t_file_size(victim), 8); /* Cancel removed nothing of the victim's */
}

#ifndef _WIN32
/* Item 6: the fake's own temporary replaced by a link while the job transfers: the next
 * chunk is refused (E_ACCESSDENIED, LOCAL_FILE), the link's target is untouched. */
static void a_link_put_in_place_of_a_temporary_is_not_followed(void **state)
{
    struct fake_t *t = *state;
    char local[600], temp[700], victim[600];
    struct bht_job_error e;
    enum bht_job_state st = BHT_JOB_QUEUED;
    int i;

    fake_t_world(t, "resource https://x.example/slow size=5000 rate=1000\n");
    t->job = fake_t_new_job(t);
    fake_t_add(t, "https://x.example/slow", "x.bin", local);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    for (i = 0; i < 10 && st != BHT_JOB_TRANSFERRING; i++)
        t->b->wait(t->w, t->job, 500, &st);
    assert_state(BHT_JOB_TRANSFERRING, st);
    the_temporary(t->dir, temp, sizeof temp);
    fake_t_path(t, victim, sizeof victim, "victim");
    fake_t_write_file(victim, "precious", 8);
    remove(temp);
    assert_int_equal(symlink(victim, temp), 0);
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_int_equal(e.context, BHT_ERRCTX_LOCAL_FILE);
    assert_hr(E_ACCESSDENIED, e.code);
    assert_int_equal(fake_t_file_size(victim), 8);
    /* A retry starts over in a new file: the link is removed, never written through. */
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_true(fake_t_file_is_pattern(local, 5000));
    assert_int_equal(fake_t_file_size(victim), 8);
}

/* Item 6: a link planted at PATH.tmp is replaced, not written through, by a save. */
static void a_link_planted_at_the_state_temporary_is_not_followed(void **state)
{
    struct fake_t *t = *state;
    char path[600], tmp[700], victim[600], err[512];

    fake_t_path(t, path, sizeof path, "q.state");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fake_t_path(t, victim, sizeof victim, "victim");
    fake_t_write_file(victim, "precious", 8);
    assert_int_equal(symlink(victim, tmp), 0);
    assert_hr(S_OK, bht_fake_state_save(t->w, path, err, sizeof err));
    assert_int_equal(fake_t_file_size(victim), 8);
    assert_true(fake_t_file_size(path) > 0);
    assert_int_equal(fake_t_file_size(tmp), -1);
}
#endif

/* Item 6: a state file whose temporary name is not the one the fake makes for that job
 * and file is refused, so Cancel (bitsht cleanup) can never delete someone's file. */
static void a_state_file_naming_another_temporary_is_refused(void **state)
{
    struct fake_t *t = *state;
    char path[600], victim[600], text[2400], err[512];
    static const char *const temps[] = {"victim", ".BIT00000002FA4E4B179B170000B175B1750000.tmp",
                                        ".BIT00000001FA4E4B179B170000B175B1750001.tmp"};
    size_t i;

    fake_t_path(t, victim, sizeof victim, "victim");
    fake_t_write_file(victim, "precious", 8);
    fake_t_path(t, path, sizeof path, "q.state");
    for (i = 0; i < sizeof temps / sizeof temps[0]; i++) {
        snprintf(text, sizeof text,
                 "bitsht-fake-state 1\nclock 0\nnext-serial 2\n"
                 "job {00000001-FA4E-4B17-9B17-0000B175B175} 3 =CORP\\bob 2 3 0 0 - - 0 - - "
                 "0 1 0 0 0x00000000 -1 1 =bitsht:x\n"
                 "file 0 0 0 - 0 =https://cdn.example/public.bin =%s" SEP "x.bin =%s" SEP "%s\n"
                 "end 1\n",
                 t->dir, t->dir, temps[i]);
        fake_t_write_file(path, text, strlen(text));
        assert_hr(E_INVALIDARG, bht_fake_state_load(t->w, path, err, sizeof err));
        assert_non_null(strstr(err, "a temporary name the fake never makes"));
    }
    assert_int_equal(fake_t_file_size(victim), 8);
}

/* Item 4 (C20): the folder rules hold for every spelling of a restricted folder: the
 * owner (no helper) may not write CORP\alice's folder through "//", "/./", "/../" or a
 * link to it, nor through a folder declared by way of a link. (Before: the rules
 * compared strings, and every one of these passed.) */
static void folder_rules_hold_for_every_spelling_of_the_folder(void **state)
{
    struct fake_t *t = *state;
    char sub[600], local[900], world[1400];
    static const char *const spellings[] = {
        "%s" SEP SEP "restricted" SEP "r.bin", "%s" SEP "." SEP "restricted" SEP "r.bin",
        "%s" SEP "restricted" SEP ".." SEP "restricted" SEP "r.bin"};
    size_t i;

    for (i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        snprintf(local, sizeof local, spellings[i], t->dir);
        if (t->b->add_file(t->w, t->job, PUBLIC_URL, local) != E_ACCESSDENIED)
            fail_msg("the owner wrote the restricted folder as '%s'", local);
    }
#ifndef _WIN32
    fake_t_path(t, sub, sizeof sub, "link");
    assert_int_equal(symlink(t->restricted, sub), 0);
    snprintf(local, sizeof local, "%s/r.bin", sub);
    assert_hr(E_ACCESSDENIED, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    /* the rule declared through the link governs the real folder too */
    fake_t_path(t, sub, sizeof sub, "real");
    fake_t_mkdir(sub);
    snprintf(local, sizeof local, "%s/link2", t->dir);
    assert_int_equal(symlink(sub, local), 0);
    snprintf(world, sizeof world, "folder %s writable-by=CORP\\alice\n", local);
    fake_t_world(t, world);
    t->job = fake_t_new_job(t);
    snprintf(local, sizeof local, "%s/r.bin", sub);
    assert_hr(E_ACCESSDENIED, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
#else
    (void)sub;
    (void)world;
    snprintf(local, sizeof local, "%s" SEP "R.BIN", t->restricted); /* no case on NTFS */
    for (i = 0; local[i]; i++)
        if (local[i] >= 'a' && local[i] <= 'z')
            local[i] = (char)(local[i] - 'a' + 'A');
    assert_hr(E_ACCESSDENIED, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
#endif
    fake_t_restricted_path(t, local, sizeof local, "r.bin"); /* the helper still may */
    fake_t_set_alice_helper(t, t->job, BHT_TOKEN_LOCAL_FILE);
#ifndef _WIN32
    snprintf(local, sizeof local, "%s/r.bin", sub);
#endif
    assert_hr(S_OK, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
}

/* Found in the re-attack: a state file naming job 0xFFFFFFFE made open_job's index an
 * array of 2^32 pointers (32 GiB): the job was silently dropped where that failed, and
 * the machine thrashed where it did not. The index is a hash now. */
static void a_job_with_the_largest_serial_loads_and_opens(void **state)
{
    struct fake_t *t = *state;
    static const char text[] =
        "bitsht-fake-state 1\nclock 0\nnext-serial 4294967295\n"
        "job {FFFFFFFE-FA4E-4B17-9B17-0000B175B175} 3 =CORP\\bob 2 3 0 0 - - 0 - - 0 1 0 0 "
        "0x00000000 -1 0 =bitsht:x\nend 1\n";
    char path[600], err[512];
    struct bht_job *job = NULL;

    fake_t_path(t, path, sizeof path, "q.state");
    fake_t_write_file(path, text, strlen(text));
    assert_hr(S_OK, bht_fake_state_load(t->w, path, err, sizeof err));
    assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_SUSPENDED), 1);
    assert_hr(S_OK, t->b->open_job(t->w, "{FFFFFFFE-FA4E-4B17-9B17-0000B175B175}", &job));
    assert_hr(S_OK, t->b->cancel(t->w, job));
    t->b->release(t->w, job);
    assert_hr(BG_E_NOT_FOUND,
              t->b->open_job(t->w, "{FFFFFFFE-FA4E-4B17-9B17-0000B175B175}", &job));
}

/* Item 4: a folder that is gone at transfer time, under a declared folder that does not
 * exist either: both keep the names they were given (nothing to resolve), the declared
 * rule still governs, and the job fails as the disk answers. */
static void folder_rules_keep_the_given_names_of_folders_that_do_not_exist(void **state)
{
    struct fake_t *t = *state;
    char gone[600], local[700], world[800];
    struct bht_job_error e;

    fake_t_path(t, gone, sizeof gone, "gone");
    snprintf(world, sizeof world, "folder %s" SEP "never writable-by=CORP\\alice\n", t->dir);
    fake_t_world(t, world);
    t->job = fake_t_new_job(t);
    fake_t_mkdir(gone);
    snprintf(local, sizeof local, "%s" SEP "x.bin", gone);
    assert_hr(S_OK, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    fake_t_rmdir(gone);
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_state(BHT_JOB_ERROR, fake_t_run(t, t->job));
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_int_equal(e.context, BHT_ERRCTX_LOCAL_FILE);
    assert_hr(BHT_E_PATH_NOT_FOUND, e.code);
    snprintf(local, sizeof local, "%s" SEP "never" SEP "x.bin", t->dir);
    assert_hr(BHT_E_PATH_NOT_FOUND, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(two_processes_writing_one_folder_keep_their_bytes_apart),
        T(a_name_already_at_the_temporary_is_never_written_through),
#ifndef _WIN32
        T(a_link_put_in_place_of_a_temporary_is_not_followed),
        T(a_link_planted_at_the_state_temporary_is_not_followed),
#endif
        T(a_state_file_naming_another_temporary_is_refused),
        T(a_job_with_the_largest_serial_loads_and_opens),
        T(folder_rules_keep_the_given_names_of_folders_that_do_not_exist),
        cmocka_unit_test_setup_teardown(folder_rules_hold_for_every_spelling_of_the_folder,
                                        fake_t_setup_job, fake_t_teardown),
    };
    return cmocka_run_group_tests_name("fake_files", tests, NULL, NULL);
}
