/* bitsht conformance: the per-check fixture (a fresh job in a fresh folder) and the helpers
 * checks share. Portable C plus <dirent.h>/<sys/stat.h>, which MinGW's CRT has too: the
 * same file runs natively, as .exe under Wine and on Windows. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#ifdef _WIN32
#include <direct.h>
#include <process.h>
#define conf_mkdir(p) _mkdir(p)
#define conf_getpid() _getpid()
#define SEP '\\'
#else
#include <unistd.h>
#define conf_mkdir(p) mkdir((p), 0700)
#define conf_getpid() getpid()
#define SEP '/'
#endif

#include "conformance.h"
#include "trace.h"

static char group_dir[CONF_PATH_SIZE - 64]; /* room for the check folder names below it */
static unsigned check_serial;
static struct conf_trace *trace;

static int remove_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char child[CONF_PATH_SIZE];
    struct stat st;

    if (!d)
        return remove(path);
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(child, sizeof(child), "%s%c%s", path, SEP, e->d_name);
        if (stat(child, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(child);
        else
            remove(child);
    }
    closedir(d);
    return rmdir(path);
}

int conf_group_setup(void **state)
{
    const char *base = getenv("BHT_CONFORMANCE_TMP");
    const char *trace_path = getenv("BHT_CONFORMANCE_TRACE");
    unsigned n;

    (void)state;
    if (!base || !*base)
        base = getenv("TMPDIR");
    if (!base || !*base)
        base = getenv("TEMP");
    if (!base || !*base)
        base = "/tmp";
    for (n = 0; n < 100; n++) {
        snprintf(group_dir, sizeof(group_dir), "%s%cbht-conformance-%d-%u", base, SEP,
                 (int)conf_getpid(), n);
        if (conf_mkdir(group_dir) == 0)
            break;
        if (errno != EEXIST) {
            fprintf(stderr, "conformance: cannot create %s: %s\n", group_dir, strerror(errno));
            return -1;
        }
    }
    if (trace_path && *trace_path) {
        trace = conf_trace_open(trace_path);
        if (!trace) {
            fprintf(stderr, "conformance: cannot write the trace %s\n", trace_path);
            return -1;
        }
    }
    return conf_backend_group_setup();
}

int conf_group_teardown(void **state)
{
    int rc = conf_backend_group_teardown();

    (void)state;
    if (trace)
        conf_trace_close(trace);
    trace = NULL;
    remove_tree(group_dir);
    return rc;
}

int conf_check_setup(void **state)
{
    const struct conf_check *check = *state;
    struct bht_under_test *t = calloc(1, sizeof(*t));
    char name[160];
    bht_hr hr;

    if (!t)
        return -1;
    t->check = check;
    snprintf(t->dir, sizeof(t->dir), "%s%cc%03u", group_dir, SEP, ++check_serial);
    if (conf_mkdir(t->dir) != 0 || conf_backend_check_setup(t) != 0) {
        fprintf(stderr, "conformance: setup of %s failed\n", check->name);
        free(t);
        return -1;
    }
    if (trace) {
        conf_trace_begin_check(trace, check->name, t->dir, t->http, t->bits, t->ctx,
                               t->identity, t->identity_ctx, t->helper_password);
        t->trace = trace;
        t->bits = &conf_trace_bits_ops;
        t->ctx = trace;
        t->identity = &conf_trace_identity_ops;
        t->identity_ctx = trace;
    }
    /* The display name marks the job as the suite's, so a leftover is recognisable. */
    snprintf(name, sizeof(name), "bht-conformance:%s", check->name);
    hr = t->bits->create_job(t->ctx, name, &t->job);
    if (hr != S_OK) {
        char buf[64];
        fprintf(stderr, "conformance: create_job for %s gave %s\n", check->name,
                bht_hr_format(hr, buf, sizeof(buf)));
        conf_backend_check_teardown(t);
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

/* Cancel (whatever the state: a final job just answers BG_E_INVALID_STATE) and release:
 * no job of the suite is left behind. A job still moving bytes is first let finish:
 * measured on Wine 8, cancelling an HTTP job in flight and releasing it can crash the BITS
 * service seconds later (RPC_S_CALL_FAILED for every later call), which would fail every
 * check after it. Only cancel_inflight_job_stops_it cancels in flight, and it runs last. */
static void end_job(struct bht_under_test *t, struct bht_job *job)
{
    enum bht_job_state st = BHT_JOB_CANCELLED;

    if (!job)
        return;
    if (t->bits->get_state(t->ctx, job, &st) == S_OK &&
        (st == BHT_JOB_QUEUED || st == BHT_JOB_CONNECTING || st == BHT_JOB_TRANSFERRING)) {
        uint64_t start = t->bits->clock_ms(t->ctx);

        conf_backend_hurry(1); /* a /slow body took 8 s; the COM fake's 2 s */
        while ((st == BHT_JOB_QUEUED || st == BHT_JOB_CONNECTING ||
                st == BHT_JOB_TRANSFERRING) &&
               t->bits->clock_ms(t->ctx) - start < CONF_SETTLE_MS &&
               (t->bits->wait(t->ctx, job, CONF_SETTLE_MS, &st) & 0x80000000u) == 0)
            ;
        conf_backend_hurry(0); /* the next check's slow job must stay in flight */
    }
    (void)t->bits->cancel(t->ctx, job);
    t->bits->release(t->ctx, job);
}

int conf_check_teardown(void **state)
{
    struct bht_under_test *t = *state;
    int rc = 0;
    size_t i;

    end_job(t, t->job);
    for (i = 0; i < t->n_extra; i++)
        end_job(t, t->extra[i]);
    /* A listed divergence the check never reached is as stale as one that passed. */
    if (!t->divergence_seen && conf_find_divergence(t->check->name, t->backend_id)) {
        printf("BHT-CONFORMANCE STALE %s %s | %s | the annotated check was never reached\n",
               t->check->name, t->backend_id, conf_divergence_reason(t->check->name, t->backend_id));
        fflush(stdout);
        rc = -1;
    }
    if (t->trace)
        conf_trace_end_check(t->trace);
    conf_backend_check_teardown(t);
    remove_tree(t->dir);
    free(t);
    return rc;
}

void conf_strcpy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (!size)
        return;
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

char *conf_path(const struct bht_under_test *t, const char *name, char *out)
{
    size_t n = strlen(t->dir);

    conf_strcpy(out, CONF_PATH_SIZE, t->dir);
    if (n + 1 < CONF_PATH_SIZE) {
        out[n] = SEP;
        conf_strcpy(out + n + 1, CONF_PATH_SIZE - n - 1, name);
    }
    return out;
}

void conf_require_http(struct bht_under_test *t)
{
    if (!t->http[0])
        conf_skip(t, "no HTTP test server (set BHT_CONFORMANCE_HTTP, as run_conformance.py does)");
}

void conf_require_helper_account(struct bht_under_test *t)
{
    if (!t->helper_user[0])
        conf_skip(t, "no helper account (set BHT_CONFORMANCE_HELPER_USER and "
                     "BHT_CONFORMANCE_HELPER_PASSWORD)");
}

char *conf_url(struct bht_under_test *t, const char *rest, char *out)
{
    conf_require_http(t);
    snprintf(out, CONF_URL_SIZE, "%s%s", t->http, rest);
    return out;
}

static unsigned char pattern_byte(size_t i)
{
    return (unsigned char)((i * 7u + 3u) & 0xFFu);
}

int conf_write_pattern(const char *path, size_t size)
{
    FILE *f = fopen(path, "wb");
    size_t i;

    if (!f)
        return -1;
    for (i = 0; i < size; i++)
        fputc(pattern_byte(i), f);
    return fclose(f) == 0 ? 0 : -1;
}

int conf_make_dir(const char *path)
{
    return conf_mkdir(path);
}

void conf_remove_tree(const char *path)
{
    (void)remove_tree(path);
}

char conf_sep(void)
{
    return SEP;
}

void conf_make_file(struct bht_under_test *t, const char *path, size_t size)
{
    if (conf_write_pattern(path, size) != 0)
        fail_msg("cannot write fixture %s: %s", path, strerror(errno));
    if (t->trace)
        conf_trace_fs(t->trace, "make_file", path, (long long)size);
}

void conf_write_text(struct bht_under_test *t, const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        fail_msg("cannot write fixture %s", path);
    if (t->trace)
        conf_trace_fs(t->trace, "make_file", path, (long long)strlen(text));
}

int conf_file_exists(struct bht_under_test *t, const char *path)
{
    struct stat st;
    int exists = stat(path, &st) == 0;

    if (t->trace)
        conf_trace_fs(t->trace, "exists", path, exists);
    return exists;
}

long long conf_file_size(struct bht_under_test *t, const char *path)
{
    struct stat st;
    long long size = -1;

    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        size = (long long)st.st_size;
    if (t->trace)
        conf_trace_fs(t->trace, "size", path, size);
    return size;
}

int conf_file_has_pattern(const char *path, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t i;
    int c, ok = 1;

    if (!f)
        return 0;
    for (i = 0; i < size && ok; i++)
        ok = (c = fgetc(f)) != EOF && (unsigned char)c == pattern_byte(i);
    if (ok && fgetc(f) != EOF)
        ok = 0;
    fclose(f);
    return ok;
}

static int is_act_now(enum bht_job_state s)
{
    return s == BHT_JOB_TRANSFERRED || s == BHT_JOB_ERROR || s == BHT_JOB_ACKNOWLEDGED ||
           s == BHT_JOB_CANCELLED;
}

#define CONF_SETTLE_SLICE_MS 250u

enum bht_job_state conf_settle(struct bht_under_test *t, struct bht_job *job,
                               uint32_t timeout_ms, unsigned stop_mask)
{
    uint64_t start = t->bits->clock_ms(t->ctx), now = start;
    enum bht_job_state st = conf_state(t, job);

    while (!is_act_now(st) && !(stop_mask & (1u << st)) && now - start < timeout_ms) {
        /* short slices: wait returns on a change from the state *it* reads first, so a
         * change between conf_state above and that read (a real BITS moves on its own)
         * would otherwise be waited past; a slice that times out reports the state it saw */
        uint32_t left = (uint32_t)(timeout_ms - (now - start));
        bht_hr hr = t->bits->wait(t->ctx, job, left < CONF_SETTLE_SLICE_MS ? left
                                                                             : CONF_SETTLE_SLICE_MS,
                                  &st);
        if (hr != S_OK && hr != S_FALSE) {
            char buf[64];
            fail_msg("wait gave %s", bht_hr_format(hr, buf, sizeof(buf)));
        }
        now = t->bits->clock_ms(t->ctx);
    }
    return st;
}

struct bht_job *conf_new_job(struct bht_under_test *t, const char *suffix)
{
    char name[200];
    struct bht_job *job = NULL;

    if (t->n_extra >= CONF_MAX_EXTRA_JOBS)
        fail_msg("a check made more than %d extra jobs", CONF_MAX_EXTRA_JOBS);
    snprintf(name, sizeof(name), "bht-conformance:%s:%s", t->check->name, suffix);
    CHECK_HR(t, S_OK, t->bits->create_job(t->ctx, name, &job));
    t->extra[t->n_extra++] = job;
    return job;
}

void conf_add(struct bht_under_test *t, struct bht_job *job, const char *remote,
              const char *local_name)
{
    char local[CONF_PATH_SIZE];

    CHECK_HR(t, S_OK, t->bits->add_file(t->ctx, job, remote, conf_path(t, local_name, local)));
}

void conf_transfer_local(struct bht_under_test *t, struct bht_job *job, const char *name,
                         size_t size)
{
    char src[CONF_PATH_SIZE], srcname[200];

    snprintf(srcname, sizeof(srcname), "%s.src", name);
    conf_make_file(t, conf_path(t, srcname, src), size);
    conf_add(t, job, src, name);
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, job));
    CHECK_STATE(t, BHT_JOB_TRANSFERRED, conf_settle(t, job, CONF_SETTLE_MS, 0));
}
