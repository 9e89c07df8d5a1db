/* bitsht COM fake: IBackgroundCopyManager and IEnumBackgroundCopyJobs. */
#include "comfake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W (comfake_server.world)

struct manager {
    struct comfake_obj hdr;
    IBackgroundCopyManager IBackgroundCopyManager_iface;
};

static struct manager *impl_from_IBackgroundCopyManager(IBackgroundCopyManager *iface)
{
    return CONTAINING_RECORD(iface, struct manager, IBackgroundCopyManager_iface);
}

#define MANAGER_ENTER(iface, method)                                        \
    struct manager *m = impl_from_IBackgroundCopyManager(iface);           \
    HRESULT hr = comfake_enter(&m->hdr, method);                            \
    if (hr != S_OK)                                                         \
        return hr

static HRESULT STDMETHODCALLTYPE manager_QueryInterface(IBackgroundCopyManager *iface,
                                                        REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IBackgroundCopyManager)) {
        *out = iface;
        IBackgroundCopyManager_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE manager_AddRef(IBackgroundCopyManager *iface)
{
    return comfake_obj_addref(&impl_from_IBackgroundCopyManager(iface)->hdr);
}

static ULONG STDMETHODCALLTYPE manager_Release(IBackgroundCopyManager *iface)
{
    return comfake_obj_release(&impl_from_IBackgroundCopyManager(iface)->hdr);
}

static HRESULT guid_of(const char *id, GUID *out)
{
    WCHAR wid[BHT_JOB_ID_SIZE];
    int i;

    for (i = 0; i < BHT_JOB_ID_SIZE; i++)
        wid[i] = (WCHAR)(unsigned char)id[i];
    return CLSIDFromString(wid, out);
}

static HRESULT STDMETHODCALLTYPE manager_CreateJob(IBackgroundCopyManager *iface, LPCWSTR name,
                                                   BG_JOB_TYPE type, GUID *out_id,
                                                   IBackgroundCopyJob **out_job)
{
    struct bht_job *h = NULL;
    char *utf8;
    MANAGER_ENTER(iface, "IBackgroundCopyManager::CreateJob");

    (void)m;
    if (!out_id || !out_job)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out_job = NULL;
    if (!name)
        return comfake_leave(COMFAKE_E_NULL_REF); /* C03 */
    if ((unsigned)type > BG_JOB_TYPE_UPLOAD_REPLY)
        return comfake_leave(E_INVALIDARG);
    if (type != BG_JOB_TYPE_DOWNLOAD && !WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL); /* uploads are not modelled (README) */
    if (!(utf8 = comfake_utf8(name)))
        return comfake_leave(E_OUTOFMEMORY);
    hr = bht_fake_bits_ops.create_job(W, utf8, &h);
    free(utf8);
    if (SUCCEEDED(hr))
        hr = guid_of(h->job->id, out_id);
    if (SUCCEEDED(hr)) {
        comfake_extra_of(h->job);
        hr = comfake_job_new(h, out_job);
    } else if (h) {
        bht_fake_bits_ops.release(W, h);
    }
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE manager_GetJob(IBackgroundCopyManager *iface, REFGUID id,
                                                IBackgroundCopyJob **out)
{
    struct bht_job *h = NULL;
    WCHAR wid[BHT_JOB_ID_SIZE];
    char sid[BHT_JOB_ID_SIZE];
    int i;
    MANAGER_ENTER(iface, "IBackgroundCopyManager::GetJob");

    (void)m;
    if (!out || !id)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = NULL;
    StringFromGUID2(id, wid, BHT_JOB_ID_SIZE);
    for (i = 0; i < BHT_JOB_ID_SIZE; i++)
        sid[i] = (char)wid[i];
    hr = bht_fake_bits_ops.open_job(W, sid, &h); /* C08-C10 */
    if (SUCCEEDED(hr))
        hr = comfake_job_new(h, out);
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE manager_EnumJobs(IBackgroundCopyManager *iface, DWORD flags,
                                                  IEnumBackgroundCopyJobs **out)
{
    struct bht_job_info *infos = NULL;
    IBackgroundCopyJob **jobs = NULL;
    struct fake_user *caller;
    struct fake_job *j;
    size_t count = 0, i;
    ULONG n = 0;
    MANAGER_ENTER(iface, "IBackgroundCopyManager::EnumJobs");

    (void)m;
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = NULL;
    if (flags & ~(DWORD)BG_JOB_ENUM_ALL_USERS)
        return comfake_leave(E_INVALIDARG);
    caller = fake_caller(W).local;
    if ((flags & BG_JOB_ENUM_ALL_USERS) && !caller->admin && !WINE8_PROFILE())
        return comfake_leave(E_ACCESSDENIED); /* every user's jobs: administrators only */
    /* the fake's op decides what the caller may see (C11, C12) and carries the faults */
    hr = bht_fake_bits_ops.enum_jobs(W, "", &infos, &count);
    if (FAILED(hr))
        return comfake_leave(hr);
    jobs = calloc(W->queue_len + 1, sizeof(*jobs));
    if (!jobs)
        hr = E_OUTOFMEMORY;
    for (j = W->q_head; SUCCEEDED(hr) && j; j = j->q_next) {
        int listed = (flags & BG_JOB_ENUM_ALL_USERS) != 0;

        for (i = 0; !listed && i < count; i++)
            listed = !strcmp(infos[i].id, j->id);
        if (listed)
            hr = comfake_job_new(fake_handle_new(j), &jobs[n++]);
    }
    bht_fake_bits_ops.free_mem(W, infos);
    if (SUCCEEDED(hr))
        hr = comfake_enum_jobs_new(jobs, n, out);
    for (i = 0; i < n; i++)
        if (jobs[i])
            IBackgroundCopyJob_Release(jobs[i]);
    free(jobs);
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE manager_GetErrorDescription(IBackgroundCopyManager *iface,
                                                             HRESULT code, DWORD lang,
                                                             LPWSTR *out)
{
    MANAGER_ENTER(iface, "IBackgroundCopyManager::GetErrorDescription");

    (void)m;
    (void)lang; /* the fake speaks English whatever the language */
    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = NULL;
    return comfake_leave(comfake_cotask_from_utf8(bht_hr_message(code), out));
}

static const IBackgroundCopyManagerVtbl manager_vtbl = {
    manager_QueryInterface, manager_AddRef,   manager_Release,
    manager_CreateJob,      manager_GetJob,   manager_EnumJobs,
    manager_GetErrorDescription,
};

HRESULT comfake_manager_new(REFIID riid, void **out)
{
    struct manager *m = calloc(1, sizeof(*m));
    HRESULT hr;

    *out = NULL;
    if (!m)
        return E_OUTOFMEMORY;
    m->IBackgroundCopyManager_iface.lpVtbl = (IBackgroundCopyManagerVtbl *)&manager_vtbl;
    comfake_obj_register(&m->hdr, "manager", "IBackgroundCopyManager", NULL);
    hr = IBackgroundCopyManager_QueryInterface(&m->IBackgroundCopyManager_iface, riid, out);
    IBackgroundCopyManager_Release(&m->IBackgroundCopyManager_iface);
    return hr;
}

/* ---- IEnumBackgroundCopyJobs: a snapshot of job objects ---- */

struct enum_jobs {
    struct comfake_obj hdr;
    IEnumBackgroundCopyJobs IEnumBackgroundCopyJobs_iface;
    struct bht_job **handles; /* fake handles: each Next hands out a new job object */
    ULONG n, pos;
};

static struct enum_jobs *impl_from_IEnumBackgroundCopyJobs(IEnumBackgroundCopyJobs *iface)
{
    return CONTAINING_RECORD(iface, struct enum_jobs, IEnumBackgroundCopyJobs_iface);
}

#define ENUM_ENTER(iface, method)                                           \
    struct enum_jobs *en = impl_from_IEnumBackgroundCopyJobs(iface);       \
    HRESULT hr = comfake_enter(&en->hdr, method);                           \
    if (hr != S_OK)                                                         \
        return hr

static HRESULT STDMETHODCALLTYPE enum_jobs_QueryInterface(IEnumBackgroundCopyJobs *iface,
                                                          REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IEnumBackgroundCopyJobs)) {
        *out = iface;
        IEnumBackgroundCopyJobs_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE enum_jobs_AddRef(IEnumBackgroundCopyJobs *iface)
{
    return comfake_obj_addref(&impl_from_IEnumBackgroundCopyJobs(iface)->hdr);
}

static ULONG STDMETHODCALLTYPE enum_jobs_Release(IEnumBackgroundCopyJobs *iface)
{
    return comfake_obj_release(&impl_from_IEnumBackgroundCopyJobs(iface)->hdr);
}

static HRESULT STDMETHODCALLTYPE enum_jobs_Next(IEnumBackgroundCopyJobs *iface, ULONG celt,
                                                IBackgroundCopyJob **out, ULONG *fetched)
{
    ULONG got = 0;
    ENUM_ENTER(iface, "IEnumBackgroundCopyJobs::Next");

    if (!out || (celt > 1 && !fetched))
        return comfake_leave(COMFAKE_E_NULL_REF); /* more than one needs a count */
    while (got < celt && en->pos < en->n && SUCCEEDED(hr)) {
        hr = comfake_job_new(comfake_handle_dup(en->handles[en->pos]), &out[got]);
        if (SUCCEEDED(hr)) {
            got++;
            en->pos++;
        }
    }
    if (fetched)
        *fetched = got;
    if (FAILED(hr))
        return comfake_leave(hr);
    return comfake_leave(got == celt ? S_OK : S_FALSE);
}

static HRESULT STDMETHODCALLTYPE enum_jobs_Skip(IEnumBackgroundCopyJobs *iface, ULONG celt)
{
    ENUM_ENTER(iface, "IEnumBackgroundCopyJobs::Skip");

    if (celt > en->n - en->pos) {
        en->pos = en->n;
        return comfake_leave(S_FALSE);
    }
    en->pos += celt;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE enum_jobs_Reset(IEnumBackgroundCopyJobs *iface)
{
    ENUM_ENTER(iface, "IEnumBackgroundCopyJobs::Reset");

    en->pos = 0;
    return comfake_leave(S_OK);
}

static HRESULT new_enum(struct bht_job **handles, ULONG n, ULONG pos,
                        IEnumBackgroundCopyJobs **out);

static HRESULT STDMETHODCALLTYPE enum_jobs_Clone(IEnumBackgroundCopyJobs *iface,
                                                 IEnumBackgroundCopyJobs **out)
{
    ENUM_ENTER(iface, "IEnumBackgroundCopyJobs::Clone");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    return comfake_leave(new_enum(en->handles, en->n, en->pos, out));
}

static HRESULT STDMETHODCALLTYPE enum_jobs_GetCount(IEnumBackgroundCopyJobs *iface, ULONG *out)
{
    ENUM_ENTER(iface, "IEnumBackgroundCopyJobs::GetCount");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = en->n;
    return comfake_leave(S_OK);
}

static const IEnumBackgroundCopyJobsVtbl enum_jobs_vtbl = {
    enum_jobs_QueryInterface, enum_jobs_AddRef, enum_jobs_Release, enum_jobs_Next,
    enum_jobs_Skip,           enum_jobs_Reset,  enum_jobs_Clone,   enum_jobs_GetCount,
};

static void enum_jobs_destroy(struct comfake_obj *o)
{
    struct enum_jobs *en = CONTAINING_RECORD(o, struct enum_jobs, hdr);
    ULONG i;

    for (i = 0; i < en->n; i++)
        bht_fake_bits_ops.release(comfake_server.world, en->handles[i]);
    free(en->handles);
    en->handles = NULL;
}

static HRESULT new_enum(struct bht_job **handles, ULONG n, ULONG pos,
                        IEnumBackgroundCopyJobs **out)
{
    struct enum_jobs *en = calloc(1, sizeof(*en));
    ULONG i;

    *out = NULL;
    if (!en || !(en->handles = calloc(n + 1, sizeof(*en->handles)))) {
        free(en);
        return E_OUTOFMEMORY;
    }
    for (i = 0; i < n; i++)
        if (!(en->handles[en->n++] = comfake_handle_dup(handles[i]))) {
            enum_jobs_destroy(&en->hdr);
            free(en);
            return E_OUTOFMEMORY;
        }
    en->pos = pos;
    en->IEnumBackgroundCopyJobs_iface.lpVtbl = (IEnumBackgroundCopyJobsVtbl *)&enum_jobs_vtbl;
    comfake_obj_register(&en->hdr, "job enumerator", "IEnumBackgroundCopyJobs",
                         enum_jobs_destroy);
    *out = &en->IEnumBackgroundCopyJobs_iface;
    return S_OK;
}

HRESULT comfake_enum_jobs_new(IBackgroundCopyJob **jobs, ULONG n, IEnumBackgroundCopyJobs **out)
{
    struct bht_job **handles = calloc(n + 1, sizeof(*handles));
    HRESULT hr;
    ULONG i;

    if (!handles)
        return E_OUTOFMEMORY;
    for (i = 0; i < n; i++)
        handles[i] = comfake_handle_of(jobs[i]);
    hr = new_enum(handles, n, 0, out);
    free(handles);
    return hr;
}
