/* bitsht: checks on the ops structs and names for their enumerations. */
#include "bitsht/backend.h"
#include "bitsht/system.h"

#define REQUIRE(member) \
    do { \
        if (!ops->member) \
            return E_INVALIDARG; \
    } while (0)

bht_hr bht_bits_ops_check(const struct bht_bits_ops *ops)
{
    /* version 1 structs (no set_cost_flags) are still accepted: the member is optional */
    if (!ops || ops->version < 1 || ops->version > BHT_BITS_OPS_VERSION || !ops->name)
        return E_INVALIDARG;
    REQUIRE(create_job);
    REQUIRE(open_job);
    REQUIRE(get_id);
    REQUIRE(add_file);
    REQUIRE(set_priority);
    REQUIRE(set_notify_flags);
    REQUIRE(get_notify_flags);
    REQUIRE(set_implicit_credentials);
    REQUIRE(get_token_options);
    REQUIRE(set_helper_token);
    REQUIRE(set_helper_token_flags);
    REQUIRE(get_helper_token_flags);
    REQUIRE(get_helper_token_sid);
    REQUIRE(clear_helper_token);
    REQUIRE(resume);
    REQUIRE(suspend);
    REQUIRE(wait);
    REQUIRE(get_state);
    REQUIRE(get_progress);
    REQUIRE(get_error);
    REQUIRE(complete);
    REQUIRE(cancel);
    REQUIRE(enum_jobs);
    REQUIRE(clock_ms);
    REQUIRE(free_mem);
    REQUIRE(release);
    return S_OK;
}

bht_hr bht_identity_ops_check(const struct bht_identity_ops *ops)
{
    if (!ops || ops->version != BHT_IDENTITY_OPS_VERSION || !ops->name)
        return E_INVALIDARG;
    REQUIRE(logon);
    REQUIRE(impersonate);
    REQUIRE(revert);
    REQUIRE(close);
    return S_OK;
}

bht_hr bht_system_ops_check(const struct bht_system_ops *ops)
{
    if (!ops || ops->version != BHT_SYSTEM_OPS_VERSION || !ops->name)
        return E_INVALIDARG;
    REQUIRE(service);
    REQUIRE(session);
    REQUIRE(policy);
    REQUIRE(network_cost);
    REQUIRE(proxy);
    REQUIRE(machine_jobs);
    REQUIRE(bits_version);
    return S_OK;
}

const char *bht_job_state_name(enum bht_job_state state)
{
    static const char *const names[BHT_JOB_STATE_COUNT] = {
        "QUEUED", "CONNECTING", "TRANSFERRING", "SUSPENDED", "ERROR",
        "TRANSIENT_ERROR", "TRANSFERRED", "ACKNOWLEDGED", "CANCELLED",
    };
    return ((unsigned)state < BHT_JOB_STATE_COUNT) ? names[state] : "UNKNOWN_STATE";
}

const char *bht_error_context_name(enum bht_error_context ctx)
{
    static const char *const names[] = {
        "NONE", "UNKNOWN", "GENERAL_QUEUE_MANAGER", "QUEUE_MANAGER_NOTIFICATION",
        "LOCAL_FILE", "REMOTE_FILE", "GENERAL_TRANSPORT", "REMOTE_APPLICATION",
    };
    return ((unsigned)ctx < sizeof names / sizeof names[0]) ? names[ctx] : "UNKNOWN_CONTEXT";
}
