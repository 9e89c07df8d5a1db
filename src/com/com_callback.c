/* bitsht: IBackgroundCopyCallback in C.
 *
 * BITS calls JobTransferred / JobError (C79, C80); all this object does is set an event that
 * the backend's wait blocks on. It never calls back into the job: the decision belongs to
 * the core, which re-reads the state. Wine never calls JobError (docs/contract.md), so
 * the event is a shortcut, never the only way wait learns of a change. */
#include "com_callback.h"

#include <stdlib.h>

struct com_callback {
    IBackgroundCopyCallback iface;
    LONG refs;
    HANDLE wake; /* manual reset: wait resets it before it reads the state */
    LONG transferred_calls;
    LONG error_calls;
};

static struct com_callback *impl_from_callback(IBackgroundCopyCallback *iface)
{
    return CONTAINING_RECORD(iface, struct com_callback, iface);
}

static HRESULT STDMETHODCALLTYPE com_callback_QueryInterface(IBackgroundCopyCallback *iface,
                                                             REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IBackgroundCopyCallback)) {
        *out = iface;
        IBackgroundCopyCallback_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE com_callback_AddRef(IBackgroundCopyCallback *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_callback(iface)->refs);
}

static ULONG STDMETHODCALLTYPE com_callback_Release(IBackgroundCopyCallback *iface)
{
    struct com_callback *cb = impl_from_callback(iface);
    LONG refs = InterlockedDecrement(&cb->refs);

    if (refs == 0) {
        CloseHandle(cb->wake);
        free(cb);
    }
    return (ULONG)refs;
}

/* S_OK tells Windows BITS the notification was taken; any other result makes it call again
 * later (C79). */
static HRESULT STDMETHODCALLTYPE com_callback_JobTransferred(IBackgroundCopyCallback *iface,
                                                             IBackgroundCopyJob *job)
{
    struct com_callback *cb = impl_from_callback(iface);

    (void)job;
    InterlockedIncrement(&cb->transferred_calls);
    SetEvent(cb->wake);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE com_callback_JobError(IBackgroundCopyCallback *iface,
                                                       IBackgroundCopyJob *job,
                                                       IBackgroundCopyError *error)
{
    struct com_callback *cb = impl_from_callback(iface);

    (void)job;
    (void)error;
    InterlockedIncrement(&cb->error_calls);
    SetEvent(cb->wake);
    return S_OK;
}

/* Not requested (the backend never sets BG_NOTIFY_JOB_MODIFICATION), but a caller may set
 * the flag through set_notify_flags: waking on it is harmless, wait re-reads the state. */
static HRESULT STDMETHODCALLTYPE com_callback_JobModification(IBackgroundCopyCallback *iface,
                                                              IBackgroundCopyJob *job,
                                                              DWORD reserved)
{
    (void)job;
    (void)reserved;
    SetEvent(impl_from_callback(iface)->wake);
    return S_OK;
}

static const IBackgroundCopyCallbackVtbl com_callback_vtbl = {
    com_callback_QueryInterface, com_callback_AddRef,   com_callback_Release,
    com_callback_JobTransferred, com_callback_JobError, com_callback_JobModification,
};

bht_hr bht_com_callback_new(IBackgroundCopyCallback **out)
{
    struct com_callback *cb;

    *out = NULL;
    cb = calloc(1, sizeof *cb);
    if (!cb)
        return E_OUTOFMEMORY;
    cb->wake = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!cb->wake) {
        bht_hr hr = HRESULT_FROM_WIN32(GetLastError());
        free(cb);
        return hr;
    }
    cb->iface.lpVtbl = (IBackgroundCopyCallbackVtbl *)&com_callback_vtbl;
    cb->refs = 1;
    *out = &cb->iface;
    return S_OK;
}

HANDLE bht_com_callback_event(IBackgroundCopyCallback *iface)
{
    return impl_from_callback(iface)->wake;
}

LONG bht_com_callback_transferred_calls(IBackgroundCopyCallback *iface)
{
    return InterlockedCompareExchange(&impl_from_callback(iface)->transferred_calls, 0, 0);
}

LONG bht_com_callback_error_calls(IBackgroundCopyCallback *iface)
{
    return InterlockedCompareExchange(&impl_from_callback(iface)->error_calls, 0, 0);
}
