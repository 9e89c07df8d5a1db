/* bitsht: struct bht_bits_ops over the real BITS (IBackgroundCopyManager and friends).
 *
 * COM in C through lpVtbl. Strings cross this file's edge in UTF-8 and are UTF-16 inside;
 * everything handed back to callers (strings, arrays) is CoTaskMemAlloc'd and free_mem is
 * CoTaskMemFree. Row ids (C..) are docs/contract.md's. */
#include <windows.h>
#include <objbase.h>
#include <bits.h>
#include <bits1_5.h>
#include <bits5_0.h>

#include <stdlib.h>
#include <string.h>

#include "bits4_0_compat.h"
#include "com_callback.h"
#include "com_internal.h"
#include "utf.h"

/* wait re-reads the state at least this often: Wine never calls JobError (C80), so a job
 * that fails is seen only by polling, and the issue asks for errors within about 1 s. */
#define BHT_COM_POLL_MS 200u

/* How long cancel waits for BITS's Cancel call to return before it answers ERROR_TIMEOUT
 * and leaves the call running on its own thread. */
#define BHT_COM_CANCEL_WAIT_MS 3000u

/* 100-ns intervals between 1601-01-01 (FILETIME) and 1970-01-01 */
#define BHT_FILETIME_UNIX_EPOCH 116444736000000000ULL

struct bht_job {
    IBackgroundCopyJob *job;
    IBitsTokenOptions *token_options;  /* NULL until QueryInterface succeeded (C87) */
    IBackgroundCopyCallback *callback; /* NULL when the job refused the notify interface */
};

static struct bht_com_bits *com_ctx(void *ctx)
{
    return ctx;
}

static HRESULT set_blanket(IUnknown *proxy)
{
    /* IMPERSONATE so that BITS can capture a helper token, dynamic cloaking so that it sees
     * the thread's impersonation token rather than the process token (C88-C90); the
     * authentication level is COM's own negotiated default, never lower */
    HRESULT hr = CoSetProxyBlanket(proxy, RPC_C_AUTHN_DEFAULT, RPC_C_AUTHZ_DEFAULT,
                                   COLE_DEFAULT_PRINCIPAL, RPC_C_AUTHN_LEVEL_DEFAULT,
                                   RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_DYNAMIC_CLOAKING);

    /* E_NOINTERFACE: an in-process object, nothing to secure. E_NOTIMPL: Wine 8's proxies
     * (measured on every proxy of its BITS), whose COM does no security at all */
    return hr == E_NOINTERFACE || hr == E_NOTIMPL ? S_OK : hr;
}

HRESULT bht_com_secure_proxy(IUnknown *proxy)
{
    IUnknown *unknown = NULL;
    HRESULT hr;

    if (!proxy)
        return S_OK;
    hr = set_blanket(proxy);
    if (FAILED(hr))
        return hr;
    /* QueryInterface goes through the object's IUnknown proxy, which has a blanket of its
     * own: IBitsTokenOptions is obtained there, and that is where BITS checks access
     * (C87), so it needs the same settings */
    hr = IUnknown_QueryInterface(proxy, &IID_IUnknown, (void **)&unknown);
    if (FAILED(hr))
        return hr;
    hr = set_blanket(unknown);
    IUnknown_Release(unknown);
    return hr;
}

static int state_needs_action(BG_JOB_STATE st)
{
    /* §3.3: TRANSIENT_ERROR is waited through, everything in this list is the caller's */
    return st == BG_JOB_STATE_TRANSFERRED || st == BG_JOB_STATE_ERROR ||
           st == BG_JOB_STATE_ACKNOWLEDGED || st == BG_JOB_STATE_CANCELLED;
}

/* Wraps a job interface (taking over its reference) into a handle; with_callback also
 * registers this handle's callback as the job's notify interface. */
static bht_hr wrap_job(IBackgroundCopyJob *job, int with_callback, struct bht_job **out_job)
{
    struct bht_job *h;
    HRESULT hr;

    *out_job = NULL;
    h = calloc(1, sizeof *h);
    if (!h) {
        IBackgroundCopyJob_Release(job);
        return E_OUTOFMEMORY;
    }
    h->job = job;
    hr = bht_com_secure_proxy((IUnknown *)job);
    if (FAILED(hr))
        goto fail;
    if (!with_callback) {
        *out_job = h;
        return S_OK;
    }
    hr = bht_com_callback_new(&h->callback);
    if (FAILED(hr))
        goto fail;
    /* A job that refuses the callback (final state, C77) is still usable: wait polls. */
    if (FAILED(IBackgroundCopyJob_SetNotifyInterface(job, (IUnknown *)h->callback))) {
        IBackgroundCopyCallback_Release(h->callback);
        h->callback = NULL;
    }
    *out_job = h;
    return S_OK;
fail:
    IBackgroundCopyJob_Release(job);
    free(h);
    return hr;
}

/* A NULL string for a BITS [in, string] argument. The out-of-process proxy refuses it with
 * RPC_X_NULL_REF_POINTER (C03, C19; measured on Wine 8), so the backend answers the same
 * without making the call: on Wine 8 the proxy raises and catches an RPC exception for it,
 * and a later longjmp in the same process (cmocka's skip/fail) then crashes (measured). */
static HRESULT null_ref_pointer(void)
{
    return HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER);
}

void bht_com_job_notifications(const struct bht_job *job, long *out_transferred,
                               long *out_error)
{
    *out_transferred = job->callback ? bht_com_callback_transferred_calls(job->callback) : -1;
    *out_error = job->callback ? bht_com_callback_error_calls(job->callback) : -1;
}

static bht_hr com_create_job(void *ctx, const char *display_name, struct bht_job **out_job)
{
    struct bht_com_bits *bits = com_ctx(ctx);
    IBackgroundCopyJob *job = NULL;
    WCHAR *name = NULL;
    GUID id;
    HRESULT hr;

    *out_job = NULL;
    if (!display_name)
        return null_ref_pointer();
    hr = bht_utf8_to_utf16(display_name, &name);
    if (FAILED(hr))
        return hr;
    hr = IBackgroundCopyManager_CreateJob(bits->manager, name, BG_JOB_TYPE_DOWNLOAD, &id, &job);
    bht_utf16_free(name);
    if (FAILED(hr))
        return hr;
    return wrap_job(job, 1, out_job);
}

static bht_hr com_open_job(void *ctx, const char *job_id, struct bht_job **out_job)
{
    struct bht_com_bits *bits = com_ctx(ctx);
    IBackgroundCopyJob *job = NULL;
    WCHAR *wid = NULL;
    GUID id;
    HRESULT hr;

    *out_job = NULL;
    hr = bht_utf8_to_utf16(job_id, &wid);
    if (FAILED(hr))
        return hr;
    hr = CLSIDFromString(wid, &id); /* "{GUID}" syntax, no registry lookup for braces */
    bht_utf16_free(wid);
    if (FAILED(hr))
        return E_INVALIDARG;
    hr = IBackgroundCopyManager_GetJob(bits->manager, &id, &job);
    if (FAILED(hr))
        return hr;
    /* A job has one notify interface and the last caller wins (C78): registering here
     * would steal the notifications of the process that created the job (another bitsht
     * still waiting on it). wait on an opened job polls instead. */
    return wrap_job(job, 0, out_job);
}

static bht_hr com_get_id(void *ctx, struct bht_job *job, char *out_id)
{
    WCHAR wid[BHT_JOB_ID_SIZE];
    GUID id;
    HRESULT hr;
    int i;

    (void)ctx;
    out_id[0] = '\0';
    hr = IBackgroundCopyJob_GetId(job->job, &id);
    if (FAILED(hr))
        return hr;
    if (StringFromGUID2(&id, wid, BHT_JOB_ID_SIZE) != BHT_JOB_ID_SIZE)
        return E_UNEXPECTED;
    for (i = 0; i < BHT_JOB_ID_SIZE; ++i) /* hex digits, dashes and braces: plain ASCII */
        out_id[i] = (char)wid[i];
    return S_OK;
}

static bht_hr com_add_file(void *ctx, struct bht_job *job, const char *remote,
                           const char *local)
{
    WCHAR *wremote = NULL, *wlocal = NULL;
    HRESULT hr;

    (void)ctx;
    if (!remote || !local)
        return null_ref_pointer();
    hr = bht_utf8_to_utf16(remote, &wremote);
    if (SUCCEEDED(hr))
        hr = bht_utf8_to_utf16(local, &wlocal);
    if (SUCCEEDED(hr))
        hr = IBackgroundCopyJob_AddFile(job->job, wremote, wlocal);
    bht_utf16_free(wremote);
    bht_utf16_free(wlocal);
    return hr;
}

static bht_hr com_set_priority(void *ctx, struct bht_job *job, enum bht_priority priority)
{
    (void)ctx;
    return IBackgroundCopyJob_SetPriority(job->job, (BG_JOB_PRIORITY)priority);
}

static bht_hr com_set_notify_flags(void *ctx, struct bht_job *job, uint32_t flags)
{
    (void)ctx;
    return IBackgroundCopyJob_SetNotifyFlags(job->job, (ULONG)flags);
}

static bht_hr com_get_notify_flags(void *ctx, struct bht_job *job, uint32_t *out_flags)
{
    ULONG flags = 0;
    HRESULT hr;

    (void)ctx;
    hr = IBackgroundCopyJob_GetNotifyFlags(job->job, &flags);
    *out_flags = SUCCEEDED(hr) ? (uint32_t)flags : 0;
    return hr;
}

static bht_hr com_set_implicit_credentials(void *ctx, struct bht_job *job)
{
    /* every target that can challenge (the server, and a proxy in between) with every
     * scheme the helper's logon can answer (C114, win32 Bits/authentication.md) */
    static const BG_AUTH_TARGET targets[] = { BG_AUTH_TARGET_SERVER, BG_AUTH_TARGET_PROXY };
    static const BG_AUTH_SCHEME schemes[] = { BG_AUTH_SCHEME_NEGOTIATE, BG_AUTH_SCHEME_NTLM };
    IBackgroundCopyJob2 *job2 = NULL;
    HRESULT hr;
    size_t i;

    (void)ctx;
    hr = IBackgroundCopyJob_QueryInterface(job->job, &IID_IBackgroundCopyJob2, (void **)&job2);
    if (FAILED(hr))
        return hr;
    hr = bht_com_secure_proxy((IUnknown *)job2);
    /* NULL user and password = "use the caller's (helper's) logon credentials" for an
     * NTLM/Kerberos challenge; without it BITS never answers with the helper (C101, §3.4
     * rule 4) */
    for (i = 0; SUCCEEDED(hr) && i < 4; ++i) {
        BG_AUTH_CREDENTIALS cred;

        memset(&cred, 0, sizeof cred);
        cred.Target = targets[i / 2];
        cred.Scheme = schemes[i % 2];
        cred.Credentials.Basic.UserName = NULL;
        cred.Credentials.Basic.Password = NULL;
        hr = IBackgroundCopyJob2_SetCredentials(job2, &cred);
    }
    IBackgroundCopyJob2_Release(job2);
    return hr;
}

static bht_hr com_get_token_options(void *ctx, struct bht_job *job)
{
    IBitsTokenOptions *opts = NULL;
    HRESULT hr;

    (void)ctx;
    if (job->token_options)
        return S_OK;
    /* C87: Windows checks access here, so it must run as the owner, not impersonating.
     * Wine 8 has no such interface: E_NOINTERFACE. */
    hr = IBackgroundCopyJob_QueryInterface(job->job, &IID_IBitsTokenOptions, (void **)&opts);
    if (FAILED(hr))
        return hr;
    hr = bht_com_secure_proxy((IUnknown *)opts);
    if (FAILED(hr)) {
        IBitsTokenOptions_Release(opts);
        return hr;
    }
    job->token_options = opts;
    return S_OK;
}

/* The token options of job. A caller that skipped get_token_options gets it queried now
 * (which is right only if it is still the owner: the core always asks first). */
static HRESULT token_options(void *ctx, struct bht_job *job, IBitsTokenOptions **out)
{
    HRESULT hr = com_get_token_options(ctx, job);

    *out = SUCCEEDED(hr) ? job->token_options : NULL;
    return hr;
}

static bht_hr com_set_helper_token(void *ctx, struct bht_job *job)
{
    IBitsTokenOptions *opts;
    HRESULT hr = token_options(ctx, job, &opts);

    /* C88: BITS captures the identity it sees for this call, i.e. the thread's
     * impersonation token thanks to dynamic cloaking */
    return FAILED(hr) ? hr : IBitsTokenOptions_SetHelperToken(opts);
}

static bht_hr com_set_helper_token_flags(void *ctx, struct bht_job *job, uint32_t flags)
{
    IBitsTokenOptions *opts;
    HRESULT hr = token_options(ctx, job, &opts);

    return FAILED(hr) ? hr : IBitsTokenOptions_SetHelperTokenFlags(opts, (DWORD)flags);
}

static bht_hr com_get_helper_token_flags(void *ctx, struct bht_job *job, uint32_t *out_flags)
{
    IBitsTokenOptions *opts;
    DWORD flags = 0;
    HRESULT hr = token_options(ctx, job, &opts);

    *out_flags = 0;
    if (FAILED(hr))
        return hr;
    hr = IBitsTokenOptions_GetHelperTokenFlags(opts, &flags);
    if (SUCCEEDED(hr))
        *out_flags = (uint32_t)flags;
    return hr;
}

static bht_hr com_get_helper_token_sid(void *ctx, struct bht_job *job, char **out_sid)
{
    IBitsTokenOptions *opts;
    LPWSTR wsid = NULL;
    HRESULT hr = token_options(ctx, job, &opts);

    *out_sid = NULL;
    if (FAILED(hr))
        return hr;
    hr = IBitsTokenOptions_GetHelperTokenSid(opts, &wsid);
    if (FAILED(hr) || !wsid) /* C96: no helper token is S_OK with NULL */
        return hr;
    hr = bht_utf16_to_utf8_cotask(wsid, out_sid);
    CoTaskMemFree(wsid);
    return hr;
}

static bht_hr com_clear_helper_token(void *ctx, struct bht_job *job)
{
    IBitsTokenOptions *opts;
    HRESULT hr = token_options(ctx, job, &opts);

    return FAILED(hr) ? hr : IBitsTokenOptions_ClearHelperToken(opts);
}

static bht_hr com_resume(void *ctx, struct bht_job *job)
{
    (void)ctx;
    return IBackgroundCopyJob_Resume(job->job);
}

static bht_hr com_suspend(void *ctx, struct bht_job *job)
{
    (void)ctx;
    return IBackgroundCopyJob_Suspend(job->job); /* E_NOTIMPL on Wine 8 (C34) */
}

static bht_hr com_get_state(void *ctx, struct bht_job *job, enum bht_job_state *out_state)
{
    BG_JOB_STATE st = BG_JOB_STATE_QUEUED;
    HRESULT hr;

    (void)ctx;
    hr = IBackgroundCopyJob_GetState(job->job, &st);
    *out_state = SUCCEEDED(hr) ? (enum bht_job_state)st : BHT_JOB_QUEUED;
    return hr;
}

/* The messages a wait pumps for its apartment. A WM_QUIT it takes off the queue belongs to
 * the host's own message loop: the wait keeps it and posts it again when it returns, and
 * until then stops waking on input (a pending quit would wake it at once, every time). */
struct pump {
    int quit_seen;
    WPARAM quit_code;
};

/* Lets COM deliver calls into this apartment (an STA receives the callback through its
 * message queue). */
static void pump_messages(struct pump *p)
{
    MSG msg;

    while (!p->quit_seen && PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
        if (msg.message == WM_QUIT) {
            p->quit_seen = 1;
            p->quit_code = msg.wParam;
            break;
        }
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
}

static DWORD pump_wake_mask(const struct pump *p)
{
    return p->quit_seen ? 0 : QS_ALLINPUT;
}

/* Hands a quit taken by the wait back to the thread's queue. */
static void pump_finish(const struct pump *p)
{
    if (p->quit_seen)
        PostQuitMessage((int)p->quit_code);
}

static bht_hr wait_pumping(void *ctx, struct bht_job *job, uint32_t timeout_ms,
                           enum bht_job_state *out_state, struct pump *pump)
{
    HANDLE wake = job->callback ? bht_com_callback_event(job->callback) : NULL;
    ULONGLONG start = GetTickCount64();
    enum bht_job_state entry, now;
    HRESULT hr;

    /* reset before the first read: a callback that lands after it is never lost */
    if (wake)
        ResetEvent(wake);
    hr = com_get_state(ctx, job, &entry);
    *out_state = entry;
    if (FAILED(hr) || state_needs_action((BG_JOB_STATE)entry))
        return hr;
    for (;;) {
        ULONGLONG elapsed = GetTickCount64() - start;
        DWORD slice, r;

        if (elapsed >= timeout_ms)
            return S_FALSE;
        slice = (DWORD)(timeout_ms - elapsed);
        if (slice > BHT_COM_POLL_MS)
            slice = BHT_COM_POLL_MS;
        /* blocks: woken by the callback's event, by a message for the apartment, or by the
         * poll slice; never a busy loop */
        r = MsgWaitForMultipleObjectsEx(wake ? 1 : 0, wake ? &wake : NULL, slice,
                                        pump_wake_mask(pump), MWMO_INPUTAVAILABLE);
        if (r == WAIT_FAILED)
            return HRESULT_FROM_WIN32(GetLastError());
        if (wake && r == WAIT_OBJECT_0)
            ResetEvent(wake);
        else if (r == WAIT_OBJECT_0 + (wake ? 1u : 0u))
            pump_messages(pump);
        hr = com_get_state(ctx, job, &now);
        if (FAILED(hr))
            return hr;
        *out_state = now;
        if (now != entry || state_needs_action((BG_JOB_STATE)now))
            return S_OK;
    }
}

static bht_hr com_wait(void *ctx, struct bht_job *job, uint32_t timeout_ms,
                       enum bht_job_state *out_state)
{
    struct pump pump = { 0, 0 };
    HRESULT hr = wait_pumping(ctx, job, timeout_ms, out_state, &pump);

    pump_finish(&pump);
    return hr;
}

static bht_hr com_get_progress(void *ctx, struct bht_job *job, struct bht_progress *out)
{
    BG_JOB_PROGRESS p;
    HRESULT hr;

    (void)ctx;
    memset(out, 0, sizeof *out);
    hr = IBackgroundCopyJob_GetProgress(job->job, &p);
    if (FAILED(hr))
        return hr;
    out->bytes_total = p.BytesTotal;
    out->bytes_transferred = p.BytesTransferred;
    out->files_total = p.FilesTotal;
    out->files_transferred = p.FilesTransferred;
    return S_OK;
}

/* C68: text in the thread's language, English when BITS has none in it (0x80070717);
 * Wine answers E_NOTIMPL and the text stays empty. */
static void error_texts(IBackgroundCopyError *err, struct bht_job_error *out)
{
    LANGID langs[2];
    size_t i;

    langs[0] = LANGIDFROMLCID(GetThreadLocale());
    langs[1] = MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US);
    for (i = 0; i < 2 && !out->description[0]; ++i) {
        LPWSTR text = NULL;

        if (SUCCEEDED(IBackgroundCopyError_GetErrorDescription(err, langs[i], &text)) && text)
            bht_utf16_to_utf8_buf(text, out->description, sizeof out->description);
        CoTaskMemFree(text);
    }
    for (i = 0; i < 2 && !out->context_description[0]; ++i) {
        LPWSTR text = NULL;

        if (SUCCEEDED(IBackgroundCopyError_GetErrorContextDescription(err, langs[i], &text)) &&
            text)
            bht_utf16_to_utf8_buf(text, out->context_description,
                                  sizeof out->context_description);
        CoTaskMemFree(text);
    }
}

static bht_hr com_get_error(void *ctx, struct bht_job *job, struct bht_job_error *out)
{
    IBackgroundCopyError *err = NULL;
    IBackgroundCopyFile *file = NULL;
    BG_ERROR_CONTEXT context = BG_ERROR_CONTEXT_NONE;
    HRESULT code = S_OK;
    HRESULT hr;

    (void)ctx;
    memset(out, 0, sizeof *out);
    /* C58/C59: BG_E_ERROR_INFORMATION_UNAVAILABLE when there is none (on Wine also in ERROR
     * unless the failure was an HTTP status) */
    hr = IBackgroundCopyJob_GetError(job->job, &err);
    if (FAILED(hr))
        return hr;
    hr = bht_com_secure_proxy((IUnknown *)err);
    if (SUCCEEDED(hr))
        hr = IBackgroundCopyError_GetError(err, &context, &code); /* C65 */
    if (FAILED(hr)) {
        IBackgroundCopyError_Release(err);
        return hr;
    }
    out->context = (enum bht_error_context)context;
    out->code = code;
    error_texts(err, out);
    /* C66: BG_E_FILE_NOT_AVAILABLE when the error is not tied to a file: remote name "" */
    if (SUCCEEDED(IBackgroundCopyError_GetFile(err, &file)) && file) {
        LPWSTR remote = NULL;

        if (SUCCEEDED(IBackgroundCopyFile_GetRemoteName(file, &remote)) && remote)
            bht_utf16_to_utf8_buf(remote, out->remote_name, sizeof out->remote_name);
        CoTaskMemFree(remote);
        IBackgroundCopyFile_Release(file);
    }
    IBackgroundCopyError_Release(err);
    return S_OK;
}

static bht_hr com_complete(void *ctx, struct bht_job *job)
{
    (void)ctx;
    return IBackgroundCopyJob_Complete(job->job);
}

/* One Cancel call made on a thread of its own. Shared by the caller and that thread (refs),
 * because the thread may outlive the caller's wait. */
struct cancel_call {
    LONG refs;
    IStream *marshalled_job; /* the job, marshalled for the thread's apartment */
    HANDLE done;
    HRESULT hr;
};

static void cancel_call_release(struct cancel_call *call)
{
    if (InterlockedDecrement(&call->refs) == 0) {
        CloseHandle(call->done);
        free(call);
    }
}

static DWORD WINAPI cancel_thread(void *arg)
{
    struct cancel_call *call = arg;
    IBackgroundCopyJob *job = NULL;
    HRESULT hr;

    hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) {
        IStream_Release(call->marshalled_job); /* no apartment to unmarshal into */
    } else {
        hr = CoGetInterfaceAndReleaseStream(call->marshalled_job, &IID_IBackgroundCopyJob,
                                            (void **)&job);
        if (SUCCEEDED(hr))
            hr = bht_com_secure_proxy((IUnknown *)job);
        if (SUCCEEDED(hr))
            hr = IBackgroundCopyJob_Cancel(job);
        if (job)
            IBackgroundCopyJob_Release(job);
        CoUninitialize();
    }
    call->hr = hr;
    SetEvent(call->done);
    cancel_call_release(call);
    return 0;
}

/* Waits for call to finish for at most timeout_ms, pumping this apartment's messages. */
static int wait_for_call(struct cancel_call *call, DWORD timeout_ms, struct pump *pump)
{
    ULONGLONG start = GetTickCount64();

    for (;;) {
        ULONGLONG elapsed = GetTickCount64() - start;
        DWORD r;

        if (elapsed >= timeout_ms)
            return 0;
        r = MsgWaitForMultipleObjectsEx(1, &call->done, (DWORD)(timeout_ms - elapsed),
                                        pump_wake_mask(pump), MWMO_INPUTAVAILABLE);
        if (r == WAIT_OBJECT_0)
            return 1;
        if (r == WAIT_OBJECT_0 + 1)
            pump_messages(pump);
        else if (r == WAIT_FAILED)
            return 0;
    }
}

static bht_hr com_cancel(void *ctx, struct bht_job *job)
{
    struct pump pump = { 0, 0 };
    struct cancel_call *call;
    HANDLE thread;
    HRESULT hr;

    (void)ctx;
    /* Wine's Cancel of a job in the middle of an HTTP download returns only when the
     * download has ended (measured: a stalled server keeps it blocked for good), so the
     * call runs on its own thread and the caller waits a bounded time. Windows returns at
     * once and this is just a detour. */
    call = calloc(1, sizeof *call);
    if (!call)
        return E_OUTOFMEMORY;
    call->refs = 2;
    call->done = CreateEventW(NULL, TRUE, FALSE, NULL);
    hr = call->done ? S_OK : HRESULT_FROM_WIN32(GetLastError());
    if (SUCCEEDED(hr))
        hr = CoMarshalInterThreadInterfaceInStream(&IID_IBackgroundCopyJob, (IUnknown *)job->job,
                                                   &call->marshalled_job);
    thread = SUCCEEDED(hr) ? CreateThread(NULL, 0, cancel_thread, call, 0, NULL) : NULL;
    if (!thread) {
        if (SUCCEEDED(hr))
            hr = HRESULT_FROM_WIN32(GetLastError());
        if (call->marshalled_job) {
            CoReleaseMarshalData(call->marshalled_job);
            IStream_Release(call->marshalled_job);
        }
        if (call->done)
            CloseHandle(call->done);
        free(call);
        return hr;
    }
    CloseHandle(thread);
    /* ERROR_TIMEOUT: the call has not returned; the caller reads the state to learn whether
     * BITS already shows the job CANCELLED (Wine does, before it waits for its worker) */
    hr = wait_for_call(call, BHT_COM_CANCEL_WAIT_MS, &pump) ? call->hr
                                                             : HRESULT_FROM_WIN32(ERROR_TIMEOUT);
    pump_finish(&pump);
    cancel_call_release(call);
    return hr;
}

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Fills info from job; returns 0 when its display name does not start with prefix. */
static int job_info(IBackgroundCopyJob *job, const char *prefix, struct bht_job_info *info)
{
    LPWSTR name = NULL;
    BG_JOB_STATE st = BG_JOB_STATE_QUEUED;
    BG_JOB_PROGRESS p;
    BG_JOB_TIMES times;
    WCHAR wid[BHT_JOB_ID_SIZE];
    GUID id;
    int i;

    memset(info, 0, sizeof *info);
    if (FAILED(IBackgroundCopyJob_GetDisplayName(job, &name)) || !name)
        return 0;
    bht_utf16_to_utf8_buf(name, info->display_name, sizeof info->display_name);
    CoTaskMemFree(name);
    if (!has_prefix(info->display_name, prefix))
        return 0;
    if (FAILED(IBackgroundCopyJob_GetId(job, &id)) ||
        StringFromGUID2(&id, wid, BHT_JOB_ID_SIZE) != BHT_JOB_ID_SIZE)
        return 0;
    for (i = 0; i < BHT_JOB_ID_SIZE; ++i)
        info->id[i] = (char)wid[i];
    if (SUCCEEDED(IBackgroundCopyJob_GetState(job, &st)))
        info->state = (enum bht_job_state)st;
    if (SUCCEEDED(IBackgroundCopyJob_GetProgress(job, &p))) {
        info->progress.bytes_total = p.BytesTotal;
        info->progress.bytes_transferred = p.BytesTransferred;
        info->progress.files_total = p.FilesTotal;
        info->progress.files_transferred = p.FilesTransferred;
    }
    if (SUCCEEDED(IBackgroundCopyJob_GetTimes(job, &times))) {
        ULONGLONG ft = ((ULONGLONG)times.CreationTime.dwHighDateTime << 32) |
                       times.CreationTime.dwLowDateTime;

        FILETIME now_ft;
        ULONGLONG now;

        GetSystemTimeAsFileTime(&now_ft);
        now = ((ULONGLONG)now_ft.dwHighDateTime << 32) | now_ft.dwLowDateTime;
        info->created_unix_s = ft > BHT_FILETIME_UNIX_EPOCH
                                   ? (ft - BHT_FILETIME_UNIX_EPOCH) / 10000000u
                                   : 0;
        /* BITS keeps creation time as wall-clock UTC, so age is measured on the same clock */
        info->age_s = ft && now > ft ? (now - ft) / 10000000u : 0;
    }
    return 1;
}

static bht_hr com_enum_jobs(void *ctx, const char *prefix, struct bht_job_info **out_jobs,
                            size_t *out_count)
{
    struct bht_com_bits *bits = com_ctx(ctx);
    IEnumBackgroundCopyJobs *jobs = NULL;
    struct bht_job_info *infos = NULL;
    ULONG count = 0, fetched = 0;
    size_t n = 0;
    IBackgroundCopyJob *job;
    HRESULT hr;

    *out_jobs = NULL;
    *out_count = 0;
    if (!prefix)
        return E_POINTER;
    /* flag 0: the caller's own jobs (Wine lists everyone's and ignores the flag, C11-C12) */
    hr = IBackgroundCopyManager_EnumJobs(bits->manager, 0, &jobs);
    if (FAILED(hr))
        return hr;
    hr = bht_com_secure_proxy((IUnknown *)jobs);
    if (SUCCEEDED(hr))
        hr = IEnumBackgroundCopyJobs_GetCount(jobs, &count);
    if (FAILED(hr))
        goto out;
    infos = CoTaskMemAlloc((count ? count : 1) * sizeof *infos);
    if (!infos) {
        hr = E_OUTOFMEMORY;
        goto out;
    }
    /* the count is a snapshot; Next stops at whatever the enumerator really holds */
    while (n < count && IEnumBackgroundCopyJobs_Next(jobs, 1, &job, &fetched) == S_OK &&
           fetched == 1) {
        if (SUCCEEDED(bht_com_secure_proxy((IUnknown *)job)) &&
            job_info(job, prefix, &infos[n]))
            ++n;
        IBackgroundCopyJob_Release(job);
    }
    *out_jobs = infos;
    *out_count = n;
    infos = NULL;
    hr = S_OK;
out:
    CoTaskMemFree(infos);
    IEnumBackgroundCopyJobs_Release(jobs);
    return hr;
}

static uint64_t com_clock_ms(void *ctx)
{
    (void)ctx;
    return GetTickCount64();
}

static void com_free_mem(void *ctx, void *p)
{
    (void)ctx;
    CoTaskMemFree(p);
}

static void com_release(void *ctx, struct bht_job *job)
{
    (void)ctx;
    if (!job)
        return;
    if (job->callback) {
        /* stop BITS holding a proxy to an object nobody waits on; a final job refuses
         * (C77), which is fine: it will never call */
        IBackgroundCopyJob_SetNotifyInterface(job->job, NULL);
        IBackgroundCopyCallback_Release(job->callback);
    }
    if (job->token_options)
        IBitsTokenOptions_Release(job->token_options);
    IBackgroundCopyJob_Release(job->job);
    free(job);
}

/* --allow-metered: IBackgroundCopyJob5::SetProperty(BITS_JOB_PROPERTY_ID_COST_FLAGS). BITS
 * before 5.0 (and Wine 8) has no Job5: E_NOINTERFACE, which the core turns into a warning. */
static bht_hr com_set_cost_flags(void *ctx, struct bht_job *job, uint32_t flags)
{
    IBackgroundCopyJob5 *job5 = NULL;
    BITS_JOB_PROPERTY_VALUE value;
    HRESULT hr;

    (void)ctx;
    hr = IBackgroundCopyJob_QueryInterface(job->job, &IID_IBackgroundCopyJob5, (void **)&job5);
    if (FAILED(hr))
        return hr;
    hr = bht_com_secure_proxy((IUnknown *)job5);
    if (SUCCEEDED(hr)) {
        memset(&value, 0, sizeof value);
        value.Dword = flags;
        hr = IBackgroundCopyJob5_SetProperty(job5, BITS_JOB_PROPERTY_ID_COST_FLAGS, value);
    }
    IBackgroundCopyJob5_Release(job5);
    return hr;
}

const struct bht_bits_ops bht_com_bits_ops = {
    BHT_BITS_OPS_VERSION,
    "com",
    com_create_job,
    com_open_job,
    com_get_id,
    com_add_file,
    com_set_priority,
    com_set_notify_flags,
    com_get_notify_flags,
    com_set_implicit_credentials,
    com_get_token_options,
    com_set_helper_token,
    com_set_helper_token_flags,
    com_get_helper_token_flags,
    com_get_helper_token_sid,
    com_clear_helper_token,
    com_resume,
    com_suspend,
    com_wait,
    com_get_state,
    com_get_progress,
    com_get_error,
    com_complete,
    com_cancel,
    com_enum_jobs,
    com_clock_ms,
    com_free_mem,
    com_release,
    com_set_cost_flags,
};
