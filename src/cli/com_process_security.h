/* bitsht CLI (Windows): the process's COM security, chosen once by the program, never by
 * the library (src/com sets per-proxy blankets only). */
#ifndef BITSHT_CLI_COM_PROCESS_SECURITY_H
#define BITSHT_CLI_COM_PROCESS_SECURITY_H

#include "bitsht/hresult.h"

/* CoInitializeEx (STA) on the calling thread, then CoInitializeSecurity with an explicit
 * descriptor: only the user running bitsht, SYSTEM (the BITS service, which calls the job's
 * callback) and Administrators may call into this process; IMPERSONATE level and dynamic
 * cloaking for outgoing calls. On success cli_com_process_security_done must follow. */
bht_hr cli_com_process_security_init(void);
void cli_com_process_security_done(void);

#endif
