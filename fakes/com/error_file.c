/* bitsht COM fake: IBackgroundCopyError and IEnumBackgroundCopyFiles (the file object: file.c).
 * Each holds its own fake handle on the job (never another COM object), so objects can go
 * in any order. */
#include "comfake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W (comfake_server.world)

struct bht_job *comfake_handle_dup(struct bht_job *h)
{
    return h ? fake_handle_new(h->job) : NULL;
}

/* ---- IBackgroundCopyError ---- */

struct copy_error {
    struct comfake_obj hdr;
    IBackgroundCopyError IBackgroundCopyError_iface;
    IUnknown *ftm;
    struct bht_job *h;
    struct bht_job_error e;
    int file_index; /* -1: not tied to a file */
};

static struct copy_error *impl_from_IBackgroundCopyError(IBackgroundCopyError *iface)
{
    return CONTAINING_RECORD(iface, struct copy_error, IBackgroundCopyError_iface);
}

#define ERROR_ENTER(iface, method)                                          \
    struct copy_error *err = impl_from_IBackgroundCopyError(iface);        \
    HRESULT hr = comfake_enter(&err->hdr, method);                          \
    if (hr != S_OK)                                                         \
        return hr

static HRESULT STDMETHODCALLTYPE error_QueryInterface(IBackgroundCopyError *iface, REFIID riid,
                                                      void **out)
{
    struct copy_error *err = impl_from_IBackgroundCopyError(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IBackgroundCopyError)) {
        *out = iface;
        IBackgroundCopyError_AddRef(iface);
        return S_OK;
    }
    if (IsEqualGUID(riid, &IID_IMarshal) && err->ftm)
        return IUnknown_QueryInterface(err->ftm, riid, out);
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE error_AddRef(IBackgroundCopyError *iface)
{
    return comfake_obj_addref(&impl_from_IBackgroundCopyError(iface)->hdr);
}

static ULONG STDMETHODCALLTYPE error_Release(IBackgroundCopyError *iface)
{
    return comfake_obj_release(&impl_from_IBackgroundCopyError(iface)->hdr);
}

static HRESULT STDMETHODCALLTYPE error_GetError(IBackgroundCopyError *iface,
                                                BG_ERROR_CONTEXT *context, HRESULT *code)
{
    ERROR_ENTER(iface, "IBackgroundCopyError::GetError");

    if (!context || !code)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *context = (BG_ERROR_CONTEXT)err->e.context; /* C65 */
    *code = err->e.code;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE error_GetFile(IBackgroundCopyError *iface,
                                               IBackgroundCopyFile **out)
{
    ERROR_ENTER(iface, "IBackgroundCopyError::GetFile");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = NULL;
    if (err->file_index < 0)
        return comfake_leave(BG_E_FILE_NOT_AVAILABLE); /* C66 */
    return comfake_leave(comfake_file_new(err->h, (size_t)err->file_index, out));
}

static HRESULT description(const char *text, LPWSTR *out)
{
    if (!out)
        return COMFAKE_E_NULL_REF;
    *out = NULL;
    if (WINE8_PROFILE())
        return E_NOTIMPL; /* C68 Wine */
    return comfake_cotask_from_utf8(text, out);
}

static HRESULT STDMETHODCALLTYPE error_GetErrorDescription(IBackgroundCopyError *iface,
                                                           DWORD lang, LPWSTR *out)
{
    ERROR_ENTER(iface, "IBackgroundCopyError::GetErrorDescription");

    (void)lang; /* English in every language (C68 allows 0x80070717 only when none exists) */
    return comfake_leave(description(err->e.description, out));
}

static HRESULT STDMETHODCALLTYPE error_GetErrorContextDescription(IBackgroundCopyError *iface,
                                                                  DWORD lang, LPWSTR *out)
{
    ERROR_ENTER(iface, "IBackgroundCopyError::GetErrorContextDescription");

    (void)lang;
    return comfake_leave(description(err->e.context_description, out));
}

static HRESULT STDMETHODCALLTYPE error_GetProtocol(IBackgroundCopyError *iface, LPWSTR *out)
{
    static const WCHAR http[] = { 'h', 't', 't', 'p', 0 }, file[] = { 'f', 'i', 'l', 'e', 0 };
    const char *remote;
    ERROR_ENTER(iface, "IBackgroundCopyError::GetProtocol");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = NULL;
    /* the protocol of the file in error; none when the error is not tied to a file */
    if (err->file_index < 0 || (size_t)err->file_index >= err->h->job->n_files)
        return comfake_leave(BG_E_PROTOCOL_NOT_AVAILABLE);
    remote = err->h->job->files[err->file_index].remote;
    return comfake_leave(comfake_cotask_wcsdup(
        fake_remote_kind(remote) == FAKE_REMOTE_HTTP ? http : file, out));
}

static const IBackgroundCopyErrorVtbl error_vtbl = {
    error_QueryInterface,      error_AddRef,
    error_Release,             error_GetError,
    error_GetFile,             error_GetErrorDescription,
    error_GetErrorContextDescription, error_GetProtocol,
};

static void error_destroy(struct comfake_obj *o)
{
    struct copy_error *err = CONTAINING_RECORD(o, struct copy_error, hdr);

    if (err->ftm)
        IUnknown_Release(err->ftm);
    err->ftm = NULL;
    bht_fake_bits_ops.release(comfake_server.world, err->h);
    err->h = NULL;
}

HRESULT comfake_error_new(struct bht_job *h, const struct bht_job_error *e, int file_index,
                          IBackgroundCopyError **out)
{
    struct copy_error *err = calloc(1, sizeof(*err));

    *out = NULL;
    if (!err || !(err->h = comfake_handle_dup(h))) {
        free(err);
        return E_OUTOFMEMORY;
    }
    err->e = *e;
    err->file_index = file_index;
    err->IBackgroundCopyError_iface.lpVtbl = (IBackgroundCopyErrorVtbl *)&error_vtbl;
    memcpy(err->hdr.label, h->job->id, BHT_JOB_ID_SIZE);
    comfake_obj_register(&err->hdr, "error", "IBackgroundCopyError", error_destroy);
    CoCreateFreeThreadedMarshaler((IUnknown *)&err->IBackgroundCopyError_iface, &err->ftm);
    *out = &err->IBackgroundCopyError_iface;
    return S_OK;
}

/* ---- IEnumBackgroundCopyFiles ---- */

struct enum_files {
    struct comfake_obj hdr;
    IEnumBackgroundCopyFiles IEnumBackgroundCopyFiles_iface;
    struct bht_job *h;
    ULONG n, pos; /* the file count when the enumerator was made */
};

static struct enum_files *impl_from_IEnumBackgroundCopyFiles(IEnumBackgroundCopyFiles *iface)
{
    return CONTAINING_RECORD(iface, struct enum_files, IEnumBackgroundCopyFiles_iface);
}

#define EFILES_ENTER(iface, method)                                         \
    struct enum_files *en = impl_from_IEnumBackgroundCopyFiles(iface);     \
    HRESULT hr = comfake_enter(&en->hdr, method);                           \
    if (hr != S_OK)                                                         \
        return hr

static HRESULT STDMETHODCALLTYPE enum_files_QueryInterface(IEnumBackgroundCopyFiles *iface,
                                                           REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IEnumBackgroundCopyFiles)) {
        *out = iface;
        IEnumBackgroundCopyFiles_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE enum_files_AddRef(IEnumBackgroundCopyFiles *iface)
{
    return comfake_obj_addref(&impl_from_IEnumBackgroundCopyFiles(iface)->hdr);
}

static ULONG STDMETHODCALLTYPE enum_files_Release(IEnumBackgroundCopyFiles *iface)
{
    return comfake_obj_release(&impl_from_IEnumBackgroundCopyFiles(iface)->hdr);
}

static HRESULT STDMETHODCALLTYPE enum_files_Next(IEnumBackgroundCopyFiles *iface, ULONG celt,
                                                 IBackgroundCopyFile **out, ULONG *fetched)
{
    ULONG got = 0;
    EFILES_ENTER(iface, "IEnumBackgroundCopyFiles::Next");

    if (!out || (celt > 1 && !fetched))
        return comfake_leave(COMFAKE_E_NULL_REF);
    while (got < celt && en->pos < en->n && SUCCEEDED(hr)) {
        hr = comfake_file_new(en->h, en->pos, &out[got]);
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

static HRESULT STDMETHODCALLTYPE enum_files_Skip(IEnumBackgroundCopyFiles *iface, ULONG celt)
{
    EFILES_ENTER(iface, "IEnumBackgroundCopyFiles::Skip");

    if (celt > en->n - en->pos) {
        en->pos = en->n;
        return comfake_leave(S_FALSE);
    }
    en->pos += celt;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE enum_files_Reset(IEnumBackgroundCopyFiles *iface)
{
    EFILES_ENTER(iface, "IEnumBackgroundCopyFiles::Reset");

    en->pos = 0;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE enum_files_Clone(IEnumBackgroundCopyFiles *iface,
                                                  IEnumBackgroundCopyFiles **out)
{
    EFILES_ENTER(iface, "IEnumBackgroundCopyFiles::Clone");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    hr = comfake_enum_files_new(en->h, out);
    if (SUCCEEDED(hr))
        impl_from_IEnumBackgroundCopyFiles(*out)->pos = en->pos;
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE enum_files_GetCount(IEnumBackgroundCopyFiles *iface, ULONG *out)
{
    EFILES_ENTER(iface, "IEnumBackgroundCopyFiles::GetCount");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = en->n;
    return comfake_leave(S_OK);
}

static const IEnumBackgroundCopyFilesVtbl enum_files_vtbl = {
    enum_files_QueryInterface, enum_files_AddRef, enum_files_Release, enum_files_Next,
    enum_files_Skip,           enum_files_Reset,  enum_files_Clone,   enum_files_GetCount,
};

static void enum_files_destroy(struct comfake_obj *o)
{
    struct enum_files *en = CONTAINING_RECORD(o, struct enum_files, hdr);

    bht_fake_bits_ops.release(comfake_server.world, en->h);
    en->h = NULL;
}

HRESULT comfake_enum_files_new(struct bht_job *h, IEnumBackgroundCopyFiles **out)
{
    struct enum_files *en = calloc(1, sizeof(*en));

    *out = NULL;
    if (!en || !(en->h = comfake_handle_dup(h))) {
        free(en);
        return E_OUTOFMEMORY;
    }
    en->n = (ULONG)h->job->n_files;
    en->IEnumBackgroundCopyFiles_iface.lpVtbl = (IEnumBackgroundCopyFilesVtbl *)&enum_files_vtbl;
    memcpy(en->hdr.label, h->job->id, BHT_JOB_ID_SIZE);
    comfake_obj_register(&en->hdr, "file enumerator", "IEnumBackgroundCopyFiles",
                         enum_files_destroy);
    *out = &en->IEnumBackgroundCopyFiles_iface;
    return S_OK;
}
