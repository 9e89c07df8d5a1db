/* bitsht: the ops-struct checks and the enumeration names (src/core/backend.c): every
 * member of each ops struct is required (a backend missing one is refused with
 * E_INVALIDARG, never called through NULL), the version and the name are checked, and each
 * state and error context has its name, with a fallback just past the last one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>

#include <cmocka.h>

#include "bitsht/backend.h"
#include "bitsht/system.h"
#include "bitsht/fake_world.h"

#define BITS_WITHOUT(member)                                              \
    do {                                                                  \
        struct bht_bits_ops o = bht_fake_bits_ops;                        \
        o.member = NULL;                                                  \
        assert_int_equal(bht_bits_ops_check(&o), E_INVALIDARG);           \
    } while (0)

#define SYSTEM_WITHOUT(member)                                            \
    do {                                                                  \
        struct bht_system_ops o = bht_fake_system_ops;                    \
        o.member = NULL;                                                  \
        assert_int_equal(bht_system_ops_check(&o), E_INVALIDARG);         \
    } while (0)

static void system_ops_need_every_member_the_version_and_a_name(void **state)
{
    struct bht_system_ops o = bht_fake_system_ops;

    (void)state;
    assert_int_equal(bht_system_ops_check(&bht_fake_system_ops), S_OK);
    assert_int_equal(bht_system_ops_check(NULL), E_INVALIDARG);
    o.version = BHT_SYSTEM_OPS_VERSION + 1;
    assert_int_equal(bht_system_ops_check(&o), E_INVALIDARG);
    SYSTEM_WITHOUT(name);
    SYSTEM_WITHOUT(service);
    SYSTEM_WITHOUT(session);
    SYSTEM_WITHOUT(policy);
    SYSTEM_WITHOUT(network_cost);
    SYSTEM_WITHOUT(proxy);
    SYSTEM_WITHOUT(machine_jobs);
    SYSTEM_WITHOUT(bits_version);
}

#define IDENTITY_WITHOUT(member)                                          \
    do {                                                                  \
        struct bht_identity_ops o = bht_fake_identity_ops;                \
        o.member = NULL;                                                  \
        assert_int_equal(bht_identity_ops_check(&o), E_INVALIDARG);       \
    } while (0)

static void bits_ops_need_every_member_the_version_and_a_name(void **state)
{
    struct bht_bits_ops o = bht_fake_bits_ops;

    (void)state;
    assert_int_equal(bht_bits_ops_check(&bht_fake_bits_ops), S_OK);
    assert_int_equal(bht_bits_ops_check(NULL), E_INVALIDARG);
    o.version = BHT_BITS_OPS_VERSION + 1;
    assert_int_equal(bht_bits_ops_check(&o), E_INVALIDARG);
    o.version = 0;
    assert_int_equal(bht_bits_ops_check(&o), E_INVALIDARG);
    /* version 2 appended set_cost_flags as optional: a version 1 struct, or a NULL member,
     * still passes (the core then treats metered networks as unsupported) */
    o.version = 1;
    assert_int_equal(bht_bits_ops_check(&o), S_OK);
    o = bht_fake_bits_ops;
    o.set_cost_flags = NULL;
    assert_int_equal(bht_bits_ops_check(&o), S_OK);
    BITS_WITHOUT(name);
    BITS_WITHOUT(create_job);
    BITS_WITHOUT(open_job);
    BITS_WITHOUT(get_id);
    BITS_WITHOUT(add_file);
    BITS_WITHOUT(set_priority);
    BITS_WITHOUT(set_notify_flags);
    BITS_WITHOUT(get_notify_flags);
    BITS_WITHOUT(set_implicit_credentials);
    BITS_WITHOUT(get_token_options);
    BITS_WITHOUT(set_helper_token);
    BITS_WITHOUT(set_helper_token_flags);
    BITS_WITHOUT(get_helper_token_flags);
    BITS_WITHOUT(get_helper_token_sid);
    BITS_WITHOUT(clear_helper_token);
    BITS_WITHOUT(resume);
    BITS_WITHOUT(suspend);
    BITS_WITHOUT(wait);
    BITS_WITHOUT(get_state);
    BITS_WITHOUT(get_progress);
    BITS_WITHOUT(get_error);
    BITS_WITHOUT(complete);
    BITS_WITHOUT(cancel);
    BITS_WITHOUT(enum_jobs);
    BITS_WITHOUT(clock_ms);
    BITS_WITHOUT(free_mem);
    BITS_WITHOUT(release);
}

static void identity_ops_need_every_member_the_version_and_a_name(void **state)
{
    struct bht_identity_ops o = bht_fake_identity_ops;

    (void)state;
    assert_int_equal(bht_identity_ops_check(&bht_fake_identity_ops), S_OK);
    assert_int_equal(bht_identity_ops_check(NULL), E_INVALIDARG);
    o.version = BHT_IDENTITY_OPS_VERSION + 1;
    assert_int_equal(bht_identity_ops_check(&o), E_INVALIDARG);
    IDENTITY_WITHOUT(name);
    IDENTITY_WITHOUT(logon);
    IDENTITY_WITHOUT(impersonate);
    IDENTITY_WITHOUT(revert);
    IDENTITY_WITHOUT(close);
}

static void every_state_and_context_has_its_name(void **state)
{
    static const char *const states[] = {
        "QUEUED", "CONNECTING", "TRANSFERRING", "SUSPENDED", "ERROR",
        "TRANSIENT_ERROR", "TRANSFERRED", "ACKNOWLEDGED", "CANCELLED",
    };
    static const char *const contexts[] = {
        "NONE", "UNKNOWN", "GENERAL_QUEUE_MANAGER", "QUEUE_MANAGER_NOTIFICATION",
        "LOCAL_FILE", "REMOTE_FILE", "GENERAL_TRANSPORT", "REMOTE_APPLICATION",
    };

    (void)state;
    for (int s = 0; s < BHT_JOB_STATE_COUNT; s++)
        assert_string_equal(bht_job_state_name((enum bht_job_state)s), states[s]);
    assert_string_equal(bht_job_state_name((enum bht_job_state)BHT_JOB_STATE_COUNT),
                        "UNKNOWN_STATE");
    assert_string_equal(bht_job_state_name((enum bht_job_state)-1), "UNKNOWN_STATE");
    for (int c = 0; c <= BHT_ERRCTX_REMOTE_APPLICATION; c++)
        assert_string_equal(bht_error_context_name((enum bht_error_context)c), contexts[c]);
    assert_string_equal(bht_error_context_name((enum bht_error_context)8), "UNKNOWN_CONTEXT");
    assert_string_equal(bht_error_context_name((enum bht_error_context)-1), "UNKNOWN_CONTEXT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bits_ops_need_every_member_the_version_and_a_name),
        cmocka_unit_test(system_ops_need_every_member_the_version_and_a_name),
        cmocka_unit_test(identity_ops_need_every_member_the_version_and_a_name),
        cmocka_unit_test(every_state_and_context_has_its_name),
    };
    return cmocka_run_group_tests_name("core backend", tests, NULL, NULL);
}
