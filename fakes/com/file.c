/* bitsht COM fake: the file object, IBackgroundCopyFile .. IBackgroundCopyFile6 as Windows 10
 * answers them (wine8: IBackgroundCopyFile2 at most, as Wine 8's dlls/qmgr/file.c). It holds
 * its own fake handle on the job (never another COM object), so objects can go in any order. */
#include "comfake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- IBackgroundCopyFile .. IBackgroundCopyFile6 (one object, one vtable) ---- */

struct copy_file {
    struct comfake_obj hdr;
    IBackgroundCopyFile6 IBackgroundCopyFile6_iface;
    IUnknown *ftm;
    struct bht_job *h;
    size_t index;
};

static struct copy_file *impl_from_IBackgroundCopyFile6(IBackgroundCopyFile6 *iface)
{
    return CONTAINING_RECORD(iface, struct copy_file, IBackgroundCopyFile6_iface);
}

#define FILE_ENTER(iface, method)                                           \
    struct copy_file *f = impl_from_IBackgroundCopyFile6(iface);           \
    struct fake_file *ff;                                                   \
    HRESULT hr = comfake_enter(&f->hdr, method);                            \
    if (hr != S_OK)                                                         \
        return hr;                                                          \
    ff = &f->h->job->files[f->index]

static HRESULT STDMETHODCALLTYPE file_QueryInterface(IBackgroundCopyFile6 *iface, REFIID riid,
                                                     void **out)
{
    struct copy_file *f = impl_from_IBackgroundCopyFile6(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IBackgroundCopyFile) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyFile2) ||
        (!WINE8_PROFILE() && (IsEqualGUID(riid, &IID_IBackgroundCopyFile3) ||
                              IsEqualGUID(riid, &IID_IBackgroundCopyFile4) ||
                              IsEqualGUID(riid, &IID_IBackgroundCopyFile5) ||
                              IsEqualGUID(riid, &IID_IBackgroundCopyFile6)))) {
        /* Wine 8's qmgr (dlls/qmgr/file.c) stops at IBackgroundCopyFile2 */
        *out = iface;
        IBackgroundCopyFile6_AddRef(iface);
        return S_OK;
    }
    if (IsEqualGUID(riid, &IID_IMarshal) && f->ftm)
        return IUnknown_QueryInterface(f->ftm, riid, out);
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE file_AddRef(IBackgroundCopyFile6 *iface)
{
    return comfake_obj_addref(&impl_from_IBackgroundCopyFile6(iface)->hdr);
}

static ULONG STDMETHODCALLTYPE file_Release(IBackgroundCopyFile6 *iface)
{
    return comfake_obj_release(&impl_from_IBackgroundCopyFile6(iface)->hdr);
}

static HRESULT STDMETHODCALLTYPE file_GetRemoteName(IBackgroundCopyFile6 *iface, LPWSTR *out)
{
    FILE_ENTER(iface, "IBackgroundCopyFile::GetRemoteName");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    return comfake_leave(comfake_cotask_from_utf8(ff->remote, out));
}

static HRESULT STDMETHODCALLTYPE file_GetLocalName(IBackgroundCopyFile6 *iface, LPWSTR *out)
{
    FILE_ENTER(iface, "IBackgroundCopyFile::GetLocalName");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    return comfake_leave(comfake_cotask_from_utf8(ff->local, out));
}

static HRESULT STDMETHODCALLTYPE file_GetProgress(IBackgroundCopyFile6 *iface,
                                                  BG_FILE_PROGRESS *out)
{
    FILE_ENTER(iface, "IBackgroundCopyFile::GetProgress");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    out->BytesTotal = ff->bytes_total;
    out->BytesTransferred = ff->bytes_done;
    out->Completed = ff->done ? TRUE : FALSE;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE file_GetFileRanges(IBackgroundCopyFile6 *iface, DWORD *count,
                                                    BG_FILE_RANGE **ranges)
{
    FILE_ENTER(iface, "IBackgroundCopyFile2::GetFileRanges");

    (void)ff;
    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!count || !ranges)
        return comfake_leave(COMFAKE_E_NULL_REF);
    /* files are added whole (AddFile): no ranges to report */
    *count = 0;
    *ranges = NULL;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE file_SetRemoteName(IBackgroundCopyFile6 *iface, LPCWSTR val)
{
    char *name;
    FILE_ENTER(iface, "IBackgroundCopyFile2::SetRemoteName");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!val)
        return comfake_leave(COMFAKE_E_NULL_REF);
    if (fake_state_is_final(f->h->job->state))
        return comfake_leave(BG_E_INVALID_STATE);
    if (!(name = comfake_utf8(val)))
        return comfake_leave(E_OUTOFMEMORY);
    if (fake_remote_kind(name) != fake_remote_kind(ff->remote)) {
        free(name);
        return comfake_leave(E_INVALIDARG); /* the protocol may not change */
    }
    free(ff->remote);
    ff->remote = name;
    return comfake_leave(S_OK);
}

/* ---- IBackgroundCopyFile3 (bits3_0.h) ---- */

static HRESULT STDMETHODCALLTYPE file_GetTemporaryName(IBackgroundCopyFile6 *iface, LPWSTR *out)
{
    char *name;
    FILE_ENTER(iface, "IBackgroundCopyFile3::GetTemporaryName");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = NULL;
    if (ff->temp)
        return comfake_leave(comfake_cotask_from_utf8(ff->temp, out));
    /* not created yet: the name the engine will give it (BITS names it at AddFile) */
    if (!(name = fake_temp_name(f->h->job, f->index)))
        return comfake_leave(E_OUTOFMEMORY);
    hr = comfake_cotask_from_utf8(name, out);
    free(name);
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE file_SetValidationState(IBackgroundCopyFile6 *iface, BOOL state)
{
    FILE_ENTER(iface, "IBackgroundCopyFile3::SetValidationState");

    if (!ff->done)
        return comfake_leave(E_PENDING); /* only once BITS has transferred the file */
    /* kept, not acted on: peer caching and BG_E_VALIDATION_FAILED are not modelled */
    ff->validated = state ? 1 : 0;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE file_GetValidationState(IBackgroundCopyFile6 *iface, BOOL *out)
{
    FILE_ENTER(iface, "IBackgroundCopyFile3::GetValidationState");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = ff->validated ? TRUE : FALSE;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE file_IsDownloadedFromPeer(IBackgroundCopyFile6 *iface, BOOL *out)
{
    FILE_ENTER(iface, "IBackgroundCopyFile3::IsDownloadedFromPeer");

    (void)ff;
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = FALSE; /* the world has no peers */
    return comfake_leave(S_OK);
}

/* ---- IBackgroundCopyFile4 (bits4_0.h) ---- */

static HRESULT STDMETHODCALLTYPE file_GetPeerDownloadStats(IBackgroundCopyFile6 *iface,
                                                           UINT64 *from_origin, UINT64 *from_peers)
{
    FILE_ENTER(iface, "IBackgroundCopyFile4::GetPeerDownloadStats");

    if (!from_origin || !from_peers)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *from_origin = ff->bytes_done; /* every byte came from the origin server */
    *from_peers = 0;
    return comfake_leave(S_OK);
}

/* ---- IBackgroundCopyFile5 (bits5_0.h) ---- */

static HRESULT STDMETHODCALLTYPE file_SetProperty(IBackgroundCopyFile6 *iface,
                                                  BITS_FILE_PROPERTY_ID id,
                                                  BITS_FILE_PROPERTY_VALUE value)
{
    FILE_ENTER(iface, "IBackgroundCopyFile5::SetProperty");

    (void)ff;
    (void)value;
    if (id != BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS)
        return comfake_leave(E_INVALIDARG);
    return comfake_leave(BG_E_READ_ONLY_PROPERTY); /* the server's headers, not the caller's */
}

static HRESULT STDMETHODCALLTYPE file_GetProperty(IBackgroundCopyFile6 *iface,
                                                  BITS_FILE_PROPERTY_ID id,
                                                  BITS_FILE_PROPERTY_VALUE *out)
{
    static const WCHAR none[] = { 0 };
    FILE_ENTER(iface, "IBackgroundCopyFile5::GetProperty");

    (void)ff;
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    out->String = NULL;
    if (id != BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS)
        return comfake_leave(E_INVALIDARG);
    /* the world's resources answer no HTTP headers: an empty string, still the caller's */
    return comfake_leave(comfake_cotask_wcsdup(none, &out->String));
}

/* ---- IBackgroundCopyFile6 (bits10_1.h) ---- */

/* Ranges need what BITS_JOB_PROPERTY_ON_DEMAND_MODE needs: an http(s) download. */
static HRESULT random_access(const struct fake_file *ff)
{
    return fake_remote_kind(ff->remote) == FAKE_REMOTE_HTTP ? S_OK
                                                            : BG_E_RANDOM_ACCESS_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE file_UpdateDownloadPosition(IBackgroundCopyFile6 *iface,
                                                             UINT64 offset)
{
    FILE_ENTER(iface, "IBackgroundCopyFile6::UpdateDownloadPosition");

    (void)offset; /* a priority hint: the engine downloads in order anyway */
    return comfake_leave(random_access(ff));
}

static int range_fits(const BG_FILE_RANGE *r, uint64_t size)
{
    if (size == BHT_SIZE_UNKNOWN)
        return 1; /* not connected yet: BITS checks when it knows the size */
    if (r->InitialOffset > size)
        return 0;
    return r->Length == BG_LENGTH_TO_EOF || r->Length <= size - r->InitialOffset;
}

static HRESULT STDMETHODCALLTYPE file_RequestFileRanges(IBackgroundCopyFile6 *iface, DWORD n,
                                                        const BG_FILE_RANGE *ranges)
{
    DWORD i;
    FILE_ENTER(iface, "IBackgroundCopyFile6::RequestFileRanges");

    if (!ranges)
        return comfake_leave(COMFAKE_E_NULL_REF);
    if ((hr = random_access(ff)) != S_OK)
        return comfake_leave(hr);
    for (i = 0; i < n; i++)
        if (!range_fits(&ranges[i], ff->bytes_total))
            return comfake_leave(BG_E_INVALID_RANGE); /* outside the actual file size */
    /* accepted; the engine fetches the whole file in order, which covers every range */
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE file_GetFilledFileRanges(IBackgroundCopyFile6 *iface,
                                                          DWORD *count, BG_FILE_RANGE **ranges)
{
    FILE_ENTER(iface, "IBackgroundCopyFile6::GetFilledFileRanges");

    if (!count || !ranges)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *count = 0;
    *ranges = NULL;
    if ((hr = random_access(ff)) != S_OK)
        return comfake_leave(hr);
    if (ff->bytes_done == 0)
        return comfake_leave(S_OK);
    /* the engine writes from offset 0 on: what is there is one range */
    if (!(*ranges = CoTaskMemAlloc(sizeof(**ranges))))
        return comfake_leave(E_OUTOFMEMORY);
    (*ranges)->InitialOffset = 0;
    (*ranges)->Length = ff->bytes_done;
    *count = 1;
    return comfake_leave(S_OK);
}

/* slot order of the Windows SDK: File 3-5, File2 6-7, File3 8-11, File4 12, File5 13-14,
 * File6 15-17 */
static const IBackgroundCopyFile6Vtbl file_vtbl = {
    file_QueryInterface,
    file_AddRef,
    file_Release,
    file_GetRemoteName,
    file_GetLocalName,
    file_GetProgress,
    file_GetFileRanges,
    file_SetRemoteName,
    file_GetTemporaryName,
    file_SetValidationState,
    file_GetValidationState,
    file_IsDownloadedFromPeer,
    file_GetPeerDownloadStats,
    file_SetProperty,
    file_GetProperty,
    file_UpdateDownloadPosition,
    file_RequestFileRanges,
    file_GetFilledFileRanges,
};


static void file_destroy(struct comfake_obj *o)
{
    struct copy_file *f = CONTAINING_RECORD(o, struct copy_file, hdr);

    if (f->ftm)
        IUnknown_Release(f->ftm);
    f->ftm = NULL;
    bht_fake_bits_ops.release(comfake_server.world, f->h);
    f->h = NULL;
}

HRESULT comfake_file_new(struct bht_job *h, size_t index, IBackgroundCopyFile **out)
{
    struct copy_file *f;

    *out = NULL;
    if (!h || index >= h->job->n_files)
        return BG_E_FILE_NOT_AVAILABLE;
    f = calloc(1, sizeof(*f));
    if (!f || !(f->h = comfake_handle_dup(h))) {
        free(f);
        return E_OUTOFMEMORY;
    }
    f->index = index;
    f->IBackgroundCopyFile6_iface.lpVtbl = (IBackgroundCopyFile6Vtbl *)&file_vtbl;
    snprintf(f->hdr.label, sizeof(f->hdr.label), "%s#%u", h->job->id, (unsigned)index);
    comfake_obj_register(&f->hdr, "file", "IBackgroundCopyFile", file_destroy);
    CoCreateFreeThreadedMarshaler((IUnknown *)&f->IBackgroundCopyFile6_iface, &f->ftm);
    *out = (IBackgroundCopyFile *)&f->IBackgroundCopyFile6_iface;
    return S_OK;
}

