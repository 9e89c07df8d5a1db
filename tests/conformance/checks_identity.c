/* bitsht conformance: logon, impersonation and revert through bht_identity_ops
 * (docs/contract.md). */
#include "checks.h"

static void logon_with_wrong_password_fails_with_logon_failure(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_token *tok = (struct bht_token *)&tok; /* poison */
    bht_hr hr;

    conf_require_helper_account(t);
    hr = t->identity->logon(t->identity_ctx, t->helper_domain, t->helper_user,
                            "certainly-not-the-password", BHT_LOGON_INTERACTIVE, &tok);
    if (hr == S_OK && tok)
        (void)t->identity->close(t->identity_ctx, tok);
    CHECK_HR_DIV(t, BHT_E_LOGON_FAILURE, hr); /* C104 */
    assert_null(tok);
}

static void impersonate_logged_on_helper_and_revert(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_token *tok = NULL;
    bht_hr hr;

    conf_require_helper_account(t);
    CHECK_HR(t, S_OK, t->identity->logon(t->identity_ctx, t->helper_domain, t->helper_user,
                                         t->helper_password, BHT_LOGON_INTERACTIVE, &tok));
    hr = t->identity->impersonate(t->identity_ctx, tok); /* C106 */
    if (hr == S_OK)
        CHECK_HR(t, S_OK, t->identity->revert(t->identity_ctx)); /* C107 */
    (void)t->identity->close(t->identity_ctx, tok);
    CHECK_HR_DIV(t, S_OK, hr);
}

static void logon_with_right_password_gives_a_token(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_token *tok = NULL;

    conf_require_helper_account(t);
    CHECK_HR(t, S_OK, t->identity->logon(t->identity_ctx, t->helper_domain, t->helper_user,
                                         t->helper_password, BHT_LOGON_INTERACTIVE, &tok));
    assert_non_null(tok); /* C103 */
    (void)t->identity->close(t->identity_ctx, tok);
}

const struct conf_registered conf_checks_identity[] = {
    CONF_REGISTER(logon_with_right_password_gives_a_token),
    CONF_REGISTER(logon_with_wrong_password_fails_with_logon_failure),
    CONF_REGISTER(impersonate_logged_on_helper_and_revert),
    CONF_END,
};
