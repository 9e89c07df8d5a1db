/* bitsht conformance: the COM backend under test (real BITS: Wine's qmgr here, Windows on
 * CI runners). One connection per run (bht_com_backend_open in the group setup); every
 * check still gets its own job. Windows only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitsht/com_backend.h"
#include "conformance.h"

static struct bht_backend backend;
static int backend_open;
static char backend_id[32];
static char group_name[128];

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);

    return v && *v ? v : fallback;
}

static void identify(void)
{
    const char *wine = conf_wine_version();

    if (wine) {
        /* "com-wine8" for every 8.x: divergences.h keys by major version. */
        snprintf(backend_id, sizeof(backend_id), "com-wine%d", atoi(wine));
        snprintf(group_name, sizeof(group_name), "conformance %s (Wine %s)", backend_id, wine);
    } else {
        snprintf(backend_id, sizeof(backend_id), "com-windows");
        snprintf(group_name, sizeof(group_name), "conformance com-windows (Windows)");
    }
}

const char *conf_backend_group_name(void)
{
    identify();
    return group_name;
}

int conf_backend_group_setup(void)
{
    bht_hr hr;
    char buf[64];

    identify();
    hr = bht_com_backend_open(&backend);
    if (hr != S_OK) {
        fprintf(stderr, "conformance: bht_com_backend_open gave %s: BITS is unavailable\n",
                bht_hr_format(hr, buf, sizeof(buf)));
        return -1;
    }
    backend_open = 1;
    return 0;
}

int conf_backend_group_teardown(void)
{
    if (backend_open)
        bht_com_backend_close(&backend);
    backend_open = 0;
    return 0;
}

int conf_backend_check_setup(struct bht_under_test *t)
{
    t->bits = backend.bits;
    t->ctx = backend.bits_ctx;
    t->identity = backend.identity;
    t->identity_ctx = backend.identity_ctx;
    t->backend_id = backend_id;
    t->is_fake = 0;
    snprintf(t->http, sizeof(t->http), "%s", env_or("BHT_CONFORMANCE_HTTP", ""));
    /* A real second account comes from the runner (the Windows job creates one). Wine's
     * LogonUserW accepts any name (C103), so under Wine a made-up one shows its behaviour. */
    if (getenv("BHT_CONFORMANCE_HELPER_USER") || !conf_wine_version()) {
        snprintf(t->helper_domain, sizeof(t->helper_domain), "%s",
                 env_or("BHT_CONFORMANCE_HELPER_DOMAIN", "."));
        snprintf(t->helper_user, sizeof(t->helper_user), "%s",
                 env_or("BHT_CONFORMANCE_HELPER_USER", ""));
        snprintf(t->helper_password, sizeof(t->helper_password), "%s",
                 env_or("BHT_CONFORMANCE_HELPER_PASSWORD", ""));
    } else {
        snprintf(t->helper_domain, sizeof(t->helper_domain), ".");
        snprintf(t->helper_user, sizeof(t->helper_user), "bht-helper");
        snprintf(t->helper_password, sizeof(t->helper_password), "any-password");
    }
    return 0;
}

void conf_backend_check_teardown(struct bht_under_test *t)
{
    (void)t;
}

/* The HTTP test server sends a /slow body 256 bytes per 100 ms, 8 s in all, so that a check
 * finds its job in flight; while the file BHT_CONFORMANCE_RELEASE names exists, it sends
 * the rest at once (run_conformance.py names the file for both). On Wine that was 8 s of
 * each of three checks. */
void conf_backend_hurry(int on)
{
    const char *path = getenv("BHT_CONFORMANCE_RELEASE");
    FILE *f;

    if (!path || !*path)
        return;
    if (!on) {
        (void)remove(path);
        return;
    }
    f = fopen(path, "w");
    if (f)
        fclose(f);
}
