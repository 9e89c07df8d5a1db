/* bitsht conformance: trace recording — a pass-through backend that writes each op as a
 * JSON line (trace.h). Flat objects of strings and integers only, so replay.c reads them
 * with a few lines of C:
 *   {"check":"...","seq":3,"op":"add_file","job":1,"a1":"${HTTP}/file/1000",
 *    "a2":"${DIR}\\http.bin","hr":"0x00000000"}
 * Outputs: "state", "out" (flags, handle numbers, "guid:state" lists), "bt" "bx" "ft" "fx"
 * (progress), "ctx" "code" "remote" (error). Secrets: the password is never written, only
 * "helper" (the helper's own) or "other". */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

#define MAX_HANDLES 128
#define MAX_IDS 128

struct conf_trace {
    FILE *f;
    char check[160];
    char dir[1024];
    char http[512];
    char helper_password[128];
    unsigned seq;
    const struct bht_bits_ops *bits;
    void *bits_ctx;
    const struct bht_identity_ops *identity;
    void *identity_ctx;
    struct bht_job *jobs[MAX_HANDLES];   /* handle number i+1 */
    unsigned n_jobs;
    struct bht_token *tokens[MAX_HANDLES];
    unsigned n_tokens;
    char ids[MAX_IDS][BHT_JOB_ID_SIZE];  /* GUIDs seen through get_id in this check */
    unsigned n_ids;
};

struct conf_trace *conf_trace_open(const char *path)
{
    struct conf_trace *tr = calloc(1, sizeof(*tr));

    if (!tr)
        return NULL;
    tr->f = fopen(path, "wb");
    if (!tr->f) {
        free(tr);
        return NULL;
    }
    return tr;
}

void conf_trace_close(struct conf_trace *tr)
{
    fclose(tr->f);
    free(tr);
}

/* ---- writing ---- */

static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* The check's folder and the server's base URL become placeholders. */
static void put_path(struct conf_trace *tr, const char *s)
{
    char buf[4096];
    size_t nd = strlen(tr->dir), nh = strlen(tr->http);

    if (!s) {
        fputs("null", tr->f);
        return;
    }
    if (nd && !strncmp(s, tr->dir, nd))
        snprintf(buf, sizeof(buf), "${DIR}%s", s + nd);
    else if (nh && !strncmp(s, tr->http, nh))
        snprintf(buf, sizeof(buf), "${HTTP}%s", s + nh);
    else
        snprintf(buf, sizeof(buf), "%s", s);
    put_string(tr->f, buf);
}

static void begin(struct conf_trace *tr, const char *op)
{
    fprintf(tr->f, "{\"check\":");
    put_string(tr->f, tr->check);
    fprintf(tr->f, ",\"seq\":%u,\"op\":\"%s\"", ++tr->seq, op);
}

static void end(struct conf_trace *tr, bht_hr hr)
{
    fprintf(tr->f, ",\"hr\":\"0x%08" PRIX32 "\"}\n", (uint32_t)hr);
    fflush(tr->f);
}

static void field_str(struct conf_trace *tr, const char *key, const char *v)
{
    fprintf(tr->f, ",\"%s\":", key);
    put_path(tr, v);
}

static void field_num(struct conf_trace *tr, const char *key, long long v)
{
    fprintf(tr->f, ",\"%s\":%lld", key, v);
}

static unsigned job_no(struct conf_trace *tr, struct bht_job *job)
{
    unsigned i;

    for (i = 0; i < tr->n_jobs; i++)
        if (tr->jobs[i] == job)
            return i + 1;
    return 0;
}

static unsigned add_job(struct conf_trace *tr, struct bht_job *job)
{
    if (!job || tr->n_jobs >= MAX_HANDLES)
        return 0;
    tr->jobs[tr->n_jobs++] = job;
    return tr->n_jobs;
}

static void job_op(struct conf_trace *tr, const char *op, struct bht_job *job)
{
    begin(tr, op);
    field_num(tr, "job", job_no(tr, job));
}

void conf_trace_begin_check(struct conf_trace *tr, const char *check, const char *dir,
                            const char *http, const struct bht_bits_ops *bits, void *bits_ctx,
                            const struct bht_identity_ops *identity, void *identity_ctx,
                            const char *helper_password)
{
    snprintf(tr->check, sizeof(tr->check), "%s", check);
    snprintf(tr->dir, sizeof(tr->dir), "%s", dir);
    snprintf(tr->http, sizeof(tr->http), "%s", http);
    snprintf(tr->helper_password, sizeof(tr->helper_password), "%s", helper_password);
    tr->seq = 0;
    tr->bits = bits;
    tr->bits_ctx = bits_ctx;
    tr->identity = identity;
    tr->identity_ctx = identity_ctx;
    tr->n_jobs = tr->n_tokens = tr->n_ids = 0;
    begin(tr, "begin");
    end(tr, S_OK);
}

void conf_trace_end_check(struct conf_trace *tr)
{
    begin(tr, "end");
    end(tr, S_OK);
}

void conf_trace_fs(struct conf_trace *tr, const char *op, const char *path, long long value)
{
    begin(tr, op);
    field_str(tr, "a1", path);
    field_num(tr, "out", value);
    end(tr, S_OK);
}

/* ---- the bits ops ---- */

static bht_hr t_create_job(void *ctx, const char *name, struct bht_job **out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->create_job(tr->bits_ctx, name, out);

    begin(tr, "create_job");
    if (name && strlen(name) > 64)
        field_num(tr, "len", (long long)strlen(name)); /* long names by length only */
    else
        field_str(tr, "a1", name);
    field_num(tr, "out", hr == S_OK ? add_job(tr, *out) : 0);
    end(tr, hr);
    return hr;
}

static void remember_id(struct conf_trace *tr, const char *id)
{
    unsigned i;

    for (i = 0; i < tr->n_ids; i++)
        if (!strcmp(tr->ids[i], id))
            return;
    if (tr->n_ids < MAX_IDS)
        snprintf(tr->ids[tr->n_ids++], BHT_JOB_ID_SIZE, "%s", id);
}

static bht_hr t_open_job(void *ctx, const char *id, struct bht_job **out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->open_job(tr->bits_ctx, id, out);

    begin(tr, "open_job");
    field_str(tr, "a1", id);
    field_num(tr, "out", hr == S_OK ? add_job(tr, *out) : 0);
    end(tr, hr);
    return hr;
}

static bht_hr t_get_id(void *ctx, struct bht_job *job, char *out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->get_id(tr->bits_ctx, job, out);

    job_op(tr, "get_id", job);
    if (hr == S_OK) {
        remember_id(tr, out);
        field_str(tr, "out", out);
    }
    end(tr, hr);
    return hr;
}

static bht_hr t_add_file(void *ctx, struct bht_job *job, const char *remote, const char *local)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->add_file(tr->bits_ctx, job, remote, local);

    job_op(tr, "add_file", job);
    if (remote && strlen(remote) > 256)
        field_num(tr, "len", (long long)strlen(remote));
    else
        field_str(tr, "a1", remote);
    field_str(tr, "a2", local);
    end(tr, hr);
    return hr;
}

static bht_hr t_set_priority(void *ctx, struct bht_job *job, enum bht_priority p)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->set_priority(tr->bits_ctx, job, p);

    job_op(tr, "set_priority", job);
    field_num(tr, "n1", (long long)p);
    end(tr, hr);
    return hr;
}

static bht_hr t_set_notify_flags(void *ctx, struct bht_job *job, uint32_t flags)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->set_notify_flags(tr->bits_ctx, job, flags);

    job_op(tr, "set_notify_flags", job);
    field_num(tr, "n1", flags);
    end(tr, hr);
    return hr;
}

static bht_hr t_get_notify_flags(void *ctx, struct bht_job *job, uint32_t *out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->get_notify_flags(tr->bits_ctx, job, out);

    job_op(tr, "get_notify_flags", job);
    if (hr == S_OK)
        field_num(tr, "out", *out);
    end(tr, hr);
    return hr;
}

#define JOB_ONLY_OP(fn, opname)                                          \
    static bht_hr t_##fn(void *ctx, struct bht_job *job)                 \
    {                                                                    \
        struct conf_trace *tr = ctx;                                     \
        bht_hr hr = tr->bits->fn(tr->bits_ctx, job);                     \
        job_op(tr, opname, job);                                         \
        end(tr, hr);                                                     \
        return hr;                                                       \
    }

JOB_ONLY_OP(set_implicit_credentials, "set_implicit_credentials")
JOB_ONLY_OP(get_token_options, "get_token_options")
JOB_ONLY_OP(set_helper_token, "set_helper_token")
JOB_ONLY_OP(clear_helper_token, "clear_helper_token")
JOB_ONLY_OP(resume, "resume")
JOB_ONLY_OP(suspend, "suspend")
JOB_ONLY_OP(complete, "complete")
JOB_ONLY_OP(cancel, "cancel")

static bht_hr t_set_helper_token_flags(void *ctx, struct bht_job *job, uint32_t flags)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->set_helper_token_flags(tr->bits_ctx, job, flags);

    job_op(tr, "set_helper_token_flags", job);
    field_num(tr, "n1", flags);
    end(tr, hr);
    return hr;
}

static bht_hr t_get_helper_token_flags(void *ctx, struct bht_job *job, uint32_t *out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->get_helper_token_flags(tr->bits_ctx, job, out);

    job_op(tr, "get_helper_token_flags", job);
    if (hr == S_OK)
        field_num(tr, "out", *out);
    end(tr, hr);
    return hr;
}

static bht_hr t_get_helper_token_sid(void *ctx, struct bht_job *job, char **out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->get_helper_token_sid(tr->bits_ctx, job, out);

    job_op(tr, "get_helper_token_sid", job);
    if (hr == S_OK)
        field_str(tr, "out", *out ? "set" : "null"); /* SIDs differ per machine */
    end(tr, hr);
    return hr;
}

static bht_hr t_wait(void *ctx, struct bht_job *job, uint32_t timeout_ms,
                     enum bht_job_state *out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->wait(tr->bits_ctx, job, timeout_ms, out);

    job_op(tr, "wait", job);
    field_num(tr, "n1", timeout_ms);
    if (hr == S_OK || hr == S_FALSE)
        field_num(tr, "state", (long long)*out);
    end(tr, hr);
    return hr;
}

static bht_hr t_get_state(void *ctx, struct bht_job *job, enum bht_job_state *out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->get_state(tr->bits_ctx, job, out);

    job_op(tr, "get_state", job);
    if (hr == S_OK)
        field_num(tr, "state", (long long)*out);
    end(tr, hr);
    return hr;
}

static long long u64_field(uint64_t v)
{
    return v == BHT_SIZE_UNKNOWN ? -1 : (long long)v;
}

static bht_hr t_get_progress(void *ctx, struct bht_job *job, struct bht_progress *out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->get_progress(tr->bits_ctx, job, out);

    job_op(tr, "get_progress", job);
    if (hr == S_OK) {
        field_num(tr, "bt", u64_field(out->bytes_total));
        field_num(tr, "bx", u64_field(out->bytes_transferred));
        field_num(tr, "ft", out->files_total);
        field_num(tr, "fx", out->files_transferred);
    }
    end(tr, hr);
    return hr;
}

static bht_hr t_get_error(void *ctx, struct bht_job *job, struct bht_job_error *out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->get_error(tr->bits_ctx, job, out);
    char code[16];

    job_op(tr, "get_error", job);
    if (hr == S_OK) {
        field_num(tr, "ctx", (long long)out->context);
        snprintf(code, sizeof(code), "0x%08" PRIX32, (uint32_t)out->code);
        field_str(tr, "code", code);
        field_str(tr, "remote", out->remote_name);
    }
    end(tr, hr);
    return hr;
}

static bht_hr t_enum_jobs(void *ctx, const char *prefix, struct bht_job_info **out,
                          size_t *out_count)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->bits->enum_jobs(tr->bits_ctx, prefix, out, out_count);
    char list[4096] = "";
    size_t i, n;
    unsigned k;

    begin(tr, "enum_jobs");
    field_str(tr, "a1", prefix);
    /* Only this check's jobs whose GUID it has seen: other processes may own jobs. */
    for (i = 0; hr == S_OK && i < *out_count; i++)
        for (k = 0; k < tr->n_ids; k++)
            if (!strcmp((*out)[i].id, tr->ids[k])) {
                n = strlen(list);
                snprintf(list + n, sizeof(list) - n, "%s%s:%d", n ? " " : "", (*out)[i].id,
                         (int)(*out)[i].state);
            }
    if (hr == S_OK)
        field_str(tr, "out", list);
    end(tr, hr);
    return hr;
}

static uint64_t t_clock_ms(void *ctx)
{
    struct conf_trace *tr = ctx;

    return tr->bits->clock_ms(tr->bits_ctx);
}

static void t_free_mem(void *ctx, void *p)
{
    struct conf_trace *tr = ctx;

    tr->bits->free_mem(tr->bits_ctx, p);
}

static void t_release(void *ctx, struct bht_job *job)
{
    struct conf_trace *tr = ctx;
    unsigned no = job_no(tr, job);

    tr->bits->release(tr->bits_ctx, job);
    begin(tr, "release");
    field_num(tr, "job", no);
    if (no)
        tr->jobs[no - 1] = NULL; /* the pointer may be reused by the allocator */
    end(tr, S_OK);
}

const struct bht_bits_ops conf_trace_bits_ops = {
    BHT_BITS_OPS_VERSION,
    "trace",
    t_create_job,
    t_open_job,
    t_get_id,
    t_add_file,
    t_set_priority,
    t_set_notify_flags,
    t_get_notify_flags,
    t_set_implicit_credentials,
    t_get_token_options,
    t_set_helper_token,
    t_set_helper_token_flags,
    t_get_helper_token_flags,
    t_get_helper_token_sid,
    t_clear_helper_token,
    t_resume,
    t_suspend,
    t_wait,
    t_get_state,
    t_get_progress,
    t_get_error,
    t_complete,
    t_cancel,
    t_enum_jobs,
    t_clock_ms,
    t_free_mem,
    t_release,
    NULL, /* set_cost_flags: not traced (no conformance row yet) */
};

/* ---- the identity ops ---- */

static unsigned token_no(struct conf_trace *tr, struct bht_token *tok)
{
    unsigned i;

    for (i = 0; i < tr->n_tokens; i++)
        if (tr->tokens[i] == tok)
            return i + 1;
    return 0;
}

static bht_hr t_logon(void *ctx, const char *domain, const char *user, const char *password,
                      enum bht_logon_type type, struct bht_token **out)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->identity->logon(tr->identity_ctx, domain, user, password, type, out);
    int helper = password && !strcmp(password, tr->helper_password);
    unsigned no = 0;

    if (hr == S_OK && *out && tr->n_tokens < MAX_HANDLES) {
        tr->tokens[tr->n_tokens++] = *out;
        no = tr->n_tokens;
    }
    begin(tr, "logon");
    /* The account is the helper's (replay logs on its own helper); the password never. */
    field_str(tr, "a1", helper ? "helper" : "other");
    field_num(tr, "n1", (long long)type);
    field_num(tr, "out", no);
    end(tr, hr);
    return hr;
}

static bht_hr t_impersonate(void *ctx, struct bht_token *tok)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->identity->impersonate(tr->identity_ctx, tok);

    begin(tr, "impersonate");
    field_num(tr, "n1", token_no(tr, tok));
    end(tr, hr);
    return hr;
}

static bht_hr t_revert(void *ctx)
{
    struct conf_trace *tr = ctx;
    bht_hr hr = tr->identity->revert(tr->identity_ctx);

    begin(tr, "revert");
    end(tr, hr);
    return hr;
}

static bht_hr t_close(void *ctx, struct bht_token *tok)
{
    struct conf_trace *tr = ctx;
    unsigned no = token_no(tr, tok);
    bht_hr hr = tr->identity->close(tr->identity_ctx, tok);

    begin(tr, "close");
    field_num(tr, "n1", no);
    if (no)
        tr->tokens[no - 1] = NULL;
    /* CloseHandle on Wine's fake 0xDEADBEEF handle proves nothing (bits-contract §5.2):
     * its result is recorded, replay does not compare it. */
    end(tr, hr);
    return hr;
}

const struct bht_identity_ops conf_trace_identity_ops = {
    BHT_IDENTITY_OPS_VERSION, "trace", t_logon, t_impersonate, t_revert, t_close,
};
