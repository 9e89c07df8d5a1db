/* bitsht: read-only questions about the machine BITS runs on (design.md "System checks").
 *
 * A third ops struct beside bht_bits_ops and bht_identity_ops, with its own ctx, because
 * these questions are about the machine, not a job or a logon: the service's configuration,
 * the caller's logon session, BITS policy keys, the network's cost, the proxy settings.
 * The COM backend answers them with Win32 (src/com/com_system.c), the fake from its world
 * (fakes/fake_system.c). Every answer has an explicit "the platform cannot tell" value
 * (BHT_TRI_UNKNOWN, 0 or ""): `bitsht doctor` turns those into `unknown`, never a guess.
 * Same rules as backend.h: version first, members only appended, an op fills its output
 * completely (unknown where it cannot tell) and returns S_OK, or a failure HRESULT when the
 * question itself could not be asked (the output is then all unknown). */
#ifndef BITSHT_SYSTEM_H
#define BITSHT_SYSTEM_H

#include <stddef.h>
#include <stdint.h>

#include "bitsht/hresult.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bht_tristate { BHT_TRI_UNKNOWN = -1, BHT_TRI_NO = 0, BHT_TRI_YES = 1 };

/* SERVICE_* start types (winsvc.h), 0 = unknown */
enum bht_start_type {
    BHT_START_UNKNOWN = 0,
    BHT_START_AUTO = 2,     /* SERVICE_AUTO_START (delayed auto start included) */
    BHT_START_DEMAND = 3,   /* SERVICE_DEMAND_START: BITS's default, started by COM */
    BHT_START_DISABLED = 4  /* SERVICE_DISABLED: how policy turns BITS off (0x80070422) */
};

/* SERVICE_STATUS.dwCurrentState values, 0 = unknown */
enum bht_service_state {
    BHT_SVC_UNKNOWN = 0,
    BHT_SVC_STOPPED = 1,
    BHT_SVC_START_PENDING = 2,
    BHT_SVC_STOP_PENDING = 3,
    BHT_SVC_RUNNING = 4,
    BHT_SVC_PAUSED = 7
};

struct bht_service_info {
    enum bht_tristate present;        /* the BITS service is installed */
    enum bht_start_type start_type;
    enum bht_service_state state;
};

/* The caller's logon session (SECURITY_LOGON_TYPE), 0 = unknown. */
enum bht_session_kind {
    BHT_SESSION_UNKNOWN = 0,
    BHT_SESSION_INTERACTIVE = 2,      /* console, RDP (10), cached (11, 12) are folded here */
    BHT_SESSION_NETWORK = 3,          /* WinRM, SSH, PsExec without -i */
    BHT_SESSION_BATCH = 4,            /* a scheduled task not tied to a logged-on user */
    BHT_SESSION_SERVICE = 5,          /* a service account (CI agents) */
    BHT_SESSION_NEW_CREDENTIALS = 9,  /* runas /netonly: the local identity is the caller's */
    BHT_SESSION_OTHER = 100           /* proxy, unlock, network-cleartext ... */
};

#define BHT_ACCOUNT_SIZE 256

struct bht_session_info {
    enum bht_session_kind kind;
    enum bht_tristate system_account; /* LocalSystem, LocalService or NetworkService */
    enum bht_tristate admin;          /* Administrators enabled in the token (C116, C92) */
    char account[BHT_ACCOUNT_SIZE];   /* "DOMAIN\user" (UTF-8), "" when unknown */
};

/* HKLM\Software\Policies\Microsoft\Windows\BITS; -1 = the value is not set, -2 = unknown
 * (the key could not be read). */
#define BHT_POLICY_NOT_SET (-1L)
#define BHT_POLICY_UNKNOWN (-2L)

struct bht_bits_policy {
    long max_jobs_per_user;     /* MaxJobsPerUser (default 60 when not set) */
    long max_jobs_per_machine;  /* MaxJobsPerMachine (default 300 when not set) */
};

/* NLM_CONNECTION_COST (netlistmgr.h) bits; 0 = unknown. */
#define BHT_COST_UNRESTRICTED 0x1u
#define BHT_COST_FIXED 0x2u
#define BHT_COST_VARIABLE 0x4u
#define BHT_COST_OVERDATALIMIT 0x10000u
#define BHT_COST_CONGESTED 0x20000u
#define BHT_COST_ROAMING 0x40000u
#define BHT_COST_APPROACHINGDATALIMIT 0x80000u

/* BITS_COST_STATE_* (bits5_0.h) for the job's cost flags (transfer --allow-metered). */
#define BHT_BITS_COST_TRANSFER_ALWAYS 0x800000ffu
#define BHT_BITS_COST_TRANSFER_STANDARD 0x80000067u

enum bht_proxy_kind {
    BHT_PROXY_UNKNOWN = 0,
    BHT_PROXY_DIRECT = 1,      /* no proxy */
    BHT_PROXY_NAMED = 2,       /* a fixed proxy server */
    BHT_PROXY_AUTO = 3         /* WPAD auto-detection or a PAC script: a proxy may be used */
};

#define BHT_PROXY_TEXT_SIZE 512

struct bht_proxy_info {
    enum bht_proxy_kind kind;  /* what BITS will see for the caller (IE/WinINet settings) */
    char server[BHT_PROXY_TEXT_SIZE]; /* proxy list or PAC URL; "" for direct/unknown */
    enum bht_proxy_kind machine_kind; /* WinHTTP's machine-wide default (netsh winhttp) */
};

#define BHT_SYSTEM_OPS_VERSION 1

struct bht_system_ops {
    int version; /* BHT_SYSTEM_OPS_VERSION */
    const char *name;
    /* SCM: QueryServiceConfig / QueryServiceStatus of "BITS". */
    bht_hr (*service)(void *ctx, struct bht_service_info *out);
    /* The calling thread's token: its logon session type, system-account SIDs, admin. */
    bht_hr (*session)(void *ctx, struct bht_session_info *out);
    /* BITS policy values (MaxJobsPerUser, MaxJobsPerMachine). */
    bht_hr (*policy)(void *ctx, struct bht_bits_policy *out);
    /* The machine's network cost (INetworkCostManager::GetCost); *out_cost 0 = unknown. */
    bht_hr (*network_cost)(void *ctx, uint32_t *out_cost);
    /* Proxy settings BITS uses for the caller, and WinHTTP's machine default. */
    bht_hr (*proxy)(void *ctx, struct bht_proxy_info *out);
    /* Every user's non-final jobs on the machine (EnumJobs with BG_JOB_ENUM_ALL_USERS):
     * S_OK with the count, or E_ACCESSDENIED (not an administrator) and the like. */
    bht_hr (*machine_jobs)(void *ctx, unsigned *out_count);
    /* BITS's version as "major.minor" ("" when unknown), from the newest
     * BackgroundCopyManagerX_Y class the machine registers. */
    bht_hr (*bits_version)(void *ctx, char *out, size_t size);
};

/* S_OK, or E_INVALIDARG when the version is unknown or a member is NULL. */
bht_hr bht_system_ops_check(const struct bht_system_ops *ops);

#ifdef __cplusplus
}
#endif

#endif
