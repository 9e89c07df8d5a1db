/* bitsht fake: job properties the ops expose — notify flags, priority, implicit
 * credentials (docs/contract.md C74-C77, C83-C84). */
#include "fake_support.h"

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup_job, fake_t_teardown)

/* C74 */
static void a_new_job_has_notify_flags_0x3(void **state)
{
    struct fake_t *t = *state;
    uint32_t f = 0xdeadbeef;

    assert_hr(S_OK, t->b->get_notify_flags(t->w, t->job, &f));
    assert_int_equal(f, 0x3);
}

/* C75 */
static void set_notify_flags_accepts_every_defined_combination(void **state)
{
    struct fake_t *t = *state;
    uint32_t f, got;

    for (f = 0; f <= 0x3F; f++) {
        assert_hr(S_OK, t->b->set_notify_flags(t->w, t->job, f));
        assert_hr(S_OK, t->b->get_notify_flags(t->w, t->job, &got));
        assert_int_equal(got, f);
    }
}

/* C76 */
static void set_notify_flags_with_an_undefined_bit_fails_with_e_notimpl(void **state)
{
    struct fake_t *t = *state;
    uint32_t got = 0;

    assert_hr(E_NOTIMPL, t->b->set_notify_flags(t->w, t->job, 0x100));
    assert_hr(S_OK, t->b->get_notify_flags(t->w, t->job, &got));
    assert_int_equal(got, 0x3);
}

/* C77 */
static void set_notify_flags_on_a_final_job_fails_with_bg_e_invalid_state(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->complete(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->set_notify_flags(t->w, t->job, 0x1));
}

/* C83 */
static void set_priority_accepts_0_to_3(void **state)
{
    struct fake_t *t = *state;
    int p;

    for (p = BHT_PRIORITY_FOREGROUND; p <= BHT_PRIORITY_LOW; p++)
        assert_hr(S_OK, t->b->set_priority(t->w, t->job, (enum bht_priority)p));
}

/* C84 */
static void set_priority_outside_0_to_3_fails_with_e_notimpl(void **state)
{
    struct fake_t *t = *state;

    assert_hr(E_NOTIMPL, t->b->set_priority(t->w, t->job, (enum bht_priority)4));
    assert_hr(E_NOTIMPL, t->b->set_priority(t->w, t->job, (enum bht_priority)-1));
}

/* C84 */
static void set_priority_on_a_final_job_fails_with_bg_e_invalid_state(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->set_priority(t->w, t->job, BHT_PRIORITY_HIGH));
}

/* §3.4 rule 4: like every setter, refused once the job is final */
static void set_implicit_credentials_on_a_final_job_fails_with_bg_e_invalid_state(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, t->b->set_implicit_credentials(t->w, t->job));
    assert_hr(S_OK, t->b->cancel(t->w, t->job));
    assert_hr(BG_E_INVALID_STATE, t->b->set_implicit_credentials(t->w, t->job));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(a_new_job_has_notify_flags_0x3),
        T(set_notify_flags_accepts_every_defined_combination),
        T(set_notify_flags_with_an_undefined_bit_fails_with_e_notimpl),
        T(set_notify_flags_on_a_final_job_fails_with_bg_e_invalid_state),
        T(set_priority_accepts_0_to_3),
        T(set_priority_outside_0_to_3_fails_with_e_notimpl),
        T(set_priority_on_a_final_job_fails_with_bg_e_invalid_state),
        T(set_implicit_credentials_on_a_final_job_fails_with_bg_e_invalid_state),
    };
    return cmocka_run_group_tests_name("fake_properties", tests, NULL, NULL);
}
