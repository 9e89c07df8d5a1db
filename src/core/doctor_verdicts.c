/* bitsht: the doctor's verdicts on the machine's answers (pure: answers in, a check out).
 *
 * Each verdict says what it saw in one line and what to do in another. An answer the
 * platform could not give (system.h's unknown values) gives BHT_CHECK_UNKNOWN, never a
 * verdict on a default. Row ids (Cnn) are bits-contract.md's. */
#include "doctor_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_MAX_JOBS_PER_USER 60L     /* §2.4, C05 */
#define DEFAULT_MAX_JOBS_PER_MACHINE 300L /* §2.4, C06 */

void bht_check_set(struct bht_check *out, enum bht_check_id id, enum bht_check_status status,
                   bht_hr hr, const char *fix, const char *reason_fmt, ...)
{
    va_list ap;

    out->id = id;
    out->status = status;
    out->hr = hr;
    va_start(ap, reason_fmt);
    vsnprintf(out->reason, sizeof out->reason, reason_fmt, ap);
    va_end(ap);
    snprintf(out->fix, sizeof out->fix, "%s", fix);
}

/* Only for a service that is not disabled: a disabled one has its own verdict. */
static const char *start_type_name(enum bht_start_type t)
{
    switch (t) {
    case BHT_START_AUTO: return "automatic";
    case BHT_START_DEMAND: return "manual";
    default: return "unknown";
    }
}

void bht_verdict_service(bht_hr hr, const struct bht_service_info *svc, struct bht_check *out)
{
    enum bht_check_id id = BHT_CHECK_SERVICE;
    char h[96];

    if (BHT_FAILED(hr)) {
        bht_check_set(out, id, BHT_CHECK_UNKNOWN, hr, "run bitsht doctor as an administrator, "
                      "or check by hand: sc qc BITS; sc query BITS",
                      "the service control manager did not answer (%s)",
                      bht_hr_format(hr, h, sizeof h));
        return;
    }
    if (svc->present == BHT_TRI_NO) {
        bht_check_set(out, id, BHT_CHECK_FAIL, S_OK,
                      "BITS is part of Windows: repair the installation (DISM /Online "
                      "/Cleanup-Image /RestoreHealth) or use a Windows that has it",
                      "no service named BITS is installed: every BITS call will fail");
        return;
    }
    if (svc->start_type == BHT_START_DISABLED) {
        bht_check_set(out, id, BHT_CHECK_FAIL, S_OK,
                      "re-enable it: remove the Group Policy or setting that disabled it, then "
                      "sc config BITS start= demand (as an administrator)",
                      "the BITS service is disabled (start type disabled, by policy or by hand): "
                      "creating a job fails with 0x80070422");
        return;
    }
    switch (svc->state) {
    case BHT_SVC_RUNNING:
        bht_check_set(out, id, BHT_CHECK_PASS, S_OK, "nothing to do",
                      "the BITS service is running (start type %s)",
                      start_type_name(svc->start_type));
        return;
    case BHT_SVC_STOPPED:
        if (svc->start_type == BHT_START_AUTO || svc->start_type == BHT_START_DEMAND) {
            bht_check_set(out, id, BHT_CHECK_PASS, S_OK, "nothing to do",
                          "the BITS service is stopped and starts when a program connects "
                          "(start type %s)", start_type_name(svc->start_type));
            return;
        }
        break;
    case BHT_SVC_START_PENDING:
    case BHT_SVC_STOP_PENDING:
    case BHT_SVC_PAUSED:
        bht_check_set(out, id, BHT_CHECK_WARN, S_OK,
                      "wait a moment and run bitsht doctor again; if it stays so, restart it: "
                      "sc stop BITS, then sc start BITS",
                      "the BITS service is %s (start type %s)",
                      svc->state == BHT_SVC_PAUSED ? "paused"
                      : svc->state == BHT_SVC_START_PENDING ? "starting" : "stopping",
                      start_type_name(svc->start_type));
        return;
    default:
        break;
    }
    bht_check_set(out, id, BHT_CHECK_UNKNOWN, S_OK, "check by hand: sc qc BITS; sc query BITS",
                  "the platform does not tell the BITS service's state (present: %s, start "
                  "type %s)",
                  svc->present == BHT_TRI_YES ? "yes" : "unknown",
                  start_type_name(svc->start_type));
}

/* Only for the kinds that get a fail or a warning (the others have verdicts of their own). */
static const char *session_name(enum bht_session_kind k)
{
    switch (k) {
    case BHT_SESSION_NETWORK: return "a network logon (WinRM, SSH, PsExec)";
    case BHT_SESSION_BATCH: return "a batch logon (a scheduled task)";
    case BHT_SESSION_SERVICE: return "a service logon (a service or CI agent account)";
    case BHT_SESSION_NEW_CREDENTIALS: return "a new-credentials logon (runas /netonly)";
    default: return "a logon of another type";
    }
}

#define SESSION_FIX                                                                          \
    "run bitsht as SYSTEM (a scheduled task: schtasks /create /ru SYSTEM ..., or a service "  \
    "running as LocalSystem), or in an interactive session (console or RDP) of this user"

void bht_verdict_session(bht_hr hr, const struct bht_session_info *s, struct bht_check *out)
{
    enum bht_check_id id = BHT_CHECK_SESSION;
    const char *who = s->account[0] ? s->account : "this user";
    char h[96];

    if (BHT_FAILED(hr)) {
        bht_check_set(out, id, BHT_CHECK_UNKNOWN, hr,
                      "check by hand: whoami /groups lists INTERACTIVE, SERVICE, BATCH or NETWORK",
                      "the logon session could not be read (%s)", bht_hr_format(hr, h, sizeof h));
        return;
    }
    if (s->system_account == BHT_TRI_YES) {
        bht_check_set(out, id, BHT_CHECK_PASS, S_OK, "nothing to do",
                      "%s is a system account: BITS moves its jobs without an interactive "
                      "logon (C109)", who);
        return;
    }
    switch (s->kind) {
    case BHT_SESSION_INTERACTIVE:
        bht_check_set(out, id, BHT_CHECK_PASS, S_OK, "nothing to do",
                      "%s runs in an interactive logon: BITS moves its jobs while it stays "
                      "logged on (C109)", who);
        return;
    case BHT_SESSION_NETWORK:
    case BHT_SESSION_BATCH:
    case BHT_SESSION_SERVICE:
        bht_check_set(out, id, BHT_CHECK_FAIL, S_OK, SESSION_FIX,
                      "%s runs in %s: BITS moves a job only while its owner is logged on "
                      "interactively or is a system account (C109); unless %s also has an "
                      "interactive session, jobs stay QUEUED or AddFile fails with 0x800704DD",
                      who, session_name(s->kind), who);
        return;
    case BHT_SESSION_NEW_CREDENTIALS:
    case BHT_SESSION_OTHER:
        bht_check_set(out, id, BHT_CHECK_WARN, S_OK,
                      "if jobs stay QUEUED, " SESSION_FIX,
                      "%s runs in %s: jobs move only while %s is also logged on "
                      "interactively (C109)", who, session_name(s->kind), who);
        return;
    default:
        break;
    }
    bht_check_set(out, id, BHT_CHECK_UNKNOWN, S_OK,
                  "check by hand: whoami /groups lists INTERACTIVE, SERVICE, BATCH or NETWORK",
                  "the platform does not tell %s's logon session type, so whether BITS will "
                  "move its jobs (C109) is unknown", who);
}

void bht_verdict_version(bht_hr hr, const char *version, struct bht_check *out)
{
    enum bht_check_id id = BHT_CHECK_VERSION;
    int major = 0, minor = 0;
    char h[96];

    if (BHT_FAILED(hr) || !version || sscanf(version, "%d.%d", &major, &minor) != 2) {
        bht_check_set(out, id, BHT_CHECK_UNKNOWN, BHT_FAILED(hr) ? hr : S_OK,
                      "nothing to do: helper-token-support below probes BITS directly",
                      "the platform does not tell BITS's version%s%s",
                      BHT_FAILED(hr) ? ": " : "", BHT_FAILED(hr) ? bht_hr_format(hr, h, sizeof h) : "");
        return;
    }
    if (major < 4) {
        bht_check_set(out, id, BHT_CHECK_FAIL, S_OK,
                      "use Windows 7 / Server 2008 R2 or later (BITS 4.0+), or --no-helper-token",
                      "BITS %d.%d has no helper tokens (IBitsTokenOptions came with BITS 4.0)",
                      major, minor);
        return;
    }
    if (major < 5) {
        bht_check_set(out, id, BHT_CHECK_WARN, S_OK,
                      "use Windows 8 / Server 2012 or later (BITS 5.0+) where metered networks "
                      "matter",
                      "BITS %d.%d has helper tokens but no job cost flags (BITS 5.0): "
                      "transfer --allow-metered only warns", major, minor);
        return;
    }
    bht_check_set(out, id, BHT_CHECK_PASS, S_OK, "nothing to do",
                  "BITS %d.%d: helper tokens (4.0) and job cost flags (5.0) are available",
                  major, minor);
}

static long limit_of(long policy, long fallback)
{
    return policy >= 0 ? policy : fallback;
}

void bht_verdict_job_limits(const struct bht_bits_policy *policy, enum bht_tristate admin,
                            long caller_jobs, long our_jobs, long machine_jobs,
                            struct bht_check *out)
{
    enum bht_check_id id = BHT_CHECK_JOB_LIMITS;
    long user_max, machine_max;
    char machine[64];
    const char *fix_user = "bitsht cleanup cancels bitsht's own jobs; others: bitsadmin /list, "
                           "or Get-BitsTransfer | Remove-BitsTransfer (PowerShell)";
    const char *fix_machine = "as an administrator: bitsadmin /list /allusers, then cancel "
                              "abandoned jobs (Get-BitsTransfer -AllUsers | Remove-BitsTransfer)";

    if (caller_jobs < 0) {
        bht_check_set(out, id, BHT_CHECK_UNKNOWN, S_OK, "check by hand: bitsadmin /list",
                      "the caller's jobs could not be counted");
        return;
    }
    if (policy->max_jobs_per_user == BHT_POLICY_UNKNOWN ||
        policy->max_jobs_per_machine == BHT_POLICY_UNKNOWN) {
        bht_check_set(out, id, BHT_CHECK_UNKNOWN, S_OK,
                      "check by hand: reg query HKLM\\Software\\Policies\\Microsoft\\Windows\\BITS",
                      "%ld job(s) of this user (%ld of bitsht's), but the BITS policy key could "
                      "not be read, so the limits are unknown", caller_jobs, our_jobs);
        return;
    }
    user_max = limit_of(policy->max_jobs_per_user, DEFAULT_MAX_JOBS_PER_USER);
    machine_max = limit_of(policy->max_jobs_per_machine, DEFAULT_MAX_JOBS_PER_MACHINE);
    if (machine_jobs >= 0)
        snprintf(machine, sizeof machine, "%ld", machine_jobs);
    else
        snprintf(machine, sizeof machine, "not visible (not an administrator)");
#define LIMITS_FMT "%ld job(s) of this user (%ld of bitsht's), machine: %s; limits %ld per " \
                   "user%s, %ld per machine%s"
#define LIMITS_ARGS caller_jobs, our_jobs, machine, user_max, \
                    policy->max_jobs_per_user >= 0 ? " (MaxJobsPerUser policy)" : "", \
                    machine_max, policy->max_jobs_per_machine >= 0 ? " (MaxJobsPerMachine policy)" : ""
    if (admin == BHT_TRI_YES) {
        bht_check_set(out, id, BHT_CHECK_PASS, S_OK, "nothing to do",
                      LIMITS_FMT "; administrators are exempt (C116)", LIMITS_ARGS);
        return;
    }
    if (caller_jobs >= user_max) {
        bht_check_set(out, id, BHT_CHECK_FAIL, S_OK, fix_user,
                      LIMITS_FMT ": a new job fails with BG_E_TOO_MANY_JOBS_PER_USER (C05)",
                      LIMITS_ARGS);
        return;
    }
    if (machine_jobs >= machine_max) {
        bht_check_set(out, id, BHT_CHECK_FAIL, S_OK, fix_machine,
                      LIMITS_FMT ": a new job fails with BG_E_TOO_MANY_JOBS_PER_MACHINE (C06)",
                      LIMITS_ARGS);
        return;
    }
    /* machine_jobs -1 (not visible) is never three quarters of a limit: both are >= 0 */
    if (caller_jobs * 4 >= user_max * 3 || machine_jobs * 4 >= machine_max * 3) {
        bht_check_set(out, id, BHT_CHECK_WARN, S_OK,
                      caller_jobs * 4 >= user_max * 3 ? fix_user : fix_machine,
                      LIMITS_FMT ": three quarters or more of a limit is used", LIMITS_ARGS);
        return;
    }
    if (admin == BHT_TRI_UNKNOWN && machine_jobs < 0) {
        bht_check_set(out, id, BHT_CHECK_PASS, S_OK, "nothing to do",
                      LIMITS_FMT "; other users' jobs are not visible", LIMITS_ARGS);
        return;
    }
    bht_check_set(out, id, BHT_CHECK_PASS, S_OK, "nothing to do", LIMITS_FMT, LIMITS_ARGS);
#undef LIMITS_FMT
#undef LIMITS_ARGS
}

void bht_verdict_network_cost(bht_hr hr, uint32_t cost, enum bht_tristate cost_flags_supported,
                              struct bht_check *out)
{
    enum bht_check_id id = BHT_CHECK_NETWORK_COST;
    const char *fix = cost_flags_supported == BHT_TRI_NO
                          ? "this BITS cannot set job cost flags (no IBackgroundCopyJob5): "
                            "transfer on an unmetered network"
                          : "bitsht transfer --allow-metered (the job's cost flags become "
                            "BITS_COST_STATE_TRANSFER_ALWAYS)";
    char h[96];

    if (BHT_FAILED(hr) || cost == 0) {
        bht_check_set(out, id, BHT_CHECK_UNKNOWN, BHT_FAILED(hr) ? hr : S_OK,
                      "if a job stays QUEUED on a metered network, use bitsht transfer "
                      "--allow-metered",
                      "the platform does not tell the network's cost%s%s",
                      BHT_FAILED(hr) ? ": " : "", BHT_FAILED(hr) ? bht_hr_format(hr, h, sizeof h) : "");
        return;
    }
    if (cost & (BHT_COST_ROAMING | BHT_COST_OVERDATALIMIT)) {
        bht_check_set(out, id, BHT_CHECK_WARN, S_OK, fix,
                      "the network is %s (cost 0x%X): jobs with BITS's default cost policy "
                      "wait until the network changes",
                      cost & BHT_COST_ROAMING ? "roaming" : "over its data limit", (unsigned)cost);
        return;
    }
    if (cost & (BHT_COST_FIXED | BHT_COST_VARIABLE)) {
        bht_check_set(out, id, BHT_CHECK_WARN, S_OK, fix,
                      "the network is metered (%s, cost 0x%X): background jobs may wait for an "
                      "unmetered network, as BITS's cost policy decides",
                      cost & BHT_COST_VARIABLE ? "charged by use" : "a data plan with a limit",
                      (unsigned)cost);
        return;
    }
    bht_check_set(out, id, BHT_CHECK_PASS, S_OK, "nothing to do",
                  "the network is not metered (cost 0x%X): jobs transfer without waiting",
                  (unsigned)cost);
}

void bht_verdict_proxy(bht_hr hr, const struct bht_proxy_info *p, struct bht_check *out)
{
    enum bht_check_id id = BHT_CHECK_PROXY;
    const char *fix_auth =
        "if the proxy asks for NTLM/Kerberos (HTTP 407), transfer with a helper and "
        "--token-flags network: bitsht then sets implicit credentials for server and proxy "
        "(C114)";
    char h[96];

    if (BHT_FAILED(hr) || p->kind == BHT_PROXY_UNKNOWN) {
        bht_check_set(out, id, BHT_CHECK_UNKNOWN, BHT_FAILED(hr) ? hr : S_OK,
                      "check by hand: netsh winhttp show proxy; Internet Options > Connections",
                      "the platform does not tell the proxy settings%s%s",
                      BHT_FAILED(hr) ? ": " : "", BHT_FAILED(hr) ? bht_hr_format(hr, h, sizeof h) : "");
        return;
    }
    if (p->kind == BHT_PROXY_NAMED) {
        bht_check_set(out, id, BHT_CHECK_WARN, S_OK, fix_auth,
                      "jobs go through the proxy %s", p->server);
        return;
    }
    if (p->kind == BHT_PROXY_AUTO) {
        bht_check_set(out, id, BHT_CHECK_WARN, S_OK, fix_auth,
                      "proxy auto-configuration is on (%s): jobs may go through a proxy",
                      p->server[0] ? p->server : "WPAD auto-detection");
        return;
    }
    if (p->machine_kind == BHT_PROXY_NAMED) {
        bht_check_set(out, id, BHT_CHECK_WARN, S_OK, fix_auth,
                      "no proxy for this user, but WinHTTP's machine-wide default names one: "
                      "jobs of system accounts may go through it");
        return;
    }
    bht_check_set(out, id, BHT_CHECK_PASS, S_OK, "nothing to do",
                  "no proxy: jobs connect directly, no proxy credentials are needed");
}
