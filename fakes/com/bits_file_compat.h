/* bitsht COM fake: IBackgroundCopyFile3..6 (bits3_0.h, bits4_0.h, bits5_0.h, bits10_1.h of
 * the Windows SDK) for SDKs that lack them.
 *
 * MinGW-w64 v10's bits3_0.h/bits5_0.h stop short of the file interfaces and it has no
 * bits4_0.h/bits10_1.h, so they are declared here, in C, when the SDK does not. Each
 * version extends the one before, so one vtable (IBackgroundCopyFile6Vtbl, slots in SDK
 * order: 8-11 File3, 12 File4, 13-14 File5, 15-17 File6) serves all four; File3..5 pointers
 * are the same object seen through a prefix of it. IIDs: DEFINE_GUID, defined where
 * initguid.h came first (guids.c, the tests). */
#ifndef BITSHT_BITS_FILE_COMPAT_H
#define BITSHT_BITS_FILE_COMPAT_H

#include <windows.h>
#include <bits.h>
#include <bits2_0.h>

#ifndef __IBackgroundCopyFile6_INTERFACE_DEFINED__

typedef enum BITS_FILE_PROPERTY_ID {
    BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS = 1
} BITS_FILE_PROPERTY_ID;

typedef union BITS_FILE_PROPERTY_VALUE {
    LPWSTR String;
} BITS_FILE_PROPERTY_VALUE;

typedef struct IBackgroundCopyFile6 IBackgroundCopyFile6;
typedef IBackgroundCopyFile6 IBackgroundCopyFile3, IBackgroundCopyFile4, IBackgroundCopyFile5;

typedef struct IBackgroundCopyFile6Vtbl {
    BEGIN_INTERFACE
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IBackgroundCopyFile6 *This, REFIID riid,
                                               void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IBackgroundCopyFile6 *This);
    ULONG(STDMETHODCALLTYPE *Release)(IBackgroundCopyFile6 *This);
    /* IBackgroundCopyFile */
    HRESULT(STDMETHODCALLTYPE *GetRemoteName)(IBackgroundCopyFile6 *This, LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *GetLocalName)(IBackgroundCopyFile6 *This, LPWSTR *pVal);
    HRESULT(STDMETHODCALLTYPE *GetProgress)(IBackgroundCopyFile6 *This, BG_FILE_PROGRESS *pVal);
    /* IBackgroundCopyFile2 */
    HRESULT(STDMETHODCALLTYPE *GetFileRanges)(IBackgroundCopyFile6 *This, DWORD *RangeCount,
                                              BG_FILE_RANGE **Ranges);
    HRESULT(STDMETHODCALLTYPE *SetRemoteName)(IBackgroundCopyFile6 *This, LPCWSTR Val);
    /* IBackgroundCopyFile3 */
    HRESULT(STDMETHODCALLTYPE *GetTemporaryName)(IBackgroundCopyFile6 *This, LPWSTR *pFilename);
    HRESULT(STDMETHODCALLTYPE *SetValidationState)(IBackgroundCopyFile6 *This, BOOL state);
    HRESULT(STDMETHODCALLTYPE *GetValidationState)(IBackgroundCopyFile6 *This, BOOL *pState);
    HRESULT(STDMETHODCALLTYPE *IsDownloadedFromPeer)(IBackgroundCopyFile6 *This, BOOL *pVal);
    /* IBackgroundCopyFile4 */
    HRESULT(STDMETHODCALLTYPE *GetPeerDownloadStats)(IBackgroundCopyFile6 *This,
                                                     UINT64 *pFromOrigin, UINT64 *pFromPeers);
    /* IBackgroundCopyFile5 */
    HRESULT(STDMETHODCALLTYPE *SetProperty)(IBackgroundCopyFile6 *This,
                                            BITS_FILE_PROPERTY_ID PropertyId,
                                            BITS_FILE_PROPERTY_VALUE PropertyValue);
    HRESULT(STDMETHODCALLTYPE *GetProperty)(IBackgroundCopyFile6 *This,
                                            BITS_FILE_PROPERTY_ID PropertyId,
                                            BITS_FILE_PROPERTY_VALUE *PropertyValue);
    /* IBackgroundCopyFile6 */
    HRESULT(STDMETHODCALLTYPE *UpdateDownloadPosition)(IBackgroundCopyFile6 *This, UINT64 offset);
    HRESULT(STDMETHODCALLTYPE *RequestFileRanges)(IBackgroundCopyFile6 *This, DWORD rangeCount,
                                                  const BG_FILE_RANGE *ranges);
    HRESULT(STDMETHODCALLTYPE *GetFilledFileRanges)(IBackgroundCopyFile6 *This,
                                                    DWORD *rangeCount, BG_FILE_RANGE **ranges);
    END_INTERFACE
} IBackgroundCopyFile6Vtbl;

struct IBackgroundCopyFile6 {
    CONST_VTBL IBackgroundCopyFile6Vtbl *lpVtbl;
};

DEFINE_GUID(IID_IBackgroundCopyFile3, 0x659cdeaa, 0x489e, 0x11d9, 0xa9, 0xcd, 0x00, 0x0d, 0x56,
            0x96, 0x52, 0x51);
DEFINE_GUID(IID_IBackgroundCopyFile4, 0xef7e0655, 0x7888, 0x4960, 0xb0, 0xe5, 0x73, 0x08, 0x46,
            0xe0, 0x34, 0x92);
DEFINE_GUID(IID_IBackgroundCopyFile5, 0x85c1657f, 0xdafc, 0x40e8, 0x88, 0x34, 0xdf, 0x18, 0xea,
            0x25, 0x71, 0x7e);
DEFINE_GUID(IID_IBackgroundCopyFile6, 0xcf6784f7, 0xd677, 0x49fd, 0x93, 0x68, 0xcb, 0x47, 0xae,
            0xe9, 0xd1, 0xad);

#define IBackgroundCopyFile6_QueryInterface(This, riid, ppv) \
    (This)->lpVtbl->QueryInterface(This, riid, ppv)
#define IBackgroundCopyFile6_AddRef(This) (This)->lpVtbl->AddRef(This)
#define IBackgroundCopyFile6_Release(This) (This)->lpVtbl->Release(This)
#define IBackgroundCopyFile6_GetLocalName(This, p) (This)->lpVtbl->GetLocalName(This, p)
#define IBackgroundCopyFile6_GetTemporaryName(This, p) (This)->lpVtbl->GetTemporaryName(This, p)
#define IBackgroundCopyFile6_SetValidationState(This, s) \
    (This)->lpVtbl->SetValidationState(This, s)
#define IBackgroundCopyFile6_GetValidationState(This, p) \
    (This)->lpVtbl->GetValidationState(This, p)
#define IBackgroundCopyFile6_IsDownloadedFromPeer(This, p) \
    (This)->lpVtbl->IsDownloadedFromPeer(This, p)
#define IBackgroundCopyFile6_GetPeerDownloadStats(This, o, p) \
    (This)->lpVtbl->GetPeerDownloadStats(This, o, p)
#define IBackgroundCopyFile6_SetProperty(This, id, v) (This)->lpVtbl->SetProperty(This, id, v)
#define IBackgroundCopyFile6_GetProperty(This, id, p) (This)->lpVtbl->GetProperty(This, id, p)
#define IBackgroundCopyFile6_UpdateDownloadPosition(This, o) \
    (This)->lpVtbl->UpdateDownloadPosition(This, o)
#define IBackgroundCopyFile6_RequestFileRanges(This, n, r) \
    (This)->lpVtbl->RequestFileRanges(This, n, r)
#define IBackgroundCopyFile6_GetFilledFileRanges(This, n, r) \
    (This)->lpVtbl->GetFilledFileRanges(This, n, r)

#endif /* __IBackgroundCopyFile6_INTERFACE_DEFINED__ */

/* bitsmsg.h of MinGW-w64 v10 stops before these (values from the Windows SDK's bitsmsg.h) */
#ifndef BG_E_READ_ONLY_PROPERTY
#define BG_E_READ_ONLY_PROPERTY ((HRESULT)0x80200058L)
#endif
#ifndef BG_E_RANDOM_ACCESS_NOT_SUPPORTED
#define BG_E_RANDOM_ACCESS_NOT_SUPPORTED ((HRESULT)0x8020006DL)
#endif

#endif
