/* bitsht: COM set-up and the connection to the BITS service (bht_com_backend_open/close).
 *
 * A library must not choose its host's process-wide COM security: CoInitializeSecurity can
 * be called once per process, and a NULL descriptor there would admit every caller,
 * anonymous and remote ones included. The backend therefore never calls it and sets the
 * blanket that SetHelperToken needs (IMPERSONATE, dynamic cloaking, C88-C90) on each proxy
 * it obtains (bht_com_secure_proxy, §3.4 rule 1). */
#include <windows.h>
#include <objbase.h>
#include <bits.h>

#include <stdlib.h>

#include "bitsht/com_backend.h"
#include "com_internal.h"

bht_hr bht_com_backend_open(struct bht_backend *out)
{
    const struct bht_identity_ops *identity = NULL;
    void *identity_ctx = NULL;
    struct bht_com_bits *bits;
    HRESULT hr;

    out->bits = NULL;
    out->bits_ctx = NULL;
    out->identity = NULL;
    out->identity_ctx = NULL;
    bits = calloc(1, sizeof *bits);
    if (!bits)
        return E_OUTOFMEMORY;

    /* An STA, like Microsoft's helper-token sample: the callback arrives through the
     * message queue that wait pumps. A host thread already in the MTA keeps it
     * (RPC_E_CHANGED_MODE): COM is usable, and the callback then comes on an RPC thread. */
    hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
    if (SUCCEEDED(hr))
        bits->com_initialized = 1;
    else if (hr != RPC_E_CHANGED_MODE)
        goto fail;

    hr = bht_com_acquire_manager(&bits->manager, &identity, &identity_ctx);
    if (FAILED(hr))
        goto fail;
    hr = bht_com_secure_proxy((IUnknown *)bits->manager);
    if (FAILED(hr))
        goto fail;

    out->bits = &bht_com_bits_ops;
    out->bits_ctx = bits;
    out->identity = identity;
    out->identity_ctx = identity_ctx;
    return S_OK;

fail:
    if (bits->manager)
        IBackgroundCopyManager_Release(bits->manager);
    if (bits->com_initialized)
        CoUninitialize();
    free(bits);
    return hr;
}

void bht_com_backend_close(struct bht_backend *backend)
{
    struct bht_com_bits *bits;

    if (!backend || !backend->bits_ctx)
        return;
    bits = backend->bits_ctx;
    IBackgroundCopyManager_Release(bits->manager);
    if (bits->com_initialized)
        CoUninitialize();
    free(bits);
    backend->bits = NULL;
    backend->bits_ctx = NULL;
    backend->identity = NULL;
    backend->identity_ctx = NULL;
}
