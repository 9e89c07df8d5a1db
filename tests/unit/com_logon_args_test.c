/* bitsht: what src/com/win_identity.c hands LogonUserW (issue 12 items 2, 3), seen through
 * an import-table hook on this .exe: the logon type value (network-cleartext is 8), the
 * provider (Negotiate for new-credentials, C105), and the domain: "." for a bare name, so
 * LogonUserW checks the local account database only (C112), NULL for a UPN. The hook
 * answers without logging on, so the test runs the same on Wine and on Windows. */
#include <windows.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/com/com_internal.h"
#include "iat_hook.h"

typedef BOOL(WINAPI *logon_fn)(LPCWSTR, LPCWSTR, LPCWSTR, DWORD, DWORD, PHANDLE);

static struct {
    logon_fn real;
    int calls;
    WCHAR user[64], domain[64];
    int domain_null;
    DWORD type, provider;
} seen;

static BOOL WINAPI hook_logon(LPCWSTR user, LPCWSTR domain, LPCWSTR password, DWORD type,
                              DWORD provider, PHANDLE out)
{
    (void)password;
    seen.calls++;
    lstrcpynW(seen.user, user ? user : L"", 64);
    seen.domain_null = domain == NULL;
    lstrcpynW(seen.domain, domain ? domain : L"", 64);
    seen.type = type;
    seen.provider = provider;
    return DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(), out,
                           0, FALSE, DUPLICATE_SAME_ACCESS); /* any handle close accepts */
}

static int setup(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof seen);
    seen.real = (logon_fn)iat_hook("advapi32.dll", "LogonUserW", (iat_fn)hook_logon);
    return seen.real ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    iat_hook("advapi32.dll", "LogonUserW", (iat_fn)seen.real);
    return 0;
}

static void logon(const char *domain, const char *user, enum bht_logon_type type)
{
    struct bht_token *token = NULL;

    seen.calls = 0;
    assert_int_equal(bht_win_identity_ops.logon(NULL, domain, user, "pw", type, &token), S_OK);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(bht_win_identity_ops.close(NULL, token), S_OK);
}

/* C113: --logon-type network-cleartext reaches LogonUserW as LOGON32_LOGON_NETWORK_CLEARTEXT */
static void network_cleartext_is_logon_type_8(void **state)
{
    (void)state;
    logon("CORP", "alice", BHT_LOGON_NETWORK_CLEARTEXT);
    assert_int_equal(seen.type, LOGON32_LOGON_NETWORK_CLEARTEXT);
    assert_int_equal(seen.type, 8);
    assert_int_equal(seen.provider, LOGON32_PROVIDER_DEFAULT);
    assert_true(lstrcmpW(seen.domain, L"CORP") == 0);
}

/* C105: new-credentials needs the Negotiate provider */
static void new_credentials_uses_the_winnt50_provider(void **state)
{
    (void)state;
    logon("CORP", "alice", BHT_LOGON_NEW_CREDENTIALS);
    assert_int_equal(seen.type, LOGON32_LOGON_NEW_CREDENTIALS);
    assert_int_equal(seen.provider, LOGON32_PROVIDER_WINNT50);
}

/* C112: a bare name goes with domain "." (the local accounts), a UPN with a NULL domain */
static void bare_name_is_looked_up_locally_and_a_upn_as_is(void **state)
{
    (void)state;
    logon("", "dave", BHT_LOGON_INTERACTIVE);
    assert_false(seen.domain_null);
    assert_true(lstrcmpW(seen.domain, L".") == 0);
    assert_true(lstrcmpW(seen.user, L"dave") == 0);
    logon("", "alice@corp.example", BHT_LOGON_INTERACTIVE);
    assert_true(seen.domain_null);
    assert_true(lstrcmpW(seen.user, L"alice@corp.example") == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(network_cleartext_is_logon_type_8),
        cmocka_unit_test(new_credentials_uses_the_winnt50_provider),
        cmocka_unit_test(bare_name_is_looked_up_locally_and_a_upn_as_is),
    };

    return cmocka_run_group_tests_name("com_logon_args", tests, setup, teardown);
}
