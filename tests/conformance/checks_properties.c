/* bitsht conformance: notification flags and priority (docs/contract.md). */
#include "checks.h"

static uint32_t notify_flags(struct bht_under_test *t)
{
    uint32_t f = 0xDEADBEEFu; /* poison */

    CHECK_HR(t, S_OK, t->bits->get_notify_flags(t->ctx, t->job, &f));
    return f;
}

static void new_job_notify_flags_are_transferred_and_error(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_U64(t, BHT_NOTIFY_JOB_TRANSFERRED | BHT_NOTIFY_JOB_ERROR, notify_flags(t)); /* C74 */
}

static void set_notify_flags_round_trips_every_defined_bit_below_0x20(void **state)
{
    struct bht_under_test *t = *state;
    const uint32_t all = BHT_NOTIFY_JOB_TRANSFERRED | BHT_NOTIFY_JOB_ERROR | BHT_NOTIFY_DISABLE |
                         BHT_NOTIFY_JOB_MODIFICATION | BHT_NOTIFY_FILE_TRANSFERRED;

    CHECK_HR(t, S_OK, t->bits->set_notify_flags(t->ctx, t->job, all)); /* C75 */
    CHECK_U64(t, all, notify_flags(t));
}

static void set_notify_flags_single_flag_round_trips(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->set_notify_flags(t->ctx, t->job, BHT_NOTIFY_JOB_MODIFICATION));
    CHECK_U64(t, BHT_NOTIFY_JOB_MODIFICATION, notify_flags(t)); /* C75 */
}

static void set_notify_flags_file_ranges_transferred_is_s_ok(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR_DIV(t, S_OK, t->bits->set_notify_flags(t->ctx, t->job,
                                                    BHT_NOTIFY_FILE_RANGES_TRANSFERRED)); /* C75 */
}

static void set_notify_flags_undefined_bit_gives_e_notimpl(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, E_NOTIMPL, t->bits->set_notify_flags(t->ctx, t->job, 0x100)); /* C76 */
    CHECK_U64(t, BHT_NOTIFY_JOB_TRANSFERRED | BHT_NOTIFY_JOB_ERROR, notify_flags(t));
}

static void set_notify_flags_on_cancelled_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    CHECK_HR(t, BG_E_INVALID_STATE,
             t->bits->set_notify_flags(t->ctx, t->job, BHT_NOTIFY_JOB_TRANSFERRED)); /* C77 */
}

static void set_notify_flags_on_acknowledged_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job));
    CHECK_HR(t, BG_E_INVALID_STATE,
             t->bits->set_notify_flags(t->ctx, t->job, BHT_NOTIFY_JOB_TRANSFERRED)); /* C77 */
}

static void set_priority_accepts_each_defined_priority(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->set_priority(t->ctx, t->job, BHT_PRIORITY_FOREGROUND)); /* C83 */
    CHECK_HR(t, S_OK, t->bits->set_priority(t->ctx, t->job, BHT_PRIORITY_HIGH));
    CHECK_HR(t, S_OK, t->bits->set_priority(t->ctx, t->job, BHT_PRIORITY_NORMAL));
    CHECK_HR(t, S_OK, t->bits->set_priority(t->ctx, t->job, BHT_PRIORITY_LOW));
}

static void set_priority_out_of_range_gives_e_notimpl(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR_DIV(t, E_NOTIMPL, t->bits->set_priority(t->ctx, t->job,
                                                     (enum bht_priority)4)); /* C84 */
}

static void set_priority_on_cancelled_job_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;

    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    CHECK_HR_DIV(t, BG_E_INVALID_STATE,
                 t->bits->set_priority(t->ctx, t->job, BHT_PRIORITY_HIGH)); /* C84 */
}

const struct conf_registered conf_checks_properties[] = {
    CONF_REGISTER(new_job_notify_flags_are_transferred_and_error),
    CONF_REGISTER(set_notify_flags_round_trips_every_defined_bit_below_0x20),
    CONF_REGISTER(set_notify_flags_single_flag_round_trips),
    CONF_REGISTER(set_notify_flags_file_ranges_transferred_is_s_ok),
    CONF_REGISTER(set_notify_flags_undefined_bit_gives_e_notimpl),
    CONF_REGISTER(set_notify_flags_on_cancelled_job_gives_bg_e_invalid_state),
    CONF_REGISTER(set_notify_flags_on_acknowledged_job_gives_bg_e_invalid_state),
    CONF_REGISTER(set_priority_accepts_each_defined_priority),
    CONF_REGISTER(set_priority_out_of_range_gives_e_notimpl),
    CONF_REGISTER(set_priority_on_cancelled_job_gives_bg_e_invalid_state),
    CONF_END,
};
