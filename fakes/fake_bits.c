/* bitsht fake: struct bht_bits_ops over the fake world (ctx = struct bht_fake_world *).
 *
 * Every op: count the call, maybe fire an injected fault, do the documented thing, log
 * "op args -> RESULT". Return codes follow docs/contract.md row by row (cited as Cnn);
 * the wine8 profile follows the Wine column (§5). */
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

#define WINE8(w) ((w)->profile == BHT_FAKE_PROFILE_WINE8)
#define JOB_ID(h) ((h) ? (h)->job->id : "(null)")

/* Strings arrive as UTF-8; BITS counts UTF-16 code units. */
static size_t utf16_length(const char *s)
{
    size_t n = 0;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c & 0xC0) == 0x80)
            continue;
        n += c >= 0xF0 ? 2 : 1;
    }
    return n;
}

struct bht_job *fake_handle_new(struct fake_job *j)
{
    struct bht_job *h = calloc(1, sizeof(*h));

    if (h) {
        h->job = j;
        j->handles++;
    }
    return h;
}

/* ---- manager ---- */

static bht_hr do_create_job(struct bht_fake_world *w, const char *name, struct bht_job **out)
{
    struct fake_identity caller = fake_caller(w);
    struct fake_user *owner = caller.local;
    struct fake_job *j;

    if (!name)
        return BHT_E_RPC_NULL_REF_POINTER; /* C03: the proxy refuses a NULL string */
    if (!owner)
        return E_OUTOFMEMORY;
    if (fake_system_unavailable(w) != S_OK)
        return fake_system_unavailable(w); /* `system start=disabled` or `service=absent` */
    if (!WINE8(w)) {
        if (utf16_length(name) > BHT_DISPLAY_NAME_MAX)
            return E_INVALIDARG; /* C02 */
        if (w->queue_len >= w->max_jobs_per_machine)
            return BG_E_TOO_MANY_JOBS_PER_MACHINE; /* C06 */
        if (!owner->admin && owner->live_jobs >= w->max_jobs_per_user)
            return BG_E_TOO_MANY_JOBS_PER_USER; /* C05: administrators are exempt */
    }
    /* Room in open_job's index first, so the queue cannot refuse the job below. */
    if (!fake_index_reserve(&w->job_index, 1) || !(j = fake_job_alloc(w, w->next_serial)))
        return E_OUTOFMEMORY;
    j->owner = owner;
    if (!(j->display_name = fake_strdup(name)) || !(*out = fake_handle_new(j))) {
        fake_job_free(j);
        return E_OUTOFMEMORY;
    }
    w->next_serial++;
    fake_queue_insert(w, j); /* C01: SUSPENDED, counters 0, notify flags 0x3 */
    return S_OK;
}

static bht_hr op_create_job(void *ctx, const char *display_name, struct bht_job **out_job)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr;

    if (!out_job)
        return fake_leave(w, BHT_OP_CREATE_JOB, E_INVALIDARG, "(null out)");
    *out_job = NULL;
    hr = fake_enter(w, BHT_OP_CREATE_JOB);
    if (hr == S_OK)
        hr = do_create_job(w, display_name, out_job);
    return fake_leave(w, BHT_OP_CREATE_JOB, hr, "\"%s\"%s%s", display_name ? display_name : "",
                      *out_job ? " " : "", *out_job ? (*out_job)->job->id : "");
}

static bht_hr do_open_job(struct bht_fake_world *w, const char *id, struct bht_job **out)
{
    uint32_t serial;
    struct fake_job *j;
    struct fake_identity caller;

    if (!id)
        return BHT_E_RPC_NULL_REF_POINTER;
    if (!fake_job_parse_id(id, &serial)) {
        /* A well-formed GUID of some other program's job is simply not here (C08). */
        return (id[0] == '{' && strlen(id) == BHT_JOB_ID_SIZE - 1) ? BG_E_NOT_FOUND
                                                                    : E_INVALIDARG;
    }
    j = fake_job_by_serial(w, serial);
    if (!j || fake_ascii_casecmp(j->id, id) != 0)
        return BG_E_NOT_FOUND; /* C08; C09: final jobs left the index */
    caller = fake_caller(w);
    if (!WINE8(w) && j->owner != caller.local && !caller.local->admin)
        return E_ACCESSDENIED; /* C10 */
    *out = fake_handle_new(j);
    return *out ? S_OK : E_OUTOFMEMORY;
}

static bht_hr op_open_job(void *ctx, const char *job_id, struct bht_job **out_job)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr;

    if (!out_job)
        return fake_leave(w, BHT_OP_OPEN_JOB, E_INVALIDARG, "(null out)");
    *out_job = NULL;
    hr = fake_enter(w, BHT_OP_OPEN_JOB);
    if (hr == S_OK)
        hr = do_open_job(w, job_id, out_job);
    return fake_leave(w, BHT_OP_OPEN_JOB, hr, "%s", job_id ? job_id : "(null)");
}

static bht_hr op_get_id(void *ctx, struct bht_job *h, char *out_id)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_GET_ID);

    if (hr == S_OK && (!h || !out_id))
        hr = E_INVALIDARG;
    if (hr == S_OK)
        memcpy(out_id, h->job->id, BHT_JOB_ID_SIZE);
    else if (out_id)
        out_id[0] = '\0';
    return fake_leave(w, BHT_OP_GET_ID, hr, "%s", JOB_ID(h));
}

/* ---- files ---- */

static bht_hr validate_local(const char *local)
{
    const char *p = local;

    if (!fake_path_is_absolute(local))
        return E_INVALIDARG; /* C16 */
    if (utf16_length(local) > FAKE_LOCAL_PATH_MAX)
        return E_INVALIDARG; /* §2.4: at most MAX_PATH */
    if (!strncmp(local, "\\\\?\\", 4) || strpbrk(local, "*?"))
        return E_INVALIDARG; /* §2.4: no \\?\ prefix, no wildcards */
#ifdef _WIN32
    p += 2; /* past the drive's colon */
#endif
    if (strchr(p, ':'))
        return E_INVALIDARG; /* §2.4: no NTFS streams */
    if (fake_path_is_separator(local[strlen(local) - 1]))
        return E_INVALIDARG; /* a directory is not a file name */
    return S_OK;
}

static bht_hr do_add_file(struct bht_fake_world *w, struct bht_job *h, const char *remote,
                          const char *local)
{
    struct fake_job *j = h->job;
    bht_hr hr;

    if (!remote || !local)
        return BHT_E_RPC_NULL_REF_POINTER; /* C19 */
    if (WINE8(w))
        return fake_job_add_file_record(j, remote, local); /* §5 items 9, 10, 16 */
    if (fake_state_is_final(j->state))
        return BG_E_INVALID_STATE; /* C22, C23 (question 1) */
    if (utf16_length(remote) > BHT_REMOTE_NAME_MAX ||
        fake_remote_kind(remote) == FAKE_REMOTE_BAD)
        return E_INVALIDARG; /* C17, C18 */
    if ((hr = validate_local(local)) != S_OK)
        return hr;
    if (!j->owner->admin && j->n_files >= w->max_files_per_job)
        return BG_E_TOO_MANY_FILES_IN_JOB; /* C24 */
    /* C20; question 9: the helper writes when LOCAL_FILE is set and a token is present. */
    hr = fake_check_destination(w, fake_destination_writer(j), local, 1);
    if (hr != S_OK)
        return hr;
    return fake_job_add_file_record(j, remote, local); /* C14, C21: state unchanged */
}

static bht_hr op_add_file(void *ctx, struct bht_job *h, const char *remote, const char *local)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_ADD_FILE);

    if (hr == S_OK)
        hr = h ? do_add_file(w, h, remote, local) : E_INVALIDARG;
    return fake_leave(w, BHT_OP_ADD_FILE, hr, "%s %s %s", JOB_ID(h), remote ? remote : "(null)",
                      local ? local : "(null)");
}

/* ---- properties ---- */

static bht_hr op_set_priority(void *ctx, struct bht_job *h, enum bht_priority priority)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_SET_PRIORITY);

    if (hr == S_OK && !h)
        hr = E_INVALIDARG;
    if (hr == S_OK && !WINE8(w)) { /* Wine accepts anything (§5 item 8) */
        if (fake_state_is_final(h->job->state))
            hr = BG_E_INVALID_STATE; /* C84 */
        else if ((unsigned)priority > BHT_PRIORITY_LOW)
            hr = E_NOTIMPL; /* C84 */
    }
    if (hr == S_OK && !WINE8(w))
        h->job->priority = priority;
    return fake_leave(w, BHT_OP_SET_PRIORITY, hr, "%s %d", JOB_ID(h), (int)priority);
}

static bht_hr op_set_notify_flags(void *ctx, struct bht_job *h, uint32_t flags)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_SET_NOTIFY_FLAGS);

    if (hr == S_OK && !h)
        hr = E_INVALIDARG;
    if (hr == S_OK) {
        if (fake_state_is_final(h->job->state))
            hr = BG_E_INVALID_STATE; /* C77 */
        else if (flags & ~0x3Fu)
            hr = E_NOTIMPL; /* C76: documented for undefined bits */
        else if (WINE8(w) && (flags & BHT_NOTIFY_FILE_RANGES_TRANSFERRED))
            hr = E_NOTIMPL; /* C75 Wine */
        else
            h->job->notify_flags = flags; /* C75 */
    }
    return fake_leave(w, BHT_OP_SET_NOTIFY_FLAGS, hr, "%s 0x%X", JOB_ID(h), (unsigned)flags);
}

static bht_hr op_get_notify_flags(void *ctx, struct bht_job *h, uint32_t *out_flags)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_GET_NOTIFY_FLAGS);

    if (hr == S_OK && (!h || !out_flags))
        hr = E_INVALIDARG;
    if (out_flags)
        *out_flags = hr == S_OK ? h->job->notify_flags : 0; /* C74 */
    return fake_leave(w, BHT_OP_GET_NOTIFY_FLAGS, hr, "%s", JOB_ID(h));
}

static bht_hr set_credentials(struct bht_fake_world *w, struct bht_job *h, unsigned bits)
{
    bht_hr hr = fake_enter(w, BHT_OP_SET_IMPLICIT_CREDENTIALS);

    if (hr == S_OK && !h)
        hr = E_INVALIDARG;
    if (hr == S_OK && fake_state_is_final(h->job->state) && !WINE8(w))
        hr = BG_E_INVALID_STATE; /* like every other setter */
    if (hr == S_OK)
        h->job->credentials |= bits;
    return fake_leave(w, BHT_OP_SET_IMPLICIT_CREDENTIALS, hr, "%s pairs=0x%03x", JOB_ID(h),
                      bits);
}

bht_hr fake_set_implicit_credentials_pair(struct bht_fake_world *w, struct bht_job *h,
                                          int target, int scheme)
{
    if (target < FAKE_AUTH_TARGET_SERVER || target > FAKE_AUTH_TARGET_PROXY || scheme < 1 ||
        scheme > 5)
        return E_INVALIDARG;
    return set_credentials(w, h, FAKE_CRED_BIT(target, scheme));
}

/* C114: the server and a proxy in between, each with Negotiate and NTLM, the schemes a
 * helper's logon can answer (the COM backend makes the same four SetCredentials calls). */
static bht_hr op_set_implicit_credentials(void *ctx, struct bht_job *h)
{
    return set_credentials(ctx, h,
                           FAKE_CRED_BIT(FAKE_AUTH_TARGET_SERVER, FAKE_AUTH_SCHEME_NEGOTIATE) |
                               FAKE_CRED_BIT(FAKE_AUTH_TARGET_SERVER, FAKE_AUTH_SCHEME_NTLM) |
                               FAKE_CRED_BIT(FAKE_AUTH_TARGET_PROXY, FAKE_AUTH_SCHEME_NEGOTIATE) |
                               FAKE_CRED_BIT(FAKE_AUTH_TARGET_PROXY, FAKE_AUTH_SCHEME_NTLM));
}

/* ---- helper tokens (C87-C99) ---- */

/* C87: the access check of QueryInterface(IBitsTokenOptions). On 1607+ a non-admin caller
 * passes only with the owner's SID on the calling thread. */
static bht_hr token_options_check(struct bht_fake_world *w, struct bht_job *h)
{
    struct fake_identity caller;

    if (WINE8(w))
        return E_NOINTERFACE; /* §5 item 1 */
    caller = fake_caller(w);
    if (caller.local != h->job->owner && !caller.local->admin)
        return E_ACCESSDENIED;
    h->token_options = 1;
    return S_OK;
}

/* Every token call: the interface must exist (obtained now, by this thread, if it was not
 * obtained before, as a COM backend would have to), and the job must not be final (C99). */
static bht_hr token_call_prelude(struct bht_fake_world *w, struct bht_job *h)
{
    bht_hr hr;

    if (!h)
        return E_INVALIDARG;
    if (WINE8(w))
        return E_NOINTERFACE;
    if (!h->token_options && (hr = token_options_check(w, h)) != S_OK)
        return hr;
    if (fake_state_is_final(h->job->state))
        return BG_E_INVALID_STATE; /* C99 (question 5) */
    return S_OK;
}

static bht_hr op_get_token_options(void *ctx, struct bht_job *h)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_GET_TOKEN_OPTIONS);

    if (hr == S_OK)
        hr = h ? token_options_check(w, h) : E_INVALIDARG;
    return fake_leave(w, BHT_OP_GET_TOKEN_OPTIONS, hr, "%s", JOB_ID(h));
}

static bht_hr do_set_helper_token(struct bht_fake_world *w, struct bht_job *h)
{
    struct fake_job *j = h->job;
    /* C88/C89: the thread's impersonation token, else the process token. */
    struct fake_identity captured = fake_caller(w);
    bht_hr hr = token_call_prelude(w, h);

    if (hr != S_OK)
        return hr;
    if (w->admin_rule == FAKE_ADMIN_RULE_LEGACY && !j->owner->admin)
        return E_ACCESSDENIED; /* C91: before 1607 only admin owners may */
    if (w->admin_rule == FAKE_ADMIN_RULE_1607 && captured.local->admin && !j->owner->admin)
        return E_ACCESSDENIED; /* C92: an admin helper needs an admin caller */
    j->helper = captured;
    j->has_helper = 1;
    return S_OK;
}

static bht_hr op_set_helper_token(void *ctx, struct bht_job *h)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_SET_HELPER_TOKEN);

    if (hr == S_OK)
        hr = h ? do_set_helper_token(w, h) : E_INVALIDARG;
    return fake_leave(w, BHT_OP_SET_HELPER_TOKEN, hr, "%s", JOB_ID(h));
}

static bht_hr op_set_helper_token_flags(void *ctx, struct bht_job *h, uint32_t flags)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_SET_HELPER_TOKEN_FLAGS);

    if (hr == S_OK)
        hr = token_call_prelude(w, h);
    if (hr == S_OK && (flags & ~BHT_TOKEN_VALID_MASK))
        hr = E_INVALIDARG; /* C94 (question 5) */
    if (hr == S_OK && w->admin_rule == FAKE_ADMIN_RULE_1607 && h->job->has_helper &&
        h->job->helper.local->admin && !h->job->owner->admin)
        hr = E_ACCESSDENIED; /* C93 */
    if (hr == S_OK)
        h->job->token_flags = flags;
    return fake_leave(w, BHT_OP_SET_HELPER_TOKEN_FLAGS, hr, "%s 0x%X", JOB_ID(h),
                      (unsigned)flags);
}

static bht_hr op_get_helper_token_flags(void *ctx, struct bht_job *h, uint32_t *out_flags)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_GET_HELPER_TOKEN_FLAGS);

    if (hr == S_OK)
        hr = token_call_prelude(w, h);
    if (hr == S_OK && !out_flags)
        hr = E_INVALIDARG;
    if (out_flags)
        *out_flags = hr == S_OK ? h->job->token_flags : 0; /* C95 */
    return fake_leave(w, BHT_OP_GET_HELPER_TOKEN_FLAGS, hr, "%s", JOB_ID(h));
}

static bht_hr op_get_helper_token_sid(void *ctx, struct bht_job *h, char **out_sid)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_GET_HELPER_TOKEN_SID);

    if (out_sid)
        *out_sid = NULL;
    if (hr == S_OK)
        hr = token_call_prelude(w, h);
    if (hr == S_OK && !out_sid)
        hr = E_INVALIDARG;
    if (hr == S_OK && h->job->has_helper) { /* C96: NULL when none; C97: the SID */
        *out_sid = fake_strdup(h->job->helper.local->sid);
        if (!*out_sid)
            hr = E_OUTOFMEMORY;
    }
    return fake_leave(w, BHT_OP_GET_HELPER_TOKEN_SID, hr, "%s", JOB_ID(h));
}

static bht_hr op_clear_helper_token(void *ctx, struct bht_job *h)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_CLEAR_HELPER_TOKEN);

    if (hr == S_OK)
        hr = token_call_prelude(w, h);
    if (hr == S_OK)
        h->job->has_helper = 0; /* C98: flags kept */
    return fake_leave(w, BHT_OP_CLEAR_HELPER_TOKEN, hr, "%s", JOB_ID(h));
}

/* ---- state changes ---- */

static bht_hr do_resume(struct bht_fake_world *w, struct fake_job *j)
{
    if (fake_state_is_final(j->state))
        return BG_E_INVALID_STATE; /* C33 */
    if (WINE8(w))
        fake_sweep_final_jobs(w); /* §5 item 15: the worker wakes up */
    switch (j->state) {
    case BHT_JOB_SUSPENDED:
        if (j->n_files == 0)
            return BG_E_EMPTY; /* C27 */
        break;
    case BHT_JOB_QUEUED:
    case BHT_JOB_CONNECTING:
    case BHT_JOB_TRANSFERRING:
        return S_OK; /* C29 */
    case BHT_JOB_ERROR:
    case BHT_JOB_TRANSIENT_ERROR:
        if (WINE8(w))
            j->error.present = 0; /* C60 Wine: cleared by Resume itself */
        break;             /* C30 */
    case BHT_JOB_TRANSFERRED:
        if (!j->new_files)
            return WINE8(w) ? BG_E_EMPTY : S_OK; /* C31 (question 2) */
        break;             /* C32 */
    default:
        break;
    }
    fake_job_set_state(w, j, BHT_JOB_QUEUED); /* C28 */
    fake_job_schedule(w, j, w->now_ms);
    return S_OK;
}

static bht_hr op_resume(void *ctx, struct bht_job *h)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_RESUME);

    if (hr == S_OK)
        hr = h ? do_resume(w, h->job) : E_INVALIDARG;
    return fake_leave(w, BHT_OP_RESUME, hr, "%s", JOB_ID(h));
}

static bht_hr op_suspend(void *ctx, struct bht_job *h)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_SUSPEND);

    if (hr == S_OK && !h)
        hr = E_INVALIDARG;
    if (hr == S_OK && WINE8(w))
        hr = E_NOTIMPL; /* C34, C35 Wine */
    if (hr == S_OK && fake_state_is_final(h->job->state))
        hr = BG_E_INVALID_STATE; /* C35 */
    if (hr == S_OK) {
        struct fake_job *j = h->job;
        fake_job_unschedule(w, j);
        if (j->current < j->n_files)
            j->files[j->current].opened = 0; /* Resume reconnects, keeps written bytes */
        fake_job_set_state(w, j, BHT_JOB_SUSPENDED); /* C34 (question 4) */
    }
    return fake_leave(w, BHT_OP_SUSPEND, hr, "%s", JOB_ID(h));
}

static bht_hr op_wait(void *ctx, struct bht_job *h, uint32_t timeout_ms,
                      enum bht_job_state *out_state)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_WAIT);
    enum bht_job_state from;

    if (hr == S_OK && (!h || !out_state))
        hr = E_INVALIDARG;
    if (hr == S_OK) {
        from = h->job->state;
        /* §3.3: act-now states return at once; otherwise run the world to the job's next
         * change or to the deadline, on the virtual clock. */
        if (!fake_state_is_act_now(from) &&
            !fake_engine_run_until(w, w->now_ms + timeout_ms, h->job, from))
            hr = S_FALSE;
        *out_state = h->job->state;
    } else if (out_state) {
        *out_state = BHT_JOB_QUEUED;
    }
    return fake_leave(w, BHT_OP_WAIT, hr, "%s %lu", JOB_ID(h), (unsigned long)timeout_ms);
}

static bht_hr op_get_state(void *ctx, struct bht_job *h, enum bht_job_state *out_state)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_GET_STATE);

    if (hr == S_OK && (!h || !out_state))
        hr = E_INVALIDARG;
    if (hr == S_OK)
        *out_state = h->job->state; /* C53 */
    else if (out_state)
        *out_state = BHT_JOB_QUEUED;
    return fake_leave(w, BHT_OP_GET_STATE, hr, "%s", JOB_ID(h));
}

static void job_progress(const struct bht_fake_world *w, const struct fake_job *j,
                         struct bht_progress *out)
{
    size_t i;
    int known = 1;

    memset(out, 0, sizeof(*out));
    out->files_total = (uint32_t)j->n_files;
    for (i = 0; i < j->n_files; i++) {
        const struct fake_file *f = &j->files[i];
        if (f->bytes_total == BHT_SIZE_UNKNOWN)
            known = 0;
        else
            out->bytes_total += f->bytes_total;
        if (!(WINE8(w) && fake_remote_kind(f->remote) == FAKE_REMOTE_LOCAL))
            out->bytes_transferred += f->bytes_done; /* C57 Wine: 0 for local copies */
        if (f->done)
            out->files_transferred++;
    }
    /* C56: unknown until every size is known; C57 Wine: unknown once a file is added. */
    if (!known || (WINE8(w) && j->n_files))
        out->bytes_total = BHT_SIZE_UNKNOWN;
}

static bht_hr op_get_progress(void *ctx, struct bht_job *h, struct bht_progress *out)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_GET_PROGRESS);

    if (hr == S_OK && (!h || !out))
        hr = E_INVALIDARG; /* C54 */
    if (hr == S_OK)
        job_progress(w, h->job, out); /* C55-C57 */
    else if (out)
        memset(out, 0, sizeof(*out));
    return fake_leave(w, BHT_OP_GET_PROGRESS, hr, "%s", JOB_ID(h));
}

static const char *context_text(enum bht_error_context c)
{
    switch (c) {
    case BHT_ERRCTX_NONE:
        return "No error.";
    case BHT_ERRCTX_GENERAL_QUEUE_MANAGER:
        return "The error occurred in the Background Intelligent Transfer Service (BITS).";
    case BHT_ERRCTX_QUEUE_MANAGER_NOTIFICATION:
        return "The error occurred while BITS was notifying the application.";
    case BHT_ERRCTX_LOCAL_FILE:
        return "The error occurred while processing the local file.";
    case BHT_ERRCTX_REMOTE_FILE:
        return "The error occurred while processing the remote file.";
    case BHT_ERRCTX_GENERAL_TRANSPORT:
        return "The error occurred in the transport layer.";
    case BHT_ERRCTX_REMOTE_APPLICATION:
        return "The error occurred in the remote application.";
    default:
        return "The error context is unknown.";
    }
}

static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static bht_hr do_get_error(struct bht_fake_world *w, const struct fake_job *j,
                           struct bht_job_error *out)
{
    const struct fake_error *e = &j->error;

    if (!e->present || j->state == BHT_JOB_TRANSFERRED || fake_state_is_final(j->state))
        return BG_E_ERROR_INFORMATION_UNAVAILABLE; /* C58 */
    if (WINE8(w) && !BHT_HR_IS_HTTP_STATUS(e->code))
        return BG_E_ERROR_INFORMATION_UNAVAILABLE; /* C59 Wine */
    out->context = e->context; /* C59, C65 */
    out->code = e->code;
    if (!WINE8(w)) { /* C68 Wine: descriptions are E_NOTIMPL, left empty */
        copy_text(out->description, sizeof(out->description), bht_hr_message(e->code));
        copy_text(out->context_description, sizeof(out->context_description),
                  context_text(e->context));
    }
    if (e->file >= 0 && (size_t)e->file < j->n_files) /* C66: "" when not tied to a file */
        copy_text(out->remote_name, sizeof(out->remote_name), j->files[e->file].remote);
    return S_OK;
}

static bht_hr op_get_error(void *ctx, struct bht_job *h, struct bht_job_error *out)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_GET_ERROR);

    if (out)
        memset(out, 0, sizeof(*out));
    if (hr == S_OK && (!h || !out))
        hr = E_INVALIDARG;
    if (hr == S_OK)
        hr = do_get_error(w, h->job, out);
    return fake_leave(w, BHT_OP_GET_ERROR, hr, "%s", JOB_ID(h));
}

/* ---- the end of a job ---- */

/* Its own loop (not the shape of the others here), so that the one mutant of it only a
 * sanitizer sees (`<=`: a read past the files array) has an allowlist line of its own. */
static void remove_every_temporary(struct fake_job *j)
{
    for (size_t k = 0; k < j->n_files; k++)
        if (j->files[k].temp)
            fake_fs_remove(j->files[k].temp);
}

static bht_hr do_complete(struct bht_fake_world *w, struct fake_job *j)
{
    int partial = 0, undeleted = 0;
    size_t i;
    bht_hr hr;

    if (fake_state_is_final(j->state)) {
        /* C44 Wine (measured): the refusal still acknowledges a cancelled job */
        if (WINE8(w) && j->state == BHT_JOB_CANCELLED)
            fake_job_set_state(w, j, BHT_JOB_ACKNOWLEDGED);
        return BG_E_INVALID_STATE; /* C44 */
    }
    if (WINE8(w) && j->state == BHT_JOB_ERROR) {
        remove_every_temporary(j); /* C38 Wine (measured): no file kept, not even a finished one */
        fake_job_set_state(w, j, BHT_JOB_ACKNOWLEDGED);
        return BG_S_PARTIAL_COMPLETE;
    }
    /* Renames first: on Windows a failed rename leaves the job as it was (C41). */
    for (i = 0; i < j->n_files; i++) {
        struct fake_file *f = &j->files[i];
        if (!f->done || f->renamed)
            continue;
        /* C101: the writer renames; the disk answers through the rename itself */
        hr = fake_check_destination(w, fake_destination_writer(j), f->local, 0);
        if (hr == S_OK)
            hr = fake_fs_replace(f->temp, f->local); /* C36, C43 */
        if (hr != S_OK) {
            if (!WINE8(w))
                return hr; /* C41 */
            partial = 1;   /* C41 Wine: ACKNOWLEDGED anyway */
            fake_fs_remove(f->temp);
            continue;
        }
        f->renamed = 1;
        free(f->temp);
        f->temp = NULL;
    }
    for (i = 0; i < j->n_files; i++) {
        struct fake_file *f = &j->files[i];
        if (f->done)
            continue;
        partial = 1; /* C38, C39 */
        if (f->temp && fake_fs_remove(f->temp) != S_OK)
            undeleted = 1;
    }
    fake_job_set_state(w, j, BHT_JOB_ACKNOWLEDGED);
    if (undeleted && !WINE8(w))
        return BG_S_UNABLE_TO_DELETE_FILES; /* C42 (never from Wine's Complete) */
    return partial ? BG_S_PARTIAL_COMPLETE : S_OK; /* C36, C40 */
}

static bht_hr op_complete(void *ctx, struct bht_job *h)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_COMPLETE);

    if (hr == S_OK)
        hr = h ? do_complete(w, h->job) : E_INVALIDARG;
    return fake_leave(w, BHT_OP_COMPLETE, hr, "%s", JOB_ID(h));
}

static bht_hr do_cancel(struct bht_fake_world *w, struct fake_job *j)
{
    int undeleted = 0;
    size_t i;

    if (fake_state_is_final(j->state))
        return BG_E_INVALID_STATE; /* C52 */
    for (i = 0; i < j->n_files; i++) {
        struct fake_file *f = &j->files[i];
        if (f->temp && fake_fs_remove(f->temp) != S_OK)
            undeleted = 1; /* C51 */
        /* C47/C48 Wine: the destination path goes too; deleting a file that is not there
         * fails, hence BG_S_UNABLE_TO_DELETE_FILES in the normal case. Windows never
         * touches it (C46, C48). */
        if (WINE8(w) && (!fake_fs_exists(f->local) || fake_fs_remove(f->local) != S_OK))
            undeleted = 1;
    }
    fake_job_set_state(w, j, BHT_JOB_CANCELLED); /* C46, C49, C50 */
    return undeleted ? BG_S_UNABLE_TO_DELETE_FILES : S_OK;
}

static bht_hr op_cancel(void *ctx, struct bht_job *h)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_CANCEL);

    if (hr == S_OK)
        hr = h ? do_cancel(w, h->job) : E_INVALIDARG;
    return fake_leave(w, BHT_OP_CANCEL, hr, "%s", JOB_ID(h));
}

/* ---- enumeration, clock, memory ---- */

static int job_listed(struct bht_fake_world *w, const struct fake_job *j,
                      const struct fake_user *caller, const char *prefix, size_t plen)
{
    if (!WINE8(w) && j->owner != caller)
        return 0; /* C11: only the caller's jobs; Wine lists every user's (C12) */
    return !strncmp(j->display_name, prefix, plen);
}

static bht_hr do_enum_jobs(struct bht_fake_world *w, const char *prefix,
                           struct bht_job_info **out, size_t *out_count)
{
    struct fake_user *caller = fake_caller(w).local;
    size_t n = 0, plen = strlen(prefix), k = 0;
    struct fake_job *j;
    struct bht_job_info *v;

    for (j = w->q_head; j; j = j->q_next)
        n += job_listed(w, j, caller, prefix, plen) ? 1 : 0;
    if (n == 0)
        return S_OK;
    v = calloc(n, sizeof(*v));
    if (!v)
        return E_OUTOFMEMORY;
    for (j = w->q_head; j; j = j->q_next) {
        if (!job_listed(w, j, caller, prefix, plen))
            continue;
        memcpy(v[k].id, j->id, BHT_JOB_ID_SIZE);
        copy_text(v[k].display_name, sizeof(v[k].display_name), j->display_name);
        v[k].state = j->state;
        job_progress(w, j, &v[k].progress);
        v[k].created_unix_s = w->epoch_unix_s + j->created_ms / 1000u;
        v[k].age_s = (w->now_ms - j->created_ms) / 1000u; /* on the virtual clock */
        k++;
    }
    *out = v;
    *out_count = n;
    return S_OK;
}

static bht_hr op_enum_jobs(void *ctx, const char *prefix, struct bht_job_info **out_jobs,
                           size_t *out_count)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_ENUM_JOBS);

    if (out_jobs)
        *out_jobs = NULL;
    if (out_count)
        *out_count = 0;
    if (hr == S_OK && (!out_jobs || !out_count))
        hr = E_INVALIDARG;
    if (hr == S_OK)
        hr = fake_system_unavailable(w);
    if (hr == S_OK)
        hr = do_enum_jobs(w, prefix ? prefix : "", out_jobs, out_count);
    return fake_leave(w, BHT_OP_ENUM_JOBS, hr, "\"%s\" %lu", prefix ? prefix : "",
                      (unsigned long)(out_count ? *out_count : 0));
}

static uint64_t op_clock_ms(void *ctx)
{
    return ((struct bht_fake_world *)ctx)->now_ms;
}

static void op_free_mem(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static void op_release(void *ctx, struct bht_job *h)
{
    struct fake_job *j;

    (void)ctx;
    if (!h)
        return;
    j = h->job;
    /* Releasing never cancels (BITS jobs outlive handles); a job that already left the
     * queue lives only as long as its last handle. */
    if (--j->handles == 0 && !j->in_queue)
        fake_job_free(j);
    free(h);
}

/* C117. IBackgroundCopyJob5::SetProperty(BITS_JOB_PROPERTY_ID_COST_FLAGS): "may be changed while
 * a transfer is ongoing; the new cost flags take effect immediately" [D], so a job the cost
 * policy held in QUEUED is scheduled again. Wine has no Job5 (E_NOINTERFACE); 0 and final
 * states are refused (the fake's provisional codes). */
static bht_hr do_set_cost_flags(struct bht_fake_world *w, struct fake_job *j, uint32_t flags)
{
    if (WINE8(w))
        return E_NOINTERFACE;
    if (fake_state_is_final(j->state))
        return BG_E_INVALID_STATE;
    if (!flags)
        return E_INVALIDARG;
    j->cost_flags = flags;
    if (j->state == BHT_JOB_QUEUED && j->next_ms == FAKE_NO_EVENT)
        fake_job_schedule(w, j, w->now_ms);
    return S_OK;
}

static bht_hr op_set_cost_flags(void *ctx, struct bht_job *h, uint32_t flags)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_SET_COST_FLAGS);

    if (hr == S_OK)
        hr = h ? do_set_cost_flags(w, h->job, flags) : E_INVALIDARG;
    return fake_leave(w, BHT_OP_SET_COST_FLAGS, hr, "%s 0x%08X", JOB_ID(h), (unsigned)flags);
}

const struct bht_bits_ops bht_fake_bits_ops = {
    BHT_BITS_OPS_VERSION,
    "fake",
    op_create_job,
    op_open_job,
    op_get_id,
    op_add_file,
    op_set_priority,
    op_set_notify_flags,
    op_get_notify_flags,
    op_set_implicit_credentials,
    op_get_token_options,
    op_set_helper_token,
    op_set_helper_token_flags,
    op_get_helper_token_flags,
    op_get_helper_token_sid,
    op_clear_helper_token,
    op_resume,
    op_suspend,
    op_wait,
    op_get_state,
    op_get_progress,
    op_get_error,
    op_complete,
    op_cancel,
    op_enum_jobs,
    op_clock_ms,
    op_free_mem,
    op_release,
    op_set_cost_flags,
};
