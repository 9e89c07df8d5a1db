/* bitsht conformance: Resume and Suspend in every state (docs/contract.md). */
#include <string.h>

#include "checks.h"
#include "fixture_world.h"

/* A job on the slow resource, in flight: CONNECTING or TRANSFERRING. (Measured on Wine
 * 8: after an earlier in-flight job was cancelled, the next HTTP job can stay CONNECTING
 * for its whole body and go straight to TRANSFERRED; both count as in flight here.) */
static enum bht_job_state start_slow_transfer(struct bht_under_test *t)
{
    char url[CONF_URL_SIZE];
    enum bht_job_state st;

    conf_add(t, t->job, conf_url(t, CONF_HTTP_SLOW, url), "slow.bin");
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job));
    st = conf_settle(t, t->job, CONF_SETTLE_MS, CONF_MOVING_MASK);
    if (!(CONF_MOVING_MASK & (1u << st)))
        fail_msg("the slow download is not in flight: %s", bht_job_state_name(st));
    return st;
}

static void resume_on_empty_job_fails_with_bg_e_empty(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, BG_E_EMPTY, t->bits->resume(t->ctx, t->job)); /* C27 */
    CHECK_STATE(t, BHT_JOB_SUSPENDED, conf_state(t, t->job));
}

static void resume_with_files_leaves_suspended(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE];
    enum bht_job_state st;

    conf_make_file(t, conf_path(t, "a.src", src), 100);
    conf_add(t, t->job, src, "a.bin");
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job)); /* C28 */
    st = conf_state(t, t->job);
    /* QUEUED at once; a real service may already have moved on. */
    if (st != BHT_JOB_QUEUED && st != BHT_JOB_CONNECTING && st != BHT_JOB_TRANSFERRING &&
        st != BHT_JOB_TRANSFERRED)
        fail_msg("state after Resume: %s", bht_job_state_name(st));
}

static void resumed_local_copy_reaches_transferred(void **state)
{
    struct bht_under_test *t = *state;

    conf_transfer_local(t, t->job, "copy.bin", 4096); /* C28: ... -> TRANSFERRED */
}

static void resume_on_inflight_job_is_s_ok_and_changes_nothing(void **state)
{
    struct bht_under_test *t = *state;
    enum bht_job_state st = start_slow_transfer(t);

    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job)); /* C29 */
    st = conf_state(t, t->job);
    if (st != BHT_JOB_TRANSFERRING && st != BHT_JOB_QUEUED && st != BHT_JOB_CONNECTING)
        fail_msg("state after a second Resume: %s", bht_job_state_name(st));
}

static void resume_after_error_requeues_and_fails_again(void **state)
{
    struct bht_under_test *t = *state;
    char url[CONF_URL_SIZE];

    conf_add(t, t->job, conf_url(t, CONF_HTTP_404, url), "missing.bin");
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job));
    CHECK_STATE(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job)); /* C30: retries the failed file */
    CHECK_STATE(t, BHT_JOB_ERROR, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
}

static void resume_transferred_job_without_new_files_keeps_it_transferred(void **state)
{
    struct bht_under_test *t = *state;

    conf_transfer_local(t, t->job, "done.bin", 100);
    CHECK_HR_DIV(t, S_OK, t->bits->resume(t->ctx, t->job)); /* C31 (question 2) */
    CHECK_STATE(t, BHT_JOB_TRANSFERRED, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
}

static void resume_after_adding_to_transferred_job_transfers_again(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE];
    struct bht_progress p;

    conf_transfer_local(t, t->job, "one.bin", 100);
    conf_make_file(t, conf_path(t, "two.src", src), 200);
    conf_add(t, t->job, src, "two.bin");
    CHECK_HR(t, S_OK, t->bits->resume(t->ctx, t->job)); /* C32 */
    CHECK_STATE(t, BHT_JOB_TRANSFERRED, conf_settle(t, t->job, CONF_SETTLE_MS, 0));
    memset(&p, 0x5A, sizeof(p));
    CHECK_HR(t, S_OK, t->bits->get_progress(t->ctx, t->job, &p));
    CHECK_U64(t, 2, p.files_total);
    CHECK_U64(t, 2, p.files_transferred);
}

static void resume_acknowledged_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    conf_transfer_local(t, t->job, "done.bin", 100);
    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job));
    CHECK_HR(t, BG_E_INVALID_STATE, t->bits->resume(t->ctx, t->job)); /* C33 */
    CHECK_STATE(t, BHT_JOB_ACKNOWLEDGED, conf_state(t, t->job));
}

static void resume_cancelled_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    CHECK_HR(t, BG_E_INVALID_STATE, t->bits->resume(t->ctx, t->job)); /* C33 */
    CHECK_STATE(t, BHT_JOB_CANCELLED, conf_state(t, t->job));
}

static void suspend_suspended_job_is_s_ok(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR_DIV(t, S_OK, t->bits->suspend(t->ctx, t->job)); /* C34: stays suspended */
    CHECK_STATE(t, BHT_JOB_SUSPENDED, conf_state(t, t->job));
}

static void suspend_inflight_job_suspends_it(void **state)
{
    struct bht_under_test *t = *state;

    (void)start_slow_transfer(t);
    CHECK_HR_DIV(t, S_OK, t->bits->suspend(t->ctx, t->job)); /* C34 */
    CHECK_STATE(t, BHT_JOB_SUSPENDED, conf_state(t, t->job));
}

static void suspend_cancelled_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    CHECK_HR_DIV(t, BG_E_INVALID_STATE, t->bits->suspend(t->ctx, t->job)); /* C35 */
}

static void suspend_acknowledged_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job)); /* C40: empty job */
    CHECK_HR_DIV(t, BG_E_INVALID_STATE, t->bits->suspend(t->ctx, t->job)); /* C35 */
}

static void get_state_of_each_final_state_is_stable(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job *other = conf_new_job(t, "acknowledged");

    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, other));
    /* C53 and 3.1: ACKNOWLEDGED and CANCELLED have no exit */
    CHECK_STATE(t, BHT_JOB_CANCELLED, conf_settle(t, t->job, 1000, 0));
    CHECK_STATE(t, BHT_JOB_ACKNOWLEDGED, conf_settle(t, other, 1000, 0));
}

const struct conf_registered conf_checks_states[] = {
    CONF_REGISTER(resume_on_empty_job_fails_with_bg_e_empty),
    CONF_REGISTER(resume_with_files_leaves_suspended),
    CONF_REGISTER(resumed_local_copy_reaches_transferred),
    CONF_REGISTER(resume_on_inflight_job_is_s_ok_and_changes_nothing),
    CONF_REGISTER(resume_after_error_requeues_and_fails_again),
    CONF_REGISTER(resume_transferred_job_without_new_files_keeps_it_transferred),
    CONF_REGISTER(resume_after_adding_to_transferred_job_transfers_again),
    CONF_REGISTER(resume_acknowledged_job_gives_bg_e_invalid_state),
    CONF_REGISTER(resume_cancelled_job_gives_bg_e_invalid_state),
    CONF_REGISTER(suspend_suspended_job_is_s_ok),
    CONF_REGISTER(suspend_inflight_job_suspends_it),
    CONF_REGISTER(suspend_cancelled_job_gives_bg_e_invalid_state),
    CONF_REGISTER(suspend_acknowledged_job_gives_bg_e_invalid_state),
    CONF_REGISTER(get_state_of_each_final_state_is_stable),
    CONF_END,
};
