/* bitsht conformance: trace replay against the fake (trace.h): a Wine trace against the
 * wine8 profile, a Windows trace (from the Windows job of CI, ci/import-windows-trace)
 * against the windows profile.
 *
 * Each recorded check is replayed in a fresh fake world holding the suite's resources, in
 * a folder of its own. Compared: every HRESULT (except wait's, which depends on timing, and
 * close's, which proves nothing on Wine), every state (QUEUED, CONNECTING and TRANSFERRING
 * count as one "in flight" class: a real service moves through them at its own pace), flags,
 * error context/code/file, enumeration, files seen on disk, and byte counts when the job
 * was not in flight. A run of waits is replayed as one: wait until the recorded final
 * state (or an act-now state). The first mismatch of a check ends that check's replay.
 * Checks listed in bht_replay_divergences may mismatch (known); if they replay clean the
 * entry is stale, which counts as a failure like an unlisted mismatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checks.h"
#include "divergences.h"
#include "bitsht/fake_world.h"
#include "fake_world_setup.h"
#include "fixture_world.h"
#include "trace.h"

#define MAX_HANDLES 128
#define FAILED_HR(hr) ((hr) < 0)
#define VAL_SIZE 4096

struct rec {
    unsigned line;
    char check[160];
    char op[40];
    long long job, n1, len, num_out, state, bt, bx, ft, fx, ctx;
    int has_state, has_num_out, has_progress, has_ctx, has_str_out;
    int a1_null, a2_null; /* the argument was NULL (JSON null) */
    char a1[VAL_SIZE], a2[VAL_SIZE], str_out[VAL_SIZE], code[16], remote[VAL_SIZE];
    bht_hr hr;
};

/* ---- reading the flat JSON objects trace.c writes ---- */

static const char *parse_string(const char *p, char *out, size_t size)
{
    size_t n = 0;

    if (*p++ != '"')
        return NULL;
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            c = *p++;
            if (c == 'u') {
                unsigned v = 0;
                int i;
                for (i = 0; i < 4 && *p; i++, p++)
                    v = v * 16u + (unsigned)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
                c = (char)v;
            } else if (!c) {
                return NULL;
            }
        }
        if (n + 1 < size)
            out[n++] = c;
    }
    out[n] = '\0';
    return *p == '"' ? p + 1 : NULL;
}

static int parse_line(const char *p, struct rec *r)
{
    char key[32], sval[VAL_SIZE];
    long long num;
    int is_num;

    memset(r, 0, sizeof(*r));
    if (*p++ != '{')
        return 0;
    while (*p && *p != '}') {
        if (!(p = parse_string(p, key, sizeof(key))) || *p++ != ':')
            return 0;
        is_num = 0;
        sval[0] = '\0';
        if (*p == '"') {
            if (!(p = parse_string(p, sval, sizeof(sval))))
                return 0;
        } else if (!strncmp(p, "null", 4)) {
            p += 4;
            if (!strcmp(key, "a1"))
                r->a1_null = 1;
            else if (!strcmp(key, "a2"))
                r->a2_null = 1;
        } else {
            char *end;
            num = strtoll(p, &end, 10);
            if (end == p)
                return 0;
            p = end;
            is_num = 1;
        }
        if (!strcmp(key, "check")) conf_strcpy(r->check, sizeof(r->check), sval);
        else if (!strcmp(key, "op")) conf_strcpy(r->op, sizeof(r->op), sval);
        else if (!strcmp(key, "a1")) conf_strcpy(r->a1, sizeof(r->a1), sval);
        else if (!strcmp(key, "a2")) conf_strcpy(r->a2, sizeof(r->a2), sval);
        else if (!strcmp(key, "code")) conf_strcpy(r->code, sizeof(r->code), sval);
        else if (!strcmp(key, "remote")) conf_strcpy(r->remote, sizeof(r->remote), sval);
        else if (!strcmp(key, "hr")) r->hr = (bht_hr)(uint32_t)strtoul(sval, NULL, 16);
        else if (!strcmp(key, "out")) {
            if (is_num) { r->num_out = num; r->has_num_out = 1; }
            else { conf_strcpy(r->str_out, sizeof(r->str_out), sval); r->has_str_out = 1; }
        }
        else if (is_num && !strcmp(key, "job")) r->job = num;
        else if (is_num && !strcmp(key, "n1")) r->n1 = num;
        else if (is_num && !strcmp(key, "len")) r->len = num;
        else if (is_num && !strcmp(key, "state")) { r->state = num; r->has_state = 1; }
        else if (is_num && !strcmp(key, "bt")) { r->bt = num; r->has_progress = 1; }
        else if (is_num && !strcmp(key, "bx")) r->bx = num;
        else if (is_num && !strcmp(key, "ft")) r->ft = num;
        else if (is_num && !strcmp(key, "fx")) r->fx = num;
        else if (is_num && !strcmp(key, "ctx")) { r->ctx = num; r->has_ctx = 1; }
        if (*p == ',')
            p++;
    }
    return *p == '}';
}

/* ---- one replay ---- */

struct replay {
    const char *path;
    enum bht_fake_profile profile;
    FILE *out;
    struct bht_fake_world *w;
    const struct bht_bits_ops *bits;
    const struct bht_identity_ops *identity;
    char dir[CONF_PATH_SIZE];
    struct bht_job *jobs[MAX_HANDLES + 1];
    struct bht_token *tokens[MAX_HANDLES + 1];
    long long last_state[MAX_HANDLES + 1]; /* recorded, -1 unknown */
    char rec_ids[MAX_HANDLES][BHT_JOB_ID_SIZE], our_ids[MAX_HANDLES][BHT_JOB_ID_SIZE];
    unsigned n_ids;
    unsigned ops;
    int failed;
};

static int in_flight(long long s)
{
    return s == BHT_JOB_QUEUED || s == BHT_JOB_CONNECTING || s == BHT_JOB_TRANSFERRING;
}

static int same_state(long long recorded, long long got)
{
    return recorded == got || (in_flight(recorded) && in_flight(got));
}

static int act_now(long long s)
{
    return s == BHT_JOB_TRANSFERRED || s == BHT_JOB_ERROR || s == BHT_JOB_ACKNOWLEDGED ||
           s == BHT_JOB_CANCELLED;
}

static void mismatch(struct replay *rp, const struct rec *r, const char *fmt, ...)
{
    va_list ap;

    fprintf(rp->out, "replay mismatch %s:%u (check %s, op %s): ", rp->path, r->line, r->check,
            r->op);
    va_start(ap, fmt);
    vfprintf(rp->out, fmt, ap);
    va_end(ap);
    fputc('\n', rp->out);
    rp->failed = 1;
}

static void compare_hr(struct replay *rp, const struct rec *r, bht_hr got)
{
    char e[64], g[64];

    if (r->hr != got)
        mismatch(rp, r, "expected %s, got %s", bht_hr_format(r->hr, e, sizeof(e)),
                 bht_hr_format(got, g, sizeof(g)));
}

/* ${DIR}\a.bin -> <our folder>/a.bin; ${HTTP}/x -> the fake's base URL. */
static char *expand(struct replay *rp, const char *in, char *out, size_t size)
{
    size_t i;

    if (!strncmp(in, "${DIR}", 6)) {
        snprintf(out, size, "%s%s", rp->dir, in + 6);
        for (i = strlen(rp->dir); out[i]; i++)
            if (out[i] == '\\' || out[i] == '/')
                out[i] = conf_sep();
    } else if (!strncmp(in, "${HTTP}", 7)) {
        snprintf(out, size, "%s%s", CONF_FAKE_HTTP_BASE, in + 7);
    } else {
        snprintf(out, size, "%s", in);
    }
    return out;
}

static struct bht_job *job_of(struct replay *rp, long long no)
{
    return no > 0 && no <= MAX_HANDLES ? rp->jobs[no] : NULL;
}

static const char *map_id(struct replay *rp, const char *recorded, int to_ours)
{
    unsigned i;

    for (i = 0; i < rp->n_ids; i++)
        if (!strcmp(to_ours ? rp->rec_ids[i] : rp->our_ids[i], recorded))
            return to_ours ? rp->our_ids[i] : rp->rec_ids[i];
    return recorded;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "guid:state ..." in sorted order, so lists from two enumerations compare as sets. */
static void sort_list(char *list)
{
    char *items[MAX_HANDLES], copy[VAL_SIZE], *tok;
    size_t n = 0, i, len = 0;

    conf_strcpy(copy, sizeof(copy), list);
    for (tok = strtok(copy, " "); tok && n < MAX_HANDLES; tok = strtok(NULL, " "))
        items[n++] = tok;
    qsort(items, n, sizeof(items[0]), cmp_str);
    list[0] = '\0';
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(list + len, VAL_SIZE - len, "%s%s", i ? " " : "", items[i]);
}

static size_t replay_waits(struct replay *rp, const struct rec *recs, size_t i, size_t n)
{
    size_t j = i;
    long long target;
    struct bht_job *job = job_of(rp, recs[i].job);
    enum bht_job_state st = POISON_STATE;
    unsigned rounds;

    while (j + 1 < n && !strcmp(recs[j + 1].op, "wait") && recs[j + 1].job == recs[i].job)
        j++;
    target = recs[j].has_state ? recs[j].state : -1;
    for (rounds = 0; rounds < 64; rounds++) {
        bht_hr hr = rp->bits->wait(rp->w, job, (uint32_t)recs[j].n1, &st);
        if (hr != S_OK && hr != S_FALSE) {
            compare_hr(rp, &recs[j], hr);
            return j;
        }
        if (same_state(target, st) || act_now(st))
            break;
    }
    if (target >= 0 && !same_state(target, st))
        mismatch(rp, &recs[j], "state after waiting: expected %s, got %s",
                 bht_job_state_name((enum bht_job_state)target), bht_job_state_name(st));
    if (target >= 0 && recs[i].job > 0 && recs[i].job <= MAX_HANDLES)
        rp->last_state[recs[i].job] = target;
    rp->ops += (unsigned)(j - i + 1);
    return j;
}

static void replay_one(struct replay *rp, const struct rec *r)
{
    char a1[VAL_SIZE], a2[VAL_SIZE], buf[VAL_SIZE];
    struct bht_job *job = job_of(rp, r->job), *newjob = NULL;
    const char *op = r->op;
    bht_hr hr = S_OK;

    rp->ops++;
    if (!strcmp(op, "create_job")) {
        if (r->len) {
            memset(buf, 'n', (size_t)r->len);
            buf[r->len] = '\0';
        }
        hr = rp->bits->create_job(rp->w, r->len ? buf : r->a1_null ? NULL : r->a1, &newjob);
        compare_hr(rp, r, hr);
        if (hr == S_OK && r->num_out > 0 && r->num_out <= MAX_HANDLES)
            rp->jobs[r->num_out] = newjob;
        else if (hr == S_OK)
            rp->bits->release(rp->w, newjob);
    } else if (!strcmp(op, "open_job")) {
        hr = rp->bits->open_job(rp->w, map_id(rp, r->a1, 1), &newjob);
        compare_hr(rp, r, hr);
        if (hr == S_OK && r->num_out > 0 && r->num_out <= MAX_HANDLES)
            rp->jobs[r->num_out] = newjob;
        else if (hr == S_OK)
            rp->bits->release(rp->w, newjob);
    } else if (!strcmp(op, "get_id")) {
        hr = rp->bits->get_id(rp->w, job, buf);
        compare_hr(rp, r, hr);
        if (hr == S_OK && r->has_str_out && rp->n_ids < MAX_HANDLES) {
            conf_strcpy(rp->rec_ids[rp->n_ids], BHT_JOB_ID_SIZE, r->str_out);
            conf_strcpy(rp->our_ids[rp->n_ids++], BHT_JOB_ID_SIZE, buf);
        }
    } else if (!strcmp(op, "add_file")) {
        if (r->len) {
            size_t k = strlen(CONF_FAKE_HTTP_BASE "/file/");
            snprintf(a1, sizeof(a1), "%s", CONF_FAKE_HTTP_BASE "/file/");
            memset(a1 + k, 'a', (size_t)r->len - k);
            a1[r->len] = '\0';
        } else {
            expand(rp, r->a1, a1, sizeof(a1));
        }
        expand(rp, r->a2, a2, sizeof(a2));
        compare_hr(rp, r, rp->bits->add_file(rp->w, job, r->a1_null ? NULL : a1,
                                             r->a2_null ? NULL : a2));
    } else if (!strcmp(op, "set_priority")) {
        compare_hr(rp, r, rp->bits->set_priority(rp->w, job, (enum bht_priority)r->n1));
    } else if (!strcmp(op, "set_notify_flags")) {
        compare_hr(rp, r, rp->bits->set_notify_flags(rp->w, job, (uint32_t)r->n1));
    } else if (!strcmp(op, "set_helper_token_flags")) {
        compare_hr(rp, r, rp->bits->set_helper_token_flags(rp->w, job, (uint32_t)r->n1));
    } else if (!strcmp(op, "get_notify_flags") || !strcmp(op, "get_helper_token_flags")) {
        uint32_t f = 0xDEADBEEFu;
        hr = op[4] == 'n' ? rp->bits->get_notify_flags(rp->w, job, &f)
                          : rp->bits->get_helper_token_flags(rp->w, job, &f);
        compare_hr(rp, r, hr);
        if (!rp->failed && hr == S_OK && (long long)f != r->num_out)
            mismatch(rp, r, "expected 0x%llX, got 0x%X", r->num_out, (unsigned)f);
    } else if (!strcmp(op, "get_helper_token_sid")) {
        char *sid = NULL;
        hr = rp->bits->get_helper_token_sid(rp->w, job, &sid);
        compare_hr(rp, r, hr);
        if (!rp->failed && hr == S_OK && strcmp(r->str_out, sid ? "set" : "null") != 0)
            mismatch(rp, r, "SID expected %s, got %s", r->str_out, sid ? "set" : "null");
        rp->bits->free_mem(rp->w, sid);
    } else if (!strcmp(op, "get_state")) {
        enum bht_job_state st = POISON_STATE;
        unsigned rounds;
        hr = rp->bits->get_state(rp->w, job, &st);
        compare_hr(rp, r, hr);
        /* The real service moved on by itself between two calls (a local copy can finish
         * before the next GetState); the fake moves only when waited on: let it catch up,
         * from an in-flight state only. */
        for (rounds = 0; hr == S_OK && r->has_state && !same_state(r->state, st) &&
                         in_flight(st) && rounds < 64;
             rounds++)
            if (FAILED_HR(rp->bits->wait(rp->w, job, CONF_SETTLE_MS, &st)))
                break;
        if (!rp->failed && r->has_state && !same_state(r->state, st))
            mismatch(rp, r, "state expected %s, got %s",
                     bht_job_state_name((enum bht_job_state)r->state), bht_job_state_name(st));
        if (r->has_state && r->job > 0 && r->job <= MAX_HANDLES)
            rp->last_state[r->job] = r->state;
    } else if (!strcmp(op, "get_progress")) {
        struct bht_progress p;
        long long last = r->job > 0 && r->job <= MAX_HANDLES ? rp->last_state[r->job] : -1;
        hr = rp->bits->get_progress(rp->w, job, &p);
        compare_hr(rp, r, hr);
        if (!rp->failed && hr == S_OK) {
            long long bt = p.bytes_total == BHT_SIZE_UNKNOWN ? -1 : (long long)p.bytes_total;
            if (p.files_total != r->ft || p.files_transferred != r->fx)
                mismatch(rp, r, "files expected %lld/%lld, got %u/%u", r->fx, r->ft,
                         p.files_transferred, p.files_total);
            else if (!in_flight(last) && (bt != r->bt || (long long)p.bytes_transferred != r->bx))
                mismatch(rp, r, "bytes expected %lld of %lld, got %lld of %lld", r->bx, r->bt,
                         (long long)p.bytes_transferred, bt);
        }
    } else if (!strcmp(op, "get_error")) {
        struct bht_job_error e;
        hr = rp->bits->get_error(rp->w, job, &e);
        compare_hr(rp, r, hr);
        if (!rp->failed && hr == S_OK) {
            bht_hr code = (bht_hr)(uint32_t)strtoul(r->code, NULL, 16);
            expand(rp, r->remote, a1, sizeof(a1));
            if ((long long)e.context != r->ctx || e.code != code || strcmp(e.remote_name, a1))
                mismatch(rp, r, "error expected ctx %lld code %s file '%s', got ctx %d code "
                                "0x%08X file '%s'", r->ctx, r->code, a1, (int)e.context,
                         (unsigned)e.code, e.remote_name);
        }
    } else if (!strcmp(op, "enum_jobs")) {
        struct bht_job_info *list = NULL;
        size_t n = 0, i, len = 0;
        unsigned k;
        hr = rp->bits->enum_jobs(rp->w, r->a1, &list, &n);
        compare_hr(rp, r, hr);
        buf[0] = '\0';
        for (i = 0; hr == S_OK && i < n; i++)
            for (k = 0; k < rp->n_ids; k++)
                if (!strcmp(list[i].id, rp->our_ids[k]))
                    len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s:%d",
                                            len ? " " : "", rp->rec_ids[k], (int)list[i].state);
        rp->bits->free_mem(rp->w, list);
        snprintf(a1, sizeof(a1), "%s", r->str_out);
        sort_list(a1);
        sort_list(buf);
        if (!rp->failed && hr == S_OK && strcmp(a1, buf) != 0)
            mismatch(rp, r, "listed expected '%s', got '%s'", a1, buf);
    } else if (!strcmp(op, "release")) {
        if (job)
            rp->bits->release(rp->w, job);
        if (r->job > 0 && r->job <= MAX_HANDLES)
            rp->jobs[r->job] = NULL;
    } else if (!strcmp(op, "logon")) {
        struct bht_token *tok = NULL;
        hr = rp->identity->logon(rp->w, CONF_HELPER_DOMAIN, CONF_HELPER_USER,
                                 !strcmp(r->a1, "helper") ? CONF_HELPER_PASSWORD : "not-it",
                                 (enum bht_logon_type)r->n1, &tok);
        compare_hr(rp, r, hr);
        if (hr == S_OK && r->num_out > 0 && r->num_out <= MAX_HANDLES)
            rp->tokens[r->num_out] = tok;
        else if (hr == S_OK)
            rp->identity->close(rp->w, tok);
    } else if (!strcmp(op, "impersonate")) {
        compare_hr(rp, r, rp->identity->impersonate(
                              rp->w, r->n1 > 0 && r->n1 <= MAX_HANDLES ? rp->tokens[r->n1] : NULL));
    } else if (!strcmp(op, "revert")) {
        compare_hr(rp, r, rp->identity->revert(rp->w));
    } else if (!strcmp(op, "close")) {
        if (r->n1 > 0 && r->n1 <= MAX_HANDLES && rp->tokens[r->n1]) {
            (void)rp->identity->close(rp->w, rp->tokens[r->n1]);
            rp->tokens[r->n1] = NULL;
        }
    } else if (!strcmp(op, "make_file")) {
        if (conf_write_pattern(expand(rp, r->a1, a1, sizeof(a1)), (size_t)r->num_out) != 0)
            mismatch(rp, r, "cannot create %s", a1);
    } else if (!strcmp(op, "exists") || !strcmp(op, "size")) {
        struct stat st;
        long long got;
        int ok = stat(expand(rp, r->a1, a1, sizeof(a1)), &st) == 0;
        got = op[0] == 'e' ? ok : (ok ? (long long)st.st_size : -1);
        if (got != r->num_out)
            mismatch(rp, r, "%s of %s: expected %lld, got %lld", op, r->a1, r->num_out, got);
    } else if (!strcmp(op, "set_implicit_credentials") || !strcmp(op, "get_token_options") ||
               !strcmp(op, "set_helper_token") || !strcmp(op, "clear_helper_token") ||
               !strcmp(op, "resume") || !strcmp(op, "suspend") || !strcmp(op, "complete") ||
               !strcmp(op, "cancel")) {
        bht_hr (*fn)(void *, struct bht_job *) =
            !strcmp(op, "set_implicit_credentials") ? rp->bits->set_implicit_credentials
            : !strcmp(op, "get_token_options")      ? rp->bits->get_token_options
            : !strcmp(op, "set_helper_token")       ? rp->bits->set_helper_token
            : !strcmp(op, "clear_helper_token")     ? rp->bits->clear_helper_token
            : !strcmp(op, "resume")                 ? rp->bits->resume
            : !strcmp(op, "suspend")                ? rp->bits->suspend
            : !strcmp(op, "complete")               ? rp->bits->complete
                                                    : rp->bits->cancel;
        compare_hr(rp, r, fn(rp->w, job));
    } else {
        mismatch(rp, r, "unknown op in the trace");
    }
}

static void replay_check(struct replay *rp, const struct rec *recs, size_t n, const char *base,
                         unsigned serial)
{
    struct bht_backend b;
    size_t i, k;

    snprintf(rp->dir, sizeof(rp->dir), "%s%cr%04u", base, conf_sep(), serial);
    rp->w = conf_fake_world_new(CONF_FAKE_HTTP_BASE, rp->profile);
    if (!rp->w || conf_make_dir(rp->dir) != 0) {
        mismatch(rp, &recs[0], "cannot set up a fake world and folder %s", rp->dir);
        if (rp->w)
            bht_fake_world_free(rp->w);
        return;
    }
    bht_fake_backend(rp->w, &b);
    rp->bits = b.bits;
    rp->identity = b.identity;
    memset(rp->jobs, 0, sizeof(rp->jobs));
    memset(rp->tokens, 0, sizeof(rp->tokens));
    for (k = 0; k <= MAX_HANDLES; k++)
        rp->last_state[k] = -1;
    rp->n_ids = 0;
    rp->failed = 0;
    for (i = 0; i < n && !rp->failed; i++) {
        if (!strcmp(recs[i].op, "begin") || !strcmp(recs[i].op, "end"))
            continue;
        if (!strcmp(recs[i].op, "wait"))
            i = replay_waits(rp, recs, i, n);
        else
            replay_one(rp, &recs[i]);
    }
    for (k = 0; k <= MAX_HANDLES; k++) {
        if (rp->jobs[k])
            rp->bits->release(rp->w, rp->jobs[k]);
        if (rp->tokens[k])
            (void)rp->identity->close(rp->w, rp->tokens[k]);
    }
    bht_fake_world_free(rp->w);
    conf_remove_tree(rp->dir);
}

static const char *replay_divergence(enum bht_fake_profile profile, const char *check)
{
    size_t i;

    if (profile != BHT_FAKE_PROFILE_WINE8)
        return NULL; /* the list is about Wine; a Windows trace must replay clean */
    for (i = 0; bht_replay_divergences[i].check; i++)
        if (!strcmp(bht_replay_divergences[i].check, check))
            return bht_replay_divergences[i].reason;
    return NULL;
}

/* conf_replay_file_in against the given profile (a Windows trace: the windows profile,
 * where no replay divergence may be listed). */
static int conf_replay_file_as(enum bht_fake_profile profile, const char *path,
                               const char *dir, FILE *out, unsigned *out_ops)
{
    FILE *f = fopen(path, "rb");
    struct rec *recs = NULL;
    size_t n = 0, cap = 0, start, i;
    char line[3 * VAL_SIZE];
    struct replay rp;
    unsigned lineno = 0, serial = 0;
    int mismatches = 0;

    *out_ops = 0;
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (line[0] != '{')
            continue;
        if (n == cap) {
            struct rec *v = realloc(recs, (cap = cap ? 2 * cap : 256) * sizeof(*v));
            if (!v)
                break;
            recs = v;
        }
        if (!parse_line(line, &recs[n])) {
            fprintf(out, "replay: %s:%u: not a trace record\n", path, lineno);
            mismatches++;
            continue;
        }
        recs[n++].line = lineno;
    }
    fclose(f);
    memset(&rp, 0, sizeof(rp));
    rp.path = path;
    rp.profile = profile;
    rp.out = out;
    for (start = 0; start < n; start = i) {
        const char *known = replay_divergence(profile, recs[start].check);
        for (i = start + 1; i < n && strcmp(recs[i].check, recs[start].check) == 0 &&
                            strcmp(recs[i].op, "begin") != 0;
             i++)
            ;
        replay_check(&rp, recs + start, i - start, dir, ++serial);
        if (known && rp.failed)
            fprintf(out, "replay: known mismatch in %s: %s\n", recs[start].check, known);
        else if (known)
            fprintf(out, "replay: STALE replay divergence for %s (it replays clean): %s\n",
                    recs[start].check, known);
        mismatches += known ? !rp.failed : rp.failed;
    }
    *out_ops = rp.ops;
    free(recs);
    return mismatches;
}

int conf_replay_file_in(const char *path, const char *dir, FILE *out, unsigned *out_ops)
{
    return conf_replay_file_as(BHT_FAKE_PROFILE_WINE8, path, dir, out, out_ops);
}

/* ---- the checks ---- */

#ifndef CONF_REPLAY_TRACE
#define CONF_REPLAY_TRACE ""
#endif

static void wine8_trace_replays_on_the_fake_wine8_profile(void **state)
{
    struct bht_under_test *t = *state;
    const char *path = getenv("BHT_CONFORMANCE_REPLAY");
    unsigned ops = 0;
    int mismatches;

    if (!path || !*path)
        path = CONF_REPLAY_TRACE;
    mismatches = conf_replay_file_in(path, t->dir, stdout, &ops);
    if (mismatches < 0)
        conf_skip(t, "the checked-in Wine trace is not readable from here "
                     "(set BHT_CONFORMANCE_REPLAY)");
    printf("replay: %u operations of %s replayed against fake-wine8, %d mismatching checks\n",
           ops, path, mismatches);
    fflush(stdout);
    assert_true(ops > 0);
    CHECK_U64(t, 0, mismatches);
}

#ifndef CONF_REPLAY_TRACE_WINDOWS
#define CONF_REPLAY_TRACE_WINDOWS ""
#endif

/* The trace of a real-Windows conformance run, checked in by ci/import-windows-trace: the
 * fake's windows profile (and through it the COM fake) must do what Windows did. */
static void windows_trace_replays_on_the_fake_windows_profile(void **state)
{
    struct bht_under_test *t = *state;
    const char *path = getenv("BHT_CONFORMANCE_REPLAY_WINDOWS");
    unsigned ops = 0;
    int mismatches;

    if (!path || !*path)
        path = CONF_REPLAY_TRACE_WINDOWS;
    mismatches = conf_replay_file_as(BHT_FAKE_PROFILE_WINDOWS, path, t->dir, stdout, &ops);
    if (mismatches < 0)
        conf_skip(t, "no Windows trace checked in yet (the Windows job of CI uploads one: "
                     "ci/import-windows-trace)");
    printf("replay: %u operations of %s replayed against fake-windows, %d mismatching checks\n",
           ops, path, mismatches);
    fflush(stdout);
    assert_true(ops > 0);
    CHECK_U64(t, 0, mismatches);
}

const struct conf_registered conf_checks_replay[] = {
    CONF_REGISTER(wine8_trace_replays_on_the_fake_wine8_profile),
    CONF_REGISTER(windows_trace_replays_on_the_fake_windows_profile),
    CONF_END,
};
