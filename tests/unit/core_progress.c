/* bitsht: what the flow reports while it waits (docs/design.md step 5): periodic progress
 * events only when an interval is asked for, one TRANSIENT event per transient error with
 * BITS's error (or none when BITS gives none), the exact counters in the final report, and
 * E_FAIL as the cause when the transient limit is hit without an error object. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core_fixture.h"

struct counter {
    unsigned progress, transient, transient_with_error;
    uint64_t last_bytes;
    int bytes_went_down;
};

static void count_event(void *user, const struct bht_event *ev)
{
    struct counter *c = user;

    if (ev->kind == BHT_EVENT_PROGRESS) {
        c->progress++;
        if (ev->progress.bytes_transferred < c->last_bytes)
            c->bytes_went_down = 1;
        c->last_bytes = ev->progress.bytes_transferred;
    }
    if (ev->kind == BHT_EVENT_TRANSIENT) {
        c->transient++;
        if (ev->error && ev->error->code != S_OK)
            c->transient_with_error++;
    }
}

static void progress_events_only_with_an_interval(void **state)
{
    static const char *const slow[] = {"https://files.corp.example/q3.pdf"}; /* 16 s */
    struct core_fixture *f = *state;
    struct counter c = {0};

    core_fixture_request(f, BHT_TOKEN_NETWORK, slow, 1, 0);
    f->req.on_event = count_event;
    f->req.event_user = &c;
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(c.progress, 0);
    /* The report's counters are the job's at the end, exactly. */
    assert_int_equal(f->rep.progress.files_total, 1);
    assert_int_equal(f->rep.progress.files_transferred, 1);
    assert_int_equal(f->rep.progress.bytes_total, 1048576);
    assert_int_equal(f->rep.progress.bytes_transferred, 1048576);
    assert_false(f->rep.has_bits_error);

    core_fixture_world(f, NULL);
    core_fixture_request(f, BHT_TOKEN_NETWORK, slow, 1, 0);
    memset(&c, 0, sizeof c);
    f->req.on_event = count_event;
    f->req.event_user = &c;
    f->req.progress_interval_ms = 1000;
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_true(c.progress >= 10); /* 16 s of transfer, one event a second */
    assert_false(c.bytes_went_down);
    assert_true(c.last_bytes > 0);
}

static void one_transient_event_per_transient_error(void **state)
{
    static const char *const big[] = {"https://cdn.example/big.iso"}; /* 3 transient errors */
    struct core_fixture *f = *state;
    struct counter c = {0};

    core_fixture_request(f, 0, big, 1, 0);
    f->req.timeout_s = 0;
    f->req.on_event = count_event;
    f->req.event_user = &c;
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(c.transient, 3);
    assert_int_equal(c.transient_with_error, 3);
    assert_int_equal(f->rep.transient_errors, 3);
}

/* The limit hit while BITS gives no error object: the cause is E_FAIL, no BITS error. */
static void transient_limit_without_an_error_object_is_e_fail(void **state)
{
    static const char *const big[] = {"https://cdn.example/big.iso"};
    struct core_fixture *f = *state;
    struct counter c = {0};

    core_fixture_request(f, 0, big, 1, 0);
    f->req.timeout_s = 0;
    f->req.max_transient = 0;
    f->req.on_event = count_event;
    f->req.event_user = &c;
    bht_fake_fail(f->t->w, BHT_OP_GET_ERROR, 1, BG_E_ERROR_INFORMATION_UNAVAILABLE,
                  BHT_FAULT_PERSISTENT);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.failed_step, BHT_STEP_TRANSFER);
    assert_hr(E_FAIL, f->rep.hr);
    assert_false(f->rep.has_bits_error);
    assert_int_equal(c.transient, 1);
    assert_int_equal(c.transient_with_error, 0);
    assert_string_equal(f->rep.detail, "gave up after 1 transient errors (--max-transient 0)");
    core_fixture_assert_clean(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(progress_events_only_with_an_interval,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(one_transient_event_per_transient_error,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(transient_limit_without_an_error_object_is_e_fail,
                                        core_fixture_setup, core_fixture_teardown),
    };
    return cmocka_run_group_tests_name("core progress", tests, NULL, NULL);
}
