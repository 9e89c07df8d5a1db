/* bitsht fake: the machine model (fakes/fake_system.c): a healthy Windows machine by
 * default, every value of every `system` key and the exact reason for each refusal, the
 * two reasons the scheduler holds a QUEUED job (C109's logon types, C117's cost flags
 * against each network cost) and the struct bht_system_ops answers `bitsht doctor` reads
 * (C10/C12 for the machine's job count). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_support.h"
#include "../../fakes/fake_internal.h"

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)

/* One `system` line's tokens (split at spaces) declared into sys; why gets the reason. */
static int decl(struct fake_system *sys, unsigned *seen, const char *line, char *why,
                size_t size)
{
    char buf[1024], *tok[16], *p;
    int n = 0;

    assert_true(strlen(line) < sizeof buf);
    strcpy(buf, line);
    for (p = strtok(buf, " "); p && n < 16; p = strtok(NULL, " "))
        tok[n++] = p;
    why[0] = '\0';
    return fake_system_decl(sys, seen, tok, n, why, size);
}

/* Declares line into a default machine, which must succeed. */
static struct fake_system declared(const char *line)
{
    struct fake_system sys;
    unsigned seen = 0;
    char why[1024];

    fake_system_defaults(&sys);
    if (!decl(&sys, &seen, line, why, sizeof why))
        fail_msg("'%s': %s", line, why);
    return sys;
}

/* Declaring line into a default machine fails with exactly this reason. */
static void refused(const char *line, const char *reason)
{
    struct fake_system sys;
    unsigned seen = 0;
    char why[1024];

    fake_system_defaults(&sys);
    assert_int_equal(decl(&sys, &seen, line, why, sizeof why), 0);
    assert_string_equal(why, reason);
}

static void the_default_machine_is_healthy_windows(void **state)
{
    struct fake_system sys;

    (void)state;
    memset(&sys, 0x5A, sizeof sys);
    fake_system_defaults(&sys);
    assert_int_equal(sys.service.present, BHT_TRI_YES);
    assert_int_equal(sys.service.start_type, BHT_START_DEMAND);
    assert_int_equal(sys.service.state, BHT_SVC_RUNNING);
    assert_int_equal(sys.session, BHT_SESSION_INTERACTIVE);
    assert_int_equal(sys.system_account, BHT_TRI_NO);
    assert_int_equal(sys.session_unknown, 0);
    assert_int_equal(sys.policy.max_jobs_per_user, BHT_POLICY_NOT_SET);
    assert_int_equal(sys.policy.max_jobs_per_machine, BHT_POLICY_NOT_SET);
    assert_int_equal(sys.network_cost, BHT_COST_UNRESTRICTED);
    assert_int_equal(sys.proxy.kind, BHT_PROXY_DIRECT);
    assert_int_equal(sys.proxy.machine_kind, BHT_PROXY_DIRECT);
    assert_string_equal(sys.proxy.server, "");
    assert_string_equal(sys.bits_version, "10.3");
    assert_int_equal(sys.job_cost_flags, 0x80000021u); /* C117, provisional */
}

static void service_and_start_values(void **state)
{
    static const struct {
        const char *v;
        enum bht_tristate present;
        enum bht_service_state st;
    } svc[] = {
        {"running", BHT_TRI_YES, BHT_SVC_RUNNING},
        {"stopped", BHT_TRI_YES, BHT_SVC_STOPPED},
        {"start-pending", BHT_TRI_YES, BHT_SVC_START_PENDING},
        {"stop-pending", BHT_TRI_YES, BHT_SVC_STOP_PENDING},
        {"paused", BHT_TRI_YES, BHT_SVC_PAUSED},
        {"unknown", BHT_TRI_UNKNOWN, BHT_SVC_UNKNOWN},
        {"absent", BHT_TRI_NO, BHT_SVC_UNKNOWN},
    };
    static const struct {
        const char *v;
        enum bht_start_type st;
    } start[] = {
        {"auto", BHT_START_AUTO},
        {"demand", BHT_START_DEMAND},
        {"disabled", BHT_START_DISABLED},
        {"unknown", BHT_START_UNKNOWN},
    };
    char line[64];

    (void)state;
    for (size_t i = 0; i < sizeof svc / sizeof svc[0]; i++) {
        struct fake_system sys;
        snprintf(line, sizeof line, "system service=%s", svc[i].v);
        sys = declared(line);
        assert_int_equal(sys.service.present, svc[i].present);
        assert_int_equal(sys.service.state, svc[i].st);
        assert_int_equal(sys.service.start_type, BHT_START_DEMAND);
    }
    for (size_t i = 0; i < sizeof start / sizeof start[0]; i++) {
        struct fake_system sys;
        snprintf(line, sizeof line, "system start=%s", start[i].v);
        sys = declared(line);
        assert_int_equal(sys.service.start_type, start[i].st);
        assert_int_equal(sys.service.present, BHT_TRI_YES);
    }
    refused("system service=gone", "system: service takes running, stopped, start-pending, "
                                   "stop-pending, paused, absent or unknown, not 'gone'");
    refused("system start=manual",
            "system: start takes auto, demand, disabled or unknown, not 'manual'");
}

static void session_values(void **state)
{
    static const struct {
        const char *v;
        enum bht_session_kind kind;
        enum bht_tristate system_account;
        int unknown;
    } s[] = {
        {"interactive", BHT_SESSION_INTERACTIVE, BHT_TRI_NO, 0},
        {"network", BHT_SESSION_NETWORK, BHT_TRI_NO, 0},
        {"batch", BHT_SESSION_BATCH, BHT_TRI_NO, 0},
        {"service", BHT_SESSION_SERVICE, BHT_TRI_NO, 0},
        {"new-credentials", BHT_SESSION_NEW_CREDENTIALS, BHT_TRI_NO, 0},
        {"other", BHT_SESSION_OTHER, BHT_TRI_NO, 0},
        {"system", BHT_SESSION_SERVICE, BHT_TRI_YES, 0}, /* LocalSystem: a service logon */
        {"unknown", BHT_SESSION_UNKNOWN, BHT_TRI_UNKNOWN, 1},
    };
    char line[64];

    (void)state;
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        struct fake_system sys;
        snprintf(line, sizeof line, "system session=%s", s[i].v);
        sys = declared(line);
        assert_int_equal(sys.session, s[i].kind);
        assert_int_equal(sys.system_account, s[i].system_account);
        assert_int_equal(sys.session_unknown, s[i].unknown);
    }
    refused("system session=remote",
            "system: session takes interactive, network, batch, service, new-credentials, "
            "other, system or unknown, not 'remote'");
}

static void cost_values(void **state)
{
    static const struct {
        const char *v;
        uint32_t cost;
    } c[] = {
        {"unrestricted", BHT_COST_UNRESTRICTED},
        {"fixed", BHT_COST_FIXED},
        {"variable", BHT_COST_VARIABLE},
        {"approaching-limit", BHT_COST_FIXED | BHT_COST_APPROACHINGDATALIMIT},
        {"over-limit", BHT_COST_FIXED | BHT_COST_OVERDATALIMIT},
        {"roaming", BHT_COST_VARIABLE | BHT_COST_ROAMING},
        {"unknown", 0},
    };
    char line[64];

    (void)state;
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        snprintf(line, sizeof line, "system cost=%s", c[i].v);
        assert_int_equal(declared(line).network_cost, c[i].cost);
    }
    refused("system cost=cheap", "system: cost takes unrestricted, fixed, variable, "
                                 "approaching-limit, over-limit, roaming or unknown, not 'cheap'");
}

static void proxy_values(void **state)
{
    struct fake_system sys;
    char line[700], longest[BHT_PROXY_TEXT_SIZE + 1], reason[800];

    (void)state;
    sys = declared("system proxy=unknown machine-proxy=unknown");
    assert_int_equal(sys.proxy.kind, BHT_PROXY_UNKNOWN);
    assert_int_equal(sys.proxy.machine_kind, BHT_PROXY_UNKNOWN);
    sys = declared("system proxy=auto machine-proxy=auto");
    assert_int_equal(sys.proxy.kind, BHT_PROXY_AUTO);
    assert_string_equal(sys.proxy.server, "");
    assert_int_equal(sys.proxy.machine_kind, BHT_PROXY_AUTO);
    sys = declared("system proxy=auto:http://wpad/wpad.dat");
    assert_int_equal(sys.proxy.kind, BHT_PROXY_AUTO);
    assert_string_equal(sys.proxy.server, "http://wpad/wpad.dat");
    sys = declared("system proxy=named:proxy.corp:8080 machine-proxy=named:other:3128");
    assert_int_equal(sys.proxy.kind, BHT_PROXY_NAMED);
    assert_string_equal(sys.proxy.server, "proxy.corp:8080"); /* the machine's is not kept */
    assert_int_equal(sys.proxy.machine_kind, BHT_PROXY_NAMED);
    /* direct after a default of direct: set again, and the server text is emptied */
    sys = declared("system proxy=direct machine-proxy=direct");
    assert_int_equal(sys.proxy.kind, BHT_PROXY_DIRECT);
    assert_int_equal(sys.proxy.machine_kind, BHT_PROXY_DIRECT);
    sys.proxy.kind = BHT_PROXY_NAMED;
    strcpy(sys.proxy.server, "left over");
    {
        unsigned seen = 0;
        char why[64];
        assert_int_equal(decl(&sys, &seen, "system proxy=direct", why, sizeof why), 1);
        assert_int_equal(sys.proxy.kind, BHT_PROXY_DIRECT);
        assert_string_equal(sys.proxy.server, "");
        sys.proxy.machine_kind = BHT_PROXY_NAMED;
        assert_int_equal(decl(&sys, &seen, "system machine-proxy=direct", why, sizeof why), 1);
        assert_int_equal(sys.proxy.machine_kind, BHT_PROXY_DIRECT);
    }

    /* The longest server that fits (511 bytes), and one byte more. */
    memset(longest, 'p', BHT_PROXY_TEXT_SIZE - 1);
    longest[BHT_PROXY_TEXT_SIZE - 1] = '\0';
    snprintf(line, sizeof line, "system proxy=named:%s", longest);
    assert_int_equal(strlen(declared(line).proxy.server), BHT_PROXY_TEXT_SIZE - 1);
    snprintf(line, sizeof line, "system proxy=auto:%s", longest);
    assert_int_equal(strlen(declared(line).proxy.server), BHT_PROXY_TEXT_SIZE - 1);
    strcat(longest, "p");
    snprintf(line, sizeof line, "system proxy=named:%s", longest);
    snprintf(reason, sizeof reason, "system: proxy takes direct, named:HOST:PORT, auto, "
             "auto:URL or unknown, not 'named:%s'", longest);
    refused(line, reason);
    snprintf(line, sizeof line, "system proxy=auto:%s", longest);
    snprintf(reason, sizeof reason, "system: proxy takes direct, named:HOST:PORT, auto, "
             "auto:URL or unknown, not 'auto:%s'", longest);
    refused(line, reason);
    /* The shortest server (one character); none at all, or a prefix without its colon,
     * is no value. */
    assert_string_equal(declared("system proxy=auto:x").proxy.server, "x");
    assert_string_equal(declared("system proxy=named:y").proxy.server, "y");
    {
        static const char *const bad_values[] = {"auto:", "named:", "autox:y", "namedxhost:1"};
        for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
            snprintf(line, sizeof line, "system proxy=%s", bad_values[i]);
            snprintf(reason, sizeof reason, "system: proxy takes direct, named:HOST:PORT, "
                     "auto, auto:URL or unknown, not '%s'", bad_values[i]);
            refused(line, reason);
        }
    }
    snprintf(line, sizeof line, "system proxy=auto:%s", longest);
    snprintf(reason, sizeof reason, "system: proxy takes direct, named:HOST:PORT, auto, "
             "auto:URL or unknown, not 'auto:%s'", longest);
    refused(line, reason);
    refused("system proxy=named:", "system: proxy takes direct, named:HOST:PORT, auto, "
                                   "auto:URL or unknown, not 'named:'");
    refused("system proxy=auto:", "system: proxy takes direct, named:HOST:PORT, auto, "
                                  "auto:URL or unknown, not 'auto:'");
    refused("system proxy=socks:x", "system: proxy takes direct, named:HOST:PORT, auto, "
                                    "auto:URL or unknown, not 'socks:x'");
    refused("system machine-proxy=wpad",
            "system: machine-proxy takes direct, named:HOST:PORT or unknown, not 'wpad'");
}

static void bits_version_values(void **state)
{
    (void)state;
    assert_string_equal(declared("system bits-version=unknown").bits_version, "");
    assert_string_equal(declared("system bits-version=5.0").bits_version, "5.0");
    assert_string_equal(declared("system bits-version=99.99").bits_version, "99.99");
    assert_string_equal(declared("system bits-version=04.010").bits_version, "4.10");
    refused("system bits-version=100.0",
            "system: bits-version takes MAJOR.MINOR or unknown, not '100.0'");
    refused("system bits-version=1.100",
            "system: bits-version takes MAJOR.MINOR or unknown, not '1.100'");
    refused("system bits-version=1.2b",
            "system: bits-version takes MAJOR.MINOR or unknown, not '1.2b'");
    refused("system bits-version=10",
            "system: bits-version takes MAJOR.MINOR or unknown, not '10'");
}

static void policy_values(void **state)
{
    struct fake_system sys;

    (void)state;
    sys = declared("system policy-max-jobs-per-user=5 policy-max-jobs-per-machine=unknown");
    assert_int_equal(sys.policy.max_jobs_per_user, 5);
    assert_int_equal(sys.policy.max_jobs_per_machine, BHT_POLICY_UNKNOWN);
    sys = declared("system policy-max-jobs-per-user=unknown "
                   "policy-max-jobs-per-machine=1000000");
    assert_int_equal(sys.policy.max_jobs_per_user, BHT_POLICY_UNKNOWN);
    assert_int_equal(sys.policy.max_jobs_per_machine, 1000000);
    sys = declared("system policy-max-jobs-per-machine=0");
    assert_int_equal(sys.policy.max_jobs_per_machine, 0);
    assert_int_equal(sys.policy.max_jobs_per_user, BHT_POLICY_NOT_SET);
    refused("system policy-max-jobs-per-machine=1000001",
            "system: policy-max-jobs-per-machine takes a count or unknown, not '1000001'");
    refused("system policy-max-jobs-per-user=-1",
            "system: policy-max-jobs-per-user takes a count or unknown, not '-1'");
}

static void job_cost_flag_values(void **state)
{
    static const char *const bad[] = {
        "0x", "1x5", "0y5", "0x1G", "0x-1", "0x+1", "0x0x5", "0x123456789", "x", "0",
    };
    char line[64], reason[160];

    (void)state;
    assert_int_equal(declared("system job-cost-flags=0x1F").job_cost_flags, 0x1Fu);
    assert_int_equal(declared("system job-cost-flags=0XFFFFFFFF").job_cost_flags, 0xFFFFFFFFu);
    assert_int_equal(declared("system job-cost-flags=0x00000001").job_cost_flags, 1u);
    assert_int_equal(declared("system job-cost-flags=0xabcdef09").job_cost_flags, 0xABCDEF09u);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(line, sizeof line, "system job-cost-flags=%s", bad[i]);
        snprintf(reason, sizeof reason,
                 "system: job-cost-flags takes 0xHEX (BITS_COST_STATE_* bits), not '%s'", bad[i]);
        refused(line, reason);
    }
}

static void the_shape_of_a_system_line(void **state)
{
    char line[128], key[80];
    struct fake_system sys;
    unsigned seen = 0;
    char why[16];

    (void)state;
    refused("system", "system: expected key=value ...");
    refused("system cost", "system: expected key=value, got 'cost'");
    refused("system cost=", "system: expected key=value, got 'cost='");
    refused("system =fixed", "system: expected key=value, got '=fixed'");
    refused("system speed=fast", "system: unknown key 'speed'");
    /* an unknown key shares no bit with a known one: not a "duplicate" */
    refused("system service=running speed=fast", "system: unknown key 'speed'");
    /* keys up to 63 bytes are read (and this one is unknown); 64 is no key at all */
    memset(key, 'k', 63);
    key[63] = '\0';
    snprintf(line, sizeof line, "system %s=1", key);
    {
        char reason[128];
        snprintf(reason, sizeof reason, "system: unknown key '%s'", key);
        refused(line, reason);
        strcat(key, "k");
        snprintf(line, sizeof line, "system %s=1", key);
        snprintf(reason, sizeof reason, "system: expected key=value, got '%s=1'", key);
        refused(line, reason);
    }
    /* A bad value after good ones stops at it: the earlier ones are set. */
    fake_system_defaults(&sys);
    assert_int_equal(decl(&sys, &seen, "system cost=fixed start=often", why, sizeof why), 0);
    assert_int_equal(sys.network_cost, BHT_COST_FIXED);
    assert_string_equal(why, "system: start t"); /* truncated to the room given */
}

static void each_key_once_per_world(void **state)
{
    static const char *const keys[] = {
        "service=stopped", "start=auto", "session=batch", "cost=fixed", "proxy=auto",
        "machine-proxy=auto", "bits-version=5.0", "policy-max-jobs-per-user=3",
        "policy-max-jobs-per-machine=9", "job-cost-flags=0x1",
    };
    char all[512] = "system", line[128], reason[128];
    struct fake_system sys;
    unsigned seen = 0;
    char why[256];

    (void)state;
    /* Every key once on one line: no two keys share a bit. */
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        strcat(all, " ");
        strcat(all, keys[i]);
    }
    sys = declared(all);
    assert_int_equal(sys.service.state, BHT_SVC_STOPPED);
    assert_int_equal(sys.job_cost_flags, 1u);
    /* Each key twice, on one line or on two lines of the same world. */
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t klen = strcspn(keys[i], "=");
        snprintf(line, sizeof line, "system %s %s", keys[i], keys[i]);
        snprintf(reason, sizeof reason, "system: duplicate key '%.*s'", (int)klen, keys[i]);
        refused(line, reason);
        fake_system_defaults(&sys);
        seen = 0;
        snprintf(line, sizeof line, "system %s", keys[i]);
        assert_int_equal(decl(&sys, &seen, line, why, sizeof why), 1);
        assert_int_equal(decl(&sys, &seen, line, why, sizeof why), 0);
        assert_string_equal(why, reason);
    }
    /* A refused value marks nothing: the key may come again. */
    fake_system_defaults(&sys);
    seen = 0;
    assert_int_equal(decl(&sys, &seen, "system cost=cheap", why, sizeof why), 0);
    assert_int_equal(decl(&sys, &seen, "system cost=variable", why, sizeof why), 1);
    assert_int_equal(sys.network_cost, BHT_COST_VARIABLE);
}

/* ---- the scheduler's holds ---- */

static struct fake_job job_of(struct fake_user *owner, uint32_t cost_flags)
{
    struct fake_job j;

    memset(&j, 0, sizeof j);
    j.owner = owner;
    j.cost_flags = cost_flags;
    return j;
}

/* C117: a job waits unless its cost flags include the network's BITS cost state. */
static void cost_flags_hold_a_job_on_each_network_cost(void **state)
{
    struct fake_t *t = *state;
    static const struct {
        uint32_t nlm;
        uint32_t bits_state; /* BITS_COST_STATE_* */
    } c[] = {
        {BHT_COST_UNRESTRICTED, 0x1},
        {0, 0x1}, /* unknown: as unrestricted */
        {BHT_COST_FIXED, 0x4},
        {BHT_COST_FIXED | BHT_COST_APPROACHINGDATALIMIT, 0x8},
        {BHT_COST_FIXED | BHT_COST_OVERDATALIMIT, 0x10},
        {BHT_COST_FIXED | BHT_COST_OVERDATALIMIT | BHT_COST_APPROACHINGDATALIMIT, 0x10},
        {BHT_COST_VARIABLE, 0x40},
        {BHT_COST_VARIABLE | BHT_COST_ROAMING, 0x80},
        {BHT_COST_FIXED | BHT_COST_OVERDATALIMIT | BHT_COST_ROAMING, 0x80},
    };
    struct fake_user *owner = fake_owner(t->w);

    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct fake_job j;
        t->w->sys.network_cost = c[i].nlm;
        j = job_of(owner, c[i].bits_state);
        assert_int_equal(fake_system_holds(t->w, &j), 0);
        j = job_of(owner, 0xFFFFFFFFu & ~c[i].bits_state);
        assert_int_equal(fake_system_holds(t->w, &j), 1);
    }
    /* A job with no flags of its own takes the machine's default (0x80000021 here:
     * unrestricted only), then a declared one. */
    {
        struct fake_job j = job_of(owner, 0);
        t->w->sys.network_cost = BHT_COST_UNRESTRICTED;
        assert_int_equal(fake_system_holds(t->w, &j), 0);
        t->w->sys.network_cost = BHT_COST_FIXED;
        assert_int_equal(fake_system_holds(t->w, &j), 1);
        t->w->sys.job_cost_flags = 0x4;
        assert_int_equal(fake_system_holds(t->w, &j), 0);
        /* Wine has no cost policy (no IBackgroundCopyJob5): never held. */
        t->w->sys.job_cost_flags = 0x1;
        bht_fake_set_profile(t->w, BHT_FAKE_PROFILE_WINE8);
        assert_int_equal(fake_system_holds(t->w, &j), 0);
    }
}

/* C109: the owner's jobs get no progress in a network, batch or service logon, unless it
 * is a system account; jobs of other owners and the wine8 profile are never held. */
static void a_logon_without_a_user_session_holds_the_owners_jobs(void **state)
{
    struct fake_t *t = *state;
    static const struct {
        const char *session;
        int held;
    } s[] = {
        {"interactive", 0}, {"network", 1}, {"batch", 1}, {"service", 1},
        {"new-credentials", 0}, {"other", 0}, {"system", 0}, {"unknown", 0},
    };
    char line[64];

    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        struct fake_job mine, theirs;
        snprintf(line, sizeof line, "system session=%s\n", s[i].session);
        fake_t_world(t, line);
        mine = job_of(fake_owner(t->w), 0xFFFFFFFFu);
        theirs = job_of(fake_find_user(t->w, "CORP\\alice"), 0xFFFFFFFFu);
        assert_non_null(theirs.owner);
        assert_int_equal(fake_system_holds(t->w, &mine), s[i].held);
        assert_int_equal(fake_system_holds(t->w, &theirs), 0);
        bht_fake_set_profile(t->w, BHT_FAKE_PROFILE_WINE8);
        assert_int_equal(fake_system_holds(t->w, &mine), 0);
    }
}

/* create_job and enum_jobs: a BITS the world declares absent or disabled. */
static void an_absent_or_disabled_bits_is_unavailable(void **state)
{
    struct fake_t *t = *state;

    assert_hr(S_OK, fake_system_unavailable(t->w));
    fake_t_world(t, "system service=absent\n");
    assert_hr(REGDB_E_CLASSNOTREG, fake_system_unavailable(t->w));
    fake_t_world(t, "system start=disabled\n");
    assert_hr(BHT_E_SERVICE_DISABLED, fake_system_unavailable(t->w));
    fake_t_world(t, "system service=stopped start=auto\n");
    assert_hr(S_OK, fake_system_unavailable(t->w));
    fake_t_world(t, "system service=unknown\n");
    assert_hr(S_OK, fake_system_unavailable(t->w));
}

/* ---- struct bht_system_ops ---- */

static void every_op_refuses_a_null_output(void **state)
{
    struct fake_t *t = *state;
    const struct bht_system_ops *s = &bht_fake_system_ops;
    char v[8];

    assert_hr(S_OK, bht_system_ops_check(s));
    assert_string_equal(s->name, "fake");
    assert_hr(E_INVALIDARG, s->service(t->w, NULL));
    assert_hr(E_INVALIDARG, s->session(t->w, NULL));
    assert_hr(E_INVALIDARG, s->policy(t->w, NULL));
    assert_hr(E_INVALIDARG, s->network_cost(t->w, NULL));
    assert_hr(E_INVALIDARG, s->proxy(t->w, NULL));
    assert_hr(E_INVALIDARG, s->machine_jobs(t->w, NULL));
    assert_hr(E_INVALIDARG, s->bits_version(t->w, NULL, sizeof v));
    strcpy(v, "same");
    assert_hr(E_INVALIDARG, s->bits_version(t->w, v, 0));
    assert_string_equal(v, "same");
}

static void the_ops_report_the_declared_machine(void **state)
{
    struct fake_t *t = *state;
    const struct bht_system_ops *s = &bht_fake_system_ops;
    struct bht_service_info svc;
    struct bht_session_info ses;
    struct bht_bits_policy pol;
    struct bht_proxy_info px;
    uint32_t cost = 0;
    char v[16];

    fake_t_world(t, "system service=paused start=auto session=batch cost=roaming "
                    "proxy=named:p:1 machine-proxy=auto bits-version=4.2 "
                    "policy-max-jobs-per-user=7 policy-max-jobs-per-machine=70\n");
    assert_hr(S_OK, s->service(t->w, &svc));
    assert_int_equal(svc.present, BHT_TRI_YES);
    assert_int_equal(svc.start_type, BHT_START_AUTO);
    assert_int_equal(svc.state, BHT_SVC_PAUSED);
    memset(&ses, 0x5A, sizeof ses);
    assert_hr(S_OK, s->session(t->w, &ses));
    assert_int_equal(ses.kind, BHT_SESSION_BATCH);
    assert_int_equal(ses.system_account, BHT_TRI_NO);
    assert_int_equal(ses.admin, BHT_TRI_NO);
    assert_string_equal(ses.account, "CORP\\bob");
    assert_hr(S_OK, s->policy(t->w, &pol));
    assert_int_equal(pol.max_jobs_per_user, 7);
    assert_int_equal(pol.max_jobs_per_machine, 70);
    assert_hr(S_OK, s->network_cost(t->w, &cost));
    assert_int_equal(cost, BHT_COST_VARIABLE | BHT_COST_ROAMING);
    assert_hr(S_OK, s->proxy(t->w, &px));
    assert_int_equal(px.kind, BHT_PROXY_NAMED);
    assert_string_equal(px.server, "p:1");
    assert_int_equal(px.machine_kind, BHT_PROXY_AUTO);
    assert_hr(S_OK, s->bits_version(t->w, v, sizeof v));
    assert_string_equal(v, "4.2");
    assert_hr(S_OK, s->bits_version(t->w, v, 2)); /* cut to the room given */
    assert_string_equal(v, "4");

    /* An administrator owner in a session of unknown kind, as LocalSystem would not be. */
    fake_t_world(t, "option owner=CORP\\root\nsystem session=unknown\n");
    assert_hr(S_OK, s->session(t->w, &ses));
    assert_int_equal(ses.kind, BHT_SESSION_UNKNOWN);
    assert_int_equal(ses.system_account, BHT_TRI_UNKNOWN);
    assert_int_equal(ses.admin, BHT_TRI_YES);
    assert_string_equal(ses.account, "CORP\\root");
    fake_t_world(t, "system session=system\n");
    assert_hr(S_OK, s->session(t->w, &ses));
    assert_int_equal(ses.kind, BHT_SESSION_SERVICE);
    assert_int_equal(ses.system_account, BHT_TRI_YES);
}

/* C10, C12: every user's non-final jobs, for an administrator; wine8 shows them to anyone
 * and keeps final jobs listed until the next Resume, which are not counted. */
static void machine_jobs_counts_every_users_live_jobs(void **state)
{
    struct fake_t *t = *state;
    const struct bht_system_ops *s = &bht_fake_system_ops;
    struct bht_token *root = NULL;
    struct bht_job *a, *b;
    unsigned n = 99;

    a = fake_t_new_job(t);
    b = fake_t_new_job(t);
    assert_hr(E_ACCESSDENIED, s->machine_jobs(t->w, &n)); /* CORP\bob is no admin */
    assert_int_equal(n, 0);
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "root", "toor", BHT_LOGON_INTERACTIVE, &root));
    assert_hr(S_OK, t->id->impersonate(t->w, root));
    assert_hr(S_OK, s->machine_jobs(t->w, &n));
    assert_int_equal(n, 2);
    assert_hr(S_OK, t->b->cancel(t->w, b));
    assert_hr(S_OK, s->machine_jobs(t->w, &n));
    assert_int_equal(n, 1);
    assert_hr(S_OK, t->id->revert(t->w));
    assert_hr(S_OK, t->id->close(t->w, root));
    t->b->release(t->w, a);
    t->b->release(t->w, b);

    bht_fake_set_profile(t->w, BHT_FAKE_PROFILE_WINE8);
    a = fake_t_new_job(t);
    b = fake_t_new_job(t);
    assert_hr(S_OK, t->b->cancel(t->w, b)); /* still listed in wine8 (§5 item 15) */
    n = 99;
    assert_hr(S_OK, s->machine_jobs(t->w, &n));
    assert_int_equal(n, 2); /* the two live ones, not the cancelled one */
    t->b->release(t->w, a);
    t->b->release(t->w, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_machine_is_healthy_windows),
        cmocka_unit_test(service_and_start_values),
        cmocka_unit_test(session_values),
        cmocka_unit_test(cost_values),
        cmocka_unit_test(proxy_values),
        cmocka_unit_test(bits_version_values),
        cmocka_unit_test(policy_values),
        cmocka_unit_test(job_cost_flag_values),
        cmocka_unit_test(the_shape_of_a_system_line),
        cmocka_unit_test(each_key_once_per_world),
        T(cost_flags_hold_a_job_on_each_network_cost),
        T(a_logon_without_a_user_session_holds_the_owners_jobs),
        T(an_absent_or_disabled_bits_is_unavailable),
        T(every_op_refuses_a_null_output),
        T(the_ops_report_the_declared_machine),
        T(machine_jobs_counts_every_users_live_jobs),
    };
    return cmocka_run_group_tests_name("fake system", tests, NULL, NULL);
}
