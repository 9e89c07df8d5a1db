/* bitsht conformance: the checks that can leave a real service unsettled, run last on
 * purpose (main.c). Both measured on Wine 8.0 through the COM backend:
 *  - NULL string arguments (C03, C19): the proxy answers 0x800706F4 as documented, but
 *    after that RPC exception a later longjmp out of a check (a cmocka failure or skip;
 *    MinGW's x64 longjmp unwinds through SEH) hung the process;
 *  - Cancel in flight (C50): the BITS service can crash seconds later (RPC_S_CALL_FAILED,
 *    0x800706BE, for every later call).
 * Ordering them after every other check keeps these Wine quirks from hiding the rest. */
#include <string.h>

#include "checks.h"
#include "fixture_world.h"

static void create_job_with_null_name_is_refused_by_the_proxy(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job *job = NULL;

    CHECK_HR(t, BHT_E_RPC_NULL_REF_POINTER, t->bits->create_job(t->ctx, NULL, &job)); /* C03 */
    assert_null(job);
}

static void add_file_null_remote_is_refused_by_the_proxy(void **state)
{
    struct bht_under_test *t = *state;
    char local[CONF_PATH_SIZE];

    CHECK_HR(t, BHT_E_RPC_NULL_REF_POINTER,
             t->bits->add_file(t->ctx, t->job, NULL, conf_path(t, "null.bin", local))); /* C19 */
}

static void add_file_null_local_is_refused_by_the_proxy(void **state)
{
    struct bht_under_test *t = *state;
    char url[CONF_URL_SIZE];

    /* C19 */
    CHECK_HR(t, BHT_E_RPC_NULL_REF_POINTER,
             t->bits->add_file(t->ctx, t->job, conf_url(t, CONF_HTTP_FILE_1000, url), NULL));
}

static void cancel_inflight_job_stops_it(void **state)
{
    struct bht_under_test *t = *state;
    char url[CONF_URL_SIZE], local[CONF_PATH_SIZE];
    enum bht_job_state st;
    bht_hr hr;

    conf_add(t, t->job, conf_url(t, CONF_HTTP_SLOW, url), "slow.bin");
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job));
    st = conf_settle(t, t->job, CONF_SETTLE_MS, CONF_MOVING_MASK);
    if (!(CONF_MOVING_MASK & (1u << st)))
        fail_msg("the slow download is not in flight: %s", bht_job_state_name(st));
    hr = t->bits->cancel(t->ctx, t->job); /* C50 */
    if (hr != S_OK && hr != BG_S_UNABLE_TO_DELETE_FILES)
        CHECK_HR(t, S_OK, hr);
    CHECK_STATE(t, BHT_JOB_CANCELLED, conf_state(t, t->job));
    CHECK_U64(t, 0, conf_file_exists(t, conf_path(t, "slow.bin", local)));
}

const struct conf_registered conf_checks_last[] = {
    CONF_REGISTER(create_job_with_null_name_is_refused_by_the_proxy),
    CONF_REGISTER(add_file_null_remote_is_refused_by_the_proxy),
    CONF_REGISTER(add_file_null_local_is_refused_by_the_proxy),
    CONF_REGISTER(cancel_inflight_job_stops_it), /* the very last: see above */
    CONF_END,
};
