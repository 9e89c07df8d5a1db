/* bitsht CLI (Windows): process-wide COM security with an explicit descriptor.
 *
 * CoInitializeSecurity runs once per process and belongs to the program: a NULL descriptor
 * would let anyone, anonymous and remote callers included, call into the process (the job's
 * callback object). The descriptor here is absolute (as CoInitializeSecurity requires), owned
 * by the user, and its DACL allows COM_RIGHTS_EXECUTE | COM_RIGHTS_EXECUTE_LOCAL to exactly
 * three SIDs: the user, SYSTEM and Administrators. */
#include <windows.h>
#include <objbase.h>

#include <stdlib.h>

#include "com_process_security.h"

#ifndef COM_RIGHTS_EXECUTE_LOCAL
#define COM_RIGHTS_EXECUTE_LOCAL 2
#endif

static HRESULT last_error_hr(void)
{
    DWORD err = GetLastError();

    return err ? HRESULT_FROM_WIN32(err) : E_FAIL;
}

/* The user of this process's token, copied into a malloc'd SID. */
static HRESULT process_user_sid(PSID *out)
{
    HANDLE token = NULL;
    BYTE buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    DWORD n = 0, len;
    HRESULT hr = S_OK;

    *out = NULL;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return last_error_hr();
    if (!GetTokenInformation(token, TokenUser, buf, sizeof buf, &n)) {
        hr = last_error_hr();
    } else {
        PSID sid = ((TOKEN_USER *)buf)->User.Sid;

        len = GetLengthSid(sid);
        *out = malloc(len);
        if (!*out)
            hr = E_OUTOFMEMORY;
        else if (!CopySid(len, *out, sid))
            hr = last_error_hr();
    }
    CloseHandle(token);
    if (FAILED(hr)) {
        free(*out);
        *out = NULL;
    }
    return hr;
}

static HRESULT well_known_sid(WELL_KNOWN_SID_TYPE type, BYTE *buf, DWORD size)
{
    return CreateWellKnownSid(type, NULL, buf, &size) ? S_OK : last_error_hr();
}

/* The descriptor and what it points to stay alive until done: the documentation does not
 * say that COM copies them. */
static struct {
    PSID user;
    PACL dacl;
    BYTE system_sid[SECURITY_MAX_SID_SIZE];
    BYTE admins_sid[SECURITY_MAX_SID_SIZE];
    SECURITY_DESCRIPTOR sd;
} process_sd;

static void free_process_sd(void)
{
    free(process_sd.dacl);
    free(process_sd.user);
    process_sd.dacl = NULL;
    process_sd.user = NULL;
}

bht_hr cli_com_process_security_init(void)
{
    const DWORD rights = COM_RIGHTS_EXECUTE | COM_RIGHTS_EXECUTE_LOCAL;
    BYTE *system_sid = process_sd.system_sid, *admins_sid = process_sd.admins_sid;
    SECURITY_DESCRIPTOR *sd = &process_sd.sd;
    PSID user = NULL;
    PACL dacl = NULL;
    DWORD acl_size;
    HRESULT hr;
    int com = 0;

    hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
    if (FAILED(hr))
        return hr;
    com = 1;
    hr = process_user_sid(&process_sd.user);
    user = process_sd.user;
    if (SUCCEEDED(hr))
        hr = well_known_sid(WinLocalSystemSid, system_sid, sizeof process_sd.system_sid);
    if (SUCCEEDED(hr))
        hr = well_known_sid(WinBuiltinAdministratorsSid, admins_sid, sizeof process_sd.admins_sid);
    if (FAILED(hr))
        goto out;
    acl_size = sizeof(ACL) + 3 * (sizeof(ACCESS_ALLOWED_ACE) - sizeof(DWORD)) +
               GetLengthSid(user) + GetLengthSid(system_sid) + GetLengthSid(admins_sid);
    dacl = process_sd.dacl = malloc(acl_size);
    if (!dacl) {
        hr = E_OUTOFMEMORY;
        goto out;
    }
    if (!InitializeAcl(dacl, acl_size, ACL_REVISION) ||
        !AddAccessAllowedAce(dacl, ACL_REVISION, rights, user) ||
        !AddAccessAllowedAce(dacl, ACL_REVISION, rights, system_sid) ||
        !AddAccessAllowedAce(dacl, ACL_REVISION, rights, admins_sid) ||
        !InitializeSecurityDescriptor(sd, SECURITY_DESCRIPTOR_REVISION) ||
        !SetSecurityDescriptorOwner(sd, user, FALSE) ||
        !SetSecurityDescriptorGroup(sd, user, FALSE) ||
        !SetSecurityDescriptorDacl(sd, TRUE, dacl, FALSE)) {
        hr = last_error_hr();
        goto out;
    }
    /* the levels of Microsoft's helper-token sample (connect, IMPERSONATE, dynamic
     * cloaking: C88-C90); the library sets the same on each proxy, this makes them the
     * process default */
    hr = CoInitializeSecurity(sd, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                              RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_DYNAMIC_CLOAKING, NULL);
out:
    if (FAILED(hr)) {
        free_process_sd();
        if (com)
            CoUninitialize();
    }
    return hr;
}

void cli_com_process_security_done(void)
{
    CoUninitialize();
    free_process_sd();
}
