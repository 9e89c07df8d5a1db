/* bitsht: struct bht_identity_ops over Win32 logon and impersonation.
 *
 * LogonUserW -> ImpersonateLoggedOnUser -> (the core sets the helper token) -> RevertToSelf
 * -> CloseHandle (§3.4 rule 3). Win32 errors travel as HRESULT_FROM_WIN32(GetLastError()).
 * On Wine LogonUserW succeeds for anyone with a fake handle and ImpersonateLoggedOnUser
 * then fails (C103, C106); the core never gets here on Wine, because the job has no
 * IBitsTokenOptions (C87). ctx is unused (NULL). */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "com_internal.h"
#include "utf.h"

struct bht_token {
    HANDLE handle;
};

static HRESULT last_error_hr(void)
{
    DWORD err = GetLastError();

    /* a failing call that forgot SetLastError must still read as a failure */
    return err ? HRESULT_FROM_WIN32(err) : E_FAIL;
}

static bht_hr win_logon(void *ctx, const char *domain, const char *user, const char *password,
                        enum bht_logon_type type, struct bht_token **out_token)
{
    WCHAR *wdomain = NULL, *wuser = NULL, *wpassword = NULL;
    const WCHAR *domain_arg;
    struct bht_token *token = NULL;
    HANDLE handle = NULL;
    /* C105: NEW_CREDENTIALS is supported only by the Negotiate (WINNT50) provider */
    DWORD provider =
        type == BHT_LOGON_NEW_CREDENTIALS ? LOGON32_PROVIDER_WINNT50 : LOGON32_PROVIDER_DEFAULT;
    HRESULT hr;
    BOOL ok;

    (void)ctx;
    *out_token = NULL;
    if (!domain || !user || !password)
        return E_POINTER;
    hr = bht_utf8_to_utf16(user, &wuser);
    if (SUCCEEDED(hr))
        hr = bht_utf8_to_utf16(domain, &wdomain);
    if (SUCCEEDED(hr))
        hr = bht_utf8_to_utf16(password, &wpassword);
    if (FAILED(hr))
        goto out;
    /* LogonUserW: a NULL domain means "user is a UPN"; "." means the local account database */
    if (wdomain[0])
        domain_arg = wdomain;
    else
        domain_arg = strchr(user, '@') ? NULL : L".";
    token = calloc(1, sizeof *token);
    if (!token) {
        hr = E_OUTOFMEMORY;
        goto out;
    }
    ok = LogonUserW(wuser, domain_arg, wpassword, (DWORD)type, provider, &handle);
    hr = ok ? S_OK : last_error_hr();
    /* the UTF-16 copy of the password lives no longer than the call that needs it */
    SecureZeroMemory(wpassword, wcslen(wpassword) * sizeof *wpassword);
    if (FAILED(hr))
        goto out;
    token->handle = handle;
    *out_token = token;
    token = NULL;
out:
    free(token);
    bht_utf16_free(wpassword);
    bht_utf16_free(wuser);
    bht_utf16_free(wdomain);
    return hr;
}

static bht_hr win_impersonate(void *ctx, struct bht_token *token)
{
    (void)ctx;
    if (!token)
        return E_POINTER;
    /* C106: on failure the thread keeps the process identity; the core must stop */
    return ImpersonateLoggedOnUser(token->handle) ? S_OK : last_error_hr();
}

static bht_hr win_revert(void *ctx)
{
    (void)ctx;
    return RevertToSelf() ? S_OK : last_error_hr();
}

static bht_hr win_close(void *ctx, struct bht_token *token)
{
    HRESULT hr;

    (void)ctx;
    if (!token)
        return S_OK;
    hr = CloseHandle(token->handle) ? S_OK : last_error_hr();
    free(token); /* gone whatever CloseHandle said (backend.h) */
    return hr;
}

const struct bht_identity_ops bht_win_identity_ops = {
    BHT_IDENTITY_OPS_VERSION, "win32", win_logon, win_impersonate, win_revert, win_close,
};
