/* bitsht: the real BITS backend (Windows only; src/com). */
#ifndef BITSHT_COM_BACKEND_H
#define BITSHT_COM_BACKEND_H

#include "bitsht/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Initialises COM on the calling thread (CoInitializeEx, a single-threaded apartment unless
 * the thread is already in the MTA), connects to the BITS manager and fills out with the COM
 * bits ops and the Win32 identity ops. A failure to reach BITS gives REGDB_E_CLASSNOTREG or
 * the service's error (the CLI maps it to exit 5).
 *
 * Threads: every op must be called on the thread that called open (the STA owns the
 * proxies; the callback arrives through its message queue). wait pumps that queue while
 * it blocks; a WM_QUIT it meets is posted again before wait returns, so the host's own
 * message loop still ends.
 *
 * Security: the backend never calls CoInitializeSecurity (a library must not choose the
 * process's COM security). Every proxy it obtains, the IUnknown proxy included, gets its
 * own blanket through CoSetProxyBlanket: authentication level at least the process
 * default, IMPERSONATE level, dynamic cloaking, which is what SetHelperToken needs to see
 * the helper's thread token (C88-C90). A host that wants COM callbacks authenticated
 * calls CoInitializeSecurity itself first (bitsht's CLI does, with a descriptor that
 * admits only the user, SYSTEM and Administrators). */
bht_hr bht_com_backend_open(struct bht_backend *out);
/* Releases the manager and uninitialises COM. */
void bht_com_backend_close(struct bht_backend *backend);

/* Fills be->system / be->system_ctx with the Win32 machine checks (src/com/com_system.c)
 * for `bitsht doctor`. Works whether or not bht_com_backend_open succeeded; when it did, the
 * all-users job count uses its manager, so close this first. */
bht_hr bht_com_system_open(struct bht_backend *be);
void bht_com_system_close(struct bht_backend *be);

#ifdef __cplusplus
}
#endif

#endif
