/* bitsht: `bitsht doctor`'s driver: asks the system ops and BITS, runs the verdicts.
 *
 * The BITS questions are asked of BITS itself on throw-away jobs named "bitsht:doctor",
 * each cancelled at once: whether the job has IBitsTokenOptions (C87), whether it takes
 * cost flags, and with a helper whether BITS accepts that helper's token and flags for this
 * owner (C91-C93). Nothing is ever added to them, so nothing transfers. The helper's
 * password is wiped right after its logon, and on every path that does not reach it. */
#include <stdio.h>
#include <string.h>

#include "bitsht/job.h"
#include "doctor_internal.h"

#define PROBE_NAME BHT_NAME_PREFIX "doctor"

struct doctor {
    const struct bht_backend *be;
    const struct bht_doctor_request *req;
    struct bht_doctor_report *rep;
    int bits_ok;
    enum bht_tristate admin;               /* from the session answer */
    enum bht_tristate cost_flags_supported; /* from the throw-away job */
};

const char *bht_check_id_name(enum bht_check_id id)
{
    static const char *const names[BHT_CHECK_COUNT] = {
        "bits-service", "logon-session", "bits-version", "helper-token-support", "job-limits",
        "network-cost", "proxy", "helper-logon", "helper-token-rule",
    };
    return (unsigned)id < BHT_CHECK_COUNT ? names[id] : "unknown-check";
}

const char *bht_check_status_name(enum bht_check_status status)
{
    static const char *const names[] = {"pass", "warn", "fail", "unknown"};
    return (unsigned)status < 4 ? names[status] : "unknown";
}

int bht_doctor_exit_code(const struct bht_doctor_report *rep)
{
    for (size_t i = 0; i < rep->count; i++)
        if (rep->checks[i].status == BHT_CHECK_FAIL)
            return 1;
    return 0;
}

static struct bht_check *next_check(struct doctor *d)
{
    struct bht_check *c = &d->rep->checks[d->rep->count++];

    memset(c, 0, sizeof *c);
    return c;
}

static const struct bht_system_ops *system_ops(const struct doctor *d)
{
    return d->be->system && BHT_SUCCEEDED(bht_system_ops_check(d->be->system)) ? d->be->system
                                                                               : NULL;
}

static void no_system_answer(struct bht_check *c, enum bht_check_id id)
{
    bht_check_set(c, id, BHT_CHECK_UNKNOWN, S_OK, "run bitsht doctor with a backend that can "
                  "see the machine (the COM backend on Windows)",
                  "this backend cannot see the machine (no system checks)");
}

static void bits_unreachable(struct doctor *d, struct bht_check *c, enum bht_check_id id)
{
    char h[64];

    bht_check_set(c, id, BHT_CHECK_UNKNOWN, d->req->bits_open_hr,
                  "see bits-service above", "BITS could not be reached (%s), so this was not "
                  "checked", bht_hr_format(d->req->bits_open_hr, h, sizeof h));
}

static void check_service(struct doctor *d)
{
    const struct bht_system_ops *sys = system_ops(d);
    struct bht_service_info svc = {BHT_TRI_UNKNOWN, BHT_START_UNKNOWN, BHT_SVC_UNKNOWN};
    struct bht_check *c = next_check(d);

    if (!sys) {
        no_system_answer(c, BHT_CHECK_SERVICE);
        return;
    }
    bht_verdict_service(sys->service(d->be->system_ctx, &svc), &svc, c);
    if (c->status == BHT_CHECK_PASS && !d->bits_ok) {
        char h[64], seen[sizeof c->reason];
        /* the service looks fine, yet connecting failed: that is the finding. The reason
         * is copied first: formatting c->reason into itself lost it (overlapping copy). */
        snprintf(seen, sizeof seen, "%s", c->reason);
        bht_check_set(c, BHT_CHECK_SERVICE, BHT_CHECK_FAIL, d->req->bits_open_hr,
                      "restart the service (sc stop BITS, sc start BITS) or repair Windows",
                      "%s, but connecting to BITS failed with %s", seen,
                      bht_hr_format(d->req->bits_open_hr, h, sizeof h));
    }
}

static void check_session(struct doctor *d)
{
    const struct bht_system_ops *sys = system_ops(d);
    struct bht_session_info s;
    struct bht_check *c = next_check(d);

    memset(&s, 0, sizeof s);
    s.system_account = s.admin = BHT_TRI_UNKNOWN;
    if (!sys) {
        no_system_answer(c, BHT_CHECK_SESSION);
        return;
    }
    bht_verdict_session(sys->session(d->be->system_ctx, &s), &s, c);
    d->admin = s.admin;
}

static void check_version(struct doctor *d)
{
    const struct bht_system_ops *sys = system_ops(d);
    char version[32] = "";
    struct bht_check *c = next_check(d);

    if (!sys) {
        no_system_answer(c, BHT_CHECK_VERSION);
        return;
    }
    bht_verdict_version(sys->bits_version(d->be->system_ctx, version, sizeof version), version, c);
}

/* Cancels and releases a throw-away job; a Cancel that fails is reported, never hidden. */
static void drop_probe(struct doctor *d, struct bht_job *job, struct bht_check *c)
{
    const struct bht_bits_ops *bits = d->be->bits;
    char id[BHT_JOB_ID_SIZE] = "";
    bht_hr hr;

    bits->get_id(d->be->bits_ctx, job, id);
    hr = bits->cancel(d->be->bits_ctx, job);
    bits->release(d->be->bits_ctx, job);
    if (BHT_FAILED(hr)) {
        char h[64];
        size_t n = strlen(c->reason);

        d->rep->probe_left_in_queue = 1;
        snprintf(d->rep->probe_job_id, sizeof d->rep->probe_job_id, "%s", id);
        snprintf(c->reason + n, sizeof c->reason - n,
                 "; the throw-away job %s could not be cancelled (%s)", id,
                 bht_hr_format(hr, h, sizeof h));
        snprintf(c->fix, sizeof c->fix, "run bitsht cleanup to cancel %s", id);
        c->status = BHT_CHECK_FAIL;
        if (BHT_SUCCEEDED(c->hr))
            c->hr = hr;
    }
}

static bht_hr create_probe(struct doctor *d, struct bht_job **job)
{
    return d->be->bits->create_job(d->be->bits_ctx, PROBE_NAME, job);
}

static void check_token_support(struct doctor *d)
{
    const struct bht_bits_ops *bits = d->be->bits;
    struct bht_check *c = next_check(d);
    struct bht_job *job = NULL;
    char h[64];
    bht_hr hr;

    if (!d->bits_ok) {
        bht_check_set(c, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL, d->req->bits_open_hr,
                      "see bits-service above", "BITS could not be reached (%s): no transfer "
                      "can start", bht_hr_format(d->req->bits_open_hr, h, sizeof h));
        return;
    }
    hr = create_probe(d, &job);
    if (BHT_FAILED(hr)) {
        bht_check_set(c, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL, hr,
                      hr == BG_E_TOO_MANY_JOBS_PER_USER || hr == BG_E_TOO_MANY_JOBS_PER_MACHINE
                          ? "see job-limits below: cancel abandoned jobs (bitsht cleanup)"
                          : "see bits-service and logon-session",
                      "BITS refused to create a job: %s (%s)", bht_hr_format(hr, h, sizeof h),
                      bht_hr_message(hr));
        return;
    }
    hr = bits->get_token_options(d->be->bits_ctx, job);
    if (BHT_SUCCEEDED(hr))
        bht_check_set(c, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_PASS, S_OK, "nothing to do",
                      "a new job has IBitsTokenOptions: helper tokens can be set (C87)");
    else if (hr == E_NOINTERFACE)
        bht_check_set(c, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL, hr,
                      "transfer with --no-helper-token, or on Windows 7 / Server 2008 R2 or "
                      "later",
                      "this BITS has no IBitsTokenOptions (E_NOINTERFACE: BITS before 4.0, or "
                      "Wine): helper-token transfers exit 3 (C87)");
    else
        bht_check_set(c, BHT_CHECK_TOKEN_SUPPORT, BHT_CHECK_FAIL, hr,
                      "see logon-session above",
                      "asking a new job for IBitsTokenOptions failed: %s (%s)",
                      bht_hr_format(hr, h, sizeof h), bht_hr_message(hr));
    /* the same throw-away job tells whether --allow-metered can work here */
    if (bits->version >= 2 && bits->set_cost_flags) {
        hr = bits->set_cost_flags(d->be->bits_ctx, job, BHT_BITS_COST_TRANSFER_ALWAYS);
        d->cost_flags_supported = BHT_SUCCEEDED(hr) ? BHT_TRI_YES
                                  : hr == E_NOINTERFACE ? BHT_TRI_NO : BHT_TRI_UNKNOWN;
    } else {
        d->cost_flags_supported = BHT_TRI_NO;
    }
    drop_probe(d, job, c);
}

static int is_final(enum bht_job_state s)
{
    return s == BHT_JOB_ACKNOWLEDGED || s == BHT_JOB_CANCELLED;
}

/* Non-final jobs visible to the caller whose name starts with prefix; -1 on failure. */
static long count_jobs(struct doctor *d, const char *prefix)
{
    struct bht_job_info *jobs = NULL;
    size_t n = 0;
    long live = 0;

    if (BHT_FAILED(d->be->bits->enum_jobs(d->be->bits_ctx, prefix, &jobs, &n)))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!is_final(jobs[i].state))
            live++;
    d->be->bits->free_mem(d->be->bits_ctx, jobs);
    return live;
}

static void check_job_limits(struct doctor *d)
{
    const struct bht_system_ops *sys = system_ops(d);
    struct bht_bits_policy policy = {BHT_POLICY_UNKNOWN, BHT_POLICY_UNKNOWN};
    struct bht_check *c = next_check(d);
    unsigned machine = 0;
    long machine_jobs = -1, caller_jobs, our_jobs;

    if (!d->bits_ok) {
        bits_unreachable(d, c, BHT_CHECK_JOB_LIMITS);
        return;
    }
    if (sys) {
        if (BHT_FAILED(sys->policy(d->be->system_ctx, &policy)))
            policy.max_jobs_per_user = policy.max_jobs_per_machine = BHT_POLICY_UNKNOWN;
        if (BHT_SUCCEEDED(sys->machine_jobs(d->be->system_ctx, &machine)))
            machine_jobs = (long)machine;
    }
    caller_jobs = count_jobs(d, "");
    our_jobs = count_jobs(d, BHT_NAME_PREFIX);
    /* either count failing leaves the caller's jobs uncounted (not "-1 of bitsht's") */
    bht_verdict_job_limits(&policy, d->admin, our_jobs < 0 ? -1 : caller_jobs, our_jobs,
                           machine_jobs, c);
}

static void check_network_cost(struct doctor *d)
{
    const struct bht_system_ops *sys = system_ops(d);
    struct bht_check *c = next_check(d);
    uint32_t cost = 0;
    bht_hr hr;

    if (!sys) {
        no_system_answer(c, BHT_CHECK_NETWORK_COST);
        return;
    }
    hr = sys->network_cost(d->be->system_ctx, &cost); /* before cost is read */
    bht_verdict_network_cost(hr, cost, d->cost_flags_supported, c);
}

static void check_proxy(struct doctor *d)
{
    const struct bht_system_ops *sys = system_ops(d);
    struct bht_proxy_info p;
    struct bht_check *c = next_check(d);

    memset(&p, 0, sizeof p);
    if (!sys) {
        no_system_answer(c, BHT_CHECK_PROXY);
        return;
    }
    bht_verdict_proxy(sys->proxy(d->be->system_ctx, &p), &p, c);
}

static const char *logon_type_name(enum bht_logon_type t)
{
    switch (t) {
    case BHT_LOGON_INTERACTIVE: return "interactive";
    case BHT_LOGON_NETWORK: return "network";
    case BHT_LOGON_NETWORK_CLEARTEXT: return "network-cleartext";
    case BHT_LOGON_BATCH: return "batch";
    case BHT_LOGON_SERVICE: return "service";
    case BHT_LOGON_NEW_CREDENTIALS: return "new-credentials";
    default: return "unknown";
    }
}

static const char *logon_fix(bht_hr hr)
{
    if (hr == BHT_E_LOGON_TYPE_NOT_GRANTED)
        return "pick a --logon-type the account holds (batch and service need the 'Log on as "
               "a batch job/service' right), or grant it in secpol.msc";
    if (hr == BHT_E_ACCOUNT_RESTRICTION)
        return "give the helper account a password (blank passwords cannot log on)";
    return "check the helper's name (DOMAIN\\USER, .\\USER for a local account) and password";
}

/* helper-logon: returns the open token (to be closed by the caller) or NULL. */
static struct bht_token *check_helper_logon(struct doctor *d)
{
    const struct bht_doctor_request *req = d->req;
    struct bht_check *c = next_check(d);
    struct bht_token *token = NULL;
    char h[64];
    bht_hr hr;

    hr = d->be->identity->logon(d->be->identity_ctx, req->domain ? req->domain : "", req->user,
                                req->password ? req->password : "", req->logon_type, &token);
    if (req->password)
        bht_wipe(req->password, strlen(req->password));
    if (BHT_FAILED(hr)) {
        bht_check_set(c, BHT_CHECK_HELPER_LOGON, BHT_CHECK_FAIL, hr, logon_fix(hr),
                      "%s could not log on with logon type %s: %s (%s)", req->user_arg,
                      logon_type_name(req->logon_type), bht_hr_format(hr, h, sizeof h),
                      bht_hr_message(hr));
        return NULL;
    }
    if (req->logon_type == BHT_LOGON_NETWORK && (req->token_flags & BHT_TOKEN_NETWORK))
        bht_check_set(c, BHT_CHECK_HELPER_LOGON, BHT_CHECK_WARN, S_OK,
                      "use --logon-type interactive, batch or new-credentials for a network "
                      "helper",
                      "%s logged on (network), but a network logon keeps no credentials: it "
                      "cannot open an SMB source or answer NTLM/Kerberos (C113)", req->user_arg);
    else
        bht_check_set(c, BHT_CHECK_HELPER_LOGON, BHT_CHECK_PASS, S_OK, "nothing to do",
                      "%s logged on with logon type %s", req->user_arg,
                      logon_type_name(req->logon_type));
    return token;
}

static const char *rule_fix(void)
{
    return "run bitsht elevated as an administrator, or pick a helper that is not an "
           "administrator (C92)";
}

/* helper-token-rule on a throw-away job: token options as the owner, impersonate, set the
 * helper token, always revert, set the flags, cancel (C87-C93). */
static void check_helper_rule(struct doctor *d, struct bht_token *token)
{
    const struct bht_bits_ops *bits = d->be->bits;
    const struct bht_identity_ops *id = d->be->identity;
    void *bctx = d->be->bits_ctx;
    struct bht_check *c = next_check(d);
    const char *who = d->req->user_arg;
    struct bht_job *job = NULL;
    char h[64];
    bht_hr hr, rhr;

    if (!token) {
        bht_check_set(c, BHT_CHECK_HELPER_RULE, BHT_CHECK_UNKNOWN, S_OK,
                      "fix helper-logon first", "the helper did not log on, so BITS was not "
                      "asked whether it accepts its token");
        return;
    }
    if (!d->bits_ok) {
        bits_unreachable(d, c, BHT_CHECK_HELPER_RULE);
        return;
    }
    hr = create_probe(d, &job);
    if (BHT_FAILED(hr)) {
        bht_check_set(c, BHT_CHECK_HELPER_RULE, BHT_CHECK_UNKNOWN, hr, "see helper-token-support",
                      "no throw-away job could be created (%s)", bht_hr_format(hr, h, sizeof h));
        return;
    }
    hr = bits->get_token_options(bctx, job);
    if (BHT_FAILED(hr)) {
        bht_check_set(c, BHT_CHECK_HELPER_RULE, BHT_CHECK_FAIL, hr, "see helper-token-support",
                      "the job has no helper-token options: %s", bht_hr_format(hr, h, sizeof h));
        drop_probe(d, job, c);
        return;
    }
    hr = id->impersonate(d->be->identity_ctx, token);
    if (BHT_FAILED(hr)) {
        bht_check_set(c, BHT_CHECK_HELPER_RULE, BHT_CHECK_FAIL, hr,
                      "check the helper account; under Wine impersonation never works (C106)",
                      "could not impersonate %s: %s (%s)", who, bht_hr_format(hr, h, sizeof h),
                      bht_hr_message(hr));
        drop_probe(d, job, c);
        return;
    }
    hr = bits->set_helper_token(bctx, job);
    rhr = id->revert(d->be->identity_ctx); /* on every path, before anything else */
    if (BHT_FAILED(hr)) {
        bht_check_set(c, BHT_CHECK_HELPER_RULE, BHT_CHECK_FAIL, hr,
                      hr == E_ACCESSDENIED ? rule_fix() : "see helper-token-support",
                      hr == E_ACCESSDENIED
                          ? "BITS refused %s's token for this owner: %s (an administrator helper "
                            "needs an administrator job owner on Windows 10 1607 and later, "
                            "C92; before 1607 only an administrator owner may set any, C91)"
                          : "BITS refused %s's token: %s",
                      who, bht_hr_format(hr, h, sizeof h));
    } else if (BHT_FAILED(rhr)) {
        bht_check_set(c, BHT_CHECK_HELPER_RULE, BHT_CHECK_FAIL, rhr, "report this as a bug",
                      "could not revert to the owner after setting the token: %s",
                      bht_hr_format(rhr, h, sizeof h));
    } else {
        hr = bits->set_helper_token_flags(bctx, job, d->req->token_flags);
        if (BHT_FAILED(hr))
            bht_check_set(c, BHT_CHECK_HELPER_RULE, BHT_CHECK_FAIL, hr,
                          hr == E_ACCESSDENIED ? rule_fix() : "check --token-flags",
                          "BITS took %s's token but refused flags 0x%X: %s (C93)", who,
                          (unsigned)d->req->token_flags, bht_hr_format(hr, h, sizeof h));
        else
            bht_check_set(c, BHT_CHECK_HELPER_RULE, BHT_CHECK_PASS, S_OK, "nothing to do",
                          "BITS accepted %s's token with flags 0x%X for a job of this owner "
                          "(C88, C92, C93; nothing was transferred)", who,
                          (unsigned)d->req->token_flags);
    }
    drop_probe(d, job, c);
}

bht_hr bht_run_doctor(const struct bht_backend *be, const struct bht_doctor_request *req,
                      struct bht_doctor_report *rep)
{
    struct doctor d;

    memset(rep, 0, sizeof *rep);
    memset(&d, 0, sizeof d);
    d.be = be;
    d.req = req;
    d.rep = rep;
    d.admin = BHT_TRI_UNKNOWN;
    d.cost_flags_supported = BHT_TRI_UNKNOWN;
    d.bits_ok = BHT_SUCCEEDED(req->bits_open_hr) && be->bits &&
                BHT_SUCCEEDED(bht_bits_ops_check(be->bits));
    check_service(&d);
    check_session(&d);
    check_version(&d);
    check_token_support(&d);
    check_job_limits(&d);
    check_network_cost(&d);
    check_proxy(&d);
    if (req->with_helper) {
        struct bht_token *token = NULL;

        if (be->identity && BHT_SUCCEEDED(bht_identity_ops_check(be->identity)))
            token = check_helper_logon(&d);
        else
            no_system_answer(next_check(&d), BHT_CHECK_HELPER_LOGON);
        check_helper_rule(&d, token);
        if (token)
            be->identity->close(be->identity_ctx, token);
    }
    if (req->password)
        bht_wipe(req->password, strlen(req->password));
    return S_OK;
}
