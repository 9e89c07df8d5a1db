/* bitsht tests: metered networks and C109 on the fake (fakes/fake_system.c holds a QUEUED
 * job), `transfer --allow-metered` in the core (helper_token_job.c), and the `system`
 * world lines' errors. */
#include <stdio.h>
#include <string.h>

#include "bitsht/system.h"
#include "core_fixture.h"

static const char *const public_remote[] = {PUBLIC_URL};

/* A plain transfer of the public file with a short deadline. */
static void transfer(struct core_fixture *f, const char *world, int allow_metered)
{
    core_fixture_world(f, world);
    core_fixture_request(f, 0, public_remote, 1, 0);
    f->req.timeout_s = 60;
    f->req.allow_metered = allow_metered;
    bht_run_transfer(&f->be, &f->req, &f->rep);
}

/* C117: a job whose cost flags exclude roaming waits in QUEUED */
static void roaming_network_holds_a_job_in_queued_until_the_deadline(void **state)
{
    struct core_fixture *f = *state;

    transfer(f, "system cost=roaming\n", 0);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TIMEOUT);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    assert_int_equal(f->rep.progress.bytes_transferred, 0);
    assert_int_equal(f->rep.cost_flags, 0);
    assert_true(fake_t_log_has(f->t, "cancel {"));
    assert_int_equal(fake_t_file_size(f->local[0]), -1);
    core_fixture_assert_clean(f);
}

/* C117: TRANSFER_ALWAYS (0x800000FF) moves it on a roaming network */
static void allow_metered_transfers_on_a_roaming_network(void **state)
{
    struct core_fixture *f = *state;

    transfer(f, "system cost=roaming\n", 1);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(f->rep.cost_flags, 1);
    assert_true(fake_t_log_has(f->t, "set_cost_flags {00000001-FA4E-4B17-9B17-0000B175B175} "
                                     "0x800000FF -> S_OK"));
    assert_int_equal(fake_t_file_size(f->local[0]), PUBLIC_SIZE);
    assert_true(fake_t_file_is_pattern(f->local[0], PUBLIC_SIZE));
    core_fixture_assert_clean(f);
}

/* C117: the fake's provisional default (BITS_COST_STATE_TRANSFER_UNRESTRICTED) holds on every
 * metered network; a world may give jobs another default. */
static void metered_and_unmetered_networks_against_the_default_flags(void **state)
{
    struct core_fixture *f = *state;

    transfer(f, "system cost=variable\n", 0);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TIMEOUT);
    transfer(f, "system cost=fixed\n", 0);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TIMEOUT);
    transfer(f, "system cost=unrestricted\n", 0);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    transfer(f, "system cost=unknown\n", 0); /* "unknown or unlimited": transfers */
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    transfer(f, "system cost=variable job-cost-flags=0x80000067\n", 0); /* STANDARD */
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    transfer(f, "system cost=roaming job-cost-flags=0x80000067\n", 0);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TIMEOUT);
}

/* C117: cost flags "take effect immediately" [D]: a held job goes once they allow the network */
static void set_cost_flags_releases_a_held_job(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_bits_ops *b;
    struct bht_job *job;
    char local[600];

    core_fixture_world(f, "system cost=roaming\n");
    b = f->t->b;
    job = f->t->job = fake_t_new_job(f->t); /* the teardown releases it */
    fake_t_add(f->t, PUBLIC_URL, "held.bin", local);
    assert_hr(S_OK, b->resume(f->t->w, job));
    bht_fake_advance(f->t->w, 3600u * 1000u);
    assert_state(BHT_JOB_QUEUED, fake_t_state(f->t, job));
    assert_hr(S_OK, b->set_cost_flags(f->t->w, job, BHT_BITS_COST_TRANSFER_ALWAYS));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(f->t, job));
    assert_hr(S_OK, b->complete(f->t->w, job));
    assert_int_equal(fake_t_file_size(local), PUBLIC_SIZE);
}

/* C117: 0 and final jobs refused (provisional codes); no Job5 on Wine gives E_NOINTERFACE */
static void set_cost_flags_refuses_zero_and_final_jobs_and_wine8_has_no_job5(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_bits_ops *b = f->t->b;
    struct bht_job *job = fake_t_new_job(f->t);

    assert_hr(E_INVALIDARG, b->set_cost_flags(f->t->w, job, 0));
    assert_hr(S_OK, b->cancel(f->t->w, job));
    assert_hr(BG_E_INVALID_STATE, b->set_cost_flags(f->t->w, job, BHT_BITS_COST_TRANSFER_ALWAYS));
    b->release(f->t->w, job);
    core_fixture_world(f, "option profile=wine8\n");
    job = fake_t_new_job(f->t);
    assert_hr(E_NOINTERFACE, b->set_cost_flags(f->t->w, job, BHT_BITS_COST_TRANSFER_ALWAYS));
    assert_hr(S_OK, b->cancel(f->t->w, job));
    b->release(f->t->w, job);
}

static unsigned warnings, cost_stages;

static void count_warnings(void *user, const struct bht_event *ev)
{
    (void)user;
    if (ev->kind == BHT_EVENT_COST_FLAGS_UNSUPPORTED)
        warnings++;
    if (ev->kind == BHT_EVENT_STAGE && ev->step == BHT_STEP_SET_COST_FLAGS)
        cost_stages++;
}

/* An --allow-metered transfer of the public file (the world set already) on a BITS that
 * cannot take cost flags: one warning, the stage shown, and the transfer goes through —
 * success, the job acknowledged, the bytes in place. */
static void expect_a_warning_and_the_transfer(struct core_fixture *f)
{
    core_fixture_request(f, 0, public_remote, 1, 0);
    f->req.allow_metered = 1;
    f->req.on_event = count_warnings;
    warnings = cost_stages = 0;
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_hr(S_OK, f->rep.hr);
    assert_int_equal(f->rep.final_state, BHT_JOB_ACKNOWLEDGED);
    assert_true(fake_t_file_is_pattern(f->local[0], PUBLIC_SIZE));
    assert_int_equal(f->rep.cost_flags, -1);
    assert_int_equal(warnings, 1);
    assert_int_equal(cost_stages, 1);
    core_fixture_assert_clean(f);
}

/* C117: a BITS without Job5: --allow-metered warns and the transfer goes on */
static void allow_metered_without_job5_warns_and_transfers(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_world(f, "option profile=wine8\nsystem cost=roaming\n");
    expect_a_warning_and_the_transfer(f);
}

/* The same when the backend's ops predate Job5 (version 1: no set_cost_flags to call, even
 * if the member is there), and when SetProperty answers E_NOTIMPL. */
static void allow_metered_without_cost_flags_support_warns_and_transfers(void **state)
{
    struct core_fixture *f = *state;
    struct bht_bits_ops v1;

    core_fixture_world(f, "system cost=unrestricted\n");
    v1 = *f->be.bits;
    v1.version = 1;
    f->be.bits = &v1;
    expect_a_warning_and_the_transfer(f);
    f->be.bits = &bht_fake_bits_ops;
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_COST_FLAGS), 0);

    core_fixture_world(f, "fault set_cost_flags call=1 hr=0x80004001\n"); /* E_NOTIMPL */
    expect_a_warning_and_the_transfer(f);
}

static void cost_flags_failure_fails_the_transfer_at_its_step(void **state)
{
    struct core_fixture *f = *state;

    transfer(f, "fault set_cost_flags call=1 hr=0x80070005\n", 1);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_SET_COST_FLAGS);
    assert_hr(E_ACCESSDENIED, f->rep.hr);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    core_fixture_assert_clean(f);
}

/* C109: an ordinary account in a batch/service/network logon gets no progress */
static void c109_batch_session_holds_the_job_and_system_does_not(void **state)
{
    struct core_fixture *f = *state;

    transfer(f, "system session=batch\n", 1);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TIMEOUT);
    assert_int_equal(f->rep.progress.bytes_transferred, 0);
    transfer(f, "system session=system\n", 0);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    transfer(f, "option profile=wine8\nsystem session=service\n", 0); /* §5 item 16 */
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
}

static void system_lines_are_checked(void **state)
{
    static const struct {
        const char *text;
        const char *err;
    } cases[] = {
        {"system\n", "t.world:1: system: expected key=value ..."},
        {"system colour=blue\n", "t.world:1: system: unknown key 'colour'"},
        {"system cost=cheap\n", "t.world:1: system: cost takes unrestricted, fixed, variable, "
                                "approaching-limit, over-limit, roaming or unknown, not 'cheap'"},
        {"system cost=fixed\nsystem cost=variable\n", "t.world:2: system: duplicate key 'cost'"},
        {"system session\n", "t.world:1: system: expected key=value, got 'session'"},
        {"system job-cost-flags=255\n", "t.world:1: system: job-cost-flags takes 0xHEX "
                                        "(BITS_COST_STATE_* bits), not '255'"},
        {"system bits-version=10\n", "t.world:1: system: bits-version takes MAJOR.MINOR or "
                                     "unknown, not '10'"},
        {"system policy-max-jobs-per-user=-1\n", "t.world:1: system: policy-max-jobs-per-user "
                                                 "takes a count or unknown, not '-1'"},
        {"system proxy=named:\n", "t.world:1: system: proxy takes direct, named:HOST:PORT, "
                                  "auto, auto:URL or unknown, not 'named:'"},
    };
    struct core_fixture *f = *state;
    char err[256];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct bht_fake_world *w = bht_fake_world_new();
        struct bht_backend be;
        uint32_t cost = 0;

        assert_hr(E_INVALIDARG, bht_fake_world_parse(w, cases[i].text, "t.world", err, sizeof err));
        assert_string_equal(err, cases[i].err);
        /* a failed parse leaves the world as it was */
        bht_fake_backend(w, &be);
        assert_hr(S_OK, be.system->network_cost(w, &cost));
        assert_int_equal(cost, BHT_COST_UNRESTRICTED);
        bht_fake_world_free(w);
    }
    (void)f;
}

static void policy_lines_set_the_limits_bits_enforces(void **state)
{
    struct core_fixture *f = *state;
    struct bht_job *a, *b2;

    core_fixture_world(f, "system policy-max-jobs-per-user=1\n");
    assert_hr(S_OK, f->be.bits->create_job(f->t->w, "bitsht:a", &a));
    assert_hr(BG_E_TOO_MANY_JOBS_PER_USER, f->be.bits->create_job(f->t->w, "bitsht:b", &b2));
    assert_hr(S_OK, f->be.bits->cancel(f->t->w, a));
    f->be.bits->release(f->t->w, a);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, core_fixture_setup, core_fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(roaming_network_holds_a_job_in_queued_until_the_deadline),
        T(allow_metered_transfers_on_a_roaming_network),
        T(metered_and_unmetered_networks_against_the_default_flags),
        T(set_cost_flags_releases_a_held_job),
        T(set_cost_flags_refuses_zero_and_final_jobs_and_wine8_has_no_job5),
        T(allow_metered_without_job5_warns_and_transfers),
        T(cost_flags_failure_fails_the_transfer_at_its_step),
        T(allow_metered_without_cost_flags_support_warns_and_transfers),
        T(c109_batch_session_holds_the_job_and_system_does_not),
        T(system_lines_are_checked),
        T(policy_lines_set_the_limits_bits_enforces),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
