/* bitsht: who sets COM security (issue 12 item 4). The library (src/com) must never call
 * CoInitializeSecurity: that is the host's one-per-process choice, and a NULL descriptor
 * there would admit every caller. It sets a blanket on each proxy instead, the IUnknown
 * proxy included. bitsht's own program (src/cli) sets process security once, with an
 * explicit descriptor: the user, SYSTEM, Administrators.
 *
 * Wine's CoInitializeSecurity is a stub that always answers S_OK (C108), so its result
 * proves nothing here: the tests hook this executable's import table (the libraries are
 * linked in statically) and watch every call and its arguments. The backend talks to the
 * COM fake (bitsht_fakebits.dll through BITSHT_COM_SERVER), not to Wine's BITS service:
 * what is checked is which calls src/com makes, and a dying Wine service (seen under load)
 * must not decide it. In-process objects answer CoSetProxyBlanket with E_NOINTERFACE; the
 * hook sees the call and its arguments all the same. */
#define COBJMACROS
#include <windows.h>
#include <objbase.h>
#include <sddl.h>
#include <bits.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/com/com_internal.h"
#include "bitsht/com_backend.h"
#include "bitsht_fakebits.h"
#include "com_process_security.h"
#include "iat_hook.h"

typedef HRESULT(WINAPI *init_security_fn)(PSECURITY_DESCRIPTOR, LONG,
                                          SOLE_AUTHENTICATION_SERVICE *, void *, DWORD, DWORD,
                                          void *, DWORD, void *);
typedef HRESULT(WINAPI *set_blanket_fn)(IUnknown *, DWORD, DWORD, OLECHAR *, DWORD, DWORD,
                                        RPC_AUTH_IDENTITY_HANDLE, DWORD);

/* What the hooks saw. */
static struct {
    init_security_fn real_init;
    set_blanket_fn real_blanket;
    int init_calls;
    LONG auth_svc_count;
    DWORD authn_level, imp_level, capabilities;
    char owner[128];
    char aces[3][128];
    DWORD ace_masks[3];
    int ace_count, dacl_present;
    int blanket_calls;
    IUnknown *blanket_proxies[64];
    DWORD blanket_authn[64], blanket_imp[64], blanket_caps[64];
} seen;

static void sid_text(PSID sid, char *out, size_t size)
{
    char *text = NULL;

    out[0] = '\0';
    if (sid && ConvertSidToStringSidA(sid, &text)) {
        snprintf(out, size, "%s", text);
        LocalFree(text);
    }
}

static HRESULT WINAPI hook_init_security(PSECURITY_DESCRIPTOR sd, LONG auth_svc_count,
                                         SOLE_AUTHENTICATION_SERVICE *auth_svc, void *r1,
                                         DWORD authn_level, DWORD imp_level, void *auth_list,
                                         DWORD capabilities, void *r3)
{
    PSID owner = NULL;
    PACL dacl = NULL;
    BOOL defaulted = FALSE, present = FALSE;

    seen.init_calls++;
    seen.auth_svc_count = auth_svc_count;
    seen.authn_level = authn_level;
    seen.imp_level = imp_level;
    seen.capabilities = capabilities;
    seen.owner[0] = '\0';
    seen.ace_count = -1;
    seen.dacl_present = 0;
    if (sd && IsValidSecurityDescriptor(sd)) {
        if (GetSecurityDescriptorOwner(sd, &owner, &defaulted))
            sid_text(owner, seen.owner, sizeof seen.owner);
        if (GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) && present && dacl) {
            seen.dacl_present = 1;
            seen.ace_count = dacl->AceCount;
            for (int i = 0; i < dacl->AceCount && i < 3; i++) {
                ACCESS_ALLOWED_ACE *ace = NULL;

                if (GetAce(dacl, (DWORD)i, (void **)&ace) &&
                    ace->Header.AceType == ACCESS_ALLOWED_ACE_TYPE) {
                    sid_text(&ace->SidStart, seen.aces[i], sizeof seen.aces[i]);
                    seen.ace_masks[i] = ace->Mask;
                }
            }
        }
    }
    return seen.real_init(sd, auth_svc_count, auth_svc, r1, authn_level, imp_level, auth_list,
                          capabilities, r3);
}

static HRESULT WINAPI hook_set_blanket(IUnknown *proxy, DWORD authn_svc, DWORD authz_svc,
                                       OLECHAR *principal, DWORD authn_level, DWORD imp_level,
                                       RPC_AUTH_IDENTITY_HANDLE identity, DWORD capabilities)
{
    int i = seen.blanket_calls++;

    if (i < 64) {
        seen.blanket_proxies[i] = proxy;
        seen.blanket_authn[i] = authn_level;
        seen.blanket_imp[i] = imp_level;
        seen.blanket_caps[i] = capabilities;
    }
    return seen.real_blanket(proxy, authn_svc, authz_svc, principal, authn_level, imp_level,
                             identity, capabilities);
}

static int group_setup(void **state)
{
    WCHAR dll[MAX_PATH];
    char err[256];

    (void)state;
    if (!GetModuleFileNameW(GetModuleHandleW(L"bitsht_fakebits.dll"), dll, MAX_PATH) ||
        !SetEnvironmentVariableW(L"BITSHT_COM_SERVER", dll) ||
        bht_fakebits_reset("", err, sizeof err) != S_OK)
        return -1;
    memset(&seen, 0, sizeof seen);
    seen.real_init = (init_security_fn)iat_hook("ole32.dll", "CoInitializeSecurity",
                                                (iat_fn)hook_init_security);
    seen.real_blanket = (set_blanket_fn)iat_hook("ole32.dll", "CoSetProxyBlanket",
                                                 (iat_fn)hook_set_blanket);
    return seen.real_init && seen.real_blanket ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    iat_hook("ole32.dll", "CoInitializeSecurity", (iat_fn)seen.real_init);
    iat_hook("ole32.dll", "CoSetProxyBlanket", (iat_fn)seen.real_blanket);
    return 0;
}

static void process_user(char *out, size_t size)
{
    HANDLE token;
    BYTE buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    DWORD n;

    assert_true(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    assert_true(GetTokenInformation(token, TokenUser, buf, sizeof buf, &n));
    CloseHandle(token);
    sid_text(((TOKEN_USER *)buf)->User.Sid, out, size);
}

/* The program's choice, made once before any proxy exists (so it runs first in the
 * process): an explicit, absolute descriptor that admits the user, SYSTEM (BITS calls the
 * job's callback) and Administrators, nobody else; IMPERSONATE with dynamic cloaking. */
static void cli_sets_process_security_with_an_explicit_descriptor(void **state)
{
    char user[128];

    (void)state;
    process_user(user, sizeof user);
    seen.init_calls = 0;
    assert_int_equal(cli_com_process_security_init(), S_OK);
    assert_int_equal(seen.init_calls, 1);
    print_message("descriptor: owner %s; DACL %s 0x%lx, %s 0x%lx, %s 0x%lx\n", seen.owner,
                  seen.aces[0], seen.ace_masks[0], seen.aces[1], seen.ace_masks[1],
                  seen.aces[2], seen.ace_masks[2]);
    assert_string_equal(seen.owner, user);
    assert_true(seen.dacl_present);
    assert_int_equal(seen.ace_count, 3);
    assert_string_equal(seen.aces[0], user);
    assert_string_equal(seen.aces[1], "S-1-5-18");     /* SYSTEM */
    assert_string_equal(seen.aces[2], "S-1-5-32-544"); /* Administrators */
    for (int i = 0; i < 3; i++) /* COM_RIGHTS_EXECUTE | COM_RIGHTS_EXECUTE_LOCAL */
        assert_int_equal(seen.ace_masks[i], 0x3);
    assert_int_equal(seen.auth_svc_count, -1);
    assert_int_equal(seen.authn_level, RPC_C_AUTHN_LEVEL_CONNECT);
    assert_int_equal(seen.imp_level, RPC_C_IMP_LEVEL_IMPERSONATE);
    assert_int_equal(seen.capabilities, EOAC_DYNAMIC_CLOAKING);
    cli_com_process_security_done();
}

static int blanket_seen(IUnknown *proxy)
{
    for (int i = 0; i < seen.blanket_calls && i < 64; i++)
        if (seen.blanket_proxies[i] == proxy)
            return 1;
    return 0;
}

/* C108, §3.4 rule 1. The library: a whole job's worth of calls and not one
 * CoInitializeSecurity (one per process: the host's choice); a blanket on
 * every proxy it obtains, the manager's IUnknown proxy included, each at COM's default
 * authentication level, IMPERSONATE, dynamic cloaking. */
static void backend_sets_blankets_per_proxy_and_never_process_security(void **state)
{
    struct bht_backend be;
    struct bht_job *job = NULL;
    IUnknown *manager_unknown = NULL;
    IUnknown *manager;
    int blankets_before_job;
    HRESULT own;

    (void)state;
    seen.init_calls = 0;
    seen.blanket_calls = 0;
    assert_int_equal(bht_com_backend_open(&be), S_OK);
    manager = (IUnknown *)((struct bht_com_bits *)be.bits_ctx)->manager;
    assert_int_equal(IUnknown_QueryInterface(manager, &IID_IUnknown, (void **)&manager_unknown),
                     S_OK);
    blankets_before_job = seen.blanket_calls;
    assert_int_equal(be.bits->create_job(be.bits_ctx, "bitsht:security-test", &job), S_OK);
    be.bits->get_token_options(be.bits_ctx, job); /* E_NOINTERFACE on Wine 8 */
    assert_int_equal(be.bits->set_implicit_credentials(be.bits_ctx, job), S_OK);
    be.bits->cancel(be.bits_ctx, job);
    be.bits->release(be.bits_ctx, job);
    bht_fakebits_drain(5000);
    print_message("blankets: %d (manager %d), process security calls: %d\n",
                  seen.blanket_calls, blankets_before_job, seen.init_calls);
    /* the manager's blanket, then its IUnknown's (one pointer for an in-process object,
     * two for Windows's and Wine's proxies): two calls before any job exists */
    assert_int_equal(blankets_before_job, 2);
    assert_ptr_equal(seen.blanket_proxies[0], manager);
    assert_ptr_equal(seen.blanket_proxies[1], manager_unknown);
    assert_true(blanket_seen(manager_unknown));
    assert_true(seen.blanket_calls >= blankets_before_job + 4); /* job, Job2, their IUnknowns */
    for (int i = 0; i < seen.blanket_calls && i < 64; i++) {
        assert_int_equal(seen.blanket_authn[i], RPC_C_AUTHN_LEVEL_DEFAULT);
        assert_int_equal(seen.blanket_imp[i], RPC_C_IMP_LEVEL_IMPERSONATE);
        assert_int_equal(seen.blanket_caps[i], EOAC_DYNAMIC_CLOAKING);
    }
    IUnknown_Release(manager_unknown);
    bht_com_backend_close(&be);
    assert_int_equal(seen.init_calls, 0);

    /* the hook is live: this process's own call is seen (its result is Wine's stub S_OK;
     * Windows answers RPC_E_TOO_LATE here, security having been set above) */
    own = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                               RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_DYNAMIC_CLOAKING, NULL);
    print_message("the test's own CoInitializeSecurity: 0x%08lx\n", (unsigned long)own);
    assert_int_equal(seen.init_calls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cli_sets_process_security_with_an_explicit_descriptor),
        cmocka_unit_test(backend_sets_blankets_per_proxy_and_never_process_security),
    };

    return cmocka_run_group_tests_name("com_security", tests, group_setup, group_teardown);
}
