/* bitsht: struct bht_system_ops over Win32 and COM, for `bitsht doctor`.
 *
 * Each op asks the API Windows documents for it and reports what the platform cannot tell
 * as unknown (system.h), never a default: the service control manager (QueryServiceConfigW,
 * QueryServiceStatus), the thread's token (TokenUser, TokenStatistics ->
 * LsaGetLogonSessionData, else the well-known logon SIDs in TokenGroups), the BITS policy
 * key, INetworkCostManager::GetCost, WinHTTP's proxy settings, EnumJobs over all users, and
 * the newest BackgroundCopyManagerX_Y class that can be created (the documented way to
 * tell BITS's version). Strings leave in UTF-8. */
#include <windows.h>
#include <objbase.h>
#include <bits.h>
#include <netlistmgr.h>
#include <ntsecapi.h>
#include <winhttp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitsht/com_backend.h"
#include "bitsht/system.h"
#include "com_internal.h"
#include "utf.h"

#define BITS_POLICY_KEY L"Software\\Policies\\Microsoft\\Windows\\BITS"

struct bht_com_system {
    IBackgroundCopyManager *manager; /* the bits backend's, borrowed; NULL when unreachable */
    int com_initialized;
};

static struct bht_com_system *sys_ctx(void *ctx)
{
    return ctx;
}

static HRESULT hr_from_last_error(void)
{
    DWORD e = GetLastError();
    return e ? HRESULT_FROM_WIN32(e) : E_FAIL;
}

/* ---- service ---- */

static bht_hr com_service(void *ctx, struct bht_service_info *out)
{
    SC_HANDLE scm, svc;
    SERVICE_STATUS status;
    QUERY_SERVICE_CONFIGW *cfg = NULL;
    DWORD need = 0;
    HRESULT hr = S_OK;

    (void)ctx;
    out->present = BHT_TRI_UNKNOWN;
    out->start_type = BHT_START_UNKNOWN;
    out->state = BHT_SVC_UNKNOWN;
    scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (!scm)
        return hr_from_last_error();
    svc = OpenServiceW(scm, L"BITS", SERVICE_QUERY_CONFIG | SERVICE_QUERY_STATUS);
    if (!svc) {
        DWORD e = GetLastError();
        CloseServiceHandle(scm);
        if (e == ERROR_SERVICE_DOES_NOT_EXIST) {
            out->present = BHT_TRI_NO;
            return S_OK;
        }
        return HRESULT_FROM_WIN32(e);
    }
    out->present = BHT_TRI_YES;
    if (!QueryServiceConfigW(svc, NULL, 0, &need) && GetLastError() == ERROR_INSUFFICIENT_BUFFER &&
        (cfg = malloc(need)) != NULL && QueryServiceConfigW(svc, cfg, need, &need)) {
        if (cfg->dwStartType == SERVICE_AUTO_START || cfg->dwStartType == SERVICE_BOOT_START ||
            cfg->dwStartType == SERVICE_SYSTEM_START)
            out->start_type = BHT_START_AUTO;
        else if (cfg->dwStartType == SERVICE_DEMAND_START)
            out->start_type = BHT_START_DEMAND;
        else if (cfg->dwStartType == SERVICE_DISABLED)
            out->start_type = BHT_START_DISABLED;
    }
    free(cfg);
    if (QueryServiceStatus(svc, &status)) {
        switch (status.dwCurrentState) {
        case SERVICE_STOPPED: out->state = BHT_SVC_STOPPED; break;
        case SERVICE_START_PENDING: out->state = BHT_SVC_START_PENDING; break;
        case SERVICE_STOP_PENDING: out->state = BHT_SVC_STOP_PENDING; break;
        case SERVICE_RUNNING: out->state = BHT_SVC_RUNNING; break;
        case SERVICE_PAUSED: out->state = BHT_SVC_PAUSED; break;
        default: break;
        }
    }
    CloseServiceHandle(svc);
    CloseServiceHandle(scm);
    return hr;
}

/* ---- the caller's logon session ---- */

static void *token_info(HANDLE token, TOKEN_INFORMATION_CLASS cls)
{
    DWORD need = 0;
    void *buf;

    GetTokenInformation(token, cls, NULL, 0, &need);
    if (!need || !(buf = malloc(need)))
        return NULL;
    if (!GetTokenInformation(token, cls, buf, need, &need)) {
        free(buf);
        return NULL;
    }
    return buf;
}

static enum bht_session_kind kind_of_logon_type(ULONG type)
{
    switch (type) {
    case Interactive: case RemoteInteractive: case CachedInteractive:
    case CachedRemoteInteractive: case Unlock: case CachedUnlock:
        return BHT_SESSION_INTERACTIVE;
    case Network: return BHT_SESSION_NETWORK;
    case Batch: return BHT_SESSION_BATCH;
    case Service: return BHT_SESSION_SERVICE;
    case NewCredentials: return BHT_SESSION_NEW_CREDENTIALS;
    case UndefinedLogonType: return BHT_SESSION_UNKNOWN; /* Wine 8 answers this */
    default: return BHT_SESSION_OTHER;
    }
}

/* The logon SIDs Windows puts in every token: S-1-5-4 INTERACTIVE, -6 SERVICE, -3 BATCH,
 * -2 NETWORK. Used when LSA does not answer. */
static enum bht_session_kind kind_of_groups(HANDLE token)
{
    static const struct { WELL_KNOWN_SID_TYPE sid; enum bht_session_kind kind; } logon_sids[] = {
        {WinInteractiveSid, BHT_SESSION_INTERACTIVE}, {WinServiceSid, BHT_SESSION_SERVICE},
        {WinBatchSid, BHT_SESSION_BATCH}, {WinNetworkSid, BHT_SESSION_NETWORK},
    };
    TOKEN_GROUPS *groups = token_info(token, TokenGroups);
    enum bht_session_kind kind = BHT_SESSION_UNKNOWN;

    if (!groups)
        return kind;
    for (DWORD i = 0; i < groups->GroupCount && kind == BHT_SESSION_UNKNOWN; i++)
        for (size_t k = 0; k < sizeof logon_sids / sizeof logon_sids[0]; k++)
            if (IsWellKnownSid(groups->Groups[i].Sid, logon_sids[k].sid)) {
                kind = logon_sids[k].kind;
                break;
            }
    free(groups);
    return kind;
}

static enum bht_session_kind kind_of_session(HANDLE token)
{
    TOKEN_STATISTICS *stats = token_info(token, TokenStatistics);
    PSECURITY_LOGON_SESSION_DATA data = NULL;
    enum bht_session_kind kind = BHT_SESSION_UNKNOWN;

    if (stats && LsaGetLogonSessionData(&stats->AuthenticationId, &data) == 0 && data) {
        kind = kind_of_logon_type(data->LogonType);
        LsaFreeReturnBuffer(data);
    }
    free(stats);
    return kind != BHT_SESSION_UNKNOWN ? kind : kind_of_groups(token);
}

static void account_of(PSID sid, char *out, size_t size)
{
    WCHAR name[256], domain[256], both[514];
    DWORD nn = 256, dn = 256;
    SID_NAME_USE use;

    out[0] = '\0';
    if (!LookupAccountSidW(NULL, sid, name, &nn, domain, &dn, &use))
        return;
    _snwprintf(both, sizeof both / sizeof both[0], L"%ls\\%ls", domain, name);
    both[sizeof both / sizeof both[0] - 1] = 0;
    bht_utf16_to_utf8_buf(both, out, size);
}

static enum bht_tristate is_admin(void)
{
    BYTE buf[SECURITY_MAX_SID_SIZE];
    DWORD n = sizeof buf;
    BOOL member = FALSE;

    if (!CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, buf, &n) ||
        !CheckTokenMembership(NULL, buf, &member))
        return BHT_TRI_UNKNOWN;
    return member ? BHT_TRI_YES : BHT_TRI_NO;
}

static bht_hr com_session(void *ctx, struct bht_session_info *out)
{
    HANDLE token;
    TOKEN_USER *user;

    (void)ctx;
    memset(out, 0, sizeof *out);
    out->system_account = BHT_TRI_UNKNOWN;
    out->admin = BHT_TRI_UNKNOWN;
    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token) &&
        !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return hr_from_last_error();
    user = token_info(token, TokenUser);
    if (user) {
        PSID sid = user->User.Sid;
        out->system_account = IsWellKnownSid(sid, WinLocalSystemSid) ||
                                      IsWellKnownSid(sid, WinLocalServiceSid) ||
                                      IsWellKnownSid(sid, WinNetworkServiceSid)
                                  ? BHT_TRI_YES
                                  : BHT_TRI_NO;
        account_of(sid, out->account, sizeof out->account);
        free(user);
    }
    out->kind = kind_of_session(token);
    out->admin = is_admin();
    CloseHandle(token);
    return S_OK;
}

/* ---- policy ---- */

static long policy_value(HKEY key, const WCHAR *name)
{
    DWORD type = 0, value = 0, n = sizeof value;
    LONG e = RegQueryValueExW(key, name, NULL, &type, (BYTE *)&value, &n);

    if (e == ERROR_FILE_NOT_FOUND)
        return BHT_POLICY_NOT_SET;
    if (e != ERROR_SUCCESS || type != REG_DWORD)
        return BHT_POLICY_UNKNOWN;
    return (long)value;
}

static bht_hr com_policy(void *ctx, struct bht_bits_policy *out)
{
    HKEY key;
    LONG e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, BITS_POLICY_KEY, 0, KEY_QUERY_VALUE, &key);

    (void)ctx;
    out->max_jobs_per_user = out->max_jobs_per_machine = BHT_POLICY_UNKNOWN;
    if (e == ERROR_FILE_NOT_FOUND) {
        out->max_jobs_per_user = out->max_jobs_per_machine = BHT_POLICY_NOT_SET;
        return S_OK;
    }
    if (e != ERROR_SUCCESS)
        return HRESULT_FROM_WIN32(e);
    out->max_jobs_per_user = policy_value(key, L"MaxJobsPerUser");
    out->max_jobs_per_machine = policy_value(key, L"MaxJobsPerMachine");
    RegCloseKey(key);
    return S_OK;
}

/* ---- network cost ---- */

static bht_hr com_network_cost(void *ctx, uint32_t *out_cost)
{
    INetworkCostManager *costs = NULL;
    DWORD cost = 0;
    HRESULT hr;

    (void)ctx;
    *out_cost = 0;
    hr = CoCreateInstance(&CLSID_NetworkListManager, NULL, CLSCTX_ALL, &IID_INetworkCostManager,
                          (void **)&costs);
    if (FAILED(hr))
        return hr;
    hr = INetworkCostManager_GetCost(costs, &cost, NULL); /* NULL: the machine's cost */
    INetworkCostManager_Release(costs);
    if (SUCCEEDED(hr))
        *out_cost = cost;
    return hr;
}

/* ---- proxy ---- */

static void copy_wide(const WCHAR *w, char *out, size_t size)
{
    if (w)
        bht_utf16_to_utf8_buf(w, out, size);
}

static bht_hr com_proxy(void *ctx, struct bht_proxy_info *out)
{
    WINHTTP_CURRENT_USER_IE_PROXY_CONFIG ie;
    WINHTTP_PROXY_INFO machine;
    HRESULT hr = S_OK;

    (void)ctx;
    memset(out, 0, sizeof *out);
    memset(&ie, 0, sizeof ie);
    if (WinHttpGetIEProxyConfigForCurrentUser(&ie)) {
        if (ie.lpszProxy && ie.lpszProxy[0]) {
            out->kind = BHT_PROXY_NAMED;
            copy_wide(ie.lpszProxy, out->server, sizeof out->server);
        } else if (ie.fAutoDetect || (ie.lpszAutoConfigUrl && ie.lpszAutoConfigUrl[0])) {
            out->kind = BHT_PROXY_AUTO;
            copy_wide(ie.lpszAutoConfigUrl, out->server, sizeof out->server);
        } else {
            out->kind = BHT_PROXY_DIRECT;
        }
        GlobalFree(ie.lpszProxy);
        GlobalFree(ie.lpszProxyBypass);
        GlobalFree(ie.lpszAutoConfigUrl);
    } else {
        hr = hr_from_last_error();
    }
    memset(&machine, 0, sizeof machine);
    if (WinHttpGetDefaultProxyConfiguration(&machine)) {
        out->machine_kind = machine.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY
                                ? BHT_PROXY_NAMED
                                : BHT_PROXY_DIRECT;
        GlobalFree(machine.lpszProxy);
        GlobalFree(machine.lpszProxyBypass);
    }
    return out->kind == BHT_PROXY_UNKNOWN ? hr : S_OK;
}

/* ---- every user's jobs ---- */

static bht_hr com_machine_jobs(void *ctx, unsigned *out_count)
{
    struct bht_com_system *sys = sys_ctx(ctx);
    IEnumBackgroundCopyJobs *jobs = NULL;
    IBackgroundCopyJob *job;
    unsigned live = 0;
    HRESULT hr;

    *out_count = 0;
    if (!sys->manager)
        return REGDB_E_CLASSNOTREG;
    /* administrators only (C10); others get E_ACCESSDENIED */
    hr = IBackgroundCopyManager_EnumJobs(sys->manager, BG_JOB_ENUM_ALL_USERS, &jobs);
    if (FAILED(hr))
        return hr;
    while (IEnumBackgroundCopyJobs_Next(jobs, 1, &job, NULL) == S_OK) {
        BG_JOB_STATE st;
        if (FAILED(IBackgroundCopyJob_GetState(job, &st)) ||
            (st != BG_JOB_STATE_ACKNOWLEDGED && st != BG_JOB_STATE_CANCELLED))
            live++;
        IBackgroundCopyJob_Release(job);
    }
    IEnumBackgroundCopyJobs_Release(jobs);
    *out_count = live;
    return S_OK;
}

/* ---- BITS's version ---- */

static bht_hr com_bits_version(void *ctx, char *out, size_t size)
{
    /* Newest first; the first class that can be created names the version (win32
     * "Determining the version of BITS"). GUIDs from the Windows SDK's bits*.h. */
    static const struct { GUID clsid; const char *version; } classes[] = {
        {{0x5fd42ad5, 0xc04e, 0x4d36, {0xad, 0xc7, 0xe0, 0x8f, 0xf1, 0x57, 0x37, 0xad}}, "10.3"},
        {{0x4575438f, 0xa6c8, 0x4976, {0xb0, 0xfe, 0x2f, 0x26, 0xb8, 0x0d, 0x95, 0x9e}}, "10.2"},
        {{0x4bd3e4e1, 0x7bd4, 0x4a2b, {0x99, 0x64, 0x49, 0x64, 0x00, 0xde, 0x51, 0x93}}, "10.1"},
        {{0x1ecca34c, 0xe88a, 0x44e3, {0x8d, 0x6a, 0x89, 0x21, 0xbd, 0xe9, 0xe4, 0x52}}, "5.0"},
        {{0xbb6df56b, 0xcace, 0x11dc, {0x99, 0x92, 0x00, 0x19, 0xb9, 0x3a, 0x3a, 0x84}}, "4.0"},
        {{0x659cdea7, 0x489e, 0x11d9, {0xa9, 0xcd, 0x00, 0x0d, 0x56, 0x96, 0x52, 0x51}}, "3.0"},
        {{0x03ca98d6, 0xff5d, 0x49b8, {0xab, 0xc6, 0x03, 0xdd, 0x84, 0x12, 0x70, 0x20}}, "2.5"},
        {{0x6d18ad12, 0xbde3, 0x4393, {0xb3, 0x11, 0x09, 0x9c, 0x34, 0x6e, 0x6d, 0xf9}}, "2.0"},
        {{0xf087771f, 0xd74f, 0x4c1a, {0xbb, 0x8a, 0xe1, 0x6a, 0xca, 0x91, 0x24, 0xea}}, "1.5"},
    };
    HRESULT hr = REGDB_E_CLASSNOTREG;

    (void)ctx;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        IBackgroundCopyManager *m = NULL;

        hr = CoCreateInstance(&classes[i].clsid, NULL, CLSCTX_LOCAL_SERVER,
                              &IID_IBackgroundCopyManager, (void **)&m);
        if (SUCCEEDED(hr)) {
            IBackgroundCopyManager_Release(m);
            snprintf(out, size, "%s", classes[i].version);
            return S_OK;
        }
    }
    /* only the version-less class (or nothing): the version is not told */
    return hr == REGDB_E_CLASSNOTREG ? S_OK : hr;
}

static const struct bht_system_ops bht_com_system_ops = {
    BHT_SYSTEM_OPS_VERSION,
    "com",
    com_service,
    com_session,
    com_policy,
    com_network_cost,
    com_proxy,
    com_machine_jobs,
    com_bits_version,
};

bht_hr bht_com_system_open(struct bht_backend *be)
{
    struct bht_com_system *sys = calloc(1, sizeof *sys);
    HRESULT hr;

    be->system = NULL;
    be->system_ctx = NULL;
    if (!sys)
        return E_OUTOFMEMORY;
    if (be->bits == &bht_com_bits_ops && be->bits_ctx)
        sys->manager = ((struct bht_com_bits *)be->bits_ctx)->manager;
    /* with BITS unreachable COM may not be initialised yet on this thread */
    hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
    if (SUCCEEDED(hr))
        sys->com_initialized = 1;
    be->system = &bht_com_system_ops;
    be->system_ctx = sys;
    return S_OK;
}

void bht_com_system_close(struct bht_backend *be)
{
    struct bht_com_system *sys = be->system_ctx;

    if (!sys)
        return;
    if (sys->com_initialized)
        CoUninitialize();
    free(sys);
    be->system = NULL;
    be->system_ctx = NULL;
}
