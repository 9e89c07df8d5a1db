/* bitsht conformance: the COM backend (src/com) over the COM-faithful fake BITS
 * (bitsht_fakebits.dll, fakes/com), under Wine or on Windows: the unchanged suite through
 * the code that speaks COM, against a server that answers as Windows 10's BITS
 * (com-fake-windows) or as Wine 8's qmgr (com-fake-wine8, CONF_FAKE_PROFILE_WINE8). One
 * backend connection per run; a fresh world per check, with the suite's fixed resources
 * (fixture_world.h) and helper account. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitsht/com_backend.h"
#include "bitsht_fakebits.h"
#include "conformance.h"
#include "fixture_world.h"

#ifdef CONF_FAKE_PROFILE_WINE8
#define BACKEND_ID "com-fake-wine8"
#define PROFILE_LINE "option profile=wine8\n"
#else
#define BACKEND_ID "com-fake-windows"
#define PROFILE_LINE ""
#endif
/* fast enough for the 8 s /slow resource (2 s), slow enough that a check polling every
 * 200 ms still sees it in flight */
#define CLOCK_SPEED 4
#define CONF_STR(x) #x
#define CONF_XSTR(x) CONF_STR(x)
#define CLOCK_LINE "option clock-speed=" CONF_XSTR(CLOCK_SPEED) "\n"
/* at a check's end: the rest of an 8 s transfer in 8 ms */
#define HURRIED_CLOCK_SPEED 1000

static struct bht_backend backend;
static int backend_open;
static char group_name[128];
static char http_base[CONF_URL_SIZE];

const char *conf_backend_group_name(void)
{
    const char *wine = conf_wine_version();

    snprintf(group_name, sizeof(group_name), "conformance %s (%s%s)", BACKEND_ID,
             wine ? "Wine " : "Windows", wine ? wine : "");
    return group_name;
}

int conf_backend_group_setup(void)
{
    const char *base = getenv("BHT_CONFORMANCE_HTTP");
    WCHAR path[MAX_PATH];
    HMODULE dll = GetModuleHandleW(L"bitsht_fakebits.dll");
    char buf[64];
    bht_hr hr;

    snprintf(http_base, sizeof(http_base), "%s", base && *base ? base : CONF_FAKE_HTTP_BASE);
    /* src/com loads the server this program is linked with: one world */
    if (!dll || !GetModuleFileNameW(dll, path, MAX_PATH) ||
        !SetEnvironmentVariableW(L"BITSHT_COM_SERVER", path)) {
        fprintf(stderr, "conformance: bitsht_fakebits.dll is not loaded\n");
        return -1;
    }
    hr = bht_com_backend_open(&backend);
    if (hr != S_OK) {
        fprintf(stderr, "conformance: bht_com_backend_open gave %s\n",
                bht_hr_format(hr, buf, sizeof(buf)));
        return -1;
    }
    backend_open = 1;
    return 0;
}

void conf_backend_hurry(int on)
{
    bht_fakebits_set_clock_speed(on ? HURRIED_CLOCK_SPEED : CLOCK_SPEED);
}

int conf_backend_group_teardown(void)
{
    char report[2048], calls[8192];

    if (backend_open)
        bht_com_backend_close(&backend);
    backend_open = 0;
    /* every object of the run must be gone with the connection */
    bht_fakebits_drain(5000);
    /* what the run exercised, for people reading the log (issue 11's table) */
    printf("conformance: %u COM methods of the fake ran:\n%s",
           bht_fakebits_method_calls(NULL, calls, sizeof(calls)), calls);
    if (bht_fakebits_audit(report, sizeof(report))) {
        fprintf(stderr, "conformance: COM fake audit after the run:\n%s", report);
        return -1;
    }
    return 0;
}

int conf_backend_check_setup(struct bht_under_test *t)
{
    char text[2560], err[256];

    snprintf(text, sizeof(text), CONF_FAKE_WORLD_FORMAT PROFILE_LINE CLOCK_LINE, http_base,
             http_base, http_base, http_base, http_base, http_base);
    if (bht_fakebits_reset(text, err, sizeof(err)) != S_OK) {
        fprintf(stderr, "conformance: COM fake world rejected: %s\n", err);
        return -1;
    }
    t->bits = backend.bits;
    t->ctx = backend.bits_ctx;
    t->identity = backend.identity;
    t->identity_ctx = backend.identity_ctx;
    t->backend_id = BACKEND_ID;
    t->is_fake = 1;
    snprintf(t->http, sizeof(t->http), "%s", http_base);
    snprintf(t->helper_domain, sizeof(t->helper_domain), "%s", CONF_HELPER_DOMAIN);
    snprintf(t->helper_user, sizeof(t->helper_user), "%s", CONF_HELPER_USER);
    snprintf(t->helper_password, sizeof(t->helper_password), "%s", CONF_HELPER_PASSWORD);
    return 0;
}

void conf_backend_check_teardown(struct bht_under_test *t)
{
    struct bht_fakebits_stats st;

    /* the fake counts what real BITS cannot show: no token open, no thread impersonating,
     * and only the backend's manager still alive once the check's jobs are released */
    bht_fakebits_drain(2000);
    bht_fakebits_stats(&st);
    if (st.open_tokens || st.impersonation_depth || st.live_objects > 1)
        fprintf(stderr, "conformance: %s left %u open token(s), impersonation depth %u, "
                "%u live COM object(s)\n", t->check->name, st.open_tokens,
                st.impersonation_depth, st.live_objects);
}
