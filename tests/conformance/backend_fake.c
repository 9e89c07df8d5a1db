/* bitsht conformance: the fake backend under test. A fresh fake world per check, holding
 * the suite's fixed resources and a helper account; profile windows, or wine8 when built
 * as conformance_fake_wine8 (CONF_FAKE_PROFILE_WINE8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"
#include "bitsht/fake_world.h"
#include "fake_world_setup.h"
#include "fixture_world.h"

#ifdef CONF_FAKE_PROFILE_WINE8
#define PROFILE BHT_FAKE_PROFILE_WINE8
#define BACKEND_ID "fake-wine8"
#else
#define PROFILE BHT_FAKE_PROFILE_WINDOWS
#define BACKEND_ID "fake-windows"
#endif

static char group_name[128];
static char http_base[CONF_URL_SIZE];

const char *conf_backend_group_name(void)
{
    const char *wine = conf_wine_version();

    if (wine)
        snprintf(group_name, sizeof(group_name), "conformance %s (.exe under Wine %s)",
                 BACKEND_ID, wine);
    else
        snprintf(group_name, sizeof(group_name), "conformance %s (native)", BACKEND_ID);
    return group_name;
}

int conf_backend_group_setup(void)
{
    /* The same URLs as the real runs, so a trace's ${HTTP} means the same thing; the fake
     * never connects to it. */
    const char *base = getenv("BHT_CONFORMANCE_HTTP");

    snprintf(http_base, sizeof(http_base), "%s", base && *base ? base : CONF_FAKE_HTTP_BASE);
    return 0;
}

/* The fake's clock moves only when the suite waits: nothing in flight costs real time. */
void conf_backend_hurry(int on)
{
    (void)on;
}

int conf_backend_group_teardown(void)
{
    return 0;
}

int conf_backend_check_setup(struct bht_under_test *t)
{
    struct bht_fake_world *w = conf_fake_world_new(http_base, PROFILE);
    struct bht_backend b;

    if (!w)
        return -1;
    bht_fake_backend(w, &b);
    t->bits = b.bits;
    t->ctx = b.bits_ctx;
    t->identity = b.identity;
    t->identity_ctx = b.identity_ctx;
    t->backend_id = BACKEND_ID;
    t->is_fake = 1;
    t->backend_state = w;
    snprintf(t->http, sizeof(t->http), "%s", http_base);
    snprintf(t->helper_domain, sizeof(t->helper_domain), "%s", CONF_HELPER_DOMAIN);
    snprintf(t->helper_user, sizeof(t->helper_user), "%s", CONF_HELPER_USER);
    snprintf(t->helper_password, sizeof(t->helper_password), "%s", CONF_HELPER_PASSWORD);
    return 0;
}

void conf_backend_check_teardown(struct bht_under_test *t)
{
    struct bht_fake_world *w = t->backend_state;

    /* The fake counts what real BITS cannot show: a check must leave no token open and no
     * thread impersonating, whatever its verdict. */
    if (bht_fake_open_tokens(w) || bht_fake_impersonation_depth(w))
        fprintf(stderr, "conformance: %s left %u open token(s), impersonation depth %u\n",
                t->check->name, bht_fake_open_tokens(w), bht_fake_impersonation_depth(w));
    bht_fake_world_free(w);
}
