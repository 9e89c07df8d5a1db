/* bitsht conformance: IBitsTokenOptions — helper token set, flags, SID, clear
 * (docs/contract.md). Wine 8 has no token options (C87): every check here is listed
 * in divergences.h for wine8, and the first token call is the annotated one. */
#include <string.h>

#include "checks.h"
#include "fixture_world.h"

static void token_options_are_available_to_the_owner(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR_DIV(t, S_OK, t->bits->get_token_options(t->ctx, t->job)); /* C87 */
}

static void helper_token_flags_of_new_job_are_zero(void **state)
{
    struct bht_under_test *t = *state;
    uint32_t f = 0xDEADBEEFu;

    CHECK_HR_DIV(t, S_OK, t->bits->get_helper_token_flags(t->ctx, t->job, &f)); /* C95 */
    CHECK_U64(t, 0, f);
}

static void helper_token_flags_round_trip(void **state)
{
    struct bht_under_test *t = *state;
    uint32_t f = 0xDEADBEEFu;

    CHECK_HR_DIV(t, S_OK, t->bits->set_helper_token_flags(t->ctx, t->job, BHT_TOKEN_LOCAL_FILE));
    CHECK_HR(t, S_OK, t->bits->get_helper_token_flags(t->ctx, t->job, &f)); /* C93, C95 */
    CHECK_U64(t, BHT_TOKEN_LOCAL_FILE, f);
    CHECK_HR(t, S_OK, t->bits->set_helper_token_flags(t->ctx, t->job,
                                                      BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK));
    CHECK_HR(t, S_OK, t->bits->get_helper_token_flags(t->ctx, t->job, &f));
    CHECK_U64(t, BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK, f);
}

static void helper_token_flags_zero_is_accepted(void **state)
{
    struct bht_under_test *t = *state;
    uint32_t f = 0xDEADBEEFu;

    CHECK_HR_DIV(t, S_OK, t->bits->set_helper_token_flags(t->ctx, t->job, BHT_TOKEN_NETWORK));
    CHECK_HR(t, S_OK, t->bits->set_helper_token_flags(t->ctx, t->job, 0)); /* C93 */
    CHECK_HR(t, S_OK, t->bits->get_helper_token_flags(t->ctx, t->job, &f));
    CHECK_U64(t, 0, f);
}

static void helper_token_flags_outside_mask_are_refused(void **state)
{
    struct bht_under_test *t = *state;
    uint32_t f = 0xDEADBEEFu;

    CHECK_HR_DIV(t, E_INVALIDARG, t->bits->set_helper_token_flags(t->ctx, t->job, 0x4)); /* C94 */
    CHECK_HR(t, S_OK, t->bits->get_helper_token_flags(t->ctx, t->job, &f));
    CHECK_U64(t, 0, f);
}

static void helper_token_sid_is_null_without_helper_token(void **state)
{
    struct bht_under_test *t = *state;
    char *sid = (char *)&sid; /* poison */

    CHECK_HR_DIV(t, S_OK, t->bits->get_helper_token_sid(t->ctx, t->job, &sid)); /* C96 */
    assert_null(sid);
}

/* Logs on the helper and impersonates it; returns the token (close it after revert). */
static struct bht_token *impersonate_helper(struct bht_under_test *t)
{
    struct bht_token *tok = NULL;

    conf_require_helper_account(t);
    CHECK_HR(t, S_OK, t->identity->logon(t->identity_ctx, t->helper_domain, t->helper_user,
                                         t->helper_password, BHT_LOGON_INTERACTIVE, &tok));
    CHECK_HR(t, S_OK, t->identity->impersonate(t->identity_ctx, tok));
    return tok;
}

static void set_helper_token_while_impersonating_records_helper_sid(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_token *tok;
    char *sid = NULL;
    bht_hr hr;

    /* §3.4 rule 2: token options obtained as the owner, before impersonating */
    CHECK_HR_DIV(t, S_OK, t->bits->get_token_options(t->ctx, t->job));
    tok = impersonate_helper(t);
    hr = t->bits->set_helper_token(t->ctx, t->job); /* C88 */
    CHECK_HR(t, S_OK, t->identity->revert(t->identity_ctx));
    (void)t->identity->close(t->identity_ctx, tok);
    CHECK_HR(t, S_OK, hr);
    CHECK_HR(t, S_OK, t->bits->get_helper_token_sid(t->ctx, t->job, &sid)); /* C97 */
    assert_non_null(sid);
    assert_true(strncmp(sid, "S-1-5-", 6) == 0);
    t->bits->free_mem(t->ctx, sid);
}

static void clear_helper_token_drops_sid_and_keeps_flags(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_token *tok;
    char *sid = (char *)&sid;
    uint32_t f = 0;
    bht_hr hr;

    CHECK_HR_DIV(t, S_OK, t->bits->get_token_options(t->ctx, t->job));
    tok = impersonate_helper(t);
    hr = t->bits->set_helper_token(t->ctx, t->job);
    CHECK_HR(t, S_OK, t->identity->revert(t->identity_ctx));
    (void)t->identity->close(t->identity_ctx, tok);
    CHECK_HR(t, S_OK, hr);
    CHECK_HR(t, S_OK, t->bits->set_helper_token_flags(t->ctx, t->job, BHT_TOKEN_LOCAL_FILE));
    CHECK_HR(t, S_OK, t->bits->clear_helper_token(t->ctx, t->job)); /* C98 */
    CHECK_HR(t, S_OK, t->bits->get_helper_token_sid(t->ctx, t->job, &sid));
    assert_null(sid);
    CHECK_HR(t, S_OK, t->bits->get_helper_token_flags(t->ctx, t->job, &f));
    CHECK_U64(t, BHT_TOKEN_LOCAL_FILE, f);
}

static void token_calls_on_cancelled_job_give_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR_DIV(t, S_OK, t->bits->get_token_options(t->ctx, t->job));
    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    /* C99 (question 5): like every other setter */
    CHECK_HR(t, BG_E_INVALID_STATE,
             t->bits->set_helper_token_flags(t->ctx, t->job, BHT_TOKEN_LOCAL_FILE));
    CHECK_HR(t, BG_E_INVALID_STATE, t->bits->clear_helper_token(t->ctx, t->job));
}

static void token_flags_without_helper_token_fail_with_bg_e_token_required(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE];
    struct bht_job_error e;

    CHECK_HR_DIV(t, S_OK, t->bits->set_helper_token_flags(t->ctx, t->job, BHT_TOKEN_LOCAL_FILE));
    conf_make_file(t, conf_path(t, "t.src", src), 10);
    conf_add(t, t->job, src, "t.bin");
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job));
    /* C100: flags without a token: ERROR with BG_E_TOKEN_REQUIRED */
    CHECK_STATE(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
    memset(&e, 0x5A, sizeof(e));
    CHECK_HR(t, S_OK, t->bits->get_error(t->ctx, t->job, &e));
    CHECK_HR(t, BG_E_TOKEN_REQUIRED, e.code);
}

const struct conf_registered conf_checks_tokens[] = {
    CONF_REGISTER(token_options_are_available_to_the_owner),
    CONF_REGISTER(helper_token_flags_of_new_job_are_zero),
    CONF_REGISTER(helper_token_flags_round_trip),
    CONF_REGISTER(helper_token_flags_zero_is_accepted),
    CONF_REGISTER(helper_token_flags_outside_mask_are_refused),
    CONF_REGISTER(helper_token_sid_is_null_without_helper_token),
    CONF_REGISTER(set_helper_token_while_impersonating_records_helper_sid),
    CONF_REGISTER(clear_helper_token_drops_sid_and_keeps_flags),
    CONF_REGISTER(token_calls_on_cancelled_job_give_bg_e_invalid_state),
    CONF_REGISTER(token_flags_without_helper_token_fail_with_bg_e_token_required),
    CONF_END,
};
