/* bitsht: bht_run_transfer's own argument checks and the outcome/step names: no report ->
 * E_POINTER; no backend -> bad input (exit 2) with the password wiped; a backend missing
 * an op -> unavailable (exit 5), "the BITS backend is incomplete", password wiped, no job;
 * the return value is the report's HRESULT; exit codes and names for every outcome and
 * step, with their fallbacks just past the last. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core_fixture.h"

static void missing_report_backend_or_op(void **state)
{
    static const char *const remotes[] = {PUBLIC_URL};
    struct core_fixture *f = *state;
    struct bht_bits_ops incomplete = bht_fake_bits_ops;
    struct bht_backend be;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, remotes, 1, 0);
    assert_hr(E_POINTER, bht_run_transfer(&f->be, &f->req, NULL));
    assert_hr(E_POINTER, bht_run_transfer(NULL, &f->req, &f->rep));
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_BAD_INPUT);
    assert_int_equal(f->rep.failed_step, BHT_STEP_VALIDATE);
    assert_hr(E_POINTER, f->rep.hr);
    assert_int_equal(f->password[0], 0);
    assert_hr(E_POINTER, bht_run_transfer(&f->be, NULL, &f->rep));

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, remotes, 1, 0);
    incomplete.cancel = NULL;
    be = f->be;
    be.bits = &incomplete;
    assert_hr(E_INVALIDARG, bht_run_transfer(&be, &f->req, &f->rep));
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_UNAVAILABLE);
    assert_int_equal(f->rep.failed_step, BHT_STEP_VALIDATE);
    assert_hr(E_INVALIDARG, f->rep.hr);
    assert_string_equal(f->rep.detail, "the BITS backend is incomplete");
    assert_int_equal(f->password[0], 0);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CREATE_JOB), 0);
}

/* The return value is the report's HRESULT: S_OK, the failure's, or the interruption's. */
static void return_value_is_the_reports_hresult(void **state)
{
    static const char *const remotes[] = {PUBLIC_URL};
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, remotes, 1, 0);
    assert_hr(S_OK, bht_run_transfer(&f->be, &f->req, &f->rep));
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, remotes, 1, 0);
    bht_fake_fail(f->t->w, BHT_OP_RESUME, bht_fake_calls(f->t->w, BHT_OP_RESUME) + 1, E_FAIL,
                  BHT_FAULT_ONCE);
    assert_hr(E_FAIL, bht_run_transfer(&f->be, &f->req, &f->rep));
    assert_int_equal(f->rep.job_created, 1);
}

static void exit_codes_and_names_of_every_outcome_and_step(void **state)
{
    static const char *const outcomes[] = {"success", "transfer_failed", "bad_input",
                                           "token_failed", "timeout", "unavailable"};

    (void)state;
    for (int o = 0; o <= BHT_OUTCOME_UNAVAILABLE; o++) {
        assert_int_equal(bht_outcome_exit_code((enum bht_outcome)o), o);
        assert_string_equal(bht_outcome_name((enum bht_outcome)o), outcomes[o]);
    }
    assert_int_equal(bht_outcome_exit_code((enum bht_outcome)6), 1);
    assert_string_equal(bht_outcome_name((enum bht_outcome)6), "unknown");
    assert_string_equal(bht_step_name(BHT_STEP_NONE), "none");
    assert_string_equal(bht_step_name(BHT_STEP_CREATE_JOB), "create_job");
    assert_string_equal(bht_step_name(BHT_STEP_DONE), "done");
    assert_string_equal(bht_step_name((enum bht_step)(BHT_STEP_DONE + 1)), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(missing_report_backend_or_op, core_fixture_setup,
                                        core_fixture_teardown),
        cmocka_unit_test_setup_teardown(return_value_is_the_reports_hresult, core_fixture_setup,
                                        core_fixture_teardown),
        cmocka_unit_test(exit_codes_and_names_of_every_outcome_and_step),
    };
    return cmocka_run_group_tests_name("core entry point", tests, NULL, NULL);
}
