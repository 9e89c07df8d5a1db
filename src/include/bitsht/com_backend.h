/* bitsht: the real BITS backend (Windows only; src/com). */
#ifndef BITSHT_COM_BACKEND_H
#define BITSHT_COM_BACKEND_H

#include "bitsht/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Initialises COM on the calling thread (once per process: CoInitializeEx, then
 * CoInitializeSecurity at IMPERSONATE level with dynamic cloaking, falling back to
 * CoSetProxyBlanket when the host already chose), connects to the BITS manager and fills
 * out with the COM bits ops and the Win32 identity ops. A failure to reach BITS gives
 * REGDB_E_CLASSNOTREG or the service's error (the CLI maps it to exit 5). */
bht_hr bht_com_backend_open(struct bht_backend *out);
/* Releases the manager and uninitialises COM. */
void bht_com_backend_close(struct bht_backend *backend);

#ifdef __cplusplus
}
#endif

#endif
