/* bitsht COM fake: the job object, shared by job.c (identity, files, states, the vtable),
 * job_settings.c (what BITS keeps per job) and job_options.c (HTTP and token options). */
#ifndef BITSHT_COMFAKE_JOB_H
#define BITSHT_COMFAKE_JOB_H

#include "comfake.h"

struct comfake_job {
    struct comfake_obj hdr;
    IBackgroundCopyJob5 IBackgroundCopyJob5_iface; /* Job..Job5 share one vtable */
    IBackgroundCopyJobHttpOptions IBackgroundCopyJobHttpOptions_iface;
    IBitsTokenOptions IBitsTokenOptions_iface;
    IUnknown *ftm; /* free-threaded marshaler: usable from any apartment, as a proxy is */
    struct bht_job *h; /* the fake's handle */
};

struct comfake_job *impl_from_IBackgroundCopyJob5(IBackgroundCopyJob5 *iface);

/* Method prologue of a job method: enter under the method's name. */
#define JOB_ENTER(iface, method)                                        \
    struct comfake_job *job = impl_from_IBackgroundCopyJob5(iface);    \
    HRESULT hr = comfake_enter(&job->hdr, method);                      \
    if (hr != S_OK)                                                     \
        return hr

#define JOB_FAKE(job) ((job)->h->job)

/* BG_E_INVALID_STATE for a job that ended (Windows: every setter refuses one). */
HRESULT comfake_job_settable(struct comfake_job *job);

extern const IBackgroundCopyJobHttpOptionsVtbl comfake_http_options_vtbl;
extern const IBitsTokenOptionsVtbl comfake_token_options_vtbl;

/* job_settings.c */
HRESULT STDMETHODCALLTYPE comfake_job_SetDisplayName(IBackgroundCopyJob5 *iface, LPCWSTR val);
HRESULT STDMETHODCALLTYPE comfake_job_GetDisplayName(IBackgroundCopyJob5 *iface, LPWSTR *out);
HRESULT STDMETHODCALLTYPE comfake_job_SetDescription(IBackgroundCopyJob5 *iface, LPCWSTR val);
HRESULT STDMETHODCALLTYPE comfake_job_GetDescription(IBackgroundCopyJob5 *iface, LPWSTR *out);
HRESULT STDMETHODCALLTYPE comfake_job_SetPriority(IBackgroundCopyJob5 *iface, BG_JOB_PRIORITY val);
HRESULT STDMETHODCALLTYPE comfake_job_GetPriority(IBackgroundCopyJob5 *iface, BG_JOB_PRIORITY *out);
HRESULT STDMETHODCALLTYPE comfake_job_SetNotifyFlags(IBackgroundCopyJob5 *iface, ULONG val);
HRESULT STDMETHODCALLTYPE comfake_job_GetNotifyFlags(IBackgroundCopyJob5 *iface, ULONG *out);
HRESULT STDMETHODCALLTYPE comfake_job_SetNotifyInterface(IBackgroundCopyJob5 *iface, IUnknown *val);
HRESULT STDMETHODCALLTYPE comfake_job_GetNotifyInterface(IBackgroundCopyJob5 *iface, IUnknown **out);
HRESULT STDMETHODCALLTYPE comfake_job_SetMinimumRetryDelay(IBackgroundCopyJob5 *iface, ULONG s);
HRESULT STDMETHODCALLTYPE comfake_job_GetMinimumRetryDelay(IBackgroundCopyJob5 *iface, ULONG *out);
HRESULT STDMETHODCALLTYPE comfake_job_SetNoProgressTimeout(IBackgroundCopyJob5 *iface, ULONG s);
HRESULT STDMETHODCALLTYPE comfake_job_GetNoProgressTimeout(IBackgroundCopyJob5 *iface, ULONG *out);
HRESULT STDMETHODCALLTYPE comfake_job_GetErrorCount(IBackgroundCopyJob5 *iface, ULONG *out);
HRESULT STDMETHODCALLTYPE comfake_job_SetProxySettings(IBackgroundCopyJob5 *iface,
                                                       BG_JOB_PROXY_USAGE usage,
                                                       const WCHAR *list, const WCHAR *bypass);
HRESULT STDMETHODCALLTYPE comfake_job_GetProxySettings(IBackgroundCopyJob5 *iface,
                                                       BG_JOB_PROXY_USAGE *usage,
                                                       LPWSTR *list, LPWSTR *bypass);
HRESULT STDMETHODCALLTYPE comfake_job_SetNotifyCmdLine(IBackgroundCopyJob5 *iface,
                                                       LPCWSTR program, LPCWSTR parameters);
HRESULT STDMETHODCALLTYPE comfake_job_GetNotifyCmdLine(IBackgroundCopyJob5 *iface,
                                                       LPWSTR *program, LPWSTR *parameters);
HRESULT STDMETHODCALLTYPE comfake_job_GetReplyProgress(IBackgroundCopyJob5 *iface,
                                                       BG_JOB_REPLY_PROGRESS *out);
HRESULT STDMETHODCALLTYPE comfake_job_GetReplyData(IBackgroundCopyJob5 *iface, byte **buffer,
                                                   UINT64 *length);
HRESULT STDMETHODCALLTYPE comfake_job_SetReplyFileName(IBackgroundCopyJob5 *iface, LPCWSTR name);
HRESULT STDMETHODCALLTYPE comfake_job_GetReplyFileName(IBackgroundCopyJob5 *iface, LPWSTR *out);
HRESULT STDMETHODCALLTYPE comfake_job_SetCredentials(IBackgroundCopyJob5 *iface,
                                                     BG_AUTH_CREDENTIALS *cred);
HRESULT STDMETHODCALLTYPE comfake_job_RemoveCredentials(IBackgroundCopyJob5 *iface,
                                                        BG_AUTH_TARGET target,
                                                        BG_AUTH_SCHEME scheme);
HRESULT STDMETHODCALLTYPE comfake_job_SetFileACLFlags(IBackgroundCopyJob5 *iface, DWORD flags);
HRESULT STDMETHODCALLTYPE comfake_job_GetFileACLFlags(IBackgroundCopyJob5 *iface, DWORD *out);
HRESULT STDMETHODCALLTYPE comfake_job_SetPeerCachingFlags(IBackgroundCopyJob5 *iface, DWORD flags);
HRESULT STDMETHODCALLTYPE comfake_job_GetPeerCachingFlags(IBackgroundCopyJob5 *iface, DWORD *out);
HRESULT STDMETHODCALLTYPE comfake_job_SetMaximumDownloadTime(IBackgroundCopyJob5 *iface, ULONG s);
HRESULT STDMETHODCALLTYPE comfake_job_GetMaximumDownloadTime(IBackgroundCopyJob5 *iface,
                                                             ULONG *out);
HRESULT STDMETHODCALLTYPE comfake_job_SetProperty(IBackgroundCopyJob5 *iface,
                                                  BITS_JOB_PROPERTY_ID id,
                                                  BITS_JOB_PROPERTY_VALUE value);
HRESULT STDMETHODCALLTYPE comfake_job_GetProperty(IBackgroundCopyJob5 *iface,
                                                  BITS_JOB_PROPERTY_ID id,
                                                  BITS_JOB_PROPERTY_VALUE *out);

#endif
