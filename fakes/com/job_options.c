/* bitsht COM fake: the job's IBackgroundCopyJobHttpOptions and IBitsTokenOptions. Both
 * forward QueryInterface/AddRef/Release to the job (one object, one count). The token
 * options run the fake's token ops: C87-C99, with the identity the fake identity ops put
 * on the calling thread (C88). */
#include "comfake_job.h"

#include <stdlib.h>
#include <string.h>

#define W (comfake_server.world)

static struct comfake_job *impl_from_http(IBackgroundCopyJobHttpOptions *iface)
{
    return CONTAINING_RECORD(iface, struct comfake_job, IBackgroundCopyJobHttpOptions_iface);
}

static struct comfake_job *impl_from_token(IBitsTokenOptions *iface)
{
    return CONTAINING_RECORD(iface, struct comfake_job, IBitsTokenOptions_iface);
}

#define HTTP_ENTER(iface, method)                                     \
    struct comfake_job *job = impl_from_http(iface);                  \
    struct comfake_extra *e;                                          \
    HRESULT hr = comfake_enter(&job->hdr, method);                    \
    if (hr != S_OK)                                                   \
        return hr;                                                    \
    if (!(e = comfake_extra_of(JOB_FAKE(job))))                       \
        return comfake_leave(E_OUTOFMEMORY)

static HRESULT STDMETHODCALLTYPE http_QueryInterface(IBackgroundCopyJobHttpOptions *iface,
                                                     REFIID riid, void **out)
{
    IBackgroundCopyJob5 *job = &impl_from_http(iface)->IBackgroundCopyJob5_iface;

    return job->lpVtbl->QueryInterface(job, riid, out);
}

static ULONG STDMETHODCALLTYPE http_AddRef(IBackgroundCopyJobHttpOptions *iface)
{
    return comfake_obj_addref(&impl_from_http(iface)->hdr);
}

static ULONG STDMETHODCALLTYPE http_Release(IBackgroundCopyJobHttpOptions *iface)
{
    return comfake_obj_release(&impl_from_http(iface)->hdr);
}

static HRESULT set_certificate(struct comfake_job *job, struct comfake_extra *e,
                               BG_CERT_STORE_LOCATION location, LPCWSTR store,
                               const BYTE *hash, LPCWSTR subject)
{
    WCHAR *store_copy, *subject_copy = NULL;
    HRESULT hr;

    if (WINE8_PROFILE())
        return E_NOTIMPL; /* Wine: certificates are stubs */
    if (!store || (!hash && !subject))
        return COMFAKE_E_NULL_REF;
    if ((unsigned)location > BG_CERT_STORE_LOCATION_LOCAL_MACHINE_ENTERPRISE)
        return E_INVALIDARG;
    if ((hr = comfake_job_settable(job)) != S_OK)
        return hr;
    store_copy = comfake_wcsdup(store);
    if (subject)
        subject_copy = comfake_wcsdup(subject);
    if (!store_copy || (subject && !subject_copy)) {
        free(store_copy);
        free(subject_copy);
        return E_OUTOFMEMORY;
    }
    free(e->cert_store);
    free(e->cert_subject);
    e->cert_store = store_copy;
    e->cert_subject = subject_copy;
    e->cert_location = location;
    memset(e->cert_hash, 0, sizeof(e->cert_hash));
    if (hash)
        memcpy(e->cert_hash, hash, sizeof(e->cert_hash)); /* SHA-1: 20 bytes */
    e->has_cert = 1;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE http_SetClientCertificateByID(IBackgroundCopyJobHttpOptions *iface,
                                                               BG_CERT_STORE_LOCATION location,
                                                               LPCWSTR store, BYTE *hash)
{
    HTTP_ENTER(iface, "IBackgroundCopyJobHttpOptions::SetClientCertificateByID");

    return comfake_leave(set_certificate(job, e, location, store, hash, NULL));
}

static HRESULT STDMETHODCALLTYPE http_SetClientCertificateByName(
    IBackgroundCopyJobHttpOptions *iface, BG_CERT_STORE_LOCATION location, LPCWSTR store,
    LPCWSTR subject)
{
    HTTP_ENTER(iface, "IBackgroundCopyJobHttpOptions::SetClientCertificateByName");

    if (!subject && !WINE8_PROFILE())
        return comfake_leave(COMFAKE_E_NULL_REF);
    return comfake_leave(set_certificate(job, e, location, store, NULL, subject));
}

static HRESULT STDMETHODCALLTYPE http_RemoveClientCertificate(IBackgroundCopyJobHttpOptions *iface)
{
    HTTP_ENTER(iface, "IBackgroundCopyJobHttpOptions::RemoveClientCertificate");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if ((hr = comfake_job_settable(job)) != S_OK)
        return comfake_leave(hr);
    if (!e->has_cert)
        return comfake_leave(S_FALSE); /* nothing to remove */
    free(e->cert_store);
    free(e->cert_subject);
    e->cert_store = e->cert_subject = NULL;
    e->has_cert = 0;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE http_GetClientCertificate(IBackgroundCopyJobHttpOptions *iface,
                                                           BG_CERT_STORE_LOCATION *location,
                                                           LPWSTR *store, BYTE **hash,
                                                           LPWSTR *subject)
{
    HTTP_ENTER(iface, "IBackgroundCopyJobHttpOptions::GetClientCertificate");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!location || !store || !hash || !subject)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *store = *subject = NULL;
    *hash = NULL;
    if (!e->has_cert)
        return comfake_leave(HRESULT_FROM_WIN32(RPC_X_BAD_STUB_DATA)); /* none set */
    *location = e->cert_location;
    hr = comfake_cotask_wcsdup(e->cert_store, store);
    if (SUCCEEDED(hr))
        hr = comfake_cotask_wcsdup(e->cert_subject, subject);
    if (SUCCEEDED(hr)) {
        *hash = CoTaskMemAlloc(sizeof(e->cert_hash));
        if (*hash) {
            memcpy(*hash, e->cert_hash, sizeof(e->cert_hash));
            comfake_spy_track(*hash);
        } else {
            hr = E_OUTOFMEMORY;
        }
    }
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE http_SetCustomHeaders(IBackgroundCopyJobHttpOptions *iface,
                                                       LPCWSTR headers)
{
    WCHAR *copy = NULL;
    HTTP_ENTER(iface, "IBackgroundCopyJobHttpOptions::SetCustomHeaders");

    if ((hr = comfake_job_settable(job)) != S_OK)
        return comfake_leave(hr);
    if (headers && !(copy = comfake_wcsdup(headers)))
        return comfake_leave(E_OUTOFMEMORY);
    free(e->custom_headers); /* NULL removes them */
    e->custom_headers = copy;
    return comfake_leave(S_OK);
}

static HRESULT STDMETHODCALLTYPE http_GetCustomHeaders(IBackgroundCopyJobHttpOptions *iface,
                                                       LPWSTR *out)
{
    HTTP_ENTER(iface, "IBackgroundCopyJobHttpOptions::GetCustomHeaders");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = NULL;
    if (!e->custom_headers)
        return comfake_leave(S_FALSE); /* none set */
    return comfake_leave(comfake_cotask_wcsdup(e->custom_headers, out));
}

static HRESULT STDMETHODCALLTYPE http_SetSecurityFlags(IBackgroundCopyJobHttpOptions *iface,
                                                       ULONG flags)
{
    HTTP_ENTER(iface, "IBackgroundCopyJobHttpOptions::SetSecurityFlags");

    if ((hr = comfake_job_settable(job)) == S_OK)
        e->security_flags = flags;
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE http_GetSecurityFlags(IBackgroundCopyJobHttpOptions *iface,
                                                       ULONG *out)
{
    HTTP_ENTER(iface, "IBackgroundCopyJobHttpOptions::GetSecurityFlags");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = e->security_flags;
    return comfake_leave(S_OK);
}

const IBackgroundCopyJobHttpOptionsVtbl comfake_http_options_vtbl = {
    http_QueryInterface,
    http_AddRef,
    http_Release,
    http_SetClientCertificateByID,
    http_SetClientCertificateByName,
    http_RemoveClientCertificate,
    http_GetClientCertificate,
    http_SetCustomHeaders,
    http_GetCustomHeaders,
    http_SetSecurityFlags,
    http_GetSecurityFlags,
};

/* ---- IBitsTokenOptions ---- */

#define TOKEN_ENTER(iface, method)                                    \
    struct comfake_job *job = impl_from_token(iface);                 \
    HRESULT hr = comfake_enter(&job->hdr, method);                    \
    if (hr != S_OK)                                                   \
        return hr

static HRESULT STDMETHODCALLTYPE token_QueryInterface(IBitsTokenOptions *iface, REFIID riid,
                                                      void **out)
{
    IBackgroundCopyJob5 *job = &impl_from_token(iface)->IBackgroundCopyJob5_iface;

    return job->lpVtbl->QueryInterface(job, riid, out);
}

static ULONG STDMETHODCALLTYPE token_AddRef(IBitsTokenOptions *iface)
{
    return comfake_obj_addref(&impl_from_token(iface)->hdr);
}

static ULONG STDMETHODCALLTYPE token_Release(IBitsTokenOptions *iface)
{
    return comfake_obj_release(&impl_from_token(iface)->hdr);
}

static HRESULT STDMETHODCALLTYPE token_SetHelperTokenFlags(IBitsTokenOptions *iface, DWORD flags)
{
    TOKEN_ENTER(iface, "IBitsTokenOptions::SetHelperTokenFlags");

    return comfake_leave(bht_fake_bits_ops.set_helper_token_flags(W, job->h, flags));
}

static HRESULT STDMETHODCALLTYPE token_GetHelperTokenFlags(IBitsTokenOptions *iface, DWORD *out)
{
    uint32_t flags = 0;
    TOKEN_ENTER(iface, "IBitsTokenOptions::GetHelperTokenFlags");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    hr = bht_fake_bits_ops.get_helper_token_flags(W, job->h, &flags);
    *out = flags;
    return comfake_leave(hr);
}

static HRESULT STDMETHODCALLTYPE token_SetHelperToken(IBitsTokenOptions *iface)
{
    TOKEN_ENTER(iface, "IBitsTokenOptions::SetHelperToken");

    /* C88: the identity the fake identity ops impersonate is what gets captured */
    return comfake_leave(bht_fake_bits_ops.set_helper_token(W, job->h));
}

static HRESULT STDMETHODCALLTYPE token_ClearHelperToken(IBitsTokenOptions *iface)
{
    TOKEN_ENTER(iface, "IBitsTokenOptions::ClearHelperToken");

    return comfake_leave(bht_fake_bits_ops.clear_helper_token(W, job->h));
}

static HRESULT STDMETHODCALLTYPE token_GetHelperTokenSid(IBitsTokenOptions *iface, LPWSTR *out)
{
    char *sid = NULL;
    TOKEN_ENTER(iface, "IBitsTokenOptions::GetHelperTokenSid");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = NULL;
    hr = bht_fake_bits_ops.get_helper_token_sid(W, job->h, &sid);
    if (SUCCEEDED(hr) && sid) /* C96: S_OK and NULL without a helper token */
        hr = comfake_cotask_from_utf8(sid, out);
    bht_fake_bits_ops.free_mem(W, sid);
    return comfake_leave(hr);
}

const IBitsTokenOptionsVtbl comfake_token_options_vtbl = {
    token_QueryInterface,      token_AddRef,           token_Release,
    token_SetHelperTokenFlags, token_GetHelperTokenFlags, token_SetHelperToken,
    token_ClearHelperToken,    token_GetHelperTokenSid,
};
