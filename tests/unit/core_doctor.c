/* bitsht tests: `bitsht doctor`'s checks on the fake (src/core/doctor.c and
 * doctor_verdicts.c). One world per fail and warn; each test names the row it pins. */
#include <stdio.h>
#include <string.h>

#include "bitsht/doctor.h"
#include "core_fixture.h"

struct doctor_t {
    struct core_fixture *f;
    struct bht_doctor_request req;
    struct bht_doctor_report rep;
    char password[64];
};

static struct doctor_t dt;

/* Runs the doctor on the standard world plus extra lines; user NULL: no helper checks. */
static const struct bht_doctor_report *run(struct core_fixture *f, const char *extra,
                                           const char *user, const char *password,
                                           enum bht_logon_type type, uint32_t flags)
{
    core_fixture_world(f, extra);
    memset(&dt, 0, sizeof dt);
    dt.f = f;
    dt.req.bits_open_hr = S_OK;
    if (user) {
        snprintf(dt.password, sizeof dt.password, "%s", password);
        dt.req.with_helper = 1;
        dt.req.domain = "CORP";
        dt.req.user = user;
        dt.req.user_arg = user;
        dt.req.password = dt.password;
        dt.req.logon_type = type;
        dt.req.token_flags = flags;
    }
    assert_hr(S_OK, bht_run_doctor(&f->be, &dt.req, &dt.rep));
    return &dt.rep;
}

static const struct bht_check *check(const struct bht_doctor_report *rep, enum bht_check_id id)
{
    for (size_t i = 0; i < rep->count; i++)
        if (rep->checks[i].id == id)
            return &rep->checks[i];
    fail_msg("check %s did not run", bht_check_id_name(id));
    return NULL;
}

#define assert_check(rep, id, want)                                                          \
    do {                                                                                      \
        const struct bht_check *c_ = check((rep), (id));                                     \
        if (c_->status != (want))                                                             \
            fail_msg("%s: %s (%s), want %s", bht_check_id_name(id),                          \
                     bht_check_status_name(c_->status), c_->reason,                          \
                     bht_check_status_name(want));                                            \
    } while (0)

/* No job of ours is left in a non-final state, no token open, not impersonating. */
static void assert_nothing_left(struct core_fixture *f)
{
    unsigned live = 0;

    for (int st = 0; st <= BHT_JOB_TRANSFERRED; st++)
        live += bht_fake_jobs_in_state(f->t->w, (enum bht_job_state)st);
    assert_int_equal(live, 0);
    assert_int_equal(bht_fake_open_tokens(f->t->w), 0);
    assert_int_equal(bht_fake_impersonation_depth(f->t->w), 0);
}

static void healthy_world_passes_every_check_and_leaves_no_job(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_doctor_report *rep = run(f, NULL, NULL, NULL, 0, 0);

    assert_int_equal(rep->count, 7);
    for (size_t i = 0; i < rep->count; i++)
        if (rep->checks[i].status != BHT_CHECK_PASS)
            fail_msg("%s: %s", bht_check_id_name(rep->checks[i].id), rep->checks[i].reason);
    assert_int_equal(bht_doctor_exit_code(rep), 0);
    /* the throw-away job was created and cancelled at once (C87 probe) */
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CREATE_JOB), 1);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CANCEL), 1);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_ADD_FILE), 0);
    assert_nothing_left(f);
}

static void disabled_service_fails_with_0x80070422_in_the_reason(void **state)
{
    const struct bht_doctor_report *rep = run(*state, "system start=disabled service=stopped\n",
                                              NULL, NULL, 0, 0);

    assert_check(rep, BHT_CHECK_SERVICE, BHT_CHECK_FAIL);
    assert_non_null(strstr(check(rep, BHT_CHECK_SERVICE)->reason, "0x80070422"));
    assert_int_equal(bht_doctor_exit_code(rep), 1);
    /* the fake's BITS is disabled too: the probe job is refused, the queue unreadable */
    assert_check(rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL);
    assert_hr(BHT_E_SERVICE_DISABLED, check(rep, BHT_CHECK_TOKEN_SUPPORT)->hr);
    assert_check(rep, BHT_CHECK_JOB_LIMITS, BHT_CHECK_UNKNOWN);
}

static void missing_service_fails(void **state)
{
    const struct bht_doctor_report *rep = run(*state, "system service=absent\n", NULL, NULL, 0,
                                              0);
    assert_check(rep, BHT_CHECK_SERVICE, BHT_CHECK_FAIL);
    assert_hr(REGDB_E_CLASSNOTREG, check(rep, BHT_CHECK_TOKEN_SUPPORT)->hr);
}

static void stopped_demand_service_passes_and_paused_warns(void **state)
{
    assert_check(run(*state, "system service=stopped start=demand\n", NULL, NULL, 0, 0),
                 BHT_CHECK_SERVICE, BHT_CHECK_PASS);
    assert_check(run(*state, "system service=paused\n", NULL, NULL, 0, 0), BHT_CHECK_SERVICE,
                 BHT_CHECK_WARN);
    assert_check(run(*state, "system service=unknown start=unknown\n", NULL, NULL, 0, 0),
                 BHT_CHECK_SERVICE, BHT_CHECK_UNKNOWN);
}

/* C109: a batch, service or network logon of an ordinary account gets no progress */
static void non_interactive_sessions_fail_c109(void **state)
{
    static const char *const worlds[] = {"system session=batch\n", "system session=service\n",
                                         "system session=network\n"};

    for (size_t i = 0; i < 3; i++) {
        const struct bht_doctor_report *rep = run(*state, worlds[i], NULL, NULL, 0, 0);
        const struct bht_check *c = check(rep, BHT_CHECK_SESSION);

        assert_check(rep, BHT_CHECK_SESSION, BHT_CHECK_FAIL);
        assert_non_null(strstr(c->reason, "C109"));
        assert_non_null(strstr(c->fix, "SYSTEM"));
        assert_int_equal(bht_doctor_exit_code(rep), 1);
    }
}

static void system_account_passes_new_credentials_warns_unknown_stays_unknown(void **state)
{
    assert_check(run(*state, "system session=system\n", NULL, NULL, 0, 0), BHT_CHECK_SESSION,
                 BHT_CHECK_PASS);
    assert_check(run(*state, "system session=new-credentials\n", NULL, NULL, 0, 0),
                 BHT_CHECK_SESSION, BHT_CHECK_WARN);
    assert_check(run(*state, "system session=unknown\n", NULL, NULL, 0, 0), BHT_CHECK_SESSION,
                 BHT_CHECK_UNKNOWN);
}

static void old_bits_versions_fail_or_warn(void **state)
{
    assert_check(run(*state, "system bits-version=3.0\n", NULL, NULL, 0, 0), BHT_CHECK_VERSION,
                 BHT_CHECK_FAIL);
    assert_check(run(*state, "system bits-version=4.0\n", NULL, NULL, 0, 0), BHT_CHECK_VERSION,
                 BHT_CHECK_WARN);
    assert_check(run(*state, "system bits-version=unknown\n", NULL, NULL, 0, 0),
                 BHT_CHECK_VERSION, BHT_CHECK_UNKNOWN);
}

/* C87 (wine8 profile): no IBitsTokenOptions; the probe is still cancelled */
static void missing_token_options_fail_with_e_nointerface(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_doctor_report *rep = run(f, "option profile=wine8\n", NULL, NULL, 0, 0);
    const struct bht_check *c = check(rep, BHT_CHECK_TOKEN_SUPPORT);

    assert_check(rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL);
    assert_hr(E_NOINTERFACE, c->hr);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CANCEL), 1);
    assert_int_equal(rep->probe_left_in_queue, 0);
}

static void probe_job_that_cannot_be_cancelled_is_reported(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_doctor_report *rep =
        run(f, "fault cancel call=1 hr=0x80004005 persistent\n", NULL, NULL, 0, 0);
    const struct bht_check *c = check(rep, BHT_CHECK_TOKEN_SUPPORT);

    assert_check(rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL);
    assert_hr(E_FAIL, c->hr);
    assert_int_equal(rep->probe_left_in_queue, 1);
    assert_string_equal(rep->probe_job_id, "{00000001-FA4E-4B17-9B17-0000B175B175}");
    assert_non_null(strstr(c->fix, "bitsht cleanup"));
}

static void add_jobs(struct core_fixture *f, int n)
{
    for (int i = 0; i < n; i++) {
        struct bht_job *job = NULL;
        assert_hr(S_OK, f->be.bits->create_job(f->be.bits_ctx, "bitsht:left", &job));
        f->be.bits->release(f->be.bits_ctx, job);
    }
}

/* C05: the per-user limit, lowered by policy (MaxJobsPerUser) */
static void jobs_at_the_policy_limit_fail_and_near_it_warn(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_doctor_report *rep;
    const char *world = "system policy-max-jobs-per-user=4\n";

    core_fixture_world(f, world);
    rep = run(f, world, NULL, NULL, 0, 0);
    assert_check(rep, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS);
    /* run() rebuilds the world: add the jobs to the one it made, then ask again */
    add_jobs(f, 3);
    assert_hr(S_OK, bht_run_doctor(&f->be, &dt.req, &dt.rep));
    assert_check(&dt.rep, BHT_CHECK_JOB_LIMITS, BHT_CHECK_WARN);
    assert_non_null(strstr(check(&dt.rep, BHT_CHECK_JOB_LIMITS)->reason,
                           "3 job(s) of this user (3 of bitsht's)"));
    add_jobs(f, 1);
    assert_hr(S_OK, bht_run_doctor(&f->be, &dt.req, &dt.rep));
    assert_check(&dt.rep, BHT_CHECK_JOB_LIMITS, BHT_CHECK_FAIL);
    assert_non_null(strstr(check(&dt.rep, BHT_CHECK_JOB_LIMITS)->reason,
                           "4 per user (MaxJobsPerUser policy)"));
    /* the probe itself is refused at the limit: BG_E_TOO_MANY_JOBS_PER_USER */
    assert_hr(BG_E_TOO_MANY_JOBS_PER_USER, check(&dt.rep, BHT_CHECK_TOKEN_SUPPORT)->hr);
}

/* C116: administrators are exempt; they also see the machine's jobs */
static void admin_owner_is_exempt_and_sees_the_machine(void **state)
{
    const struct bht_doctor_report *rep =
        run(*state, "option owner=CORP\\root\nsystem policy-max-jobs-per-user=0\n", NULL, NULL,
            0, 0);

    assert_check(rep, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS);
    assert_non_null(strstr(check(rep, BHT_CHECK_JOB_LIMITS)->reason, "machine: 0;"));
    assert_non_null(strstr(check(rep, BHT_CHECK_JOB_LIMITS)->reason, "exempt (C116)"));
}

/* C06, through the verdict alone: no fake owner both counts and sees the machine */
static void machine_limit_verdicts(void **state)
{
    struct bht_bits_policy none = {BHT_POLICY_NOT_SET, BHT_POLICY_NOT_SET};
    struct bht_bits_policy unknown = {BHT_POLICY_UNKNOWN, BHT_POLICY_NOT_SET};
    struct bht_check c;

    (void)state;
    bht_verdict_job_limits(&none, BHT_TRI_NO, 1, 0, 300, &c);
    assert_int_equal(c.status, BHT_CHECK_FAIL);
    assert_non_null(strstr(c.reason, "BG_E_TOO_MANY_JOBS_PER_MACHINE"));
    bht_verdict_job_limits(&none, BHT_TRI_NO, 1, 0, 225, &c);
    assert_int_equal(c.status, BHT_CHECK_WARN);
    bht_verdict_job_limits(&none, BHT_TRI_NO, 1, 0, 224, &c);
    assert_int_equal(c.status, BHT_CHECK_PASS);
    bht_verdict_job_limits(&none, BHT_TRI_NO, 44, 0, -1, &c);
    assert_int_equal(c.status, BHT_CHECK_PASS);
    bht_verdict_job_limits(&none, BHT_TRI_NO, 45, 0, -1, &c);
    assert_int_equal(c.status, BHT_CHECK_WARN);
    bht_verdict_job_limits(&unknown, BHT_TRI_NO, 1, 0, -1, &c);
    assert_int_equal(c.status, BHT_CHECK_UNKNOWN);
    bht_verdict_job_limits(&none, BHT_TRI_NO, -1, 0, -1, &c);
    assert_int_equal(c.status, BHT_CHECK_UNKNOWN);
}

static void metered_networks_warn_and_unknown_cost_is_unknown(void **state)
{
    static const char *const warn_worlds[] = {"system cost=roaming\n", "system cost=variable\n",
                                              "system cost=fixed\n", "system cost=over-limit\n"};
    const struct bht_doctor_report *rep;

    for (size_t i = 0; i < 4; i++) {
        rep = run(*state, warn_worlds[i], NULL, NULL, 0, 0);
        assert_check(rep, BHT_CHECK_NETWORK_COST, BHT_CHECK_WARN);
        assert_non_null(strstr(check(rep, BHT_CHECK_NETWORK_COST)->fix, "--allow-metered"));
        assert_int_equal(bht_doctor_exit_code(rep), 0);
    }
    rep = run(*state, "system cost=unknown\n", NULL, NULL, 0, 0);
    assert_check(rep, BHT_CHECK_NETWORK_COST, BHT_CHECK_UNKNOWN);
    /* wine8: no Job5, the fix says --allow-metered cannot help */
    rep = run(*state, "option profile=wine8\nsystem cost=roaming\n", NULL, NULL, 0, 0);
    assert_non_null(strstr(check(rep, BHT_CHECK_NETWORK_COST)->fix, "cannot set job cost flags"));
}

/* C114: a proxy may ask for credentials only a network helper answers */
static void proxies_warn_and_unknown_proxy_is_unknown(void **state)
{
    const struct bht_doctor_report *rep =
        run(*state, "system proxy=named:proxy.corp.example:8080\n", NULL, NULL, 0, 0);

    assert_check(rep, BHT_CHECK_PROXY, BHT_CHECK_WARN);
    assert_non_null(strstr(check(rep, BHT_CHECK_PROXY)->reason, "proxy.corp.example:8080"));
    assert_non_null(strstr(check(rep, BHT_CHECK_PROXY)->fix, "--token-flags network"));
    assert_check(run(*state, "system proxy=auto:http://wpad/wpad.dat\n", NULL, NULL, 0, 0),
                 BHT_CHECK_PROXY, BHT_CHECK_WARN);
    assert_check(run(*state, "system machine-proxy=named:p:3128\n", NULL, NULL, 0, 0),
                 BHT_CHECK_PROXY, BHT_CHECK_WARN);
    assert_check(run(*state, "system proxy=unknown\n", NULL, NULL, 0, 0), BHT_CHECK_PROXY,
                 BHT_CHECK_UNKNOWN);
}

/* C104: the helper's logon, with the HRESULT */
static void helper_logon_failures_fail_with_their_hresult(void **state)
{
    const struct bht_doctor_report *rep =
        run(*state, NULL, "alice", "wrong", BHT_LOGON_INTERACTIVE, BHT_TOKEN_LOCAL_FILE);

    assert_check(rep, BHT_CHECK_HELPER_LOGON, BHT_CHECK_FAIL);
    assert_hr(BHT_E_LOGON_FAILURE, check(rep, BHT_CHECK_HELPER_LOGON)->hr);
    assert_check(rep, BHT_CHECK_HELPER_RULE, BHT_CHECK_UNKNOWN);
    assert_int_equal(dt.password[0], 0); /* wiped even when the logon fails */
    rep = run(*state, NULL, "carol", "pw", BHT_LOGON_INTERACTIVE, BHT_TOKEN_LOCAL_FILE);
    assert_hr(BHT_E_LOGON_TYPE_NOT_GRANTED, check(rep, BHT_CHECK_HELPER_LOGON)->hr);
    assert_non_null(strstr(check(rep, BHT_CHECK_HELPER_LOGON)->fix, "--logon-type"));
}

/* C113: a network logon cannot carry a NETWORK helper */
static void network_logon_with_network_flag_warns_c113(void **state)
{
    const struct bht_doctor_report *rep =
        run(*state, NULL, "alice", ALICE_PASSWORD, BHT_LOGON_NETWORK, BHT_TOKEN_NETWORK);

    assert_check(rep, BHT_CHECK_HELPER_LOGON, BHT_CHECK_WARN);
    assert_check(rep, BHT_CHECK_HELPER_RULE, BHT_CHECK_PASS);
}

static void good_helper_passes_both_helper_checks_and_transfers_nothing(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_doctor_report *rep =
        run(f, NULL, "alice", ALICE_PASSWORD, BHT_LOGON_INTERACTIVE, BHT_TOKEN_LOCAL_FILE);

    assert_int_equal(rep->count, 9);
    assert_check(rep, BHT_CHECK_HELPER_LOGON, BHT_CHECK_PASS);
    assert_check(rep, BHT_CHECK_HELPER_RULE, BHT_CHECK_PASS);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_HELPER_TOKEN), 1);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_ADD_FILE), 0);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_RESUME), 0);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CANCEL), 2);
    assert_int_equal(dt.password[0], 0);
    assert_nothing_left(f);
}

/* The password is wiped right after the logon, before anything else happens with the
 * token: the next identity call (impersonate) sees an all-zero buffer. */
static int password_bytes_at_impersonate = -1;

static bht_hr impersonate_checking_the_password(void *ctx, struct bht_token *token)
{
    password_bytes_at_impersonate = 0;
    for (size_t i = 0; i < sizeof dt.password; i++)
        password_bytes_at_impersonate += dt.password[i] != 0;
    return bht_fake_identity_ops.impersonate(ctx, token);
}

static void password_is_wiped_before_the_token_is_used(void **state)
{
    struct core_fixture *f = *state;
    struct bht_identity_ops spy = bht_fake_identity_ops;

    core_fixture_world(f, NULL);
    spy.impersonate = impersonate_checking_the_password;
    f->be.identity = &spy;
    memset(&dt, 0, sizeof dt);
    snprintf(dt.password, sizeof dt.password, "%s", ALICE_PASSWORD);
    dt.req.with_helper = 1;
    dt.req.domain = "CORP";
    dt.req.user = dt.req.user_arg = "alice";
    dt.req.password = dt.password;
    dt.req.logon_type = BHT_LOGON_INTERACTIVE;
    dt.req.token_flags = BHT_TOKEN_LOCAL_FILE;
    password_bytes_at_impersonate = -1;
    bht_run_doctor(&f->be, &dt.req, &dt.rep);
    assert_check(&dt.rep, BHT_CHECK_HELPER_RULE, BHT_CHECK_PASS);
    assert_int_equal(password_bytes_at_impersonate, 0);
}

/* C92: an administrator helper for a non-administrator owner (1607 and later) */
static void admin_helper_for_a_non_admin_owner_fails_c92(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_doctor_report *rep =
        run(f, NULL, "root", "toor", BHT_LOGON_INTERACTIVE, BHT_TOKEN_LOCAL_FILE);

    assert_check(rep, BHT_CHECK_HELPER_LOGON, BHT_CHECK_PASS);
    assert_check(rep, BHT_CHECK_HELPER_RULE, BHT_CHECK_FAIL);
    assert_hr(E_ACCESSDENIED, check(rep, BHT_CHECK_HELPER_RULE)->hr);
    assert_non_null(strstr(check(rep, BHT_CHECK_HELPER_RULE)->reason, "C92"));
    assert_int_equal(bht_doctor_exit_code(rep), 1);
    assert_nothing_left(f);
}

/* C91: before 1607 only an administrator owner may set any helper token */
static void legacy_rule_refuses_a_non_admin_owner_c91(void **state)
{
    const struct bht_doctor_report *rep = run(*state, "option admin-rule=legacy\n", "alice",
                                              ALICE_PASSWORD, BHT_LOGON_INTERACTIVE,
                                              BHT_TOKEN_LOCAL_FILE);

    assert_check(rep, BHT_CHECK_HELPER_RULE, BHT_CHECK_FAIL);
    assert_hr(E_ACCESSDENIED, check(rep, BHT_CHECK_HELPER_RULE)->hr);
    assert_nothing_left(*state);
}

/* C106 (wine8): impersonation fails; the thread stays the owner's */
static void wine8_helper_checks_fail_without_leaving_anything(void **state)
{
    const struct bht_doctor_report *rep = run(*state, "option profile=wine8\n", "alice",
                                              ALICE_PASSWORD, BHT_LOGON_INTERACTIVE,
                                              BHT_TOKEN_LOCAL_FILE);

    assert_check(rep, BHT_CHECK_HELPER_LOGON, BHT_CHECK_PASS);
    assert_check(rep, BHT_CHECK_HELPER_RULE, BHT_CHECK_FAIL);
    assert_hr(E_NOINTERFACE, check(rep, BHT_CHECK_HELPER_RULE)->hr);
    assert_nothing_left(*state);
}

static void unreachable_bits_fails_the_probe_and_leaves_the_rest_unknown(void **state)
{
    struct core_fixture *f = *state;
    struct bht_backend be;

    core_fixture_world(f, NULL);
    be = f->be;
    be.bits = NULL;
    memset(&dt, 0, sizeof dt);
    dt.req.bits_open_hr = BHT_E_SERVICE_DISABLED;
    bht_run_doctor(&be, &dt.req, &dt.rep);
    assert_check(&dt.rep, BHT_CHECK_SERVICE, BHT_CHECK_FAIL); /* the service looks fine */
    assert_check(&dt.rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL);
    assert_hr(BHT_E_SERVICE_DISABLED, check(&dt.rep, BHT_CHECK_TOKEN_SUPPORT)->hr);
    assert_check(&dt.rep, BHT_CHECK_JOB_LIMITS, BHT_CHECK_UNKNOWN);
}

static void backend_without_system_ops_says_unknown(void **state)
{
    struct core_fixture *f = *state;
    struct bht_backend be;

    core_fixture_world(f, NULL);
    be = f->be;
    be.system = NULL;
    memset(&dt, 0, sizeof dt);
    bht_run_doctor(&be, &dt.req, &dt.rep);
    assert_check(&dt.rep, BHT_CHECK_SERVICE, BHT_CHECK_UNKNOWN);
    assert_check(&dt.rep, BHT_CHECK_SESSION, BHT_CHECK_UNKNOWN);
    assert_check(&dt.rep, BHT_CHECK_VERSION, BHT_CHECK_UNKNOWN);
    assert_check(&dt.rep, BHT_CHECK_NETWORK_COST, BHT_CHECK_UNKNOWN);
    assert_check(&dt.rep, BHT_CHECK_PROXY, BHT_CHECK_UNKNOWN);
    assert_check(&dt.rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_PASS);
    assert_int_equal(bht_doctor_exit_code(&dt.rep), 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, core_fixture_setup, core_fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(healthy_world_passes_every_check_and_leaves_no_job),
        T(disabled_service_fails_with_0x80070422_in_the_reason),
        T(missing_service_fails),
        T(stopped_demand_service_passes_and_paused_warns),
        T(non_interactive_sessions_fail_c109),
        T(system_account_passes_new_credentials_warns_unknown_stays_unknown),
        T(old_bits_versions_fail_or_warn),
        T(missing_token_options_fail_with_e_nointerface),
        T(probe_job_that_cannot_be_cancelled_is_reported),
        T(jobs_at_the_policy_limit_fail_and_near_it_warn),
        T(admin_owner_is_exempt_and_sees_the_machine),
        cmocka_unit_test(machine_limit_verdicts),
        T(metered_networks_warn_and_unknown_cost_is_unknown),
        T(proxies_warn_and_unknown_proxy_is_unknown),
        T(helper_logon_failures_fail_with_their_hresult),
        T(network_logon_with_network_flag_warns_c113),
        T(good_helper_passes_both_helper_checks_and_transfers_nothing),
        T(password_is_wiped_before_the_token_is_used),
        T(admin_helper_for_a_non_admin_owner_fails_c92),
        T(legacy_rule_refuses_a_non_admin_owner_c91),
        T(wine8_helper_checks_fail_without_leaving_anything),
        T(unreachable_bits_fails_the_probe_and_leaves_the_rest_unknown),
        T(backend_without_system_ops_says_unknown),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
