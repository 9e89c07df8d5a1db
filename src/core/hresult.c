/* bitsht: names and messages for every HRESULT the project meets (docs/contract.md). */
#include "bitsht/hresult.h"

#include <stdio.h>

struct hr_entry {
    uint32_t value;
    const char *name;
    const char *message;
};

static const struct hr_entry hr_table[] = {
    {0x00000000u, "S_OK", "success"},
    {0x00000001u, "S_FALSE", "success, nothing to return"},
    {0x80004001u, "E_NOTIMPL", "not implemented by this BITS"},
    {0x80004002u, "E_NOINTERFACE",
     "interface not supported (this BITS has no IBitsTokenOptions: helper tokens need "
     "Windows 7 / Server 2008 R2 or later)"},
    {0x80004003u, "E_POINTER", "a required pointer argument was NULL"},
    {0x80004005u, "E_FAIL", "unspecified failure"},
    {0x8000FFFFu, "E_UNEXPECTED", "unexpected failure"},
    {0x80070005u, "E_ACCESSDENIED", "access denied"},
    {0x8007000Eu, "E_OUTOFMEMORY", "out of memory"},
    {0x80070057u, "E_INVALIDARG", "invalid argument"},
    {0x80040154u, "REGDB_E_CLASSNOTREG", "the BITS service is not registered on this system"},
    {0x800401F0u, "CO_E_NOTINITIALIZED", "COM is not initialised on this thread"},
    {0x80010106u, "RPC_E_CHANGED_MODE", "COM was already initialised with another apartment model"},
    {0x80010119u, "RPC_E_TOO_LATE", "COM security was already initialised by the host"},
    {0x80010123u, "CO_E_FAILEDTOIMPERSONATE",
     "BITS could not impersonate the caller: COM security must allow IMPERSONATE level with "
     "dynamic cloaking"},
    {0x80070002u, "HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)", "file not found"},
    {0x80070003u, "HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND)", "path not found"},
    {0x80070006u, "HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)", "invalid handle"},
    {0x80070020u, "HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION)", "the file is in use by another process"},
    {0x80070035u, "HRESULT_FROM_WIN32(ERROR_BAD_NETPATH)", "the network path was not found"},
    {0x80070050u, "HRESULT_FROM_WIN32(ERROR_FILE_EXISTS)", "the file exists"},
    {0x80070422u, "HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED)", "the BITS service is disabled"},
    {0x800704C7u, "HRESULT_FROM_WIN32(ERROR_CANCELLED)", "the operation was cancelled"},
    {0x800704DDu, "HRESULT_FROM_WIN32(ERROR_NOT_LOGGED_ON)",
     "the job owner has no interactive logon, so BITS will not run the job"},
    {0x80070522u, "HRESULT_FROM_WIN32(ERROR_PRIVILEGE_NOT_HELD)", "a required privilege is not held"},
    {0x80070525u, "HRESULT_FROM_WIN32(ERROR_NO_SUCH_USER)", "no such user"},
    {0x8007052Eu, "HRESULT_FROM_WIN32(ERROR_LOGON_FAILURE)", "wrong user name or password"},
    {0x8007052Fu, "HRESULT_FROM_WIN32(ERROR_ACCOUNT_RESTRICTION)",
     "account restriction (for example, blank passwords are not allowed)"},
    {0x80070542u, "HRESULT_FROM_WIN32(ERROR_BAD_IMPERSONATION_LEVEL)", "impersonation level too low"},
    {0x80070569u, "HRESULT_FROM_WIN32(ERROR_LOGON_TYPE_NOT_GRANTED)",
     "the account has not been granted this logon type (try another --logon-type)"},
    {0x800705B4u, "HRESULT_FROM_WIN32(ERROR_TIMEOUT)", "the deadline passed before the job finished"},
    {0x800706BAu, "HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)", "the BITS service is not running"},
    {0x800706BEu, "HRESULT_FROM_WIN32(RPC_S_CALL_FAILED)", "the BITS service stopped responding"},
    {0x800706BFu, "HRESULT_FROM_WIN32(RPC_S_CALL_FAILED_DNE)",
     "the call to the BITS service failed and did not run"},
    {0x80010007u, "RPC_E_SERVER_DIED", "the BITS service died during the call"},
    {0x80010012u, "RPC_E_SERVER_DIED_DNE", "the BITS service died before the call ran"},
    {0x80010108u, "RPC_E_DISCONNECTED", "the connection to the BITS service was lost"},
    {0x800401FDu, "CO_E_OBJNOTCONNECTED", "the BITS object is no longer connected to its service"},
    {0x80080005u, "CO_E_SERVER_EXEC_FAILURE", "the BITS service could not be started"},
    {0x800706F4u, "HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER)", "a NULL argument was refused"},
    {0x80070717u, "HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND)", "no error text in that language"},
    {0x80072EE2u, "HRESULT_FROM_WIN32(ERROR_WINHTTP_TIMEOUT)", "the HTTP request timed out"},
    {0x80072EE6u, "HRESULT_FROM_WIN32(ERROR_WINHTTP_UNRECOGNIZED_SCHEME)", "URL scheme not supported"},
    {0x80072EE7u, "HRESULT_FROM_WIN32(ERROR_WINHTTP_NAME_NOT_RESOLVED)", "the server name could not be resolved"},
    {0x80072EFDu, "HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CONNECT)", "could not connect to the server"},
    {0x80072F9Au, "HRESULT_FROM_WIN32(ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY)",
     "a client certificate cannot be used with a NETWORK helper token"},
    {0x00200017u, "BG_S_PARTIAL_COMPLETE", "only some files were completed"},
    {0x0020001Au, "BG_S_UNABLE_TO_DELETE_FILES", "some temporary files could not be deleted"},
    {0x80200001u, "BG_E_NOT_FOUND", "no such job in the BITS queue"},
    {0x80200002u, "BG_E_INVALID_STATE", "the call is not allowed in the job's current state"},
    {0x80200003u, "BG_E_EMPTY", "the job has no files"},
    {0x80200004u, "BG_E_FILE_NOT_AVAILABLE", "the error is not tied to a file"},
    {0x80200005u, "BG_E_PROTOCOL_NOT_AVAILABLE", "the error is not tied to a protocol"},
    {0x8020000Fu, "BG_E_ERROR_INFORMATION_UNAVAILABLE", "BITS has no error information for the job"},
    {0x80200010u, "BG_E_NETWORK_DISCONNECTED", "no network connection"},
    {0x80200011u, "BG_E_MISSING_FILE_SIZE", "the server did not send the file size"},
    {0x80200013u, "BG_E_INSUFFICIENT_RANGE_SUPPORT", "the server does not support byte ranges"},
    {0x8020001Cu, "BG_E_TOO_MANY_FILES", "an upload job takes one file only"},
    {0x80200021u, "BG_E_STRING_TOO_LONG", "a string argument is too long"},
    {0x8020003Eu, "BG_E_BLOCKED_BY_POLICY", "group policy blocks transfers now"},
    {0x80200049u, "BG_E_TOO_MANY_JOBS_PER_USER", "the user has too many BITS jobs (MaxJobsPerUser)"},
    {0x80200050u, "BG_E_TOO_MANY_JOBS_PER_MACHINE", "the machine has too many BITS jobs (MaxJobsPerMachine)"},
    {0x80200051u, "BG_E_TOO_MANY_FILES_IN_JOB", "the job has too many files (MaxFilesPerJob)"},
    {0x80200056u, "BG_E_TOKEN_REQUIRED", "the job needs a helper token but none is set"},
};

struct http_entry {
    unsigned status;
    const char *name;
    const char *message;
};

static const struct http_entry http_table[] = {
    {400, "BG_E_HTTP_ERROR_400", "HTTP 400: bad request"},
    {401, "BG_E_HTTP_ERROR_401", "HTTP 401: the server requires authentication"},
    {403, "BG_E_HTTP_ERROR_403", "HTTP 403: forbidden"},
    {404, "BG_E_HTTP_ERROR_404", "HTTP 404: not found on the server"},
    {407, "BG_E_HTTP_ERROR_407", "HTTP 407: the proxy requires authentication"},
    {414, "BG_E_HTTP_ERROR_414", "HTTP 414: URL too long"},
    {500, "BG_E_HTTP_ERROR_500", "HTTP 500: server error"},
    {501, "BG_E_HTTP_ERROR_501", "HTTP 501: not implemented by the server"},
    {503, "BG_E_HTTP_ERROR_503", "HTTP 503: service unavailable"},
    {504, "BG_E_HTTP_ERROR_504", "HTTP 504: gateway timeout"},
    {505, "BG_E_HTTP_ERROR_505", "HTTP 505: HTTP version not supported"},
};

static const struct hr_entry *find_hr(bht_hr hr)
{
    for (size_t i = 0; i < sizeof hr_table / sizeof hr_table[0]; i++)
        if (hr_table[i].value == (uint32_t)hr)
            return &hr_table[i];
    return NULL;
}

static const struct http_entry *find_http(bht_hr hr)
{
    if (((uint32_t)hr & 0xFFFF0000u) != 0x80190000u)
        return NULL;
    for (size_t i = 0; i < sizeof http_table / sizeof http_table[0]; i++)
        if (http_table[i].status == ((uint32_t)hr & 0xFFFFu))
            return &http_table[i];
    return NULL;
}

const char *bht_hr_name(bht_hr hr)
{
    const struct hr_entry *e = find_hr(hr);
    const struct http_entry *h;

    if (e)
        return e->name;
    h = find_http(hr);
    return h ? h->name : NULL;
}

const char *bht_hr_message(bht_hr hr)
{
    const struct hr_entry *e = find_hr(hr);
    const struct http_entry *h;

    if (e)
        return e->message;
    h = find_http(hr);
    if (h)
        return h->message;
    if (BHT_HR_IS_HTTP_STATUS(hr))
        return "the server answered with an HTTP error status";
    return BHT_SUCCEEDED(hr) ? "success" : "unrecognised error";
}

char *bht_hr_format(bht_hr hr, char *buf, unsigned buf_size)
{
    const char *name = bht_hr_name(hr);

    if (!buf || buf_size == 0)
        return buf;
    if (name)
        snprintf(buf, buf_size, "0x%08X (%s)", (unsigned)(uint32_t)hr, name);
    else
        snprintf(buf, buf_size, "0x%08X", (unsigned)(uint32_t)hr);
    return buf;
}

int bht_hr_means_unavailable(bht_hr hr)
{
    switch ((uint32_t)hr) {
    case 0x80040154u: /* REGDB_E_CLASSNOTREG */
    case 0x80070422u: /* ERROR_SERVICE_DISABLED */
    case 0x80080005u: /* CO_E_SERVER_EXEC_FAILURE */
    case 0x800706BAu: /* RPC_S_SERVER_UNAVAILABLE */
    case 0x800706BEu: /* RPC_S_CALL_FAILED: the service died mid-run (seen on Wine) */
    case 0x800706BFu: /* RPC_S_CALL_FAILED_DNE */
    case 0x80010007u: /* RPC_E_SERVER_DIED */
    case 0x80010012u: /* RPC_E_SERVER_DIED_DNE */
    case 0x80010108u: /* RPC_E_DISCONNECTED: the proxy's server went away */
    case 0x800401FDu: /* CO_E_OBJNOTCONNECTED */
    case 0x800401F0u: /* CO_E_NOTINITIALIZED */
        return 1;
    default:
        return 0;
    }
}
