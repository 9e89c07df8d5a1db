/* bitsht fake tests: the shared fixture (see fake_support.h). The only platform-specific
 * lines of the fake's tests are the folder helpers at the top. */
#if !defined(_WIN32) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700 /* lstat, symlink */
#endif
#include "fake_support.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef _WIN32
#include <direct.h>
#include <process.h>
#define MKDIR(p) _mkdir(p)
#define RMDIR(p) _rmdir(p)
#define GETPID() _getpid()
#define SEP "\\"
#define LSTAT(p, st) stat((p), (st))
#else
#include <unistd.h>
#define MKDIR(p) mkdir((p), 0700)
#define RMDIR(p) rmdir(p)
#define GETPID() getpid()
#define SEP "/"
#define LSTAT(p, st) lstat((p), (st)) /* a link to a folder is removed, not entered */
#endif

void fake_t_mkdir(const char *path)
{
    if (MKDIR(path) != 0 && errno != EEXIST)
        fail_msg("mkdir %s: %s", path, strerror(errno));
}

void fake_t_rmdir(const char *path)
{
    if (RMDIR(path) != 0)
        fail_msg("rmdir %s: %s", path, strerror(errno));
}

static void make_temp_dir(char *out, size_t size)
{
    static unsigned counter;
    const char *base = getenv("TMPDIR");

#ifdef _WIN32
    if (!base || !*base)
        base = getenv("TEMP");
    if (!base || !*base)
        base = "C:\\windows\\temp";
#else
    if (!base || !*base)
        base = "/tmp";
#endif
    for (;;) {
        snprintf(out, size, "%s" SEP "bht-fake-%d-%u", base, (int)GETPID(), ++counter);
        if (MKDIR(out) == 0)
            return;
        if (errno != EEXIST)
            fail_msg("mkdir %s: %s", out, strerror(errno));
    }
}

/* Removes dir with its files and sub-folders (the tests make at most two levels). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1024];
    struct stat st;

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s" SEP "%s", dir, e->d_name);
        if (LSTAT(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            remove(path);
    }
    closedir(d);
    RMDIR(dir);
}

int fake_t_count_temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (!strncmp(e->d_name, ".BIT", 4) && len > 8 && !strcmp(e->d_name + len - 4, ".tmp"))
            n++;
    }
    closedir(d);
    return n;
}

void fake_t_assert_hr(bht_hr expected, bht_hr actual, const char *expr, const char *file,
                      int line)
{
    if (expected != actual) {
        const char *en = bht_hr_name(expected), *an = bht_hr_name(actual);
        fail_msg("%s:%d: %s: expected 0x%08lX (%s), got 0x%08lX (%s)", file, line, expr,
                 (unsigned long)(uint32_t)expected, en ? en : "?",
                 (unsigned long)(uint32_t)actual, an ? an : "?");
    }
}

void fake_t_assert_state(enum bht_job_state expected, enum bht_job_state actual,
                         const char *file, int line)
{
    if (expected != actual)
        fail_msg("%s:%d: expected state %s, got %s", file, line, bht_job_state_name(expected),
                 bht_job_state_name(actual));
}

void fake_t_path(const struct fake_t *t, char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s" SEP "%s", t->dir, name);
}

void fake_t_restricted_path(const struct fake_t *t, char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s" SEP "%s", t->restricted, name);
}

void fake_t_world(struct fake_t *t, const char *extra)
{
    char err[512];
    size_t n = strlen(FAKE_T_STANDARD_WORLD) + strlen(t->restricted) + 64 +
               (extra ? strlen(extra) : 0);
    char *text = malloc(n);
    bht_hr hr;

    assert_non_null(text);
    if (t->job) {
        t->b->release(t->w, t->job);
        t->job = NULL;
    }
    bht_fake_world_free(t->w);
    t->w = bht_fake_world_new();
    assert_non_null(t->w);
    bht_fake_world_set_id_tag(t->w, BHT_FAKE_FIXED_ID_TAG); /* the same ids in every run */
    snprintf(text, n, "%sfolder %s writable-by=CORP\\alice\n%s%s", FAKE_T_STANDARD_WORLD,
             t->restricted, extra && strstr(extra, "option owner=") ? "" : "option owner=CORP\\bob\n",
             extra ? extra : "");
    hr = bht_fake_world_parse(t->w, text, "fixture", err, sizeof err);
    free(text);
    if (hr != S_OK)
        fail_msg("fixture world: %s", err);
}

int fake_t_setup(void **state)
{
    struct fake_t *t = calloc(1, sizeof(*t));

    assert_non_null(t);
    make_temp_dir(t->dir, sizeof t->dir);
    fake_t_path(t, t->restricted, sizeof t->restricted, "restricted");
    fake_t_mkdir(t->restricted);
    t->b = &bht_fake_bits_ops;
    t->id = &bht_fake_identity_ops;
    fake_t_world(t, NULL);
    *state = t;
    return 0;
}

int fake_t_setup_job(void **state)
{
    struct fake_t *t;

    fake_t_setup(state);
    t = *state;
    t->job = fake_t_new_job(t);
    return 0;
}

int fake_t_teardown(void **state)
{
    struct fake_t *t = *state;

    if (t->job)
        t->b->release(t->w, t->job);
    bht_fake_world_free(t->w);
    remove_tree(t->dir);
    free(t);
    return 0;
}

struct bht_job *fake_t_new_job(struct fake_t *t)
{
    struct bht_job *job = NULL;

    assert_hr(S_OK, t->b->create_job(t->w, "bitsht:test", &job));
    assert_non_null(job);
    return job;
}

enum bht_job_state fake_t_state(struct fake_t *t, struct bht_job *job)
{
    enum bht_job_state st = (enum bht_job_state)0x7777;

    assert_hr(S_OK, t->b->get_state(t->w, job, &st));
    return st;
}

void fake_t_add(struct fake_t *t, const char *remote, const char *name, char *out_local)
{
    fake_t_path(t, out_local, 600, name);
    assert_hr(S_OK, t->b->add_file(t->w, t->job, remote, out_local));
}

enum bht_job_state fake_t_run(struct fake_t *t, struct bht_job *job)
{
    enum bht_job_state st = BHT_JOB_QUEUED;
    int i;

    for (i = 0; i < 1000; i++) {
        bht_hr hr = t->b->wait(t->w, job, 3600u * 1000u, &st);
        if (hr != S_OK && hr != S_FALSE)
            fail_msg("wait failed: 0x%08lX", (unsigned long)(uint32_t)hr);
        if (st == BHT_JOB_TRANSFERRED || st == BHT_JOB_ERROR || st == BHT_JOB_ACKNOWLEDGED ||
            st == BHT_JOB_CANCELLED)
            return st;
    }
    fail_msg("job never reached a state to act on (last %s)", bht_job_state_name(st));
    return st;
}

void fake_t_expect_error(struct fake_t *t, enum bht_error_context ctx, bht_hr code)
{
    struct bht_job_error e;

    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_int_equal(e.context, ctx);
    assert_hr(code, e.code);
}

void fake_t_expect_file_error(struct fake_t *t, enum bht_error_context ctx, bht_hr code,
                              const char *remote)
{
    struct bht_job_error e;

    memset(&e, 0x55, sizeof e);
    assert_hr(S_OK, t->b->get_error(t->w, t->job, &e));
    assert_int_equal(e.context, ctx);
    assert_hr(code, e.code);
    assert_string_equal(e.remote_name, remote);
    assert_true(e.description[0] != '\0'); /* C68 */
    assert_true(e.context_description[0] != '\0');
}

void fake_t_set_alice_helper(struct fake_t *t, struct bht_job *job, uint32_t flags)
{
    fake_t_set_alice_helper_as(t, job, flags, BHT_LOGON_INTERACTIVE);
}

void fake_t_set_alice_helper_as(struct fake_t *t, struct bht_job *job, uint32_t flags,
                                enum bht_logon_type type)
{
    struct bht_token *tok = NULL;

    assert_hr(S_OK, t->b->get_token_options(t->w, job));
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", type, &tok));
    assert_hr(S_OK, t->id->impersonate(t->w, tok));
    assert_hr(S_OK, t->b->set_helper_token(t->w, job));
    assert_hr(S_OK, t->b->set_helper_token_flags(t->w, job, flags));
    assert_hr(S_OK, t->id->revert(t->w));
    assert_hr(S_OK, t->id->close(t->w, tok));
}

long long fake_t_file_size(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return -1;
    return (long long)st.st_size;
}

int fake_t_file_is_pattern(const char *path, uint64_t size)
{
    FILE *fp = fopen(path, "rb");
    uint64_t i = 0;
    int c;

    if (!fp)
        return 0;
    /* README: byte i of a size= resource is i mod 251 */
    while ((c = fgetc(fp)) != EOF) {
        if (i >= size || (unsigned)c != (unsigned)(i % 251u)) {
            fclose(fp);
            return 0;
        }
        i++;
    }
    fclose(fp);
    return i == size;
}

void fake_t_write_file(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

int fake_t_open_fds(void)
{
#ifdef __linux__
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1; /* opendir's own */
#else
    return -1;
#endif
}

char *fake_t_read_file(const char *path, size_t *out_n)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    assert_true(n >= 0);
    assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    buf[n] = '\0';
    *out_n = (size_t)n;
    return buf;
}

int fake_t_log_has(const struct fake_t *t, const char *prefix)
{
    size_t i, n = strlen(prefix);

    for (i = 0; i < bht_fake_log_size(t->w); i++)
        if (!strncmp(bht_fake_log_entry(t->w, i), prefix, n))
            return 1;
    return 0;
}
