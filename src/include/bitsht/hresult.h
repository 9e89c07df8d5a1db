/* bitsht: HRESULT values as portable integers.
 *
 * bht_hr holds the Windows HRESULT bit pattern on every platform, so the core, the fakes
 * and the tests speak the same numbers as BITS. The Windows names are defined here only
 * when the platform headers have not defined them already: Windows code includes
 * <windows.h> first, portable code gets ours (values checked in docs/contract.md). */
#ifndef BITSHT_HRESULT_H
#define BITSHT_HRESULT_H

#include <stdint.h>

typedef int32_t bht_hr;

#define BHT_HR(x) ((bht_hr)(uint32_t)(x))
#define BHT_SUCCEEDED(hr) ((bht_hr)(hr) >= 0)
#define BHT_FAILED(hr) ((bht_hr)(hr) < 0)
#define BHT_HR_FROM_WIN32(e) \
    ((uint32_t)(e) == 0 ? 0 : BHT_HR(0x80070000u | ((uint32_t)(e) & 0xFFFFu)))

/* General COM values */
#ifndef S_OK
#define S_OK BHT_HR(0x00000000u)
#endif
#ifndef S_FALSE
#define S_FALSE BHT_HR(0x00000001u)
#endif
#ifndef E_NOTIMPL
#define E_NOTIMPL BHT_HR(0x80004001u)
#endif
#ifndef E_NOINTERFACE
#define E_NOINTERFACE BHT_HR(0x80004002u)
#endif
#ifndef E_POINTER
#define E_POINTER BHT_HR(0x80004003u)
#endif
#ifndef E_FAIL
#define E_FAIL BHT_HR(0x80004005u)
#endif
#ifndef E_UNEXPECTED
#define E_UNEXPECTED BHT_HR(0x8000FFFFu)
#endif
#ifndef E_ACCESSDENIED
#define E_ACCESSDENIED BHT_HR(0x80070005u)
#endif
#ifndef E_OUTOFMEMORY
#define E_OUTOFMEMORY BHT_HR(0x8007000Eu)
#endif
#ifndef E_INVALIDARG
#define E_INVALIDARG BHT_HR(0x80070057u)
#endif
#ifndef REGDB_E_CLASSNOTREG
#define REGDB_E_CLASSNOTREG BHT_HR(0x80040154u)
#endif
#ifndef CO_E_NOTINITIALIZED
#define CO_E_NOTINITIALIZED BHT_HR(0x800401F0u)
#endif
#ifndef RPC_E_CHANGED_MODE
#define RPC_E_CHANGED_MODE BHT_HR(0x80010106u)
#endif
#ifndef RPC_E_TOO_LATE
#define RPC_E_TOO_LATE BHT_HR(0x80010119u)
#endif
#ifndef CO_E_OBJNOTCONNECTED
#define CO_E_OBJNOTCONNECTED BHT_HR(0x800401FDu)
#endif
#ifndef RPC_E_SERVER_DIED
#define RPC_E_SERVER_DIED BHT_HR(0x80010007u)
#endif
#ifndef RPC_E_SERVER_DIED_DNE
#define RPC_E_SERVER_DIED_DNE BHT_HR(0x80010012u)
#endif
#ifndef RPC_E_DISCONNECTED
#define RPC_E_DISCONNECTED BHT_HR(0x80010108u)
#endif
#ifndef CO_E_FAILEDTOIMPERSONATE
#define CO_E_FAILEDTOIMPERSONATE BHT_HR(0x80010123u)
#endif

/* Win32 errors as HRESULTs (HRESULT_FROM_WIN32), under bitsht names: Windows has no
 * macro per value, so these never clash with the platform headers. */
#define BHT_E_FILE_NOT_FOUND BHT_HR(0x80070002u)          /* ERROR_FILE_NOT_FOUND 2 */
#define BHT_E_FILE_EXISTS BHT_HR(0x80070050u)             /* ERROR_FILE_EXISTS 80 */
#define BHT_E_PATH_NOT_FOUND BHT_HR(0x80070003u)          /* ERROR_PATH_NOT_FOUND 3 */
#define BHT_E_INVALID_HANDLE BHT_HR(0x80070006u)          /* ERROR_INVALID_HANDLE 6 */
#define BHT_E_SHARING_VIOLATION BHT_HR(0x80070020u)       /* ERROR_SHARING_VIOLATION 32 */
#define BHT_E_BAD_NETPATH BHT_HR(0x80070035u)             /* ERROR_BAD_NETPATH 53 */
#define BHT_E_SERVICE_DISABLED BHT_HR(0x80070422u)        /* ERROR_SERVICE_DISABLED 1058 */
#define BHT_E_CANCELLED BHT_HR(0x800704C7u)               /* ERROR_CANCELLED 1223 */
#define BHT_E_NOT_LOGGED_ON BHT_HR(0x800704DDu)           /* ERROR_NOT_LOGGED_ON 1245 */
#define BHT_E_PRIVILEGE_NOT_HELD BHT_HR(0x80070522u)      /* ERROR_PRIVILEGE_NOT_HELD 1314 */
#define BHT_E_NO_SUCH_USER BHT_HR(0x80070525u)            /* ERROR_NO_SUCH_USER 1317 */
#define BHT_E_LOGON_FAILURE BHT_HR(0x8007052Eu)           /* ERROR_LOGON_FAILURE 1326 */
#define BHT_E_ACCOUNT_RESTRICTION BHT_HR(0x8007052Fu)     /* ERROR_ACCOUNT_RESTRICTION 1327 */
#define BHT_E_BAD_IMPERSONATION_LEVEL BHT_HR(0x80070542u) /* ERROR_BAD_IMPERSONATION_LEVEL 1346 */
#define BHT_E_LOGON_TYPE_NOT_GRANTED BHT_HR(0x80070569u)  /* ERROR_LOGON_TYPE_NOT_GRANTED 1385 */
#define BHT_E_TIMEOUT BHT_HR(0x800705B4u)               /* ERROR_TIMEOUT 1460: our deadline */
#define BHT_E_RPC_SERVER_UNAVAILABLE BHT_HR(0x800706BAu)  /* RPC_S_SERVER_UNAVAILABLE 1722 */
#define BHT_E_RPC_CALL_FAILED BHT_HR(0x800706BEu)         /* RPC_S_CALL_FAILED 1726 */
#define BHT_E_RPC_CALL_FAILED_DNE BHT_HR(0x800706BFu)     /* RPC_S_CALL_FAILED_DNE 1727 */
#define BHT_E_RPC_NULL_REF_POINTER BHT_HR(0x800706F4u)    /* RPC_X_NULL_REF_POINTER 1780 */
#define BHT_E_RESOURCE_LANG_NOT_FOUND BHT_HR(0x80070717u) /* ERROR_RESOURCE_LANG_NOT_FOUND 1815 */
#define BHT_E_WINHTTP_TIMEOUT BHT_HR(0x80072EE2u)         /* 12002 */
#define BHT_E_WINHTTP_UNRECOGNIZED_SCHEME BHT_HR(0x80072EE6u) /* 12006 */
#define BHT_E_WINHTTP_NAME_NOT_RESOLVED BHT_HR(0x80072EE7u)   /* 12007 */
#define BHT_E_WINHTTP_CANNOT_CONNECT BHT_HR(0x80072EFDu)      /* 12029 */
#define BHT_E_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY BHT_HR(0x80072F9Au) /* 12186 */

/* BITS values (bitsmsg.h; the last four are missing from MinGW-w64 v10) */
#ifndef BG_S_PARTIAL_COMPLETE
#define BG_S_PARTIAL_COMPLETE BHT_HR(0x00200017u)
#endif
#ifndef BG_S_UNABLE_TO_DELETE_FILES
#define BG_S_UNABLE_TO_DELETE_FILES BHT_HR(0x0020001Au)
#endif
#ifndef BG_E_NOT_FOUND
#define BG_E_NOT_FOUND BHT_HR(0x80200001u)
#endif
#ifndef BG_E_INVALID_STATE
#define BG_E_INVALID_STATE BHT_HR(0x80200002u)
#endif
#ifndef BG_E_EMPTY
#define BG_E_EMPTY BHT_HR(0x80200003u)
#endif
#ifndef BG_E_FILE_NOT_AVAILABLE
#define BG_E_FILE_NOT_AVAILABLE BHT_HR(0x80200004u)
#endif
#ifndef BG_E_PROTOCOL_NOT_AVAILABLE
#define BG_E_PROTOCOL_NOT_AVAILABLE BHT_HR(0x80200005u)
#endif
#ifndef BG_E_ERROR_INFORMATION_UNAVAILABLE
#define BG_E_ERROR_INFORMATION_UNAVAILABLE BHT_HR(0x8020000Fu)
#endif
#ifndef BG_E_NETWORK_DISCONNECTED
#define BG_E_NETWORK_DISCONNECTED BHT_HR(0x80200010u)
#endif
#ifndef BG_E_MISSING_FILE_SIZE
#define BG_E_MISSING_FILE_SIZE BHT_HR(0x80200011u)
#endif
#ifndef BG_E_INSUFFICIENT_RANGE_SUPPORT
#define BG_E_INSUFFICIENT_RANGE_SUPPORT BHT_HR(0x80200013u)
#endif
#ifndef BG_E_TOO_MANY_FILES
#define BG_E_TOO_MANY_FILES BHT_HR(0x8020001Cu)
#endif
#ifndef BG_E_STRING_TOO_LONG
#define BG_E_STRING_TOO_LONG BHT_HR(0x80200021u)
#endif
#ifndef BG_E_BLOCKED_BY_POLICY
#define BG_E_BLOCKED_BY_POLICY BHT_HR(0x8020003Eu)
#endif
#ifndef BG_E_TOO_MANY_JOBS_PER_USER
#define BG_E_TOO_MANY_JOBS_PER_USER BHT_HR(0x80200049u)
#endif
#ifndef BG_E_TOO_MANY_JOBS_PER_MACHINE
#define BG_E_TOO_MANY_JOBS_PER_MACHINE BHT_HR(0x80200050u)
#endif
#ifndef BG_E_TOO_MANY_FILES_IN_JOB
#define BG_E_TOO_MANY_FILES_IN_JOB BHT_HR(0x80200051u)
#endif
#ifndef BG_E_TOKEN_REQUIRED
#define BG_E_TOKEN_REQUIRED BHT_HR(0x80200056u)
#endif
/* BG_E_HTTP_ERROR_nnn = 0x80190000 + nnn */
#define BHT_BG_E_HTTP_ERROR(status) BHT_HR(0x80190000u + (uint32_t)(status))
#define BHT_HR_IS_HTTP_STATUS(hr) \
    (((uint32_t)(hr) & 0xFFFF0000u) == 0x80190000u && ((uint32_t)(hr) & 0xFFFFu) >= 100u && \
     ((uint32_t)(hr) & 0xFFFFu) <= 599u)

/* The symbolic name ("E_NOINTERFACE", "BG_E_EMPTY", "BG_E_HTTP_ERROR_404",
 * "HRESULT_FROM_WIN32(ERROR_LOGON_FAILURE)"), or NULL when the value is not one the project
 * knows. Static storage. */
const char *bht_hr_name(bht_hr hr);
/* A short English sentence for people ("wrong user name or password"); a generic text
 * for unknown values. Never NULL, static storage. */
const char *bht_hr_message(bht_hr hr);
/* Non-zero for values that mean BITS itself cannot be reached (class not registered,
 * service disabled or dead, RPC server gone, the proxy disconnected from it): the CLI's
 * exit 5, whatever step's call returned them. A job's own error code (GetError) is never
 * passed here: an SMB server that is down is a failed transfer, not a lost BITS. */
int bht_hr_means_unavailable(bht_hr hr);
/* "0x80070057 (E_INVALIDARG)" or "0x80071234" into buf; returns buf. 64 bytes suffice. */
char *bht_hr_format(bht_hr hr, char *buf, unsigned buf_size);

#endif
