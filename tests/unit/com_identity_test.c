/* bitsht: the Win32 identity ops (src/com/win_identity.c) on this system.
 *
 * Windows: a logon with a password nobody has fails with ERROR_LOGON_FAILURE (C104).
 * Wine 8: LogonUserW accepts anything with a fake handle and impersonating it fails
 * (C103, C106, docs/contract.md); the test pins that, so a Wine that starts checking
 * passwords shows up here. */
#include <windows.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/com/com_internal.h"

static int running_on_wine(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");

    return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

static void logon_with_a_wrong_password_is_refused_or_faked_on_wine(void **state)
{
    const struct bht_identity_ops *id = &bht_win_identity_ops;
    struct bht_token *token = (struct bht_token *)0x1;
    bht_hr hr;

    (void)state;
    hr = id->logon(NULL, "", "bitsht-no-such-user", "not the password", BHT_LOGON_NETWORK,
                   &token);
    if (!running_on_wine()) {
        assert_int_equal(hr, BHT_E_LOGON_FAILURE);
        assert_null(token);
        return;
    }
    assert_int_equal(hr, S_OK);
    assert_non_null(token);
    /* measured on Wine 8.0: the fake handle is not a handle (C106) */
    assert_int_equal(id->impersonate(NULL, token), BHT_E_INVALID_HANDLE);
    /* C107: reverting is always allowed and is what the core does on every path */
    assert_int_equal(id->revert(NULL), S_OK);
    id->close(NULL, token);
}

/* C105: NEW_CREDENTIALS goes to the WINNT50 provider; on Wine it is accepted like the rest. */
static void new_credentials_logon_reaches_logonuser(void **state)
{
    const struct bht_identity_ops *id = &bht_win_identity_ops;
    struct bht_token *token = NULL;
    bht_hr hr;

    (void)state;
    hr = id->logon(NULL, "WORKGROUP", "bitsht-no-such-user", "x", BHT_LOGON_NEW_CREDENTIALS,
                   &token);
    /* Windows: NEW_CREDENTIALS only records the credentials for outbound use and checks
     * nothing at logon time; Wine checks nothing at all (C103): S_OK on both */
    assert_int_equal(hr, S_OK);
    assert_non_null(token);
    id->close(NULL, token);
}

static void invalid_utf8_password_is_refused_before_logon(void **state)
{
    const struct bht_identity_ops *id = &bht_win_identity_ops;
    struct bht_token *token = (struct bht_token *)0x1;

    (void)state;
    assert_int_equal(id->logon(NULL, "", "someone", "\xC3\x28", BHT_LOGON_INTERACTIVE, &token),
                     E_INVALIDARG);
    assert_null(token);
}

static void revert_without_impersonation_succeeds(void **state)
{
    (void)state;
    assert_int_equal(bht_win_identity_ops.revert(NULL), S_OK); /* C107 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(logon_with_a_wrong_password_is_refused_or_faked_on_wine),
        cmocka_unit_test(new_credentials_logon_reaches_logonuser),
        cmocka_unit_test(invalid_utf8_password_is_refused_before_logon),
        cmocka_unit_test(revert_without_impersonation_succeeds),
    };

    return cmocka_run_group_tests_name("unit_com_identity", tests, NULL, NULL);
}
