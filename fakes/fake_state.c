/* bitsht fake: the persisted queue, so fake jobs outlive one process as BITS jobs do.
 *
 * Plain text, a versioned header, one record per line, a closing "end <jobs>" line that
 * proves the file is whole (format in fakes/README.md). Loading checks every field and
 * bound and builds the whole queue aside before touching the world; saving writes a
 * temporary file and renames it over the old one. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

#define STATE_HEADER "bitsht-fake-state 1"
#define MAX_FILES_IN_STATE 100000u
#define MAX_FIELDS 24

/* ---- writing ---- */

/* "=" then the bytes, with %, blanks, controls and DEL as %XX; NULL is "-". */
static void put_str(FILE *fp, const char *s)
{
    if (!s) {
        fputs(" -", fp);
        return;
    }
    fputs(" =", fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c == 0x7F || c == '%')
            fprintf(fp, "%%%02X", c);
        else
            fputc(c, fp);
    }
}

static void put_u64_or_dash(FILE *fp, uint64_t v, uint64_t none)
{
    if (v == none)
        fputs(" -", fp);
    else
        fprintf(fp, " %llu", (unsigned long long)v);
}

static void put_user(FILE *fp, const struct fake_user *u)
{
    char q[FAKE_QUALIFIED_MAX];

    if (!u) {
        fputs(" -", fp);
        return;
    }
    snprintf(q, sizeof(q), "%s\\%s", u->domain, u->name);
    put_str(fp, q);
}

static void write_job(FILE *fp, const struct fake_job *j)
{
    size_t i;

    fprintf(fp, "job %s %d", j->id, (int)j->state);
    put_user(fp, j->owner);
    fprintf(fp, " %d %u %d %u", (int)j->priority, (unsigned)j->notify_flags,
            j->credentials, (unsigned)j->token_flags);
    put_user(fp, j->has_helper ? j->helper.local : NULL);
    put_user(fp, j->has_helper ? j->helper.network : NULL);
    fprintf(fp, " %llu", (unsigned long long)j->created_ms);
    put_u64_or_dash(fp, j->next_ms, FAKE_NO_EVENT);
    put_u64_or_dash(fp, j->no_progress_since_ms, FAKE_NO_EVENT);
    fprintf(fp, " %lu %d %d %d 0x%08lX %d %lu", (unsigned long)j->current, j->new_files,
            j->error.present, (int)j->error.context, (unsigned long)(uint32_t)j->error.code,
            j->error.file, (unsigned long)j->n_files);
    put_str(fp, j->display_name);
    fputc('\n', fp);
    for (i = 0; i < j->n_files; i++) {
        const struct fake_file *f = &j->files[i];
        fprintf(fp, "file %d %d %d", f->done, f->renamed, f->opened);
        put_u64_or_dash(fp, f->bytes_total, BHT_SIZE_UNKNOWN);
        fprintf(fp, " %llu", (unsigned long long)f->bytes_done);
        put_str(fp, f->remote);
        put_str(fp, f->local);
        put_str(fp, f->temp);
        fputc('\n', fp);
    }
}

/* PATH + suffix, newly allocated (NULL when out of memory). */
static char *path_with_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path) + strlen(suffix) + 1;
    char *out = malloc(n);

    if (out)
        snprintf(out, n, "%s%s", path, suffix);
    return out;
}

bht_hr bht_fake_state_save(struct bht_fake_world *w, const char *path, char *err,
                           size_t err_size)
{
    const struct fake_job *j;
    unsigned jobs = 0;
    char *tmp;
    FILE *fp;
    bht_hr hr;
    int write_failed;

    if (err && err_size)
        err[0] = '\0';
    if (!w || !path)
        return E_INVALIDARG;
    tmp = path_with_suffix(path, ".tmp"); /* same directory: the rename stays on one volume */
    if (!tmp)
        return E_OUTOFMEMORY;
    /* Whatever is at PATH.tmp (a crashed save's file, a planted link) is unlinked, never
     * written through; the new file is created exclusively. Savers sharing PATH hold
     * its lock (bht_fake_state_lock), so no other bitsht is writing PATH.tmp now. */
    fake_fs_remove(tmp);
    hr = fake_fs_create_new(tmp, &fp);
    if (hr != S_OK) {
        if (err && err_size)
            snprintf(err, err_size, "%s: cannot write (%s)", tmp, bht_hr_message(hr));
        free(tmp);
        return hr;
    }
    fprintf(fp, "%s\nclock %llu\nnext-serial %lu\n", STATE_HEADER,
            (unsigned long long)w->now_ms, (unsigned long)w->next_serial);
    for (j = w->q_head; j; j = j->q_next) {
        if (fake_state_is_final(j->state))
            continue; /* final jobs have left the queue (C09, C11) */
        write_job(fp, j);
        jobs++;
    }
    fprintf(fp, "end %u\n", jobs);
    write_failed = ferror(fp);
    if (fclose(fp) != 0)
        write_failed = 1;
    if (write_failed) {
        remove(tmp);
        hr = E_FAIL;
        if (err && err_size)
            snprintf(err, err_size, "%s: write failed", tmp);
    } else if ((hr = fake_fs_replace_atomic(tmp, path)) != S_OK) {
        remove(tmp);
        if (err && err_size)
            snprintf(err, err_size, "%s: cannot replace the state file", path);
    }
    free(tmp);
    return hr;
}

/* ---- the lock that makes load-modify-save one step across processes ---- */

struct bht_fake_state_lock {
    int fd;
};

bht_hr bht_fake_state_lock(const char *path, int wait, struct bht_fake_state_lock **out,
                           char *err, size_t err_size)
{
    struct bht_fake_state_lock *lock;
    char *name;
    bht_hr hr;

    if (err && err_size)
        err[0] = '\0';
    if (!path || !out)
        return E_INVALIDARG;
    *out = NULL;
    name = path_with_suffix(path, ".lock"); /* beside PATH, which a save replaces */
    lock = malloc(sizeof *lock);
    if (!name || !lock) {
        free(name);
        free(lock);
        return E_OUTOFMEMORY;
    }
    hr = fake_fs_lock_open(name, &lock->fd);
    if (hr == S_OK) {
        hr = fake_fs_lock(lock->fd, wait);
        if (hr != S_OK)
            fake_fs_lock_close(lock->fd);
    }
    if (hr == S_OK) {
        *out = lock;
    } else {
        if (BHT_FAILED(hr) && err && err_size)
            snprintf(err, err_size, "%s: cannot lock the state file (%s)", name,
                     bht_hr_message(hr));
        free(lock);
    }
    free(name);
    return hr;
}

void bht_fake_state_unlock(struct bht_fake_state_lock *lock)
{
    if (!lock)
        return;
    fake_fs_lock_close(lock->fd);
    free(lock);
}

/* ---- reading ---- */

struct reader {
    struct bht_fake_world *w;
    const char *path;
    unsigned line;
    char *err;
    size_t err_size;
};

static bht_hr bad(struct reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static bht_hr bad(struct reader *r, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (r->err && r->err_size) {
        n = snprintf(r->err, r->err_size, "%s: line %u: ", r->path, r->line);
        if (n >= 0 && (size_t)n < r->err_size) {
            va_start(ap, fmt);
            vsnprintf(r->err + n, r->err_size - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return E_INVALIDARG;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes an escaped field; *out NULL for "-". Returns 0 when malformed. */
static int get_str(const char *field, char **out)
{
    size_t n = strlen(field), k = 0, i;
    char *s;

    *out = NULL;
    if (!strcmp(field, "-"))
        return 1;
    if (field[0] != '=')
        return 0;
    s = malloc(n);
    if (!s)
        return 0;
    for (i = 1; i < n; i++) {
        if (field[i] == '%') {
            int hi = hexval(field[i + 1]);
            int lo = hi >= 0 ? hexval(field[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                free(s);
                return 0;
            }
            s[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            s[k++] = field[i];
        }
    }
    s[k] = '\0';
    *out = s;
    return 1;
}

static int get_num(const char *field, uint64_t max, uint64_t *out)
{
    return fake_parse_u64(field, max, out);
}

static int get_num_or_dash(const char *field, uint64_t max, uint64_t none, uint64_t *out)
{
    if (!strcmp(field, "-")) {
        *out = none;
        return 1;
    }
    return fake_parse_u64(field, max, out);
}

static int get_flag(const char *field, int *out)
{
    if (strcmp(field, "0") && strcmp(field, "1"))
        return 0;
    *out = field[0] == '1';
    return 1;
}

static bht_hr get_user(struct reader *r, const char *field, struct fake_user **out,
                       int allow_none)
{
    char *q;

    *out = NULL;
    if (!get_str(field, &q))
        return bad(r, "malformed user field");
    if (!q)
        return allow_none ? S_OK : bad(r, "a user is required");
    *out = fake_find_user(r->w, q);
    if (!*out) {
        bad(r, "unknown user '%s' (not declared in this world)", q);
        free(q);
        return E_INVALIDARG;
    }
    free(q);
    return S_OK;
}

static int split_fields(char *line, char **f, int max)
{
    int n = 0;
    char *s = line;

    for (;;) { /* an empty line is one empty field: no record has that count */
        if (n == max)
            return -1; /* more fields than any record has */
        f[n++] = s;
        s = strchr(s, ' ');
        if (!s)
            return n;
        *s++ = '\0';
    }
}

static bht_hr read_file_line(struct reader *r, char **f, int n, struct fake_file *out)
{
    uint64_t total, done;

    memset(out, 0, sizeof(*out));
    if (n != 9 || strcmp(f[0], "file") != 0)
        return bad(r, "expected a file record");
    if (!get_flag(f[1], &out->done) || !get_flag(f[2], &out->renamed) ||
        !get_flag(f[3], &out->opened))
        return bad(r, "bad file flags");
    if (!get_num_or_dash(f[4], BHT_SIZE_UNKNOWN - 1, BHT_SIZE_UNKNOWN, &total) ||
        !get_num(f[5], BHT_SIZE_UNKNOWN - 1, &done))
        return bad(r, "bad byte counts");
    if ((total == BHT_SIZE_UNKNOWN && (done || out->done)) ||
        (total != BHT_SIZE_UNKNOWN && done > total) || (out->done && done != total) ||
        (out->renamed && !out->done))
        return bad(r, "inconsistent byte counts");
    out->bytes_total = total;
    out->bytes_done = done;
    if (!get_str(f[6], &out->remote) || !out->remote || !out->remote[0] ||
        !get_str(f[7], &out->local) || !out->local || !out->local[0] ||
        !get_str(f[8], &out->temp) || (out->temp && !out->temp[0])) {
        free(out->remote); /* the record is dropped: n_files does not count it */
        free(out->local);
        free(out->temp);
        return bad(r, "bad file names");
    }
    return S_OK;
}

/* Cancel and Complete delete and rename the temporary, so a state file may name only
 * the one the fake itself would make for this job and file, beside a full local path. */
static bht_hr check_file_names(struct reader *r, const struct fake_job *j, size_t index)
{
    const struct fake_file *f = &j->files[index];
    char *expected;
    int same;

    if (!fake_path_is_absolute(f->local))
        return bad(r, "the local name is not a full path");
    if (!f->temp)
        return S_OK;
    expected = fake_temp_name(j, index);
    if (!expected)
        return bad(r, "out of memory");
    same = strcmp(expected, f->temp) == 0;
    free(expected);
    return same ? S_OK : bad(r, "a temporary name the fake never makes");
}

struct loaded {
    struct fake_job **v;
    size_t n, cap;
    struct fake_index by_serial; /* duplicate ids found in O(1) (issue 13 item 17) */
    uint64_t clock;
    uint64_t next_serial;
};

static bht_hr read_job_line(struct reader *r, char **f, int n, const struct loaded *ld,
                            struct fake_job **out, uint64_t *nfiles)
{
    uint64_t v[12];
    uint32_t serial, code;
    struct fake_job *j;
    struct fake_user *owner, *hl, *hn;
    int present, newf;
    uint64_t creds;
    long efile;
    char *end;
    bht_hr hr;

    *out = NULL;
    if (n != 21 || strcmp(f[0], "job") != 0)
        return bad(r, "expected a job record or 'end'");
    if (!fake_job_parse_id(f[1], &serial) || serial >= ld->next_serial)
        return bad(r, "bad job id");
    {
        size_t cursor = 0;
        const struct fake_job *seen;
        while ((seen = fake_index_next(&ld->by_serial, fake_serial_hash(serial), &cursor)) != NULL)
            if (seen->serial == serial)
                return bad(r, "duplicate job %s", f[1]);
    }
    if (!get_num(f[2], BHT_JOB_TRANSFERRED, &v[0]))
        return bad(r, "bad state");
    if ((hr = get_user(r, f[3], &owner, 0)) != S_OK)
        return hr;
    if (!get_num(f[4], BHT_PRIORITY_LOW, &v[1]) || !get_num(f[5], 0x3F, &v[2]) ||
        !get_num(f[6], FAKE_CRED_ALL, &creds) || !get_num(f[7], BHT_TOKEN_VALID_MASK, &v[3]))
        return bad(r, "bad job properties");
    if ((hr = get_user(r, f[8], &hl, 1)) != S_OK || (hr = get_user(r, f[9], &hn, 1)) != S_OK)
        return hr;
    if (!hl && hn)
        return bad(r, "network helper without a helper token");
    if (!get_num(f[10], ld->clock, &v[4]) ||
        !get_num_or_dash(f[11], UINT64_MAX - 1, FAKE_NO_EVENT, &v[5]) ||
        !get_num_or_dash(f[12], ld->clock, FAKE_NO_EVENT, &v[6]))
        return bad(r, "bad times");
    if (v[5] < ld->clock) /* FAKE_NO_EVENT (none) is above any clock */
        return bad(r, "a step scheduled in the past");
    if (!get_num(f[13], MAX_FILES_IN_STATE, &v[7]) || !get_flag(f[14], &newf) ||
        !get_flag(f[15], &present) || !get_num(f[16], BHT_ERRCTX_REMOTE_APPLICATION, &v[8]))
        return bad(r, "bad job progress fields");
    if (strncmp(f[17], "0x", 2) != 0 || strlen(f[17]) != 10 ||
        (code = (uint32_t)strtoul(f[17] + 2, &end, 16), *end != '\0'))
        return bad(r, "bad error code");
    efile = strtol(f[18], &end, 10);
    if (*end || end == f[18] || efile < -1 || efile >= (long)MAX_FILES_IN_STATE)
        return bad(r, "bad error file index");
    if (!get_num(f[19], MAX_FILES_IN_STATE, nfiles) || v[7] > *nfiles ||
        (efile >= 0 && (uint64_t)efile >= *nfiles))
        return bad(r, "bad file count");
    /* The engine steps CONNECTING/TRANSFERRING jobs on files[current]. */
    if ((v[0] == BHT_JOB_CONNECTING || v[0] == BHT_JOB_TRANSFERRING) && v[7] >= *nfiles)
        return bad(r, "a transferring job needs a current file");
    if (v[0] == BHT_JOB_TRANSIENT_ERROR && v[6] == FAKE_NO_EVENT)
        return bad(r, "a transient error needs its no-progress start");
    j = fake_job_alloc(r->w, serial);
    if (!j)
        return bad(r, "out of memory");
    memcpy(j->id, f[1], BHT_JOB_ID_SIZE); /* made by whichever process created the job */
    if (!get_str(f[20], &j->display_name) || !j->display_name) {
        fake_job_free(j);
        return bad(r, "bad display name");
    }
    j->state = (enum bht_job_state)v[0];
    j->owner = owner;
    j->priority = (enum bht_priority)v[1];
    j->notify_flags = (uint32_t)v[2];
    j->credentials = (unsigned)creds;
    j->token_flags = (uint32_t)v[3];
    j->has_helper = hl != NULL;
    j->helper.local = hl;
    j->helper.network = hn;
    j->created_ms = v[4];
    j->next_ms = v[5];
    j->no_progress_since_ms = v[6];
    j->current = (size_t)v[7];
    j->new_files = newf;
    j->error.present = present;
    j->error.context = (enum bht_error_context)v[8];
    j->error.code = (bht_hr)code;
    j->error.file = (int)efile;
    *out = j; /* files grow as their records arrive: a count alone allocates nothing */
    return S_OK;
}

static bht_hr parse_state(struct reader *r, char *text, struct loaded *ld)
{
    char *s = text, *f[MAX_FIELDS];
    uint64_t nfiles = 0, end_count;
    struct fake_job *cur = NULL;
    int n, ended = 0;
    bht_hr hr;

    while (*s) {
        char *nl = strchr(s, '\n');
        if (!nl) {
            r->line++;
            return bad(r, "truncated (no newline at the end)");
        }
        *nl = '\0';
        r->line++;
        if (ended)
            return bad(r, "data after 'end'");
        n = split_fields(s, f, MAX_FIELDS);
        s = nl + 1;
        if (r->line == 1) {
            if (n != 2 || strcmp(f[0], "bitsht-fake-state") != 0)
                return bad(r, "not a bitsht fake state file");
            if (strcmp(f[1], "1") != 0)
                return bad(r, "unsupported version %s (this build reads 1)", f[1]);
            continue;
        }
        if (r->line == 2) {
            if (n != 2 || strcmp(f[0], "clock") || !get_num(f[1], UINT64_MAX / 2, &ld->clock))
                return bad(r, "expected 'clock <ms>'");
            continue;
        }
        if (r->line == 3) {
            if (n != 2 || strcmp(f[0], "next-serial") ||
                !get_num(f[1], 0xFFFFFFFFu, &ld->next_serial) || ld->next_serial == 0)
                return bad(r, "expected 'next-serial <n>'");
            continue;
        }
        if (cur && cur->n_files < nfiles) {
            if (cur->n_files == cur->cap_files) {
                size_t cap = cur->cap_files ? 2 * cur->cap_files : 4;
                struct fake_file *v = realloc(cur->files, cap * sizeof(*v));
                if (!v)
                    return bad(r, "out of memory");
                cur->files = v;
                cur->cap_files = cap;
            }
            if ((hr = read_file_line(r, f, n, &cur->files[cur->n_files])) != S_OK)
                return hr;
            cur->n_files++;
            if ((hr = check_file_names(r, cur, cur->n_files - 1)) != S_OK)
                return hr;
            continue;
        }
        if (n == 2 && !strcmp(f[0], "end")) {
            if (!get_num(f[1], UINT32_MAX, &end_count) || end_count != ld->n)
                return bad(r, "'end' count does not match the jobs read");
            ended = 1;
            continue;
        }
        if (ld->n == ld->cap) {
            size_t cap = ld->cap ? 2 * ld->cap : 16;
            struct fake_job **v = realloc(ld->v, cap * sizeof(*v));
            if (!v)
                return bad(r, "out of memory");
            ld->v = v;
            ld->cap = cap;
        }
        if (!fake_index_reserve(&ld->by_serial, 1))
            return bad(r, "out of memory");
        if ((hr = read_job_line(r, f, n, ld, &cur, &nfiles)) != S_OK)
            return hr;
        ld->v[ld->n++] = cur;
        fake_index_put(&ld->by_serial, fake_serial_hash(cur->serial), cur); /* reserved */
    }
    if (!ended) { /* "end" is read on line 4 at the earliest */
        r->line++;
        return bad(r, "truncated (no 'end' line)");
    }
    return S_OK;
}

/* Cannot fail: the queue's index (index, reserved for every loaded job) is made before the
 * old queue goes, so no job can be left out of the new one. */
static void install(struct bht_fake_world *w, struct loaded *ld, struct fake_index *index)
{
    size_t i;

    fake_jobs_free_all(w);
    w->job_index = *index; /* empty, with room for ld->n; the caller drops its copy */
    for (i = 0; i < w->users.n; i++)
        w->users.v[i]->live_jobs = 0;
    memset(w->in_state, 0, sizeof(w->in_state));
    w->jobs_created = 0;
    w->now_ms = ld->clock;
    w->next_serial = (uint32_t)ld->next_serial;
    for (i = 0; i < ld->n; i++) {
        struct fake_job *j = ld->v[i];
        uint64_t at = j->next_ms;
        j->next_ms = FAKE_NO_EVENT;
        fake_queue_insert(w, j);
        if (at != FAKE_NO_EVENT)
            fake_job_schedule(w, j, at);
    }
    free(ld->v);
    ld->v = NULL;
    ld->n = 0;
}

bht_hr fake_state_parse_text(struct bht_fake_world *w, char *text, size_t n, const char *name,
                             char *err, size_t err_size)
{
    struct reader r;
    struct loaded ld;
    struct fake_index index = {NULL, 0, 0};
    struct fake_job *j;
    size_t i;
    bht_hr hr;

    memset(&r, 0, sizeof(r));
    memset(&ld, 0, sizeof(ld));
    r.w = w;
    r.path = name;
    r.err = err;
    r.err_size = err_size;
    for (j = w->q_head; j; j = j->q_next)
        if (j->handles) /* replacing the queue would leave those handles dangling */
            return bad(&r, "the world has open job handles; load the state first");
    if (memchr(text, '\0', n))
        hr = bad(&r, "contains a NUL byte");
    else
        hr = parse_state(&r, text, &ld);
    if (hr == S_OK && !fake_index_reserve(&index, ld.n))
        hr = bad(&r, "out of memory");
    if (hr == S_OK) {
        install(w, &ld, &index);
    } else {
        for (i = 0; i < ld.n; i++)
            fake_job_free(ld.v[i]);
        free(ld.v);
    }
    fake_index_free(&ld.by_serial); /* index: moved into the world, or never grown */
    return hr;
}

bht_hr bht_fake_state_load(struct bht_fake_world *w, const char *path, char *err,
                           size_t err_size)
{
    FILE *fp;
    char *text = NULL;
    size_t n = 0;
    bht_hr hr;

    if (err && err_size)
        err[0] = '\0';
    if (!w || !path)
        return E_INVALIDARG;
    fp = fopen(path, "rb");
    if (!fp) {
        if (errno == ENOENT)
            return S_OK; /* no file yet: no jobs */
        if (err && err_size)
            snprintf(err, err_size, "%s: cannot read (%s)", path, strerror(errno));
        return fake_fs_hr_from_errno(errno);
    }
    hr = fake_fs_read_all(fp, path, &text, &n, err, err_size);
    fclose(fp);
    if (hr != S_OK)
        return hr;
    hr = fake_state_parse_text(w, text, n, path, err, err_size);
    free(text);
    return hr;
}
