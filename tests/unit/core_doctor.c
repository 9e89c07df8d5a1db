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

/* ---------------------------------------------------------------------------------------
 * Issue 14: the driver's exact texts, and answers the fake world cannot give (a system
 * call that fails after filling its answer, a bits ops table of an older version), through
 * spies around the fake's ops. Each check's verdict on its own: core_doctor_verdicts.c. */

#define NO_SYSTEM_FIX "run bitsht doctor with a backend that can see the machine (the COM backend on Windows)"
#define NO_SYSTEM_REASON "this backend cannot see the machine (no system checks)"
#define NO_JOB5_FIX                                                                          \
    "this BITS cannot set job cost flags (no IBackgroundCopyJob5): transfer on an unmetered " \
    "network"
#define ALLOW_METERED_FIX                                                                    \
    "bitsht transfer --allow-metered (the job's cost flags become "                          \
    "BITS_COST_STATE_TRANSFER_ALWAYS)"
#define RULE_FIX                                                                             \
    "run bitsht elevated as an administrator, or pick a helper that is not an administrator " \
    "(C92)"
#define PROBE_ID "{00000001-FA4E-4B17-9B17-0000B175B175}"
#define DEFAULT_LIMITS "limits 60 per user, 300 per machine"
#define POLICY_UNKNOWN_FIX "check by hand: reg query HKLM\\Software\\Policies\\Microsoft\\Windows\\BITS"
#define POLICY_UNKNOWN_REASON                                                                \
    "0 job(s) of this user (0 of bitsht's), but the BITS policy key could not be read, so "   \
    "the limits are unknown"
#define NO_TOKEN_OPTIONS_FIX                                                                 \
    "transfer with --no-helper-token, or on Windows 7 / Server 2008 R2 or later"
#define NO_TOKEN_OPTIONS_REASON                                                              \
    "this BITS has no IBitsTokenOptions (E_NOINTERFACE: BITS before 4.0, or Wine): "         \
    "helper-token transfers exit 3 (C87)"

/* A failure code set here replaces the fake's answer after the fake has filled the output:
 * system.h says a failed op leaves its output unknown, and the driver does not rely on it
 * (policy, machine jobs). The session spy keeps that rule: its admin answer counts. */
static struct {
    struct bht_system_ops sys;
    struct bht_bits_ops bits;
    bht_hr service, session, policy, cost, proxy, machine, version;
    unsigned releases, frees;
} spy;

#define SPY_SYSTEM_OP(op, type)                                                              \
    static bht_hr spy_##op(void *ctx, type out)                                              \
    {                                                                                         \
        bht_hr hr = bht_fake_system_ops.op(ctx, out);                                        \
        return BHT_FAILED(spy.op) ? spy.op : hr;                                              \
    }
SPY_SYSTEM_OP(service, struct bht_service_info *)
SPY_SYSTEM_OP(policy, struct bht_bits_policy *)
SPY_SYSTEM_OP(proxy, struct bht_proxy_info *)
#undef SPY_SYSTEM_OP

/* As system.h asks of a failed op: every answer unknown (the admin answer included). */
static bht_hr spy_session(void *ctx, struct bht_session_info *out)
{
    if (BHT_FAILED(spy.session)) {
        memset(out, 0, sizeof *out);
        out->system_account = out->admin = BHT_TRI_UNKNOWN;
        return spy.session;
    }
    return bht_fake_system_ops.session(ctx, out);
}

static bht_hr spy_network_cost(void *ctx, uint32_t *out)
{
    bht_hr hr = bht_fake_system_ops.network_cost(ctx, out);
    return BHT_FAILED(spy.cost) ? spy.cost : hr;
}

static bht_hr spy_machine_jobs(void *ctx, unsigned *out)
{
    bht_hr hr = bht_fake_system_ops.machine_jobs(ctx, out);
    return BHT_FAILED(spy.machine) ? spy.machine : hr;
}

static bht_hr spy_bits_version(void *ctx, char *out, size_t size)
{
    bht_hr hr = bht_fake_system_ops.bits_version(ctx, out, size);
    return BHT_FAILED(spy.version) ? spy.version : hr;
}

static void spy_release(void *ctx, struct bht_job *job)
{
    spy.releases++;
    bht_fake_bits_ops.release(ctx, job);
}

static void spy_free_mem(void *ctx, void *p)
{
    spy.frees++;
    bht_fake_bits_ops.free_mem(ctx, p);
}

/* A fresh world with extra lines, its system and bits ops behind the spies. */
static void spy_on(struct core_fixture *f, const char *extra)
{
    core_fixture_world(f, extra);
    memset(&spy, 0, sizeof spy);
    spy.sys = bht_fake_system_ops;
    spy.sys.service = spy_service;
    spy.sys.session = spy_session;
    spy.sys.policy = spy_policy;
    spy.sys.network_cost = spy_network_cost;
    spy.sys.proxy = spy_proxy;
    spy.sys.machine_jobs = spy_machine_jobs;
    spy.sys.bits_version = spy_bits_version;
    spy.bits = bht_fake_bits_ops;
    spy.bits.release = spy_release;
    spy.bits.free_mem = spy_free_mem;
    f->be.system = &spy.sys;
    f->be.bits = &spy.bits;
}

/* The doctor on f->be as it is (user NULL: no helper checks). */
static const struct bht_doctor_report *doctor(struct core_fixture *f, const char *user,
                                              const char *password, enum bht_logon_type type,
                                              uint32_t flags)
{
    memset(&dt, 0, sizeof dt);
    dt.f = f;
    if (user) {
        snprintf(dt.password, sizeof dt.password, "%s", password ? password : "");
        dt.req.with_helper = 1;
        dt.req.domain = "CORP";
        dt.req.user = dt.req.user_arg = user;
        dt.req.password = password ? dt.password : NULL;
        dt.req.logon_type = type;
        dt.req.token_flags = flags;
    }
    memset(&dt.rep, 0x5A, sizeof dt.rep); /* the driver clears the report */
    assert_hr(S_OK, bht_run_doctor(&f->be, &dt.req, &dt.rep));
    return &dt.rep;
}

static void assert_exact(const struct bht_doctor_report *rep, enum bht_check_id id,
                         enum bht_check_status status, bht_hr hr, const char *fix,
                         const char *reason)
{
    const struct bht_check *c = check(rep, id);

    if (c->status != status || c->hr != hr)
        fail_msg("%s: %s 0x%08X (%s), want %s 0x%08X", bht_check_id_name(id),
                 bht_check_status_name(c->status), (unsigned)c->hr, c->reason,
                 bht_check_status_name(status), (unsigned)hr);
    assert_string_equal(c->reason, reason);
    assert_string_equal(c->fix, fix);
}

static void every_check_runs_once_in_order_with_its_exact_verdict(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_doctor_report *rep;

    spy_on(f, NULL);
    rep = doctor(f, NULL, NULL, 0, 0);
    assert_int_equal(rep->count, 7);
    for (size_t i = 0; i < rep->count; i++)
        assert_int_equal(rep->checks[i].id, i);
    assert_int_equal(rep->probe_left_in_queue, 0);
    assert_string_equal(rep->probe_job_id, "");
    assert_exact(rep, BHT_CHECK_SERVICE, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "the BITS service is running (start type manual)");
    assert_exact(rep, BHT_CHECK_SESSION, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "CORP\\bob runs in an interactive logon: BITS moves its jobs while it stays "
                 "logged on (C109)");
    assert_exact(rep, BHT_CHECK_VERSION, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "BITS 10.3: helper tokens (4.0) and job cost flags (5.0) are available");
    assert_exact(rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "a new job has IBitsTokenOptions: helper tokens can be set (C87)");
    /* bob is no administrator: the machine's jobs are not his to count */
    assert_exact(rep, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "0 job(s) of this user (0 of bitsht's), machine: not visible (not an "
                 "administrator); " DEFAULT_LIMITS);
    assert_exact(rep, BHT_CHECK_NETWORK_COST, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "the network is not metered (cost 0x1): jobs transfer without waiting");
    assert_exact(rep, BHT_CHECK_PROXY, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "no proxy: jobs connect directly, no proxy credentials are needed");
    /* the probe's handle is released; both job lists are freed */
    assert_int_equal(spy.releases, 1);
    assert_int_equal(spy.frees, 2);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_ENUM_JOBS), 2);
    assert_nothing_left(f);
}

/* C05, C11: the counts are of live jobs (wine8 lists cancelled ones until its worker wakes)
 * and bitsht's are those named "bitsht:"; wine8 shows the machine to anyone. */
static void job_counts_are_of_live_jobs_and_ours_by_name_c05(void **state)
{
    struct core_fixture *f = *state;
    const char *names[] = {"bitsht:a", "bitsht:b", "other"};
    struct bht_job *jobs[3];

    spy_on(f, "option profile=wine8\n");
    for (size_t i = 0; i < 3; i++)
        assert_hr(S_OK, f->be.bits->create_job(f->be.bits_ctx, names[i], &jobs[i]));
    assert_hr(S_OK, f->be.bits->cancel(f->be.bits_ctx, jobs[1]));
    assert_exact(doctor(f, NULL, NULL, 0, 0), BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK,
                 "nothing to do",
                 "2 job(s) of this user (1 of bitsht's), machine: 2; " DEFAULT_LIMITS);
    assert_int_equal(spy.frees, 2);
    for (size_t i = 0; i < 3; i++)
        f->be.bits->release(f->be.bits_ctx, jobs[i]);
}

/* C05: either count failing (all jobs, or bitsht's) leaves the count unknown. */
static void a_failed_job_count_is_unknown_c05(void **state)
{
    struct core_fixture *f = *state;

    for (unsigned nth = 1; nth <= 2; nth++) {
        spy_on(f, NULL);
        bht_fake_fail(f->t->w, BHT_OP_ENUM_JOBS, nth, E_ACCESSDENIED, BHT_FAULT_ONCE);
        assert_exact(doctor(f, NULL, NULL, 0, 0), BHT_CHECK_JOB_LIMITS, BHT_CHECK_UNKNOWN, S_OK,
                     "check by hand: bitsadmin /list", "the caller's jobs could not be counted");
        assert_int_equal(spy.frees, 1); /* only the list that was given is freed */
    }
}

static void failed_system_answers_leave_their_checks_unknown(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_doctor_report *rep;

    spy_on(f, "system cost=roaming proxy=named:p:3128\n");
    spy.service = E_ACCESSDENIED;
    spy.session = E_ACCESSDENIED; /* the admin answer is then unknown too */
    spy.version = E_FAIL;
    spy.cost = E_NOTIMPL;
    spy.proxy = E_ACCESSDENIED;
    spy.machine = E_FAIL;
    rep = doctor(f, NULL, NULL, 0, 0);
    assert_exact(rep, BHT_CHECK_SERVICE, BHT_CHECK_UNKNOWN, E_ACCESSDENIED,
                 "run bitsht doctor as an administrator, or check by hand: sc qc BITS; sc "
                 "query BITS",
                 "the service control manager did not answer (0x80070005 (E_ACCESSDENIED))");
    assert_exact(rep, BHT_CHECK_SESSION, BHT_CHECK_UNKNOWN, E_ACCESSDENIED,
                 "check by hand: whoami /groups lists INTERACTIVE, SERVICE, BATCH or NETWORK",
                 "the logon session could not be read (0x80070005 (E_ACCESSDENIED))");
    assert_exact(rep, BHT_CHECK_VERSION, BHT_CHECK_UNKNOWN, E_FAIL,
                 "nothing to do: helper-token-support below probes BITS directly",
                 "the platform does not tell BITS's version: 0x80004005 (E_FAIL)");
    assert_exact(rep, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "0 job(s) of this user (0 of bitsht's), machine: not visible (not an "
                 "administrator); " DEFAULT_LIMITS "; other users' jobs are not visible");
    assert_exact(rep, BHT_CHECK_NETWORK_COST, BHT_CHECK_UNKNOWN, E_NOTIMPL,
                 "if a job stays QUEUED on a metered network, use bitsht transfer "
                 "--allow-metered",
                 "the platform does not tell the network's cost: 0x80004001 (E_NOTIMPL)");
    assert_exact(rep, BHT_CHECK_PROXY, BHT_CHECK_UNKNOWN, E_ACCESSDENIED,
                 "check by hand: netsh winhttp show proxy; Internet Options > Connections",
                 "the platform does not tell the proxy settings: 0x80070005 (E_ACCESSDENIED)");
    assert_int_equal(bht_doctor_exit_code(rep), 0);

    /* C116: an administrator whose machine count fails, and a policy that cannot be read */
    spy_on(f, "option owner=CORP\\root\n");
    spy.machine = E_FAIL;
    assert_exact(doctor(f, NULL, NULL, 0, 0), BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK,
                 "nothing to do",
                 "0 job(s) of this user (0 of bitsht's), machine: not visible (not an "
                 "administrator); " DEFAULT_LIMITS "; administrators are exempt (C116)");
    spy_on(f, "system policy-max-jobs-per-user=4\n");
    spy.policy = E_ACCESSDENIED;
    assert_exact(doctor(f, NULL, NULL, 0, 0), BHT_CHECK_JOB_LIMITS, BHT_CHECK_UNKNOWN, S_OK,
                 POLICY_UNKNOWN_FIX, POLICY_UNKNOWN_REASON);
    /* a system ops table the core does not know is no answer at all */
    spy_on(f, NULL);
    spy.sys.version = BHT_SYSTEM_OPS_VERSION + 1;
    rep = doctor(f, NULL, NULL, 0, 0);
    assert_exact(rep, BHT_CHECK_SERVICE, BHT_CHECK_UNKNOWN, S_OK, NO_SYSTEM_FIX,
                 NO_SYSTEM_REASON);
    assert_exact(rep, BHT_CHECK_PROXY, BHT_CHECK_UNKNOWN, S_OK, NO_SYSTEM_FIX,
                 NO_SYSTEM_REASON);
    assert_exact(rep, BHT_CHECK_JOB_LIMITS, BHT_CHECK_UNKNOWN, S_OK,
                 POLICY_UNKNOWN_FIX, POLICY_UNKNOWN_REASON);
}

/* BITS is unreachable when the open failed, when there are no bits ops, or when the ops
 * table fails its check: each alone. */
static void each_reason_bits_is_unreachable_is_enough(void **state)
{
    struct core_fixture *f = *state;
    char why[160];

    for (int way = 0; way < 3; way++) {
        const struct bht_doctor_report *rep;
        bht_hr open_hr = way == 0 ? BHT_E_SERVICE_DISABLED : S_OK;
        const char *h = way == 0 ? "0x80070422 (HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED))"
                                 : "0x00000000 (S_OK)";

        spy_on(f, NULL);
        if (way == 1)
            f->be.bits = NULL;
        if (way == 2)
            spy.bits.version = 0;
        memset(&dt, 0, sizeof dt);
        snprintf(dt.password, sizeof dt.password, "%s", ALICE_PASSWORD);
        dt.req.bits_open_hr = open_hr;
        dt.req.with_helper = 1;
        dt.req.domain = "CORP";
        dt.req.user = dt.req.user_arg = "alice";
        dt.req.password = dt.password;
        dt.req.logon_type = BHT_LOGON_INTERACTIVE;
        dt.req.token_flags = BHT_TOKEN_LOCAL_FILE;
        rep = &dt.rep;
        assert_hr(S_OK, bht_run_doctor(&f->be, &dt.req, &dt.rep));
        snprintf(why, sizeof why,
                 "the BITS service is running (start type manual), but connecting to BITS "
                 "failed with %s", h);
        assert_exact(rep, BHT_CHECK_SERVICE, BHT_CHECK_FAIL, open_hr,
                     "restart the service (sc stop BITS, sc start BITS) or repair Windows", why);
        snprintf(why, sizeof why, "BITS could not be reached (%s): no transfer can start", h);
        assert_exact(rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL, open_hr,
                     "see bits-service above", why);
        snprintf(why, sizeof why, "BITS could not be reached (%s), so this was not checked", h);
        assert_exact(rep, BHT_CHECK_JOB_LIMITS, BHT_CHECK_UNKNOWN, open_hr,
                     "see bits-service above", why);
        assert_exact(rep, BHT_CHECK_HELPER_RULE, BHT_CHECK_UNKNOWN, open_hr,
                     "see bits-service above", why);
        assert_check(rep, BHT_CHECK_HELPER_LOGON, BHT_CHECK_PASS);
        /* no BITS: no probe, so --allow-metered's fate is unknown, not "impossible" */
        assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CREATE_JOB), 0);
        assert_int_equal(bht_fake_open_tokens(f->t->w), 0); /* the helper's token closed */
        assert_int_equal(dt.password[0], 0);
    }
}

/* C05, C06: a refused probe points at job-limits when BITS says a limit was hit. */
static void a_refused_probe_names_the_limit_or_the_service(void **state)
{
    struct core_fixture *f = *state;
    static const struct {
        bht_hr hr;
        const char *fix, *reason;
    } cases[] = {
        {BG_E_TOO_MANY_JOBS_PER_USER,
         "see job-limits below: cancel abandoned jobs (bitsht cleanup)",
         "BITS refused to create a job: 0x80200049 (BG_E_TOO_MANY_JOBS_PER_USER) (the user has "
         "too many BITS jobs (MaxJobsPerUser))"},
        {BG_E_TOO_MANY_JOBS_PER_MACHINE,
         "see job-limits below: cancel abandoned jobs (bitsht cleanup)",
         "BITS refused to create a job: 0x80200050 (BG_E_TOO_MANY_JOBS_PER_MACHINE) (the "
         "machine has too many BITS jobs (MaxJobsPerMachine))"},
        {E_ACCESSDENIED, "see bits-service and logon-session",
         "BITS refused to create a job: 0x80070005 (E_ACCESSDENIED) (access denied)"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bht_doctor_report *rep;

        spy_on(f, "system cost=roaming\n");
        bht_fake_fail(f->t->w, BHT_OP_CREATE_JOB, 1, cases[i].hr, BHT_FAULT_ONCE);
        rep = doctor(f, NULL, NULL, 0, 0);
        assert_exact(rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL, cases[i].hr, cases[i].fix,
                     cases[i].reason);
        /* no probe, so nothing tells whether cost flags can be set */
        assert_string_equal(check(rep, BHT_CHECK_NETWORK_COST)->fix, ALLOW_METERED_FIX);
        assert_int_equal(spy.releases, 0);
        assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CANCEL), 0);
    }
}

/* C87: the probe's answer about IBitsTokenOptions, each kind. */
static void token_options_answers_c87(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_doctor_report *rep;

    spy_on(f, NULL);
    bht_fake_fail(f->t->w, BHT_OP_GET_TOKEN_OPTIONS, 1, E_ACCESSDENIED, BHT_FAULT_ONCE);
    rep = doctor(f, NULL, NULL, 0, 0);
    assert_exact(rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL, E_ACCESSDENIED,
                 "see logon-session above",
                 "asking a new job for IBitsTokenOptions failed: 0x80070005 (E_ACCESSDENIED) "
                 "(access denied)");
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CANCEL), 1);
    assert_int_equal(spy.releases, 1);
    spy_on(f, "option profile=wine8\n");
    rep = doctor(f, NULL, NULL, 0, 0);
    assert_exact(rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL, E_NOINTERFACE,
                 NO_TOKEN_OPTIONS_FIX, NO_TOKEN_OPTIONS_REASON);
}

/* C117: whether the probe takes cost flags picks network-cost's fix. */
static void the_probe_tells_whether_cost_flags_can_be_set_c117(void **state)
{
    struct core_fixture *f = *state;

    spy_on(f, "system cost=roaming\n");
    assert_string_equal(check(doctor(f, NULL, NULL, 0, 0), BHT_CHECK_NETWORK_COST)->fix,
                        ALLOW_METERED_FIX);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_COST_FLAGS), 1);
    spy_on(f, "system cost=roaming\n");
    bht_fake_fail(f->t->w, BHT_OP_SET_COST_FLAGS, 1, E_NOINTERFACE, BHT_FAULT_ONCE);
    assert_string_equal(check(doctor(f, NULL, NULL, 0, 0), BHT_CHECK_NETWORK_COST)->fix,
                        NO_JOB5_FIX);
    spy_on(f, "system cost=roaming\n"); /* another failure says nothing either way */
    bht_fake_fail(f->t->w, BHT_OP_SET_COST_FLAGS, 1, E_ACCESSDENIED, BHT_FAULT_ONCE);
    assert_string_equal(check(doctor(f, NULL, NULL, 0, 0), BHT_CHECK_NETWORK_COST)->fix,
                        ALLOW_METERED_FIX);
    spy_on(f, "system cost=roaming\n"); /* version 1 ops: no set_cost_flags member */
    spy.bits.version = 1;
    assert_string_equal(check(doctor(f, NULL, NULL, 0, 0), BHT_CHECK_NETWORK_COST)->fix,
                        NO_JOB5_FIX);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_COST_FLAGS), 0);
    spy_on(f, "system cost=roaming\n"); /* version 2, member left NULL */
    spy.bits.set_cost_flags = NULL;
    assert_string_equal(check(doctor(f, NULL, NULL, 0, 0), BHT_CHECK_NETWORK_COST)->fix,
                        NO_JOB5_FIX);
}

/* A probe that cannot be cancelled fails its check and keeps the first failure's code. */
static void an_uncancelled_probe_keeps_the_first_failure(void **state)
{
    struct core_fixture *f = *state;
    const struct bht_doctor_report *rep;

    spy_on(f, NULL);
    bht_fake_fail(f->t->w, BHT_OP_CANCEL, 1, E_FAIL, BHT_FAULT_PERSISTENT);
    rep = doctor(f, NULL, NULL, 0, 0);
    assert_exact(rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL, E_FAIL,
                 "run bitsht cleanup to cancel " PROBE_ID,
                 "a new job has IBitsTokenOptions: helper tokens can be set (C87); the "
                 "throw-away job " PROBE_ID " could not be cancelled (0x80004005 (E_FAIL))");
    assert_int_equal(rep->probe_left_in_queue, 1);
    assert_string_equal(rep->probe_job_id, PROBE_ID);
    assert_int_equal(spy.releases, 1); /* released even so */
    assert_int_equal(bht_doctor_exit_code(rep), 1);
    spy_on(f, "option profile=wine8\n");
    bht_fake_fail(f->t->w, BHT_OP_CANCEL, 1, E_FAIL, BHT_FAULT_PERSISTENT);
    rep = doctor(f, NULL, NULL, 0, 0);
    assert_exact(rep, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL, E_NOINTERFACE,
                 "run bitsht cleanup to cancel " PROBE_ID,
                 NO_TOKEN_OPTIONS_REASON "; the throw-away job " PROBE_ID " could not be "
                 "cancelled (0x80004005 (E_FAIL))");
}

/* C103-C105, C113: helper-logon's texts for each logon type and each failure. */
static void helper_logon_texts_c104_c113(void **state)
{
    struct core_fixture *f = *state;
    static const struct {
        enum bht_logon_type type;
        const char *name;
    } types[] = {
        {BHT_LOGON_INTERACTIVE, "interactive"}, {BHT_LOGON_NETWORK, "network"},
        {BHT_LOGON_NETWORK_CLEARTEXT, "network-cleartext"}, {BHT_LOGON_BATCH, "batch"},
        {BHT_LOGON_SERVICE, "service"}, {BHT_LOGON_NEW_CREDENTIALS, "new-credentials"},
    };
    const char *other_fix =
        "check the helper's name (DOMAIN\\USER, .\\USER for a local account) and password";
    char want[200];

    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        spy_on(f, NULL);
        snprintf(want, sizeof want, "alice logged on with logon type %s", types[i].name);
        assert_exact(doctor(f, "alice", ALICE_PASSWORD, types[i].type, BHT_TOKEN_LOCAL_FILE),
                     BHT_CHECK_HELPER_LOGON, BHT_CHECK_PASS, S_OK, "nothing to do", want);
    }
    spy_on(f, NULL); /* C113: network with the NETWORK flag among others */
    assert_exact(doctor(f, "alice", ALICE_PASSWORD, BHT_LOGON_NETWORK,
                        BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK),
                 BHT_CHECK_HELPER_LOGON, BHT_CHECK_WARN, S_OK,
                 "use --logon-type interactive, batch or new-credentials for a network helper",
                 "alice logged on (network), but a network logon keeps no credentials: it "
                 "cannot open an SMB source or answer NTLM/Kerberos (C113)");
    spy_on(f, NULL);
    assert_check(doctor(f, "alice", ALICE_PASSWORD, BHT_LOGON_NETWORK_CLEARTEXT,
                        BHT_TOKEN_NETWORK),
                 BHT_CHECK_HELPER_LOGON, BHT_CHECK_PASS);
    spy_on(f, NULL);
    assert_exact(doctor(f, "alice", "wrong", BHT_LOGON_INTERACTIVE, BHT_TOKEN_LOCAL_FILE),
                 BHT_CHECK_HELPER_LOGON, BHT_CHECK_FAIL, BHT_E_LOGON_FAILURE, other_fix,
                 "alice could not log on with logon type interactive: 0x8007052E "
                 "(HRESULT_FROM_WIN32(ERROR_LOGON_FAILURE)) (wrong user name or password)");
    assert_exact(&dt.rep, BHT_CHECK_HELPER_RULE, BHT_CHECK_UNKNOWN, S_OK,
                 "fix helper-logon first",
                 "the helper did not log on, so BITS was not asked whether it accepts its token");
    spy_on(f, NULL);
    assert_exact(doctor(f, "carol", "pw", BHT_LOGON_BATCH, BHT_TOKEN_LOCAL_FILE),
                 BHT_CHECK_HELPER_LOGON, BHT_CHECK_FAIL, BHT_E_LOGON_TYPE_NOT_GRANTED,
                 "pick a --logon-type the account holds (batch and service need the 'Log on "
                 "as a batch job/service' right), or grant it in secpol.msc",
                 "carol could not log on with logon type batch: 0x80070569 "
                 "(HRESULT_FROM_WIN32(ERROR_LOGON_TYPE_NOT_GRANTED)) (the account has not been "
                 "granted this logon type (try another --logon-type))");
    /* a blank password, given as none at all: passed as "" and nothing to wipe */
    spy_on(f, "user CORP\\dave password=\n");
    assert_exact(doctor(f, "dave", NULL, BHT_LOGON_INTERACTIVE, BHT_TOKEN_LOCAL_FILE),
                 BHT_CHECK_HELPER_LOGON, BHT_CHECK_FAIL, BHT_E_ACCOUNT_RESTRICTION,
                 "give the helper account a password (blank passwords cannot log on)",
                 "dave could not log on with logon type interactive: 0x8007052F "
                 "(HRESULT_FROM_WIN32(ERROR_ACCOUNT_RESTRICTION)) (account restriction (for "
                 "example, blank passwords are not allowed))");
    spy_on(f, NULL); /* a type bitsht never offers: the fake refuses it as LogonUser does */
    assert_exact(doctor(f, "alice", ALICE_PASSWORD, (enum bht_logon_type)7,
                        BHT_TOKEN_LOCAL_FILE),
                 BHT_CHECK_HELPER_LOGON, BHT_CHECK_FAIL, E_INVALIDARG, other_fix,
                 "alice could not log on with logon type unknown: 0x80070057 (E_INVALIDARG) "
                 "(invalid argument)");
}

/* C88-C93: helper-token-rule's probe, each step failing in turn; the thread always
 * reverts and the probe is always cancelled. */
static void helper_rule_steps_fail_in_turn_c91_c93(void **state)
{
    struct core_fixture *f = *state;
    static const struct {
        enum bht_fake_op op;
        unsigned nth;
        bht_hr hr;
        enum bht_check_status status;
        bht_hr want_hr;
        const char *fix, *reason;
    } cases[] = {
        {BHT_OP_CREATE_JOB, 2, E_ACCESSDENIED, BHT_CHECK_UNKNOWN, E_ACCESSDENIED,
         "see helper-token-support",
         "no throw-away job could be created (0x80070005 (E_ACCESSDENIED))"},
        {BHT_OP_GET_TOKEN_OPTIONS, 2, E_ACCESSDENIED, BHT_CHECK_FAIL, E_ACCESSDENIED,
         "see helper-token-support",
         "the job has no helper-token options: 0x80070005 (E_ACCESSDENIED)"},
        {BHT_OP_IMPERSONATE, 1, E_ACCESSDENIED, BHT_CHECK_FAIL, E_ACCESSDENIED,
         "check the helper account; under Wine impersonation never works (C106)",
         "could not impersonate alice: 0x80070005 (E_ACCESSDENIED) (access denied)"},
        {BHT_OP_SET_HELPER_TOKEN, 1, E_ACCESSDENIED, BHT_CHECK_FAIL, E_ACCESSDENIED, RULE_FIX,
         "BITS refused alice's token for this owner: 0x80070005 (E_ACCESSDENIED) (an "
         "administrator helper needs an administrator job owner on Windows 10 1607 and later, "
         "C92; before 1607 only an administrator owner may set any, C91)"},
        {BHT_OP_SET_HELPER_TOKEN, 1, E_FAIL, BHT_CHECK_FAIL, E_FAIL, "see helper-token-support",
         "BITS refused alice's token: 0x80004005 (E_FAIL)"},
        {BHT_OP_REVERT, 1, E_FAIL, BHT_CHECK_FAIL, E_FAIL, "report this as a bug",
         "could not revert to the owner after setting the token: 0x80004005 (E_FAIL)"},
        {BHT_OP_SET_HELPER_TOKEN_FLAGS, 1, E_ACCESSDENIED, BHT_CHECK_FAIL, E_ACCESSDENIED,
         RULE_FIX,
         "BITS took alice's token but refused flags 0x1: 0x80070005 (E_ACCESSDENIED) (C93)"},
        {BHT_OP_SET_HELPER_TOKEN_FLAGS, 1, E_INVALIDARG, BHT_CHECK_FAIL, E_INVALIDARG,
         "check --token-flags",
         "BITS took alice's token but refused flags 0x1: 0x80070057 (E_INVALIDARG) (C93)"},
        {BHT_OP_COUNT, 0, S_OK, BHT_CHECK_PASS, S_OK, "nothing to do",
         "BITS accepted alice's token with flags 0x1 for a job of this owner (C88, C92, C93; "
         "nothing was transferred)"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bht_doctor_report *rep;
        unsigned probes;

        spy_on(f, NULL);
        if (cases[i].op != BHT_OP_COUNT)
            bht_fake_fail(f->t->w, cases[i].op, cases[i].nth, cases[i].hr, BHT_FAULT_ONCE);
        rep = doctor(f, "alice", ALICE_PASSWORD, BHT_LOGON_INTERACTIVE, BHT_TOKEN_LOCAL_FILE);
        assert_int_equal(rep->count, 9);
        assert_exact(rep, BHT_CHECK_HELPER_RULE, cases[i].status, cases[i].want_hr,
                     cases[i].fix, cases[i].reason);
        probes = cases[i].op == BHT_OP_CREATE_JOB ? 1 : 2;
        assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CANCEL), probes);
        assert_int_equal(spy.releases, probes);
        /* reverted whenever impersonated (a failed revert is retried by nobody) */
        assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_REVERT),
                         cases[i].op == BHT_OP_CREATE_JOB || cases[i].op == BHT_OP_IMPERSONATE ||
                                 (cases[i].op == BHT_OP_GET_TOKEN_OPTIONS)
                             ? 0
                             : 1);
        assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_HELPER_TOKEN_FLAGS),
                         cases[i].op == BHT_OP_SET_HELPER_TOKEN_FLAGS || cases[i].op == BHT_OP_COUNT);
        assert_int_equal(bht_fake_open_tokens(f->t->w), 0);
        assert_int_equal(dt.password[0], 0);
    }
}

/* Without identity ops (or with ops the core does not know) the helper checks say so, and
 * the password is wiped all the same. */
static void no_identity_ops_still_wipe_the_password(void **state)
{
    struct core_fixture *f = *state;
    struct bht_identity_ops bad = bht_fake_identity_ops;

    bad.version = 0;
    for (int way = 0; way < 2; way++) {
        const struct bht_doctor_report *rep;

        spy_on(f, NULL);
        f->be.identity = way == 0 ? NULL : &bad;
        rep = doctor(f, "alice", ALICE_PASSWORD, BHT_LOGON_INTERACTIVE, BHT_TOKEN_LOCAL_FILE);
        assert_int_equal(rep->count, 9);
        assert_int_equal(rep->checks[7].id, BHT_CHECK_HELPER_LOGON);
        assert_int_equal(rep->checks[8].id, BHT_CHECK_HELPER_RULE);
        assert_exact(rep, BHT_CHECK_HELPER_LOGON, BHT_CHECK_UNKNOWN, S_OK, NO_SYSTEM_FIX,
                     NO_SYSTEM_REASON);
        assert_check(rep, BHT_CHECK_HELPER_RULE, BHT_CHECK_UNKNOWN);
        assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_LOGON), 0);
        for (size_t i = 0; i < sizeof dt.password; i++)
            assert_int_equal(dt.password[i], 0);
    }
    /* no helper asked for: a password given anyway is wiped too */
    spy_on(f, NULL);
    memset(&dt, 0, sizeof dt);
    snprintf(dt.password, sizeof dt.password, "%s", ALICE_PASSWORD);
    dt.req.password = dt.password;
    assert_hr(S_OK, bht_run_doctor(&f->be, &dt.req, &dt.rep));
    assert_int_equal(dt.rep.count, 7);
    assert_int_equal(dt.password[0], 0);
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
        T(every_check_runs_once_in_order_with_its_exact_verdict),
        T(job_counts_are_of_live_jobs_and_ours_by_name_c05),
        T(a_failed_job_count_is_unknown_c05),
        T(failed_system_answers_leave_their_checks_unknown),
        T(each_reason_bits_is_unreachable_is_enough),
        T(a_refused_probe_names_the_limit_or_the_service),
        T(token_options_answers_c87),
        T(the_probe_tells_whether_cost_flags_can_be_set_c117),
        T(an_uncancelled_probe_keeps_the_first_failure),
        T(helper_logon_texts_c104_c113),
        T(helper_rule_steps_fail_in_turn_c91_c93),
        T(no_identity_ops_still_wipe_the_password),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
