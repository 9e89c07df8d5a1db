/* bitsht: the helper-token transfer flow (docs/design.md "The core flow").
 *
 * What Microsoft's sample gets wrong and this gets right: the password is wiped right
 * after logon and never printed; a failed logon, impersonation or SetHelperToken stops
 * the job instead of transferring silently without a helper; revert happens on every
 * path, before the token is closed, and is checked; waiting blocks on the backend (no
 * spinning); every exit path leaves no job of ours in a non-final state; the outcome
 * maps to a distinct exit code. */
#include "bitsht/job.h"
#include "bitsht/system.h"
#include "destination.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct flow {
    const struct bht_backend *be;
    const struct bht_bits_ops *bits;
    const struct bht_identity_ops *id;
    const struct bht_request *req;
    struct bht_report *rep;
    struct bht_job *job;
    struct bht_token *token; /* kept open until the end: BG_E_TOKEN_REQUIRED recovery */
    uint64_t start_ms;
    enum bht_job_state last_state;
    enum bht_step step; /* the stage in progress, for events */
};

void bht_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;

    while (n--)
        *v++ = 0;
}

static void wipe_password(const struct bht_request *req)
{
    if (req->password)
        bht_wipe(req->password, strlen(req->password));
}

static uint64_t elapsed(const struct flow *f)
{
    return f->bits->clock_ms(f->be->bits_ctx) - f->start_ms;
}

static void emit(struct flow *f, enum bht_event_kind kind, const struct bht_job_error *err)
{
    struct bht_event ev;

    if (!f->req->on_event)
        return;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.step = f->step;
    ev.state = f->last_state;
    ev.progress = f->rep->progress;
    ev.error = err;
    ev.elapsed_ms = elapsed(f);
    ev.job_id = f->rep->job_id;
    f->req->on_event(f->req->event_user, &ev);
}

static void stage(struct flow *f, enum bht_step step)
{
    f->step = step;
    emit(f, BHT_EVENT_STAGE, NULL);
}

/* Records the first failure only: later cleanup errors must not hide the cause. */
static bht_hr record(struct flow *f, enum bht_outcome outcome, enum bht_step step, bht_hr hr,
                     const char *fmt, va_list ap)
{
    if (f->rep->failed_step != BHT_STEP_NONE)
        return hr;
    f->rep->outcome = outcome;
    f->rep->failed_step = step;
    f->rep->hr = hr;
    vsnprintf(f->rep->detail, sizeof f->rep->detail, fmt, ap);
    return hr;
}

/* A call failed with hr. A call that cannot reach BITS (the service stopped, its proxy
 * disconnected) is "unavailable" whatever the step: exit 5, not a failed transfer. */
static bht_hr fail(struct flow *f, enum bht_outcome outcome, enum bht_step step, bht_hr hr,
                   const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    hr = record(f, bht_hr_means_unavailable(hr) ? BHT_OUTCOME_UNAVAILABLE : outcome, step, hr,
                fmt, ap);
    va_end(ap);
    return hr;
}

/* BITS reported code as the job's own error: always a failed transfer (an SMB server that
 * is down gives RPC_S_SERVER_UNAVAILABLE here, and BITS itself is fine). */
static bht_hr fail_job_error(struct flow *f, bht_hr code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    code = record(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_TRANSFER, code, fmt, ap);
    va_end(ap);
    return code;
}

static bool has_http_remote(const struct bht_request *req)
{
    for (size_t i = 0; i < req->file_count; i++) {
        const char *r = req->files[i].remote;
        if ((r[0] == 'h' || r[0] == 'H') && strstr(r, "://"))
            return true;
    }
    return false;
}

/* Impersonate the helper, hand BITS its token and the flags, and always revert
 * (docs/design.md step 3). Called with f->token open. */
static bht_hr install_helper_token(struct flow *f)
{
    void *bctx = f->be->bits_ctx, *ictx = f->be->identity_ctx;
    bht_hr hr, rhr;

    stage(f, BHT_STEP_IMPERSONATE);
    hr = f->id->impersonate(ictx, f->token);
    if (BHT_FAILED(hr)) {
        /* C106: on failure the thread keeps the process identity; never fall through to
         * SetHelperToken, which would capture the owner's token instead (C89). */
        return fail(f, BHT_OUTCOME_TOKEN_FAILED, BHT_STEP_IMPERSONATE, hr,
                    "could not impersonate the helper user");
    }
    stage(f, BHT_STEP_SET_HELPER_TOKEN);
    hr = f->bits->set_helper_token(bctx, f->job);
    if (BHT_FAILED(hr)) {
        fail(f, BHT_OUTCOME_TOKEN_FAILED, BHT_STEP_SET_HELPER_TOKEN, hr,
             hr == E_ACCESSDENIED
                 ? "BITS refused the helper token (an administrator helper needs an "
                   "administrator job owner)"
                 : "BITS refused the helper token");
    } else {
        stage(f, BHT_STEP_SET_TOKEN_FLAGS);
        hr = f->bits->set_helper_token_flags(bctx, f->job, f->req->token_flags);
        if (BHT_FAILED(hr))
            fail(f, BHT_OUTCOME_TOKEN_FAILED, BHT_STEP_SET_TOKEN_FLAGS, hr,
                 "BITS refused the helper token flags");
    }
    stage(f, BHT_STEP_REVERT);
    rhr = f->id->revert(ictx);
    if (BHT_FAILED(rhr))
        rhr = f->id->revert(ictx); /* once more: nothing may run as the helper after this */
    if (BHT_FAILED(rhr)) {
        fail(f, BHT_OUTCOME_TOKEN_FAILED, BHT_STEP_REVERT, rhr,
             "could not stop impersonating the helper user");
        return rhr;
    }
    return hr;
}

static bht_hr setup_helper_token(struct flow *f)
{
    const struct bht_request *req = f->req;
    bht_hr hr;

    /* C87, §3.4 rule 2: the access check happens when the interface is obtained, and
     * must be made as the owner; on Wine this is where we learn there are no helper
     * tokens at all, before any logon is attempted. */
    stage(f, BHT_STEP_TOKEN_OPTIONS);
    hr = f->bits->get_token_options(f->be->bits_ctx, f->job);
    if (BHT_FAILED(hr)) {
        wipe_password(req); /* no logon will come */
        return fail(f, BHT_OUTCOME_TOKEN_FAILED, BHT_STEP_TOKEN_OPTIONS, hr,
                    hr == E_NOINTERFACE
                        ? "this BITS has no IBitsTokenOptions: helper tokens are not supported "
                          "here (use --no-helper-token to transfer as yourself)"
                        : "BITS refused the helper-token interface to the job owner");
    }
    stage(f, BHT_STEP_LOGON);
    hr = f->id->logon(f->be->identity_ctx, req->domain ? req->domain : "", req->user,
                      req->password, req->logon_type, &f->token);
    wipe_password(req);
    if (BHT_FAILED(hr)) {
        f->token = NULL;
        return fail(f, BHT_OUTCOME_TOKEN_FAILED, BHT_STEP_LOGON, hr,
                    "could not log on the helper user");
    }
    hr = install_helper_token(f);
    if (BHT_FAILED(hr))
        return hr;
    /* §3.4 rule 4: without implicit credentials BITS never answers an HTTP challenge
     * with the helper. */
    if ((req->token_flags & BHT_TOKEN_NETWORK) && has_http_remote(req)) {
        stage(f, BHT_STEP_SET_CREDENTIALS);
        hr = f->bits->set_implicit_credentials(f->be->bits_ctx, f->job);
        if (BHT_FAILED(hr))
            return fail(f, BHT_OUTCOME_TOKEN_FAILED, BHT_STEP_SET_CREDENTIALS, hr,
                        "BITS refused implicit credentials for the helper");
    }
    return S_OK;
}

static void refresh_progress(struct flow *f)
{
    struct bht_progress p;

    if (BHT_SUCCEEDED(f->bits->get_progress(f->be->bits_ctx, f->job, &p)))
        f->rep->progress = p;
}

/* The job's current error object into the report; none when BITS gives none (Wine, C59),
 * so a stale error from an earlier transient state is never reported as this one. */
static void read_bits_error(struct flow *f)
{
    memset(&f->rep->bits_error, 0, sizeof f->rep->bits_error);
    f->rep->has_bits_error =
        BHT_SUCCEEDED(f->bits->get_error(f->be->bits_ctx, f->job, &f->rep->bits_error));
}

/* BG_E_TOKEN_REQUIRED (C100): BITS dropped the helper token (the owner logged off).
 * The password is long gone, so the still-open logon token is impersonated again. */
static bht_hr recover_token(struct flow *f)
{
    bht_hr hr;

    f->rep->token_recoveries++;
    emit(f, BHT_EVENT_TOKEN_RECOVERY, &f->rep->bits_error);
    hr = install_helper_token(f);
    if (BHT_FAILED(hr))
        return hr;
    stage(f, BHT_STEP_RESUME);
    hr = f->bits->resume(f->be->bits_ctx, f->job);
    if (BHT_FAILED(hr))
        return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_RESUME, hr,
                    "could not resume the job after restoring the helper token");
    f->rep->has_bits_error = 0;
    return S_OK;
}

/* Issue 13 item 2: validation saw no destination, but a file may have appeared while
 * BITS transferred, and Complete would replace it (C43). Checked as late as the API
 * allows; the job is then cancelled, so the downloaded data is discarded and the
 * user's file kept (the window between this check and Complete stays). */
static bht_hr check_destinations_still_absent(struct flow *f)
{
    for (size_t i = 0; i < f->req->file_count; i++) {
        int err;
        if (bht_dest_status(f->req->files[i].local, &err) != BHT_DEST_ABSENT)
            return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_COMPLETE, BHT_E_FILE_EXISTS,
                        "file %zu: '%s' appeared during the transfer; it was kept, the job was "
                        "cancelled and the downloaded data discarded (use --overwrite to "
                        "replace it)",
                        i + 1, f->req->files[i].local);
    }
    return S_OK;
}

static bht_hr finish_transferred(struct flow *f)
{
    bht_hr hr;

    stage(f, BHT_STEP_COMPLETE);
    refresh_progress(f); /* the figures as the job ends */
    if (!f->req->overwrite && BHT_FAILED(hr = check_destinations_still_absent(f)))
        return hr;
    hr = f->bits->complete(f->be->bits_ctx, f->job);
    if (hr == S_OK)
        return S_OK;
    if (BHT_SUCCEEDED(hr)) /* BG_S_PARTIAL_COMPLETE: a file did not make it (C38, C41 Wine) */
        return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_COMPLETE, hr,
                    "BITS completed only some of the files");
    return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_COMPLETE, hr,
                "BITS could not move the downloaded files into place");
}

/* Wait for an outcome (docs/design.md step 5). Returns S_OK once the job is TRANSFERRED, a
 * failure otherwise (already recorded in the report). */
static bht_hr wait_for_outcome(struct flow *f)
{
    const struct bht_request *req = f->req;
    void *bctx = f->be->bits_ctx;
    uint64_t deadline = req->timeout_s ? f->start_ms + (uint64_t)req->timeout_s * 1000u : 0;
    bht_hr hr;

    stage(f, BHT_STEP_WAIT);
    for (;;) {
        uint64_t now = f->bits->clock_ms(bctx);
        uint64_t slice = UINT32_MAX;
        enum bht_job_state st;

        if (req->interrupted && req->interrupted(req->event_user))
            return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_WAIT, BHT_E_CANCELLED,
                        "interrupted; the job was cancelled");
        if (deadline) {
            if (now >= deadline)
                return fail(f, BHT_OUTCOME_TIMEOUT, BHT_STEP_WAIT, BHT_E_TIMEOUT,
                            "the job did not finish within %u seconds", (unsigned)req->timeout_s);
            slice = deadline - now;
        }
        if (req->progress_interval_ms && slice > req->progress_interval_ms)
            slice = req->progress_interval_ms;
        if (slice > UINT32_MAX)
            slice = UINT32_MAX;
        hr = f->bits->wait(bctx, f->job, (uint32_t)slice, &st);
        if (BHT_FAILED(hr))
            return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_WAIT, hr,
                        "lost track of the job while waiting");
        if (st != f->last_state) {
            f->last_state = st;
            refresh_progress(f);
            emit(f, BHT_EVENT_STATE, NULL);
            if (st == BHT_JOB_TRANSIENT_ERROR) {
                f->rep->transient_errors++;
                read_bits_error(f);
                emit(f, BHT_EVENT_TRANSIENT, f->rep->has_bits_error ? &f->rep->bits_error : NULL);
                if (req->max_transient >= 0 &&
                    f->rep->transient_errors > (unsigned)req->max_transient)
                    return fail_job_error(f,
                                f->rep->has_bits_error ? f->rep->bits_error.code : E_FAIL,
                                "gave up after %u transient errors (--max-transient %d)",
                                f->rep->transient_errors, req->max_transient);
            }
        } else if (req->progress_interval_ms) {
            refresh_progress(f);
            emit(f, BHT_EVENT_PROGRESS, NULL);
        }
        switch (st) {
        case BHT_JOB_TRANSFERRED:
            return S_OK;
        case BHT_JOB_ERROR:
            read_bits_error(f);
            if (f->rep->has_bits_error && f->rep->bits_error.code == BG_E_TOKEN_REQUIRED &&
                f->token && f->rep->token_recoveries == 0) {
                hr = recover_token(f);
                if (BHT_FAILED(hr))
                    return hr;
                continue;
            }
            return fail_job_error(f, f->rep->has_bits_error ? f->rep->bits_error.code : E_FAIL,
                        f->rep->has_bits_error
                            ? "BITS reported an error for the job"
                            : "BITS put the job in ERROR and gave no error details (Wine "
                              "gives them only for HTTP status errors)");
        case BHT_JOB_ACKNOWLEDGED:
        case BHT_JOB_CANCELLED:
            return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_WAIT, BHT_E_CANCELLED,
                        "another program %s the job",
                        st == BHT_JOB_CANCELLED ? "cancelled" : "completed");
        default:
            break; /* QUEUED..TRANSFERRING, TRANSIENT_ERROR, SUSPENDED: keep waiting */
        }
    }
}

static void cancel_job(struct flow *f)
{
    enum bht_job_state st;
    bht_hr hr;

    stage(f, BHT_STEP_CANCEL);
    hr = f->bits->cancel(f->be->bits_ctx, f->job);
    if (BHT_FAILED(hr) &&
        (BHT_FAILED(f->bits->get_state(f->be->bits_ctx, f->job, &st)) ||
         (st != BHT_JOB_CANCELLED && st != BHT_JOB_ACKNOWLEDGED)))
        f->rep->job_left_in_queue = 1;
}

/* --allow-metered: transfer whatever the network costs. A BITS without
 * IBackgroundCopyJob5 (before Windows 8, Wine) gets a warning and the transfer goes on. */
static bht_hr allow_metered(struct flow *f)
{
    const struct bht_bits_ops *bits = f->bits;
    bht_hr hr = E_NOINTERFACE;

    stage(f, BHT_STEP_SET_COST_FLAGS);
    if (bits->version >= 2 && bits->set_cost_flags)
        hr = bits->set_cost_flags(f->be->bits_ctx, f->job, BHT_BITS_COST_TRANSFER_ALWAYS);
    if (hr == E_NOINTERFACE || hr == E_NOTIMPL) {
        f->rep->cost_flags = -1;
        emit(f, BHT_EVENT_COST_FLAGS_UNSUPPORTED, NULL);
        return S_OK;
    }
    if (BHT_FAILED(hr))
        return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_SET_COST_FLAGS, hr,
                    "BITS refused the job's cost flags");
    f->rep->cost_flags = 1;
    return S_OK;
}

static bht_hr run_job(struct flow *f)
{
    const struct bht_request *req = f->req;
    void *bctx = f->be->bits_ctx;
    bht_hr hr;

    if (req->use_helper_token) {
        hr = setup_helper_token(f);
        if (BHT_FAILED(hr))
            return hr;
    }
    if (req->priority >= 0) {
        stage(f, BHT_STEP_SET_PRIORITY);
        hr = f->bits->set_priority(bctx, f->job, (enum bht_priority)req->priority);
        if (BHT_FAILED(hr))
            return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_SET_PRIORITY, hr,
                        "BITS refused the priority");
    }
    if (req->allow_metered) {
        hr = allow_metered(f);
        if (BHT_FAILED(hr))
            return hr;
    }
    stage(f, BHT_STEP_ADD_FILE);
    for (size_t i = 0; i < req->file_count; i++) {
        hr = f->bits->add_file(bctx, f->job, req->files[i].remote, req->files[i].local);
        if (BHT_FAILED(hr))
            return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_ADD_FILE, hr,
                        "BITS refused file %zu (%s -> %s)", i + 1, req->files[i].remote,
                        req->files[i].local);
    }
    stage(f, BHT_STEP_RESUME);
    hr = f->bits->resume(bctx, f->job);
    if (BHT_FAILED(hr))
        return fail(f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_RESUME, hr,
                    "BITS could not start the job");
    {
        enum bht_job_state st;
        if (BHT_SUCCEEDED(f->bits->get_state(bctx, f->job, &st)) && st != f->last_state) {
            f->last_state = st; /* QUEUED: shown before the first wait */
            emit(f, BHT_EVENT_STATE, NULL);
        }
    }
    hr = wait_for_outcome(f);
    if (BHT_FAILED(hr))
        return hr;
    return finish_transferred(f);
}

bht_hr bht_run_transfer(const struct bht_backend *be, const struct bht_request *req,
                        struct bht_report *rep)
{
    struct flow f;
    char name[4 * BHT_DISPLAY_NAME_MAX + 1];
    bht_hr hr;

    if (!rep)
        return E_POINTER;
    memset(rep, 0, sizeof *rep);
    rep->final_state = BHT_JOB_SUSPENDED;
    if (!be || !req) {
        if (req)
            wipe_password(req);
        rep->outcome = BHT_OUTCOME_BAD_INPUT;
        rep->failed_step = BHT_STEP_VALIDATE;
        rep->hr = E_POINTER;
        return E_POINTER;
    }
    if (BHT_FAILED(bht_bits_ops_check(be->bits)) ||
        (req->use_helper_token && BHT_FAILED(bht_identity_ops_check(be->identity)))) {
        wipe_password(req);
        rep->outcome = BHT_OUTCOME_UNAVAILABLE;
        rep->failed_step = BHT_STEP_VALIDATE;
        rep->hr = E_INVALIDARG;
        snprintf(rep->detail, sizeof rep->detail, "the BITS backend is incomplete");
        return E_INVALIDARG;
    }
    memset(&f, 0, sizeof f);
    f.be = be;
    f.bits = be->bits;
    f.id = be->identity;
    f.req = req;
    f.rep = rep;
    f.start_ms = f.bits->clock_ms(be->bits_ctx);
    f.last_state = BHT_JOB_SUSPENDED;

    stage(&f, BHT_STEP_VALIDATE);
    hr = bht_request_validate(req, rep);
    if (BHT_FAILED(hr)) {
        wipe_password(req);
        rep->elapsed_ms = elapsed(&f);
        return hr;
    }

    if (req->interrupted && req->interrupted(req->event_user)) {
        /* Ctrl-C while validating (a slow or hung file system): no job, no logon. */
        wipe_password(req);
        fail(&f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_CREATE_JOB, BHT_E_CANCELLED,
             "interrupted before the job was created; nothing was queued");
        rep->elapsed_ms = elapsed(&f);
        return BHT_E_CANCELLED;
    }
    snprintf(name, sizeof name, "%s%s", BHT_NAME_PREFIX,
             req->display_name ? req->display_name : "transfer");
    stage(&f, BHT_STEP_CREATE_JOB);
    hr = f.bits->create_job(be->bits_ctx, name, &f.job);
    if (BHT_FAILED(hr)) {
        f.job = NULL;
        wipe_password(req);
        fail(&f, BHT_OUTCOME_TRANSFER_FAILED, BHT_STEP_CREATE_JOB, hr,
             "BITS could not create the job");
        rep->elapsed_ms = elapsed(&f);
        return hr;
    }
    rep->job_created = 1;
    if (BHT_FAILED(f.bits->get_id(be->bits_ctx, f.job, rep->job_id)))
        rep->job_id[0] = '\0';

    hr = run_job(&f);
    wipe_password(req);
    if (BHT_FAILED(hr) || rep->failed_step != BHT_STEP_NONE) {
        refresh_progress(&f);
        cancel_job(&f);
    } else {
        rep->outcome = BHT_OUTCOME_SUCCESS;
    }
    if (BHT_FAILED(f.bits->get_state(be->bits_ctx, f.job, &rep->final_state)))
        rep->final_state = rep->failed_step == BHT_STEP_NONE ? BHT_JOB_ACKNOWLEDGED
                                                             : BHT_JOB_CANCELLED;
    f.bits->release(be->bits_ctx, f.job);
    if (f.token)
        f.id->close(be->identity_ctx, f.token);
    rep->elapsed_ms = elapsed(&f);
    if (rep->failed_step == BHT_STEP_NONE)
        rep->hr = S_OK;
    stage(&f, BHT_STEP_DONE);
    return rep->hr;
}

int bht_outcome_exit_code(enum bht_outcome outcome)
{
    switch (outcome) {
    case BHT_OUTCOME_SUCCESS: return 0;
    case BHT_OUTCOME_TRANSFER_FAILED: return 1;
    case BHT_OUTCOME_BAD_INPUT: return 2;
    case BHT_OUTCOME_TOKEN_FAILED: return 3;
    case BHT_OUTCOME_TIMEOUT: return 4;
    case BHT_OUTCOME_UNAVAILABLE: return 5;
    }
    return 1;
}

const char *bht_outcome_name(enum bht_outcome outcome)
{
    switch (outcome) {
    case BHT_OUTCOME_SUCCESS: return "success";
    case BHT_OUTCOME_TRANSFER_FAILED: return "transfer_failed";
    case BHT_OUTCOME_BAD_INPUT: return "bad_input";
    case BHT_OUTCOME_TOKEN_FAILED: return "token_failed";
    case BHT_OUTCOME_TIMEOUT: return "timeout";
    case BHT_OUTCOME_UNAVAILABLE: return "unavailable";
    }
    return "unknown";
}

const char *bht_step_name(enum bht_step step)
{
    static const char *const names[] = {
        "none", "validate", "create_job", "token_options", "logon", "impersonate",
        "set_helper_token", "set_token_flags", "revert", "set_credentials", "set_priority",
        "set_cost_flags", "add_file", "resume", "wait", "transfer", "complete", "cancel", "done",
    };
    return ((unsigned)step < sizeof names / sizeof names[0]) ? names[step] : "unknown";
}
