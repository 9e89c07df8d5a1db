/* bitsht: the doctor's verdicts on their own (src/core/doctor_verdicts.c; pure: answers
 * in, one check out). Every branch with its exact status, HRESULT, reason and fix, and
 * every limit on both sides: 59/60 jobs per user, 299/300 per machine, 44/45 and 224/225
 * for three quarters, a policy of 0, BITS 3.x/4.x/5.0. The driver's tests (core_doctor.c)
 * show the same checks reached on the fake. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bitsht/doctor.h"

/* The exact check, or a failure naming the field that differs. */
static void assert_check_is(const struct bht_check *c, enum bht_check_id id,
                         enum bht_check_status status, bht_hr hr, const char *fix,
                         const char *reason)
{
    if (c->id != id || c->status != status || c->hr != hr)
        fail_msg("got %s %s 0x%08X, want %s %s 0x%08X (reason: %s)", bht_check_id_name(c->id),
                 bht_check_status_name(c->status), (unsigned)c->hr, bht_check_id_name(id),
                 bht_check_status_name(status), (unsigned)hr, c->reason);
    assert_string_equal(c->reason, reason);
    assert_string_equal(c->fix, fix);
}

/* A check full of garbage, so a verdict that leaves a field unset shows. */
static struct bht_check *dirty(struct bht_check *c)
{
    memset(c, 0x5A, sizeof *c);
    c->reason[sizeof c->reason - 1] = '\0';
    c->fix[sizeof c->fix - 1] = '\0';
    return c;
}

/* ------------------------------------------------------------------ bits-service */

#define SVC_ASK_FIX "run bitsht doctor as an administrator, or check by hand: sc qc BITS; sc query BITS"
#define SVC_WAIT_FIX                                                                          \
    "wait a moment and run bitsht doctor again; if it stays so, restart it: sc stop BITS, "   \
    "then sc start BITS"
#define SVC_HAND_FIX "check by hand: sc qc BITS; sc query BITS"

static void service(bht_hr hr, enum bht_tristate present, enum bht_start_type start,
                    enum bht_service_state state, struct bht_check *c)
{
    struct bht_service_info svc = {present, start, state};

    bht_verdict_service(hr, &svc, dirty(c));
}

static void service_verdicts(void **state)
{
    struct bht_check c;

    (void)state;
    service(E_ACCESSDENIED, BHT_TRI_YES, BHT_START_AUTO, BHT_SVC_RUNNING, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_UNKNOWN, E_ACCESSDENIED, SVC_ASK_FIX,
                 "the service control manager did not answer (0x80070005 (E_ACCESSDENIED))");
    /* a success code other than S_OK is an answer */
    service(S_FALSE, BHT_TRI_YES, BHT_START_AUTO, BHT_SVC_RUNNING, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "the BITS service is running (start type automatic)");
    /* absent wins over disabled; disabled over any state */
    service(S_OK, BHT_TRI_NO, BHT_START_DISABLED, BHT_SVC_RUNNING, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_FAIL, S_OK,
                 "BITS is part of Windows: repair the installation (DISM /Online "
                 "/Cleanup-Image /RestoreHealth) or use a Windows that has it",
                 "no service named BITS is installed: every BITS call will fail");
    service(S_OK, BHT_TRI_YES, BHT_START_DISABLED, BHT_SVC_RUNNING, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_FAIL, S_OK,
                 "re-enable it: remove the Group Policy or setting that disabled it, then "
                 "sc config BITS start= demand (as an administrator)",
                 "the BITS service is disabled (start type disabled, by policy or by hand): "
                 "creating a job fails with 0x80070422");
    service(S_OK, BHT_TRI_UNKNOWN, BHT_START_DEMAND, BHT_SVC_RUNNING, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "the BITS service is running (start type manual)");
    service(S_OK, BHT_TRI_YES, BHT_START_UNKNOWN, BHT_SVC_RUNNING, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "the BITS service is running (start type unknown)");
    /* stopped: fine when COM may start it */
    service(S_OK, BHT_TRI_YES, BHT_START_AUTO, BHT_SVC_STOPPED, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "the BITS service is stopped and starts when a program connects (start type "
                 "automatic)");
    service(S_OK, BHT_TRI_YES, BHT_START_DEMAND, BHT_SVC_STOPPED, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "the BITS service is stopped and starts when a program connects (start type "
                 "manual)");
    service(S_OK, BHT_TRI_YES, BHT_START_UNKNOWN, BHT_SVC_STOPPED, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_UNKNOWN, S_OK, SVC_HAND_FIX,
                 "the platform does not tell the BITS service's state (present: yes, start "
                 "type unknown)");
    /* between states */
    service(S_OK, BHT_TRI_YES, BHT_START_DEMAND, BHT_SVC_START_PENDING, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_WARN, S_OK, SVC_WAIT_FIX,
                 "the BITS service is starting (start type manual)");
    service(S_OK, BHT_TRI_YES, BHT_START_AUTO, BHT_SVC_STOP_PENDING, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_WARN, S_OK, SVC_WAIT_FIX,
                 "the BITS service is stopping (start type automatic)");
    service(S_OK, BHT_TRI_YES, BHT_START_AUTO, BHT_SVC_PAUSED, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_WARN, S_OK, SVC_WAIT_FIX,
                 "the BITS service is paused (start type automatic)");
    /* no state */
    service(S_OK, BHT_TRI_UNKNOWN, BHT_START_AUTO, BHT_SVC_UNKNOWN, &c);
    assert_check_is(&c, BHT_CHECK_SERVICE, BHT_CHECK_UNKNOWN, S_OK, SVC_HAND_FIX,
                 "the platform does not tell the BITS service's state (present: unknown, start "
                 "type automatic)");
}

/* ------------------------------------------------------------------ logon-session */

#define SESSION_FIX                                                                          \
    "run bitsht as SYSTEM (a scheduled task: schtasks /create /ru SYSTEM ..., or a service "  \
    "running as LocalSystem), or in an interactive session (console or RDP) of this user"
#define SESSION_HAND_FIX "check by hand: whoami /groups lists INTERACTIVE, SERVICE, BATCH or NETWORK"

static void session(bht_hr hr, enum bht_session_kind kind, enum bht_tristate system,
                    const char *account, struct bht_check *c)
{
    struct bht_session_info s;

    memset(&s, 0, sizeof s);
    s.kind = kind;
    s.system_account = system;
    s.admin = BHT_TRI_NO;
    snprintf(s.account, sizeof s.account, "%s", account);
    bht_verdict_session(hr, &s, dirty(c));
}

/* C109: jobs move only for an interactive owner or a system account. */
static void session_verdicts_c109(void **state)
{
    static const struct {
        enum bht_session_kind kind;
        const char *name;
    } failing[] = {
        {BHT_SESSION_NETWORK, "a network logon (WinRM, SSH, PsExec)"},
        {BHT_SESSION_BATCH, "a batch logon (a scheduled task)"},
        {BHT_SESSION_SERVICE, "a service logon (a service or CI agent account)"},
    };
    struct bht_check c;
    char want[400];

    (void)state;
    session(E_ACCESSDENIED, BHT_SESSION_INTERACTIVE, BHT_TRI_NO, "CORP\\alice", &c);
    assert_check_is(&c, BHT_CHECK_SESSION, BHT_CHECK_UNKNOWN, E_ACCESSDENIED, SESSION_HAND_FIX,
                 "the logon session could not be read (0x80070005 (E_ACCESSDENIED))");
    /* a system account passes whatever its session */
    session(S_OK, BHT_SESSION_SERVICE, BHT_TRI_YES, "NT AUTHORITY\\SYSTEM", &c);
    assert_check_is(&c, BHT_CHECK_SESSION, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "NT AUTHORITY\\SYSTEM is a system account: BITS moves its jobs without an "
                 "interactive logon (C109)");
    session(S_OK, BHT_SESSION_INTERACTIVE, BHT_TRI_UNKNOWN, "", &c);
    assert_check_is(&c, BHT_CHECK_SESSION, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "this user runs in an interactive logon: BITS moves its jobs while it stays "
                 "logged on (C109)");
    for (size_t i = 0; i < sizeof failing / sizeof failing[0]; i++) {
        session(S_OK, failing[i].kind, BHT_TRI_NO, "CORP\\ci", &c);
        snprintf(want, sizeof want,
                 "CORP\\ci runs in %s: BITS moves a job only while its owner is logged on "
                 "interactively or is a system account (C109); unless CORP\\ci also has an "
                 "interactive session, jobs stay QUEUED or AddFile fails with 0x800704DD",
                 failing[i].name);
        assert_check_is(&c, BHT_CHECK_SESSION, BHT_CHECK_FAIL, S_OK, SESSION_FIX, want);
    }
    session(S_OK, BHT_SESSION_NEW_CREDENTIALS, BHT_TRI_NO, "CORP\\alice", &c);
    assert_check_is(&c, BHT_CHECK_SESSION, BHT_CHECK_WARN, S_OK,
                 "if jobs stay QUEUED, " SESSION_FIX,
                 "CORP\\alice runs in a new-credentials logon (runas /netonly): jobs move only "
                 "while CORP\\alice is also logged on interactively (C109)");
    session(S_OK, BHT_SESSION_OTHER, BHT_TRI_NO, "", &c);
    assert_check_is(&c, BHT_CHECK_SESSION, BHT_CHECK_WARN, S_OK,
                 "if jobs stay QUEUED, " SESSION_FIX,
                 "this user runs in a logon of another type: jobs move only while this user is "
                 "also logged on interactively (C109)");
    session(S_OK, BHT_SESSION_INTERACTIVE, BHT_TRI_NO, "x", &c); /* a one-letter name */
    assert_check_is(&c, BHT_CHECK_SESSION, BHT_CHECK_PASS, S_OK, "nothing to do",
                    "x runs in an interactive logon: BITS moves its jobs while it stays "
                    "logged on (C109)");
    session(S_OK, BHT_SESSION_UNKNOWN, BHT_TRI_NO, "CORP\\alice", &c);
    assert_check_is(&c, BHT_CHECK_SESSION, BHT_CHECK_UNKNOWN, S_OK, SESSION_HAND_FIX,
                 "the platform does not tell CORP\\alice's logon session type, so whether BITS "
                 "will move its jobs (C109) is unknown");
}

/* ------------------------------------------------------------------ bits-version */

#define VERSION_UNKNOWN_FIX "nothing to do: helper-token-support below probes BITS directly"

static void version_verdicts(void **state)
{
    struct bht_check c;

    (void)state;
    bht_verdict_version(E_FAIL, "10.0", dirty(&c));
    assert_check_is(&c, BHT_CHECK_VERSION, BHT_CHECK_UNKNOWN, E_FAIL, VERSION_UNKNOWN_FIX,
                 "the platform does not tell BITS's version: 0x80004005 (E_FAIL)");
    bht_verdict_version(S_OK, NULL, dirty(&c));
    assert_check_is(&c, BHT_CHECK_VERSION, BHT_CHECK_UNKNOWN, S_OK, VERSION_UNKNOWN_FIX,
                 "the platform does not tell BITS's version");
    bht_verdict_version(S_OK, "10", dirty(&c)); /* a major without a minor */
    assert_check_is(&c, BHT_CHECK_VERSION, BHT_CHECK_UNKNOWN, S_OK, VERSION_UNKNOWN_FIX,
                 "the platform does not tell BITS's version");
    bht_verdict_version(S_OK, "", dirty(&c));
    assert_check_is(&c, BHT_CHECK_VERSION, BHT_CHECK_UNKNOWN, S_OK, VERSION_UNKNOWN_FIX,
                 "the platform does not tell BITS's version");
    bht_verdict_version(S_OK, "3.5", dirty(&c));
    assert_check_is(&c, BHT_CHECK_VERSION, BHT_CHECK_FAIL, S_OK,
                 "use Windows 7 / Server 2008 R2 or later (BITS 4.0+), or --no-helper-token",
                 "BITS 3.5 has no helper tokens (IBitsTokenOptions came with BITS 4.0)");
    bht_verdict_version(S_OK, "4.0", dirty(&c));
    assert_check_is(&c, BHT_CHECK_VERSION, BHT_CHECK_WARN, S_OK,
                 "use Windows 8 / Server 2012 or later (BITS 5.0+) where metered networks "
                 "matter",
                 "BITS 4.0 has helper tokens but no job cost flags (BITS 5.0): transfer "
                 "--allow-metered only warns");
    bht_verdict_version(S_OK, "4.9", dirty(&c));
    assert_int_equal(c.status, BHT_CHECK_WARN);
    bht_verdict_version(S_OK, "5.0", dirty(&c));
    assert_check_is(&c, BHT_CHECK_VERSION, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "BITS 5.0: helper tokens (4.0) and job cost flags (5.0) are available");
    bht_verdict_version(S_FALSE, "10.1", dirty(&c)); /* S_FALSE is an answer */
    assert_check_is(&c, BHT_CHECK_VERSION, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "BITS 10.1: helper tokens (4.0) and job cost flags (5.0) are available");
}

/* ------------------------------------------------------------------ job-limits */

#define FIX_USER                                                                             \
    "bitsht cleanup cancels bitsht's own jobs; others: bitsadmin /list, or Get-BitsTransfer " \
    "| Remove-BitsTransfer (PowerShell)"
#define FIX_MACHINE                                                                          \
    "as an administrator: bitsadmin /list /allusers, then cancel abandoned jobs "            \
    "(Get-BitsTransfer -AllUsers | Remove-BitsTransfer)"
#define DEFAULTS "limits 60 per user, 300 per machine"

static const struct bht_bits_policy no_policy = {BHT_POLICY_NOT_SET, BHT_POLICY_NOT_SET};

static void limits(const struct bht_bits_policy *policy, enum bht_tristate admin, long caller,
                   long ours, long machine, struct bht_check *c)
{
    bht_verdict_job_limits(policy, admin, caller, ours, machine, dirty(c));
}

/* C05, C06, C116: the limits, their policies, and who is exempt. */
static void job_limit_verdicts_c05_c06_c116(void **state)
{
    static const struct bht_bits_policy user_unknown = {BHT_POLICY_UNKNOWN, BHT_POLICY_NOT_SET};
    static const struct bht_bits_policy machine_unknown = {BHT_POLICY_NOT_SET,
                                                           BHT_POLICY_UNKNOWN};
    static const struct bht_bits_policy zero = {0, 0};
    static const struct bht_bits_policy four = {4, 8};
    struct bht_check c;

    (void)state;
    limits(&no_policy, BHT_TRI_NO, -1, 0, 10, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_UNKNOWN, S_OK,
                 "check by hand: bitsadmin /list", "the caller's jobs could not be counted");
    limits(&user_unknown, BHT_TRI_NO, 3, 1, 10, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_UNKNOWN, S_OK,
                 "check by hand: reg query HKLM\\Software\\Policies\\Microsoft\\Windows\\BITS",
                 "3 job(s) of this user (1 of bitsht's), but the BITS policy key could not be "
                 "read, so the limits are unknown");
    limits(&machine_unknown, BHT_TRI_NO, 0, 0, 10, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_UNKNOWN, S_OK,
                 "check by hand: reg query HKLM\\Software\\Policies\\Microsoft\\Windows\\BITS",
                 "0 job(s) of this user (0 of bitsht's), but the BITS policy key could not be "
                 "read, so the limits are unknown");
    /* plain passes: no job at all, and the machine visible or not */
    limits(&no_policy, BHT_TRI_NO, 0, 0, 0, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "0 job(s) of this user (0 of bitsht's), machine: 0; " DEFAULTS);
    limits(&no_policy, BHT_TRI_NO, 2, 1, -1, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "2 job(s) of this user (1 of bitsht's), machine: not visible (not an "
                 "administrator); " DEFAULTS);
    limits(&no_policy, BHT_TRI_UNKNOWN, 2, 1, -1, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "2 job(s) of this user (1 of bitsht's), machine: not visible (not an "
                 "administrator); " DEFAULTS "; other users' jobs are not visible");
    limits(&no_policy, BHT_TRI_UNKNOWN, 2, 1, 0, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "2 job(s) of this user (1 of bitsht's), machine: 0; " DEFAULTS);
    /* C116: administrators are exempt, even over both limits */
    limits(&no_policy, BHT_TRI_YES, 60, 60, 300, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "60 job(s) of this user (60 of bitsht's), machine: 300; " DEFAULTS
                 "; administrators are exempt (C116)");
    /* C05 at 60, not at 59 (which is over three quarters: a warning for the user) */
    limits(&no_policy, BHT_TRI_NO, 60, 2, -1, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_FAIL, S_OK, FIX_USER,
                 "60 job(s) of this user (2 of bitsht's), machine: not visible (not an "
                 "administrator); " DEFAULTS ": a new job fails with "
                 "BG_E_TOO_MANY_JOBS_PER_USER (C05)");
    limits(&no_policy, BHT_TRI_NO, 59, 2, -1, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_WARN, S_OK, FIX_USER,
                 "59 job(s) of this user (2 of bitsht's), machine: not visible (not an "
                 "administrator); " DEFAULTS ": three quarters or more of a limit is used");
    /* C06 at 300, not at 299 */
    limits(&no_policy, BHT_TRI_NO, 1, 0, 300, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_FAIL, S_OK, FIX_MACHINE,
                 "1 job(s) of this user (0 of bitsht's), machine: 300; " DEFAULTS
                 ": a new job fails with BG_E_TOO_MANY_JOBS_PER_MACHINE (C06)");
    limits(&no_policy, BHT_TRI_NO, 1, 0, 299, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_WARN, S_OK, FIX_MACHINE,
                 "1 job(s) of this user (0 of bitsht's), machine: 299; " DEFAULTS
                 ": three quarters or more of a limit is used");
    /* three quarters: 45 of 60 and 225 of 300 warn, 44 and 224 do not */
    limits(&no_policy, BHT_TRI_NO, 45, 0, 0, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_WARN, S_OK, FIX_USER,
                 "45 job(s) of this user (0 of bitsht's), machine: 0; " DEFAULTS
                 ": three quarters or more of a limit is used");
    limits(&no_policy, BHT_TRI_NO, 44, 0, 224, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "44 job(s) of this user (0 of bitsht's), machine: 224; " DEFAULTS);
    limits(&no_policy, BHT_TRI_NO, 44, 0, 225, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_WARN, S_OK, FIX_MACHINE,
                 "44 job(s) of this user (0 of bitsht's), machine: 225; " DEFAULTS
                 ": three quarters or more of a limit is used");
    limits(&no_policy, BHT_TRI_NO, 45, 0, 225, &c); /* both: the user's fix first */
    assert_int_equal(c.status, BHT_CHECK_WARN);
    assert_string_equal(c.fix, FIX_USER);
    /* policies: the value is the limit, 0 included (every new job fails) */
    limits(&zero, BHT_TRI_NO, 0, 0, -1, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_FAIL, S_OK, FIX_USER,
                 "0 job(s) of this user (0 of bitsht's), machine: not visible (not an "
                 "administrator); limits 0 per user (MaxJobsPerUser policy), 0 per machine "
                 "(MaxJobsPerMachine policy): a new job fails with "
                 "BG_E_TOO_MANY_JOBS_PER_USER (C05)");
    limits(&four, BHT_TRI_NO, 2, 0, 8, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_FAIL, S_OK, FIX_MACHINE,
                 "2 job(s) of this user (0 of bitsht's), machine: 8; limits 4 per user "
                 "(MaxJobsPerUser policy), 8 per machine (MaxJobsPerMachine policy): a new job "
                 "fails with BG_E_TOO_MANY_JOBS_PER_MACHINE (C06)");
    limits(&four, BHT_TRI_NO, 3, 0, 5, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_WARN, S_OK, FIX_USER,
                 "3 job(s) of this user (0 of bitsht's), machine: 5; limits 4 per user "
                 "(MaxJobsPerUser policy), 8 per machine (MaxJobsPerMachine policy): three "
                 "quarters or more of a limit is used");
    limits(&four, BHT_TRI_NO, 2, 0, 5, &c);
    assert_check_is(&c, BHT_CHECK_JOB_LIMITS, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "2 job(s) of this user (0 of bitsht's), machine: 5; limits 4 per user "
                 "(MaxJobsPerUser policy), 8 per machine (MaxJobsPerMachine policy)");
}

/* ------------------------------------------------------------------ network-cost */

#define ALLOW_METERED_FIX                                                                    \
    "bitsht transfer --allow-metered (the job's cost flags become "                          \
    "BITS_COST_STATE_TRANSFER_ALWAYS)"
#define NO_JOB5_FIX                                                                          \
    "this BITS cannot set job cost flags (no IBackgroundCopyJob5): transfer on an unmetered " \
    "network"
#define COST_UNKNOWN_FIX                                                                     \
    "if a job stays QUEUED on a metered network, use bitsht transfer --allow-metered"

/* C117: a metered network holds jobs whose cost flags do not allow it. */
static void network_cost_verdicts_c117(void **state)
{
    struct bht_check c;

    (void)state;
    bht_verdict_network_cost(E_NOTIMPL, BHT_COST_ROAMING, BHT_TRI_YES, dirty(&c));
    assert_check_is(&c, BHT_CHECK_NETWORK_COST, BHT_CHECK_UNKNOWN, E_NOTIMPL, COST_UNKNOWN_FIX,
                 "the platform does not tell the network's cost: 0x80004001 (E_NOTIMPL)");
    bht_verdict_network_cost(S_OK, 0, BHT_TRI_YES, dirty(&c));
    assert_check_is(&c, BHT_CHECK_NETWORK_COST, BHT_CHECK_UNKNOWN, S_OK, COST_UNKNOWN_FIX,
                 "the platform does not tell the network's cost");
    bht_verdict_network_cost(S_OK, BHT_COST_ROAMING | BHT_COST_OVERDATALIMIT | BHT_COST_VARIABLE,
                             BHT_TRI_YES, dirty(&c));
    assert_check_is(&c, BHT_CHECK_NETWORK_COST, BHT_CHECK_WARN, S_OK, ALLOW_METERED_FIX,
                 "the network is roaming (cost 0x50004): jobs with BITS's default cost policy "
                 "wait until the network changes");
    bht_verdict_network_cost(S_OK, BHT_COST_OVERDATALIMIT | BHT_COST_FIXED, BHT_TRI_NO,
                             dirty(&c));
    assert_check_is(&c, BHT_CHECK_NETWORK_COST, BHT_CHECK_WARN, S_OK, NO_JOB5_FIX,
                 "the network is over its data limit (cost 0x10002): jobs with BITS's default "
                 "cost policy wait until the network changes");
    bht_verdict_network_cost(S_OK, BHT_COST_VARIABLE, BHT_TRI_UNKNOWN, dirty(&c));
    assert_check_is(&c, BHT_CHECK_NETWORK_COST, BHT_CHECK_WARN, S_OK, ALLOW_METERED_FIX,
                 "the network is metered (charged by use, cost 0x4): background jobs may wait "
                 "for an unmetered network, as BITS's cost policy decides");
    bht_verdict_network_cost(S_OK, BHT_COST_FIXED | BHT_COST_APPROACHINGDATALIMIT, BHT_TRI_NO,
                             dirty(&c));
    assert_check_is(&c, BHT_CHECK_NETWORK_COST, BHT_CHECK_WARN, S_OK, NO_JOB5_FIX,
                 "the network is metered (a data plan with a limit, cost 0x80002): background "
                 "jobs may wait for an unmetered network, as BITS's cost policy decides");
    bht_verdict_network_cost(S_FALSE, BHT_COST_UNRESTRICTED | BHT_COST_CONGESTED, BHT_TRI_NO,
                             dirty(&c));
    assert_check_is(&c, BHT_CHECK_NETWORK_COST, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "the network is not metered (cost 0x20001): jobs transfer without waiting");
}

/* ------------------------------------------------------------------ proxy */

#define PROXY_AUTH_FIX                                                                       \
    "if the proxy asks for NTLM/Kerberos (HTTP 407), transfer with a helper and "             \
    "--token-flags network: bitsht then sets implicit credentials for server and proxy "      \
    "(C114)"
#define PROXY_HAND_FIX "check by hand: netsh winhttp show proxy; Internet Options > Connections"

static void proxy(bht_hr hr, enum bht_proxy_kind kind, const char *server,
                  enum bht_proxy_kind machine, struct bht_check *c)
{
    struct bht_proxy_info p;

    memset(&p, 0, sizeof p);
    p.kind = kind;
    p.machine_kind = machine;
    snprintf(p.server, sizeof p.server, "%s", server);
    bht_verdict_proxy(hr, &p, dirty(c));
}

/* C114: a proxy may ask for credentials only a NETWORK helper answers. */
static void proxy_verdicts_c114(void **state)
{
    struct bht_check c;

    (void)state;
    proxy(E_ACCESSDENIED, BHT_PROXY_DIRECT, "", BHT_PROXY_DIRECT, &c);
    assert_check_is(&c, BHT_CHECK_PROXY, BHT_CHECK_UNKNOWN, E_ACCESSDENIED, PROXY_HAND_FIX,
                 "the platform does not tell the proxy settings: 0x80070005 (E_ACCESSDENIED)");
    proxy(S_OK, BHT_PROXY_UNKNOWN, "", BHT_PROXY_NAMED, &c);
    assert_check_is(&c, BHT_CHECK_PROXY, BHT_CHECK_UNKNOWN, S_OK, PROXY_HAND_FIX,
                 "the platform does not tell the proxy settings");
    proxy(S_OK, BHT_PROXY_NAMED, "proxy.corp.example:8080", BHT_PROXY_DIRECT, &c);
    assert_check_is(&c, BHT_CHECK_PROXY, BHT_CHECK_WARN, S_OK, PROXY_AUTH_FIX,
                 "jobs go through the proxy proxy.corp.example:8080");
    proxy(S_OK, BHT_PROXY_AUTO, "http://wpad/wpad.dat", BHT_PROXY_DIRECT, &c);
    assert_check_is(&c, BHT_CHECK_PROXY, BHT_CHECK_WARN, S_OK, PROXY_AUTH_FIX,
                 "proxy auto-configuration is on (http://wpad/wpad.dat): jobs may go through "
                 "a proxy");
    proxy(S_OK, BHT_PROXY_AUTO, "x", BHT_PROXY_DIRECT, &c); /* a one-character PAC name */
    assert_check_is(&c, BHT_CHECK_PROXY, BHT_CHECK_WARN, S_OK, PROXY_AUTH_FIX,
                    "proxy auto-configuration is on (x): jobs may go through a proxy");
    proxy(S_OK, BHT_PROXY_AUTO, "", BHT_PROXY_DIRECT, &c);
    assert_check_is(&c, BHT_CHECK_PROXY, BHT_CHECK_WARN, S_OK, PROXY_AUTH_FIX,
                 "proxy auto-configuration is on (WPAD auto-detection): jobs may go through a "
                 "proxy");
    proxy(S_FALSE, BHT_PROXY_DIRECT, "", BHT_PROXY_NAMED, &c);
    assert_check_is(&c, BHT_CHECK_PROXY, BHT_CHECK_WARN, S_OK, PROXY_AUTH_FIX,
                 "no proxy for this user, but WinHTTP's machine-wide default names one: jobs "
                 "of system accounts may go through it");
    proxy(S_OK, BHT_PROXY_DIRECT, "", BHT_PROXY_AUTO, &c);
    assert_check_is(&c, BHT_CHECK_PROXY, BHT_CHECK_PASS, S_OK, "nothing to do",
                 "no proxy: jobs connect directly, no proxy credentials are needed");
}

/* ------------------------------------------------------------------ names, exit code */

static void names_and_exit_code(void **state)
{
    struct bht_doctor_report rep;

    (void)state;
    assert_string_equal(bht_check_id_name(BHT_CHECK_SERVICE), "bits-service");
    assert_string_equal(bht_check_id_name(BHT_CHECK_HELPER_RULE), "helper-token-rule");
    assert_string_equal(bht_check_id_name(BHT_CHECK_COUNT), "unknown-check");
    assert_string_equal(bht_check_id_name((enum bht_check_id)-1), "unknown-check");
    assert_string_equal(bht_check_status_name(BHT_CHECK_PASS), "pass");
    assert_string_equal(bht_check_status_name(BHT_CHECK_UNKNOWN), "unknown");
    assert_string_equal(bht_check_status_name(BHT_CHECK_FAIL), "fail");
    assert_string_equal(bht_check_status_name((enum bht_check_status)4), "unknown");
    assert_string_equal(bht_check_status_name((enum bht_check_status)-1), "unknown");
    memset(&rep, 0, sizeof rep);
    assert_int_equal(bht_doctor_exit_code(&rep), 0);
    rep.count = 3;
    rep.checks[0].status = BHT_CHECK_WARN;
    rep.checks[1].status = BHT_CHECK_UNKNOWN;
    rep.checks[2].status = BHT_CHECK_FAIL; /* the last one counts */
    assert_int_equal(bht_doctor_exit_code(&rep), 1);
    rep.count = 2; /* a fail past count is not read */
    assert_int_equal(bht_doctor_exit_code(&rep), 0);
    rep.count = 1; /* the first one counts too */
    rep.checks[0].status = BHT_CHECK_FAIL;
    assert_int_equal(bht_doctor_exit_code(&rep), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(service_verdicts),
        cmocka_unit_test(session_verdicts_c109),
        cmocka_unit_test(version_verdicts),
        cmocka_unit_test(job_limit_verdicts_c05_c06_c116),
        cmocka_unit_test(network_cost_verdicts_c117),
        cmocka_unit_test(proxy_verdicts_c114),
        cmocka_unit_test(names_and_exit_code),
    };
    return cmocka_run_group_tests_name("core_doctor_verdicts", tests, NULL, NULL);
}
