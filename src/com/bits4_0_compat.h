/* bitsht: IBitsTokenOptions (BITS 4.0) for SDKs that lack <bits4_0.h>.
 *
 * MinGW-w64 v10 ships bits.h ... bits5_0.h but no bits4_0.h, so the helper-token interface
 * and BG_TOKEN_* are declared here, in C, only when the SDK does not provide them (newer
 * MinGW-w64 and the Windows SDK do). Vtable order after IUnknown is the one fixed in
 * docs/contract.md. The IID itself is defined in com_guids.c only. */
#ifndef BITSHT_BITS4_0_COMPAT_H
#define BITSHT_BITS4_0_COMPAT_H

#include <windows.h>
#include <bits.h>

#if defined(__has_include)
#if __has_include(<bits4_0.h>)
#define BHT_HAVE_BITS4_0_H 1
#endif
#endif

#ifdef BHT_HAVE_BITS4_0_H
#include <bits4_0.h>
#else

#define BG_TOKEN_LOCAL_FILE 0x0001
#define BG_TOKEN_NETWORK 0x0002

typedef struct IBitsTokenOptions IBitsTokenOptions;

typedef struct IBitsTokenOptionsVtbl {
    BEGIN_INTERFACE
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBitsTokenOptions *This, REFIID riid,
                                               void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBitsTokenOptions *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBitsTokenOptions *This);
    HRESULT(STDMETHODCALLTYPE *SetHelperTokenFlags)(IBitsTokenOptions *This, DWORD UsageFlags);
    HRESULT(STDMETHODCALLTYPE *GetHelperTokenFlags)(IBitsTokenOptions *This, DWORD *pFlags);
    HRESULT(STDMETHODCALLTYPE *SetHelperToken)(IBitsTokenOptions *This);
    HRESULT(STDMETHODCALLTYPE *ClearHelperToken)(IBitsTokenOptions *This);
    HRESULT(STDMETHODCALLTYPE *GetHelperTokenSid)(IBitsTokenOptions *This, LPWSTR *pSid);
    END_INTERFACE
} IBitsTokenOptionsVtbl;

struct IBitsTokenOptions {
    CONST_VTBL IBitsTokenOptionsVtbl *lpVtbl;
};

/* extern declaration here; a definition only where initguid.h came first (com_guids.c) */
DEFINE_GUID(IID_IBitsTokenOptions, 0x9a2584c3, 0xf7d2, 0x457a, 0x9a, 0x5e, 0x22, 0xb6, 0x7b,
            0xff, 0xc7, 0xd2);

#define IBitsTokenOptions_QueryInterface(This, riid, ppv) \
    (This)->lpVtbl->QueryInterface(This, riid, ppv)
#define IBitsTokenOptions_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBitsTokenOptions_Release(This) (This)->lpVtbl->Release(This)
#define IBitsTokenOptions_SetHelperTokenFlags(This, flags) \
    (This)->lpVtbl->SetHelperTokenFlags(This, flags)
#define IBitsTokenOptions_GetHelperTokenFlags(This, pflags) \
    (This)->lpVtbl->GetHelperTokenFlags(This, pflags)
#define IBitsTokenOptions_SetHelperToken(This) (This)->lpVtbl->SetHelperToken(This)
#define IBitsTokenOptions_ClearHelperToken(This) (This)->lpVtbl->ClearHelperToken(This)
#define IBitsTokenOptions_GetHelperTokenSid(This, psid) \
    (This)->lpVtbl->GetHelperTokenSid(This, psid)

#endif /* BHT_HAVE_BITS4_0_H */

#endif
