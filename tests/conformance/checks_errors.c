/* bitsht conformance: error reporting (docs/contract.md). */
#include <string.h>

#include "checks.h"
#include "fixture_world.h"

static bht_hr error_of(struct bht_under_test *t, struct bht_job_error *e)
{
    memset(e, 0x5A, sizeof(*e)); /* poison */
    return t->bits->get_error(t->ctx, t->job, e);
}

static void fail_job_with(struct bht_under_test *t, const char *rest, const char *name)
{
    char url[CONF_URL_SIZE];

    conf_add(t, t->job, conf_url(t, rest, url), name);
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job));
}

static void get_error_on_new_job_gives_bg_e_error_information_unavailable(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job_error e;

    CHECK_HR(t, BG_E_ERROR_INFORMATION_UNAVAILABLE, error_of(t, &e)); /* C58 */
}

static void get_error_after_success_gives_bg_e_error_information_unavailable(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job_error e;

    conf_transfer_local(t, t->job, "ok.bin", 10);
    CHECK_HR(t, BG_E_ERROR_INFORMATION_UNAVAILABLE, error_of(t, &e)); /* C58 */
}

static void http_404_puts_job_in_error_with_remote_file_context(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job_error e;

    fail_job_with(t, CONF_HTTP_404, "nf.bin");
    CHECK_STATE(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0)); /* C61 */
    CHECK_HR(t, S_OK, error_of(t, &e)); /* C59 */
    CHECK_U64(t, BHT_ERRCTX_REMOTE_FILE, e.context);
    CHECK_HR(t, BHT_BG_E_HTTP_ERROR(404), e.code);
}

static void http_404_error_names_the_remote_file(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job_error e;
    char url[CONF_URL_SIZE];

    fail_job_with(t, CONF_HTTP_404, "nf.bin");
    CHECK_STATE(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
    CHECK_HR(t, S_OK, error_of(t, &e));
    assert_string_equal(conf_url(t, CONF_HTTP_404, url), e.remote_name); /* C61 GetFile */
}

static void http_404_leaves_no_destination_file(void **state)
{
    struct bht_under_test *t = *state;
    char local[CONF_PATH_SIZE];

    fail_job_with(t, CONF_HTTP_404, "nf.bin");
    CHECK_STATE(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
    CHECK_U64(t, 0, conf_file_exists(t, conf_path(t, "nf.bin", local))); /* C37 */
}

static void http_403_puts_job_in_error_with_status_code(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job_error e;

    fail_job_with(t, CONF_HTTP_403, "forbidden.bin");
    CHECK_STATE_DIV(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0)); /* C62 */
    CHECK_HR(t, S_OK, error_of(t, &e));
    CHECK_HR(t, BHT_BG_E_HTTP_ERROR(403), e.code);
}

static void http_500_puts_job_in_error_with_status_code(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job_error e;

    fail_job_with(t, CONF_HTTP_500, "server.bin");
    CHECK_STATE_DIV(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0)); /* C62 */
    CHECK_HR(t, S_OK, error_of(t, &e));
    CHECK_HR(t, BHT_BG_E_HTTP_ERROR(500), e.code);
}

static void missing_local_source_puts_job_in_error(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE];

    conf_add(t, t->job, conf_path(t, "absent.src", src), "absent.bin");
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job));
    /* C64: ERROR or TRANSIENT_ERROR (unverified); the fake and Wine say ERROR */
    CHECK_STATE(t, BHT_JOB_ERROR,
                conf_settle(t, t->job, CONF_SETTLE_MS, 1u << BHT_JOB_TRANSIENT_ERROR));
}

static void missing_local_source_reports_remote_file_context(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE];
    struct bht_job_error e;

    conf_add(t, t->job, conf_path(t, "absent.src", src), "absent.bin");
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job));
    (void)conf_settle(t, t->job, CONF_SETTLE_MS, 1u << BHT_JOB_TRANSIENT_ERROR);
    CHECK_HR_DIV(t, S_OK, error_of(t, &e)); /* C59 */
    CHECK_U64(t, BHT_ERRCTX_REMOTE_FILE, e.context); /* C64 */
    CHECK_HR(t, BHT_E_FILE_NOT_FOUND, e.code);
}

static void refused_connection_is_a_transient_error(void **state)
{
    struct bht_under_test *t = *state;
    char local[CONF_PATH_SIZE];

    CHECK_HR(t, S_OK, t->bits->add_file(t->ctx, t->job, CONF_URL_REFUSED,
                                        conf_path(t, "refused.bin", local)));
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job));
    /* C63: a failed connect is recoverable: TRANSIENT_ERROR, retried later */
    CHECK_STATE_DIV(t, BHT_JOB_TRANSIENT_ERROR,
                    conf_settle(t, t->job, CONF_SETTLE_MS, 1u << BHT_JOB_TRANSIENT_ERROR));
}

static void error_information_is_available_again_after_a_failed_retry(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job_error e;

    fail_job_with(t, CONF_HTTP_404, "nf.bin");
    CHECK_STATE(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job)); /* C30 */
    /* C60 says the old error object survives Resume until TRANSFERRING; Wine clears it at
     * once and its retry fails again within milliseconds, so the moment right after Resume
     * is a race on a real service. After the retry has failed, both must answer. */
    CHECK_STATE(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
    CHECK_HR(t, S_OK, error_of(t, &e)); /* C59 */
    CHECK_HR(t, BHT_BG_E_HTTP_ERROR(404), e.code);
}

const struct conf_registered conf_checks_errors[] = {
    CONF_REGISTER(get_error_on_new_job_gives_bg_e_error_information_unavailable),
    CONF_REGISTER(get_error_after_success_gives_bg_e_error_information_unavailable),
    CONF_REGISTER(http_404_puts_job_in_error_with_remote_file_context),
    CONF_REGISTER(http_404_error_names_the_remote_file),
    CONF_REGISTER(http_404_leaves_no_destination_file),
    CONF_REGISTER(http_403_puts_job_in_error_with_status_code),
    CONF_REGISTER(http_500_puts_job_in_error_with_status_code),
    CONF_REGISTER(missing_local_source_puts_job_in_error),
    CONF_REGISTER(missing_local_source_reports_remote_file_context),
    CONF_REGISTER(refused_connection_is_a_transient_error),
    CONF_REGISTER(error_information_is_available_again_after_a_failed_retry),
    CONF_END,
};
