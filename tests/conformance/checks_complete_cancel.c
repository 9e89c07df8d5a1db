/* bitsht conformance: Complete and Cancel, and files appearing only on Complete
 * (docs/contract.md). */
#include <string.h>

#include "checks.h"
#include "fixture_world.h"

static void transferred_file_is_absent_until_complete(void **state)
{
    struct bht_under_test *t = *state;
    char local[CONF_PATH_SIZE];

    conf_transfer_local(t, t->job, "hidden.bin", 1000);
    /* C37: the data lives in a temporary file until Complete */
    CHECK_U64(t, 0, conf_file_exists(t, conf_path(t, "hidden.bin", local)));
}

static void complete_transferred_job_acknowledges_it_and_creates_the_file(void **state)
{
    struct bht_under_test *t = *state;
    char local[CONF_PATH_SIZE];

    conf_transfer_local(t, t->job, "done.bin", 1000);
    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job)); /* C36 */
    CHECK_STATE(t, BHT_JOB_ACKNOWLEDGED, conf_state(t, t->job));
    CHECK_U64(t, 1000, conf_file_size(t, conf_path(t, "done.bin", local)));
}

static void completed_local_copy_has_the_source_bytes(void **state)
{
    struct bht_under_test *t = *state;
    char local[CONF_PATH_SIZE];

    conf_transfer_local(t, t->job, "bytes.bin", 5000);
    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job)); /* C36 */
    CHECK_U64(t, 1, conf_file_has_pattern(conf_path(t, "bytes.bin", local), 5000));
}

static void completed_http_download_has_the_server_size(void **state)
{
    struct bht_under_test *t = *state;
    char url[CONF_URL_SIZE], local[CONF_PATH_SIZE];

    conf_add(t, t->job, conf_url(t, CONF_HTTP_FILE_100000, url), "http.bin");
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job));
    CHECK_STATE(t, BHT_JOB_TRANSFERRED, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
    CHECK_U64(t, 0, conf_file_exists(t, conf_path(t, "http.bin", local))); /* C37 */
    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job)); /* C36 */
    CHECK_U64(t, 100000, conf_file_size(t, local));
}

static void complete_before_any_transfer_gives_bg_s_partial_complete(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE], local[CONF_PATH_SIZE];

    conf_make_file(t, conf_path(t, "never.src", src), 100);
    conf_add(t, t->job, src, "never.bin");
    CHECK_HR(t, BG_S_PARTIAL_COMPLETE, t->bits->complete(t->ctx, t->job)); /* C39 */
    CHECK_STATE(t, BHT_JOB_ACKNOWLEDGED, conf_state(t, t->job));
    CHECK_U64(t, 0, conf_file_exists(t, conf_path(t, "never.bin", local)));
}

static void complete_empty_job_gives_s_ok(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job)); /* C40 */
    CHECK_STATE(t, BHT_JOB_ACKNOWLEDGED, conf_state(t, t->job));
}

static void complete_after_error_keeps_finished_files_only(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE], url[CONF_URL_SIZE], local[CONF_PATH_SIZE];

    conf_make_file(t, conf_path(t, "good.src", src), 300);
    conf_add(t, t->job, src, "good.bin");
    conf_add(t, t->job, conf_url(t, CONF_HTTP_404, url), "bad.bin");
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job));
    CHECK_STATE(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
    CHECK_HR(t, BG_S_PARTIAL_COMPLETE, t->bits->complete(t->ctx, t->job)); /* C38 */
    CHECK_STATE(t, BHT_JOB_ACKNOWLEDGED, conf_state(t, t->job));
    CHECK_U64_DIV(t, 300, conf_file_size(t, conf_path(t, "good.bin", local)));
    CHECK_U64(t, 0, conf_file_exists(t, conf_path(t, "bad.bin", local)));
}

static void complete_replaces_an_existing_destination_file(void **state)
{
    struct bht_under_test *t = *state;
    char local[CONF_PATH_SIZE];

    conf_write_text(t, conf_path(t, "replace.bin", local), "old contents");
    conf_transfer_local(t, t->job, "replace.bin", 777);
    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job)); /* C43 */
    CHECK_U64(t, 777, conf_file_size(t, local));
}

static void complete_acknowledged_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    conf_transfer_local(t, t->job, "twice.bin", 10);
    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job));
    CHECK_HR(t, BG_E_INVALID_STATE, t->bits->complete(t->ctx, t->job)); /* C44 */
}

static void complete_cancelled_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    CHECK_HR(t, BG_E_INVALID_STATE, t->bits->complete(t->ctx, t->job)); /* C44 */
    CHECK_STATE_DIV(t, BHT_JOB_CANCELLED, conf_state(t, t->job)); /* 3.1: no exit */
}

static void cancel_empty_job_gives_s_ok_and_cancelled(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job)); /* C49 */
    CHECK_STATE(t, BHT_JOB_CANCELLED, conf_state(t, t->job));
}

static void cancel_job_with_files_gives_s_ok(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE];

    conf_make_file(t, conf_path(t, "c.src", src), 10);
    conf_add(t, t->job, src, "c.bin");
    CHECK_HR_DIV(t, S_OK, t->bits->cancel(t->ctx, t->job)); /* C46/C47 */
    CHECK_STATE(t, BHT_JOB_CANCELLED, conf_state(t, t->job));
}

static void cancel_transferred_job_never_creates_the_destination(void **state)
{
    struct bht_under_test *t = *state;
    char local[CONF_PATH_SIZE];
    bht_hr hr;

    conf_transfer_local(t, t->job, "gone.bin", 500);
    hr = t->bits->cancel(t->ctx, t->job);
    /* C46: temporary files deleted, destination never created. The HRESULT is C47's
     * business (cancel_job_with_files_gives_s_ok); here S_OK or the Wine variant. */
    if (hr != S_OK && hr != BG_S_UNABLE_TO_DELETE_FILES)
        CHECK_HR(t, S_OK, hr);
    CHECK_STATE(t, BHT_JOB_CANCELLED, conf_state(t, t->job));
    CHECK_U64(t, 0, conf_file_exists(t, conf_path(t, "gone.bin", local)));
}

static void cancel_keeps_a_preexisting_destination_file(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE], local[CONF_PATH_SIZE];

    conf_write_text(t, conf_path(t, "precious.bin", local), "precious");
    conf_make_file(t, conf_path(t, "p.src", src), 10);
    conf_add(t, t->job, src, "precious.bin");
    (void)t->bits->cancel(t->ctx, t->job);
    CHECK_U64_DIV(t, 8, conf_file_size(t, local)); /* C48 */
}

static void cancel_cancelled_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    CHECK_HR(t, BG_E_INVALID_STATE, t->bits->cancel(t->ctx, t->job)); /* C52 */
}

static void cancel_acknowledged_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job));
    CHECK_HR(t, BG_E_INVALID_STATE, t->bits->cancel(t->ctx, t->job)); /* C52 */
    CHECK_STATE(t, BHT_JOB_ACKNOWLEDGED, conf_state(t, t->job));
}

const struct conf_registered conf_checks_complete_cancel[] = {
    CONF_REGISTER(transferred_file_is_absent_until_complete),
    CONF_REGISTER(complete_transferred_job_acknowledges_it_and_creates_the_file),
    CONF_REGISTER(completed_local_copy_has_the_source_bytes),
    CONF_REGISTER(completed_http_download_has_the_server_size),
    CONF_REGISTER(complete_before_any_transfer_gives_bg_s_partial_complete),
    CONF_REGISTER(complete_empty_job_gives_s_ok),
    CONF_REGISTER(complete_after_error_keeps_finished_files_only),
    CONF_REGISTER(complete_replaces_an_existing_destination_file),
    CONF_REGISTER(complete_acknowledged_job_gives_bg_e_invalid_state),
    CONF_REGISTER(complete_cancelled_job_gives_bg_e_invalid_state),
    CONF_REGISTER(cancel_empty_job_gives_s_ok_and_cancelled),
    CONF_REGISTER(cancel_job_with_files_gives_s_ok),
    CONF_REGISTER(cancel_transferred_job_never_creates_the_destination),
    CONF_REGISTER(cancel_keeps_a_preexisting_destination_file),
    CONF_REGISTER(cancel_cancelled_job_gives_bg_e_invalid_state),
    CONF_REGISTER(cancel_acknowledged_job_gives_bg_e_invalid_state),
    CONF_END,
};
