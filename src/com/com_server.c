/* bitsht: where the COM backend's BITS manager comes from.
 *
 * Normally the BITS service (CoCreateInstance, CLSCTX_LOCAL_SERVER). As a test facility,
 * BITSHT_COM_SERVER may name an in-process BITS server DLL (bitsht_fakebits.dll from
 * fakes/com, or any DLL exporting DllGetClassObject for CLSID_BackgroundCopyManager): the
 * manager then comes from its class factory, and when the DLL also exports
 * bht_fakebits_identity, the identity ops come from it too — a fake BITS can only check the
 * accounts of its own world, and Wine's LogonUserW checks none (C103). */
#include <windows.h>
#include <objbase.h>
#include <bits.h>

#include "com_internal.h"

typedef HRESULT(STDAPICALLTYPE *get_class_object_fn)(REFCLSID, REFIID, void **);
typedef void (*identity_fn)(const struct bht_identity_ops **, void **);

static HRESULT manager_from_dll(const WCHAR *path, IBackgroundCopyManager **out,
                                const struct bht_identity_ops **out_identity,
                                void **out_identity_ctx)
{
    IClassFactory *factory = NULL;
    get_class_object_fn get_class_object;
    identity_fn identity;
    HMODULE dll;
    HRESULT hr;

    /* never freed: the server's objects and threads live as long as the process, as
     * CoFreeUnusedLibraries would leave a server that answers S_FALSE to DllCanUnloadNow */
    dll = LoadLibraryW(path);
    if (!dll)
        return HRESULT_FROM_WIN32(GetLastError());
    get_class_object = (get_class_object_fn)(void (*)(void))GetProcAddress(dll,
                                                                            "DllGetClassObject");
    if (!get_class_object)
        return HRESULT_FROM_WIN32(GetLastError());
    hr = get_class_object(&CLSID_BackgroundCopyManager, &IID_IClassFactory, (void **)&factory);
    if (FAILED(hr))
        return hr;
    hr = IClassFactory_CreateInstance(factory, NULL, &IID_IBackgroundCopyManager, (void **)out);
    IClassFactory_Release(factory);
    if (FAILED(hr))
        return hr;
    identity = (identity_fn)(void (*)(void))GetProcAddress(dll, "bht_fakebits_identity");
    if (identity)
        identity(out_identity, out_identity_ctx);
    return S_OK;
}

HRESULT bht_com_acquire_manager(IBackgroundCopyManager **out,
                                const struct bht_identity_ops **out_identity,
                                void **out_identity_ctx)
{
    WCHAR path[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"BITSHT_COM_SERVER", path, MAX_PATH);

    *out = NULL;
    *out_identity = &bht_win_identity_ops;
    *out_identity_ctx = NULL;
    if (n && n < MAX_PATH)
        return manager_from_dll(path, out, out_identity, out_identity_ctx);
    /* REGDB_E_CLASSNOTREG or a service error here means "BITS unavailable" (exit 5) */
    return CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                            &IID_IBackgroundCopyManager, (void **)out);
}
