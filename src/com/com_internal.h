/* bitsht: what the COM backend's files share (src/com only). */
#ifndef BITSHT_COM_INTERNAL_H
#define BITSHT_COM_INTERNAL_H

#include <windows.h>
#include <bits.h>

#include "bitsht/backend.h"

/* ctx of bht_com_bits_ops */
struct bht_com_bits {
    IBackgroundCopyManager *manager;
    int com_initialized; /* CoInitializeEx succeeded here: close calls CoUninitialize */
};

extern const struct bht_bits_ops bht_com_bits_ops;

/* com_server.c: the BITS manager — from the DLL that BITSHT_COM_SERVER names (a test
 * facility; identity ops from the DLL when it has them), else from the BITS service. */
HRESULT bht_com_acquire_manager(IBackgroundCopyManager **out,
                                const struct bht_identity_ops **out_identity,
                                void **out_identity_ctx);
extern const struct bht_identity_ops bht_win_identity_ops;

/* Sets the backend's blanket (COM's default authentication level, IMPERSONATE, dynamic
 * cloaking) on proxy and on its IUnknown proxy: the backend never sets process-wide COM
 * security (§3.4 rule 1). An in-process object (no proxy) is not a failure. */
HRESULT bht_com_secure_proxy(IUnknown *proxy);

/* How many JobTransferred / JobError calls reached this job handle's callback; -1 each when
 * the handle has none (opened with open_job, or the job refused it). Lets the smoke tests
 * pin C79/C80 on the BITS they run on. */
void bht_com_job_notifications(const struct bht_job *job, long *out_transferred,
                               long *out_error);

#endif
