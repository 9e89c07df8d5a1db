/* bitsht COM fake: the job object — IBackgroundCopyJob through IBackgroundCopyJob5 (one
 * vtable, as Wine's qmgr shares one for Job..Job4), IBackgroundCopyJobHttpOptions and
 * IBitsTokenOptions. This file: identity, files, state changes and the vtable; what BITS
 * keeps per job is in job_settings.c, the two option interfaces in job_options.c.
 *
 * Every method runs the fake's op for it (bht_fake_bits_ops on the server's world), so
 * outcomes, the fault plan and the call log are the ops-level fake's. */
#include "comfake_job.h"

#include <stdlib.h>
#include <string.h>

#define W (comfake_server.world)

struct comfake_job *impl_from_IBackgroundCopyJob5(IBackgroundCopyJob5 *iface)
{
    return CONTAINING_RECORD(iface, struct comfake_job, IBackgroundCopyJob5_iface);
}

HRESULT comfake_job_settable(struct comfake_job *job)
{
    if (!WINE8_PROFILE() && fake_state_is_final(JOB_FAKE(job)->state))
        return BG_E_INVALID_STATE;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE job_QueryInterface(IBackgroundCopyJob5 *iface, REFIID riid,
                                                    void **out)
{
    struct comfake_job *job = impl_from_IBackgroundCopyJob5(iface);
    int wine8;
    HRESULT hr;

    if (!out)
        return E_POINTER;
    *out = NULL;
    if (job->hdr.dead)
        return comfake_enter(&job->hdr, "IUnknown::QueryInterface"); /* counted misuse */
    wine8 = WINE8_PROFILE();
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IBackgroundCopyJob) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyJob2) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyJob3) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyJob4) ||
        (!wine8 && IsEqualGUID(riid, &IID_IBackgroundCopyJob5))) {
        *out = &job->IBackgroundCopyJob5_iface;
    } else if (IsEqualGUID(riid, &IID_IBackgroundCopyJobHttpOptions)) {
        *out = &job->IBackgroundCopyJobHttpOptions_iface;
    } else if (IsEqualGUID(riid, &IID_IBitsTokenOptions)) {
        /* C87: Windows checks access here (as the owner); Wine 8 has no such interface.
         * The fake's op decides both, with its fault plan. */
        hr = comfake_enter(&job->hdr, "IBitsTokenOptions::QueryInterface");
        if (hr != S_OK)
            return hr;
        hr = bht_fake_bits_ops.get_token_options(W, job->h);
        if (FAILED(hr))
            return comfake_leave(hr);
        *out = &job->IBitsTokenOptions_iface;
        comfake_leave(S_OK);
    } else if (IsEqualGUID(riid, &IID_IMarshal) && job->ftm) {
        return IUnknown_QueryInterface(job->ftm, riid, out);
    } else {
        return E_NOINTERFACE;
    }
    comfake_obj_addref(&job->hdr);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE job_AddRef(IBackgroundCopyJob5 *iface)
{
    return comfake_obj_addref(&impl_from_IBackgroundCopyJob5(iface)->hdr);
}

static ULONG STDMETHODCALLTYPE job_Release(IBackgroundCopyJob5 *iface)
{
    return comfake_obj_release(&impl_from_IBackgroundCopyJob5(iface)->hdr);
}

/* ---- files ---- */

static HRESULT add_file(struct comfake_job *job, LPCWSTR remote, LPCWSTR local)
{
    char *r, *l;
    HRESULT hr;

    if (!remote || !local)
        return COMFAKE_E_NULL_REF; /* C19 */
    r = comfake_utf8(remote);
    l = comfake_utf8(local);
    hr = r && l ? bht_fake_bits_ops.add_file(W, job->h, r, l) : E_OUTOFMEMORY;
    free(r);
    free(l);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_AddFileSet(IBackgroundCopyJob5 *iface, ULONG count,
                                                BG_FILE_INFO *set)
{
    ULONG i;
    JOB_ENTER(iface, "IBackgroundCopyJob::AddFileSet");

    if (!set)
        return comfake_leave(COMFAKE_E_NULL_REF);
    for (i = 0; i < count && SUCCEEDED(hr); i++)
        hr = add_file(job, set[i].RemoteName, set[i].LocalName);
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE job_AddFile(IBackgroundCopyJob5 *iface, LPCWSTR remote,
                                             LPCWSTR local)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::AddFile");

    return comfake_leave(add_file(job, remote, local));
}

static HRESULT STDMETHODCALLTYPE job_EnumFiles(IBackgroundCopyJob5 *iface,
                                               IEnumBackgroundCopyFiles **out)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::EnumFiles");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    return comfake_leave(comfake_enum_files_new(job->h, out));
}

static HRESULT STDMETHODCALLTYPE job_AddFileWithRanges(IBackgroundCopyJob5 *iface,
                                                       LPCWSTR remote, LPCWSTR local,
                                                       DWORD count, BG_FILE_RANGE ranges[])
{
    DWORD i;
    JOB_ENTER(iface, "IBackgroundCopyJob3::AddFileWithRanges");

    if (WINE8_PROFILE())
        return comfake_leave(S_OK); /* Wine: a stub that adds nothing */
    if (!ranges || !count)
        return comfake_leave(count ? COMFAKE_E_NULL_REF : E_INVALIDARG);
    /* the ranges themselves are not modelled: the whole file is transferred */
    for (i = 0; i < count; i++)
        if (ranges[i].Length == 0)
            return comfake_leave(E_INVALIDARG);
    return comfake_leave(add_file(job, remote, local));
}

static HRESULT STDMETHODCALLTYPE job_ReplaceRemotePrefix(IBackgroundCopyJob5 *iface,
                                                         LPCWSTR old_prefix, LPCWSTR new_prefix)
{
    struct fake_job *j;
    char *from = NULL, *to = NULL;
    size_t i, n;
    JOB_ENTER(iface, "IBackgroundCopyJob3::ReplaceRemotePrefix");

    if (WINE8_PROFILE())
        return comfake_leave(S_OK); /* Wine: a stub */
    if (!old_prefix || !new_prefix)
        return comfake_leave(COMFAKE_E_NULL_REF);
    if ((hr = comfake_job_settable(job)) != S_OK)
        return comfake_leave(hr);
    j = JOB_FAKE(job);
    from = comfake_utf8(old_prefix);
    to = comfake_utf8(new_prefix);
    if (!from || !to || !from[0]) {
        hr = from && to ? E_INVALIDARG : E_OUTOFMEMORY;
        goto out;
    }
    n = strlen(from);
    for (i = 0; i < j->n_files; i++) {
        struct fake_file *f = &j->files[i];
        char *renamed;

        if (strncmp(f->remote, from, n) != 0)
            continue;
        renamed = malloc(strlen(to) + strlen(f->remote + n) + 1);
        if (!renamed) {
            hr = E_OUTOFMEMORY;
            goto out;
        }
        strcpy(renamed, to);
        strcat(renamed, f->remote + n);
        free(f->remote);
        f->remote = renamed;
    }
out:
    free(from);
    free(to);
    return comfake_leave(hr);
}

/* ---- state changes ---- */

static HRESULT STDMETHODCALLTYPE job_Suspend(IBackgroundCopyJob5 *iface)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::Suspend");

    return comfake_leave(bht_fake_bits_ops.suspend(W, job->h));
}

static HRESULT STDMETHODCALLTYPE job_Resume(IBackgroundCopyJob5 *iface)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::Resume");

    return comfake_leave(bht_fake_bits_ops.resume(W, job->h));
}

/* A job that ended calls nobody any more: BITS lets go of its notify interface. */
static void drop_callback_if_final(struct comfake_job *job)
{
    struct comfake_extra *e = comfake_extra_of(JOB_FAKE(job));
    IGlobalInterfaceTable *git = NULL;

    if (!e || !e->callback_cookie || !fake_state_is_final(JOB_FAKE(job)->state))
        return;
    if (SUCCEEDED(CoCreateInstance(&CLSID_StdGlobalInterfaceTable, NULL, CLSCTX_INPROC_SERVER,
                                   &IID_IGlobalInterfaceTable, (void **)&git))) {
        IGlobalInterfaceTable_RevokeInterfaceFromGlobal(git, e->callback_cookie);
        IGlobalInterfaceTable_Release(git);
    }
    e->callback_cookie = 0;
}

static HRESULT STDMETHODCALLTYPE job_Cancel(IBackgroundCopyJob5 *iface)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::Cancel");

    hr = bht_fake_bits_ops.cancel(W, job->h);
    drop_callback_if_final(job);
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE job_Complete(IBackgroundCopyJob5 *iface)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::Complete");

    hr = bht_fake_bits_ops.complete(W, job->h);
    drop_callback_if_final(job);
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE job_TakeOwnership(IBackgroundCopyJob5 *iface)
{
    struct fake_user *caller;
    struct fake_job *j;
    JOB_ENTER(iface, "IBackgroundCopyJob::TakeOwnership");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if ((hr = comfake_job_settable(job)) != S_OK)
        return comfake_leave(hr);
    j = JOB_FAKE(job);
    caller = fake_caller(W).local;
    if (caller != j->owner) {
        if (!caller->admin)
            return comfake_leave(E_ACCESSDENIED); /* only an administrator takes a job */
        if (!fake_state_is_final(j->state)) {
            j->owner->live_jobs--;
            caller->live_jobs++;
        }
        j->owner = caller;
        j->has_helper = 0; /* a new owner brings no helper token */
    }
    return comfake_leave(S_OK);
}

/* ---- reading ---- */

static HRESULT STDMETHODCALLTYPE job_GetId(IBackgroundCopyJob5 *iface, GUID *out)
{
    char id[BHT_JOB_ID_SIZE];
    WCHAR wid[BHT_JOB_ID_SIZE];
    int i;
    JOB_ENTER(iface, "IBackgroundCopyJob::GetId");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    hr = bht_fake_bits_ops.get_id(W, job->h, id);
    if (SUCCEEDED(hr)) {
        for (i = 0; i < BHT_JOB_ID_SIZE; i++)
            wid[i] = (WCHAR)(unsigned char)id[i];
        hr = CLSIDFromString(wid, out);
    }
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE job_GetType(IBackgroundCopyJob5 *iface, BG_JOB_TYPE *out)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::GetType");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = BG_JOB_TYPE_DOWNLOAD; /* the only type the fake creates */
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE job_GetProgress(IBackgroundCopyJob5 *iface,
                                                 BG_JOB_PROGRESS *out)
{
    struct bht_progress p;
    JOB_ENTER(iface, "IBackgroundCopyJob::GetProgress");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    hr = bht_fake_bits_ops.get_progress(W, job->h, &p);
    out->BytesTotal = p.bytes_total;
    out->BytesTransferred = p.bytes_transferred;
    out->FilesTotal = p.files_total;
    out->FilesTransferred = p.files_transferred;
    return comfake_leave(hr);
}

static FILETIME filetime_of(uint64_t virtual_ms)
{
    /* the world's epoch (unix seconds) plus the virtual clock, in 100 ns since 1601 */
    ULONGLONG t = (ULONGLONG)(comfake_server.world->epoch_unix_s * 1000u + virtual_ms) * 10000u +
                  116444736000000000ULL;
    FILETIME ft;

    ft.dwLowDateTime = (DWORD)t;
    ft.dwHighDateTime = (DWORD)(t >> 32);
    return ft;
}

static HRESULT STDMETHODCALLTYPE job_GetTimes(IBackgroundCopyJob5 *iface, BG_JOB_TIMES *out)
{
    struct comfake_extra *e;
    JOB_ENTER(iface, "IBackgroundCopyJob::GetTimes");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    e = comfake_extra_of(JOB_FAKE(job));
    if (!e)
        return comfake_leave(E_OUTOFMEMORY);
    memset(out, 0, sizeof(*out));
    out->CreationTime = filetime_of(JOB_FAKE(job)->created_ms);
    out->ModificationTime = filetime_of(e->modified_ms);
    if (e->transferred_ms)
        out->TransferCompletionTime = filetime_of(e->transferred_ms);
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE job_GetState(IBackgroundCopyJob5 *iface, BG_JOB_STATE *out)
{
    enum bht_job_state st;
    JOB_ENTER(iface, "IBackgroundCopyJob::GetState");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    hr = bht_fake_bits_ops.get_state(W, job->h, &st);
    *out = (BG_JOB_STATE)st;
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE job_GetError(IBackgroundCopyJob5 *iface,
                                              IBackgroundCopyError **out)
{
    struct bht_job_error e;
    JOB_ENTER(iface, "IBackgroundCopyJob::GetError");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = NULL;
    hr = bht_fake_bits_ops.get_error(W, job->h, &e); /* C58-C68 */
    if (SUCCEEDED(hr))
        hr = comfake_error_new(job->h, &e, JOB_FAKE(job)->error.file, out);
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE job_GetOwner(IBackgroundCopyJob5 *iface, LPWSTR *out)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::GetOwner");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    return comfake_leave(comfake_cotask_from_utf8(JOB_FAKE(job)->owner->sid, out));
}

static HRESULT STDMETHODCALLTYPE job_GetOwnerIntegrityLevel(IBackgroundCopyJob5 *iface,
                                                            ULONG *out)
{
    JOB_ENTER(iface, "IBackgroundCopyJob4::GetOwnerIntegrityLevel");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    /* an elevated administrator runs at high integrity, everyone else at medium */
    *out = JOB_FAKE(job)->owner->admin ? SECURITY_MANDATORY_HIGH_RID
                                       : SECURITY_MANDATORY_MEDIUM_RID;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE job_GetOwnerElevationState(IBackgroundCopyJob5 *iface,
                                                            BOOL *out)
{
    JOB_ENTER(iface, "IBackgroundCopyJob4::GetOwnerElevationState");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = JOB_FAKE(job)->owner->admin ? TRUE : FALSE;
    return comfake_leave(S_OK);
}

static const IBackgroundCopyJob5Vtbl job_vtbl = {
    job_QueryInterface,
    job_AddRef,
    job_Release,
    job_AddFileSet,
    job_AddFile,
    job_EnumFiles,
    job_Suspend,
    job_Resume,
    job_Cancel,
    job_Complete,
    job_GetId,
    job_GetType,
    job_GetProgress,
    job_GetTimes,
    job_GetState,
    job_GetError,
    job_GetOwner,
    comfake_job_SetDisplayName,
    comfake_job_GetDisplayName,
    comfake_job_SetDescription,
    comfake_job_GetDescription,
    comfake_job_SetPriority,
    comfake_job_GetPriority,
    comfake_job_SetNotifyFlags,
    comfake_job_GetNotifyFlags,
    comfake_job_SetNotifyInterface,
    comfake_job_GetNotifyInterface,
    comfake_job_SetMinimumRetryDelay,
    comfake_job_GetMinimumRetryDelay,
    comfake_job_SetNoProgressTimeout,
    comfake_job_GetNoProgressTimeout,
    comfake_job_GetErrorCount,
    comfake_job_SetProxySettings,
    comfake_job_GetProxySettings,
    job_TakeOwnership,
    comfake_job_SetNotifyCmdLine,
    comfake_job_GetNotifyCmdLine,
    comfake_job_GetReplyProgress,
    comfake_job_GetReplyData,
    comfake_job_SetReplyFileName,
    comfake_job_GetReplyFileName,
    comfake_job_SetCredentials,
    comfake_job_RemoveCredentials,
    job_ReplaceRemotePrefix,
    job_AddFileWithRanges,
    comfake_job_SetFileACLFlags,
    comfake_job_GetFileACLFlags,
    comfake_job_SetPeerCachingFlags,
    comfake_job_GetPeerCachingFlags,
    job_GetOwnerIntegrityLevel,
    job_GetOwnerElevationState,
    comfake_job_SetMaximumDownloadTime,
    comfake_job_GetMaximumDownloadTime,
    comfake_job_SetProperty,
    comfake_job_GetProperty,
};

static void job_destroy(struct comfake_obj *o)
{
    struct comfake_job *job = CONTAINING_RECORD(o, struct comfake_job, hdr);

    if (job->ftm) {
        IUnknown_Release(job->ftm);
        job->ftm = NULL;
    }
    /* releasing never cancels: the job stays in the queue (BITS jobs outlive handles) */
    bht_fake_bits_ops.release(comfake_server.world, job->h);
    job->h = NULL;
}

HRESULT comfake_job_new(struct bht_job *h, IBackgroundCopyJob **out)
{
    struct comfake_job *job;
    HRESULT hr;

    *out = NULL;
    if (!h)
        return E_OUTOFMEMORY;
    job = calloc(1, sizeof(*job));
    if (!job) {
        comfake_lock();
        bht_fake_bits_ops.release(comfake_server.world, h);
        comfake_unlock();
        return E_OUTOFMEMORY;
    }
    job->IBackgroundCopyJob5_iface.lpVtbl = (IBackgroundCopyJob5Vtbl *)&job_vtbl;
    job->IBackgroundCopyJobHttpOptions_iface.lpVtbl =
        (IBackgroundCopyJobHttpOptionsVtbl *)&comfake_http_options_vtbl;
    job->IBitsTokenOptions_iface.lpVtbl = (IBitsTokenOptionsVtbl *)&comfake_token_options_vtbl;
    job->h = h;
    memcpy(job->hdr.label, h->job->id, BHT_JOB_ID_SIZE);
    comfake_obj_register(&job->hdr, "job", "IBackgroundCopyJob", job_destroy);
    hr = CoCreateFreeThreadedMarshaler((IUnknown *)&job->IBackgroundCopyJob5_iface, &job->ftm);
    if (FAILED(hr)) {
        IBackgroundCopyJob5_Release(&job->IBackgroundCopyJob5_iface);
        return hr;
    }
    *out = (IBackgroundCopyJob *)&job->IBackgroundCopyJob5_iface;
    return S_OK;
}

struct bht_job *comfake_handle_of(IBackgroundCopyJob *iface)
{
    if (!iface || iface->lpVtbl != (IBackgroundCopyJobVtbl *)&job_vtbl)
        return NULL;
    return impl_from_IBackgroundCopyJob5((IBackgroundCopyJob5 *)iface)->h;
}
