/* bitsht fake: the machine the world runs on (struct bht_system_ops, `system` world lines,
 * and the two reasons the scheduler holds a QUEUED job).
 *
 * Defaults are a healthy Windows machine: BITS running (start type demand), an interactive
 * session, no policy, an unmetered network, no proxy, BITS 10.3. A world declares anything
 * else with `system key=value ...` (fakes/README.md), including `unknown` for answers a
 * platform cannot give, so every verdict of `bitsht doctor` has a world that shows it.
 * The holds follow the Windows column: C109 (an owner in a network, batch or service
 * logon that is not a system account gets no progress) and the cost policy (a job whose
 * cost flags exclude the network's cost state waits, C117); the wine8 profile has neither (§5
 * item 16; Wine has no IBackgroundCopyJob5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

#define WINE8(w) ((w)->profile == BHT_FAKE_PROFILE_WINE8)
#define MAX_POLICY_JOBS 1000000ull

/* BITS_COST_STATE_* bits (bits5_0.h) */
#define COST_STATE_UNRESTRICTED 0x1u
#define COST_STATE_BELOW_CAP 0x4u
#define COST_STATE_NEAR_CAP 0x8u
#define COST_STATE_OVERCAP_CHARGED 0x10u
#define COST_STATE_USAGE_BASED 0x40u
#define COST_STATE_ROAMING 0x80u
/* C117. BITS_COST_STATE_TRANSFER_UNRESTRICTED: the fake's provisional default for a new job
 * (Windows documents none; the policy "Set default download behavior for BITS jobs on
 * costed networks" decides there): background jobs wait on every metered network. */
#define FAKE_DEFAULT_JOB_COST_FLAGS 0x80000021u

enum { /* bits of `seen`: each key once per world text */
    SEEN_SERVICE = 1u << 0,
    SEEN_START = 1u << 1,
    SEEN_SESSION = 1u << 2,
    SEEN_COST = 1u << 3,
    SEEN_PROXY = 1u << 4,
    SEEN_MACHINE_PROXY = 1u << 5,
    SEEN_VERSION = 1u << 6,
    SEEN_POLICY_USER = 1u << 7,
    SEEN_POLICY_MACHINE = 1u << 8,
    SEEN_JOB_COST = 1u << 9 /* the last: one more or a doubled 1u is a bit of its own */
};

void fake_system_defaults(struct fake_system *sys)
{
    memset(sys, 0, sizeof *sys);
    sys->service.present = BHT_TRI_YES;
    sys->service.start_type = BHT_START_DEMAND;
    sys->service.state = BHT_SVC_RUNNING;
    sys->session = BHT_SESSION_INTERACTIVE;
    sys->system_account = BHT_TRI_NO;
    sys->policy.max_jobs_per_user = BHT_POLICY_NOT_SET;
    sys->policy.max_jobs_per_machine = BHT_POLICY_NOT_SET;
    sys->network_cost = BHT_COST_UNRESTRICTED;
    sys->proxy.kind = BHT_PROXY_DIRECT;
    sys->proxy.machine_kind = BHT_PROXY_DIRECT;
    strcpy(sys->bits_version, "10.3");
    sys->job_cost_flags = FAKE_DEFAULT_JOB_COST_FLAGS;
}

struct name_value {
    const char *name;
    int value;
};

static int lookup(const struct name_value *table, size_t n, const char *name, int *out)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(table[i].name, name)) {
            *out = table[i].value;
            return 1;
        }
    return 0;
}

#define LOOKUP(table, name, out) lookup(table, sizeof table / sizeof table[0], name, out)

static const struct name_value service_states[] = {
    {"running", BHT_SVC_RUNNING}, {"stopped", BHT_SVC_STOPPED},
    {"start-pending", BHT_SVC_START_PENDING}, {"stop-pending", BHT_SVC_STOP_PENDING},
    {"paused", BHT_SVC_PAUSED}, {"unknown", BHT_SVC_UNKNOWN}, {"absent", -1},
};
static const struct name_value start_types[] = {
    {"auto", BHT_START_AUTO}, {"demand", BHT_START_DEMAND}, {"disabled", BHT_START_DISABLED},
    {"unknown", BHT_START_UNKNOWN},
};
static const struct name_value sessions[] = {
    {"interactive", BHT_SESSION_INTERACTIVE}, {"network", BHT_SESSION_NETWORK},
    {"batch", BHT_SESSION_BATCH}, {"service", BHT_SESSION_SERVICE},
    {"new-credentials", BHT_SESSION_NEW_CREDENTIALS}, {"other", BHT_SESSION_OTHER},
    {"system", -1}, {"unknown", BHT_SESSION_UNKNOWN},
};
static const struct name_value costs[] = {
    {"unrestricted", (int)BHT_COST_UNRESTRICTED},
    {"fixed", (int)BHT_COST_FIXED},
    {"variable", (int)BHT_COST_VARIABLE},
    {"approaching-limit", (int)(BHT_COST_FIXED | BHT_COST_APPROACHINGDATALIMIT)},
    {"over-limit", (int)(BHT_COST_FIXED | BHT_COST_OVERDATALIMIT)},
    {"roaming", (int)(BHT_COST_VARIABLE | BHT_COST_ROAMING)},
    {"unknown", 0},
};

/* 0x and 1 to 8 hex digits, nothing else: strtoul alone would also take spaces, a sign
 * (MSVCRT's 32-bit unsigned long turned "0x-1" into 0xFFFFFFFF) and a second 0x. */
static int parse_hex32(const char *s, uint32_t *out)
{
    size_t digits;

    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return 0;
    digits = strspn(s + 2, "0123456789abcdefABCDEF");
    if (digits == 0 || digits > 8 || s[2 + digits] != '\0')
        return 0;
    *out = (uint32_t)strtoul(s + 2, NULL, 16);
    return 1;
}

/* direct | named:HOST:PORT | auto | auto:URL | unknown */
static int parse_proxy(const char *v, enum bht_proxy_kind *kind, char *server, size_t size)
{
    server[0] = '\0';
    if (!strcmp(v, "direct"))
        *kind = BHT_PROXY_DIRECT;
    else if (!strcmp(v, "unknown"))
        *kind = BHT_PROXY_UNKNOWN;
    else if (!strcmp(v, "auto"))
        *kind = BHT_PROXY_AUTO;
    else if (!strncmp(v, "auto:", 5) && v[5] && strlen(v + 5) < size) {
        *kind = BHT_PROXY_AUTO;
        strcpy(server, v + 5);
    } else if (!strncmp(v, "named:", 6) && v[6] && strlen(v + 6) < size) {
        *kind = BHT_PROXY_NAMED;
        strcpy(server, v + 6);
    } else
        return 0;
    return 1;
}

static int bad(char *why, size_t size, const char *fmt, const char *key, const char *value)
{
    snprintf(why, size, fmt, key, value ? value : "");
    return 0;
}

static int decl_key(struct fake_system *sys, const char *key, const char *v, char *why,
                    size_t size)
{
    int x;
    uint64_t n;
    char ignored[BHT_PROXY_TEXT_SIZE];

    if (!strcmp(key, "service")) {
        if (!LOOKUP(service_states, v, &x))
            return bad(why, size, "system: %s takes running, stopped, start-pending, "
                       "stop-pending, paused, absent or unknown, not '%s'", key, v);
        sys->service.present = x < 0 ? BHT_TRI_NO : x == BHT_SVC_UNKNOWN ? BHT_TRI_UNKNOWN
                                                                        : BHT_TRI_YES;
        sys->service.state = x < 0 ? BHT_SVC_UNKNOWN : (enum bht_service_state)x;
    } else if (!strcmp(key, "start")) {
        if (!LOOKUP(start_types, v, &x))
            return bad(why, size, "system: %s takes auto, demand, disabled or unknown, not '%s'",
                       key, v);
        sys->service.start_type = (enum bht_start_type)x;
    } else if (!strcmp(key, "session")) {
        if (!LOOKUP(sessions, v, &x))
            return bad(why, size, "system: %s takes interactive, network, batch, service, "
                       "new-credentials, other, system or unknown, not '%s'", key, v);
        sys->system_account = x < 0 ? BHT_TRI_YES : x == 0 ? BHT_TRI_UNKNOWN : BHT_TRI_NO;
        sys->session = x < 0 ? BHT_SESSION_SERVICE : (enum bht_session_kind)x;
        sys->session_unknown = x == 0;
    } else if (!strcmp(key, "cost")) {
        if (!LOOKUP(costs, v, &x))
            return bad(why, size, "system: %s takes unrestricted, fixed, variable, "
                       "approaching-limit, over-limit, roaming or unknown, not '%s'", key, v);
        sys->network_cost = (uint32_t)x;
    } else if (!strcmp(key, "proxy")) {
        if (!parse_proxy(v, &sys->proxy.kind, sys->proxy.server, sizeof sys->proxy.server))
            return bad(why, size, "system: %s takes direct, named:HOST:PORT, auto, auto:URL or "
                       "unknown, not '%s'", key, v);
    } else if (!strcmp(key, "machine-proxy")) {
        if (!parse_proxy(v, &sys->proxy.machine_kind, ignored, sizeof ignored))
            return bad(why, size, "system: %s takes direct, named:HOST:PORT or unknown, not "
                       "'%s'", key, v);
    } else if (!strcmp(key, "bits-version")) {
        unsigned major, minor;
        char tail;
        if (!strcmp(v, "unknown"))
            sys->bits_version[0] = '\0';
        else if (sscanf(v, "%u.%u%c", &major, &minor, &tail) == 2 && major < 100 && minor < 100)
            snprintf(sys->bits_version, sizeof sys->bits_version, "%u.%u", major, minor);
        else
            return bad(why, size, "system: %s takes MAJOR.MINOR or unknown, not '%s'", key, v);
    } else if (!strcmp(key, "policy-max-jobs-per-user") ||
               !strcmp(key, "policy-max-jobs-per-machine")) {
        long *slot = !strcmp(key, "policy-max-jobs-per-user") ? &sys->policy.max_jobs_per_user
                                                              : &sys->policy.max_jobs_per_machine;
        if (!strcmp(v, "unknown"))
            *slot = BHT_POLICY_UNKNOWN;
        else if (fake_parse_u64(v, MAX_POLICY_JOBS, &n))
            *slot = (long)n;
        else
            return bad(why, size, "system: %s takes a count or unknown, not '%s'", key, v);
    } else if (!strcmp(key, "job-cost-flags")) {
        if (!parse_hex32(v, &sys->job_cost_flags))
            return bad(why, size, "system: %s takes 0xHEX (BITS_COST_STATE_* bits), not '%s'",
                       key, v);
    } else {
        return bad(why, size, "system: unknown key '%s'%s", key, "");
    }
    return 1;
}

static unsigned key_bit(const char *key)
{
    static const struct name_value bits[] = {
        {"service", SEEN_SERVICE}, {"start", SEEN_START}, {"session", SEEN_SESSION},
        {"cost", SEEN_COST}, {"proxy", SEEN_PROXY}, {"machine-proxy", SEEN_MACHINE_PROXY},
        {"bits-version", SEEN_VERSION}, {"policy-max-jobs-per-user", SEEN_POLICY_USER},
        {"policy-max-jobs-per-machine", SEEN_POLICY_MACHINE}, {"job-cost-flags", SEEN_JOB_COST},
    };
    int bit = 0;

    return LOOKUP(bits, key, &bit) ? (unsigned)bit : 0;
}

int fake_system_decl(struct fake_system *sys, unsigned *seen, char **tok, int n, char *why,
                     size_t why_size)
{
    if (n < 2)
        return bad(why, why_size, "system: expected key=value ...%s%s", "", "");
    for (int i = 1; i < n; i++) {
        char key[64];
        const char *eq = strchr(tok[i], '=');
        size_t klen = eq ? (size_t)(eq - tok[i]) : strlen(tok[i]);
        unsigned bit;

        if (!eq || !eq[1] || klen == 0 || klen >= sizeof key)
            return bad(why, why_size, "system: expected key=value, got '%s'%s", tok[i], "");
        memcpy(key, tok[i], klen);
        key[klen] = '\0';
        bit = key_bit(key);
        if (bit && (*seen & bit))
            return bad(why, why_size, "system: duplicate key '%s'%s", key, "");
        if (!decl_key(sys, key, eq + 1, why, why_size))
            return 0;
        *seen |= bit;
    }
    return 1;
}

/* The BITS cost state a network's NLM cost falls in (BITS_COST_STATE_*). */
static uint32_t cost_state(uint32_t nlm)
{
    if (nlm & BHT_COST_ROAMING)
        return COST_STATE_ROAMING;
    if (nlm & BHT_COST_OVERDATALIMIT)
        return COST_STATE_OVERCAP_CHARGED;
    if (nlm & BHT_COST_APPROACHINGDATALIMIT)
        return COST_STATE_NEAR_CAP;
    if (nlm & BHT_COST_FIXED)
        return COST_STATE_BELOW_CAP;
    if (nlm & BHT_COST_VARIABLE)
        return COST_STATE_USAGE_BASED;
    return COST_STATE_UNRESTRICTED; /* "the cost is unknown or the connection is unlimited" */
}

static int owner_logged_on_for_bits(const struct fake_system *sys)
{
    if (sys->system_account == BHT_TRI_YES)
        return 1;
    return !(sys->session == BHT_SESSION_NETWORK || sys->session == BHT_SESSION_BATCH ||
             sys->session == BHT_SESSION_SERVICE);
}

int fake_system_holds(const struct bht_fake_world *w, const struct fake_job *j)
{
    uint32_t flags;

    if (WINE8(w))
        return 0;
    /* C109: the session model is the process owner's; jobs of other (impersonated) owners
     * are not held, the fake has one session */
    if (j->owner == w->owner && !owner_logged_on_for_bits(&w->sys))
        return 1;
    flags = j->cost_flags ? j->cost_flags : w->sys.job_cost_flags;
    return !(flags & cost_state(w->sys.network_cost));
}

bht_hr fake_system_unavailable(const struct bht_fake_world *w)
{
    if (w->sys.service.present == BHT_TRI_NO)
        return REGDB_E_CLASSNOTREG;
    if (w->sys.service.start_type == BHT_START_DISABLED)
        return BHT_E_SERVICE_DISABLED; /* bits-contract §2.6 */
    return S_OK;
}

/* ---- struct bht_system_ops ---- */

static bht_hr sys_service(void *ctx, struct bht_service_info *out)
{
    const struct bht_fake_world *w = ctx;

    if (!out)
        return E_INVALIDARG;
    *out = w->sys.service;
    return S_OK;
}

static bht_hr sys_session(void *ctx, struct bht_session_info *out)
{
    struct bht_fake_world *w = ctx;
    struct fake_user *owner = fake_owner(w);

    if (!out)
        return E_INVALIDARG;
    memset(out, 0, sizeof *out);
    out->kind = w->sys.session_unknown ? BHT_SESSION_UNKNOWN : w->sys.session;
    out->system_account = w->sys.system_account;
    out->admin = owner ? (owner->admin ? BHT_TRI_YES : BHT_TRI_NO) : BHT_TRI_UNKNOWN;
    if (owner)
        snprintf(out->account, sizeof out->account, "%s\\%s", owner->domain, owner->name);
    return S_OK;
}

static bht_hr sys_policy(void *ctx, struct bht_bits_policy *out)
{
    const struct bht_fake_world *w = ctx;

    if (!out)
        return E_INVALIDARG;
    *out = w->sys.policy;
    return S_OK;
}

static bht_hr sys_network_cost(void *ctx, uint32_t *out_cost)
{
    const struct bht_fake_world *w = ctx;

    if (!out_cost)
        return E_INVALIDARG;
    *out_cost = w->sys.network_cost;
    return S_OK;
}

static bht_hr sys_proxy(void *ctx, struct bht_proxy_info *out)
{
    const struct bht_fake_world *w = ctx;

    if (!out)
        return E_INVALIDARG;
    *out = w->sys.proxy;
    return S_OK;
}

/* EnumJobs(BG_JOB_ENUM_ALL_USERS) needs an administrator (C10, C12); wine8 shows all. */
static bht_hr sys_machine_jobs(void *ctx, unsigned *out_count)
{
    struct bht_fake_world *w = ctx;
    struct fake_identity caller = fake_caller(w);
    unsigned n = 0;

    if (!out_count)
        return E_INVALIDARG;
    *out_count = 0;
    if (!WINE8(w) && !caller.local->admin)
        return E_ACCESSDENIED;
    for (const struct fake_job *j = w->q_head; j; j = j->q_next)
        if (!fake_state_is_final(j->state))
            n++;
    *out_count = n;
    return S_OK;
}

static bht_hr sys_bits_version(void *ctx, char *out, size_t size)
{
    const struct bht_fake_world *w = ctx;

    if (!out || !size)
        return E_INVALIDARG;
    snprintf(out, size, "%s", w->sys.bits_version);
    return S_OK;
}

const struct bht_system_ops bht_fake_system_ops = {
    BHT_SYSTEM_OPS_VERSION,
    "fake",
    sys_service,
    sys_session,
    sys_policy,
    sys_network_cost,
    sys_proxy,
    sys_machine_jobs,
    sys_bits_version,
};
