/* bitsht: when the flow enables implicit credentials (docs/design.md step 3, §3.4 rule 4:
 * without them BITS never answers an HTTP challenge with the helper): only with the NETWORK
 * flag and only when some source is HTTP(S), whatever the scheme's case and wherever that
 * file is in the list. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core_fixture.h"

static unsigned credential_calls(struct core_fixture *f, uint32_t flags,
                                 const char *const *remotes, size_t n)
{
    /* The fake finds resources by exact name: the upper-case URL is a resource of its own. */
    core_fixture_world(f, "resource HTTPS://cdn.example/public.bin size=10\n");
    core_fixture_request(f, flags, remotes, n, 0);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    if (f->rep.outcome != BHT_OUTCOME_SUCCESS)
        fail_msg("%s: %s", f->files[0].remote, f->rep.detail);
    core_fixture_assert_clean(f);
    return bht_fake_calls(f->t->w, BHT_OP_SET_IMPLICIT_CREDENTIALS);
}

static void implicit_credentials_only_for_http_with_network(void **state)
{
    struct core_fixture *f = *state;
    static const char *const unc[] = {"\\\\fs01\\finance\\ledger.xlsx"};
    static const char *const http[] = {PUBLIC_URL};
    static const char *const upper[] = {"HTTPS://cdn.example/public.bin"};
    static const char *const unc_then_http[] = {"\\\\fs01\\finance\\ledger.xlsx", PUBLIC_URL};

    assert_int_equal(credential_calls(f, BHT_TOKEN_NETWORK, unc, 1), 0);
    assert_int_equal(credential_calls(f, BHT_TOKEN_NETWORK, http, 1), 1);
    assert_int_equal(credential_calls(f, BHT_TOKEN_LOCAL_FILE, http, 1), 0);
    assert_int_equal(credential_calls(f, BHT_TOKEN_NETWORK, upper, 1), 1);
    assert_int_equal(credential_calls(f, BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK,
                                      unc_then_http, 2), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(implicit_credentials_only_for_http_with_network,
                                        core_fixture_setup, core_fixture_teardown),
    };
    return cmocka_run_group_tests_name("core implicit credentials", tests, NULL, NULL);
}
