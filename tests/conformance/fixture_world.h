/* bitsht conformance: the fixed set of remote resources every backend offers.
 *
 * The real backends get them from tests/conformance/http_server.py (started by
 * run_conformance.py, base URL in BHT_CONFORMANCE_HTTP); the fake declares the same URLs as
 * fake resources (backend_fake.c, replay.c). Paths are relative to the base URL. */
#ifndef BHT_CONFORMANCE_FIXTURE_WORLD_H
#define BHT_CONFORMANCE_FIXTURE_WORLD_H

/* GET /file/<n>: n bytes, 200 with Content-Length. */
#define CONF_HTTP_FILE_1000 "/file/1000"
#define CONF_HTTP_FILE_100000 "/file/100000"
/* GET /status/<nnn>: that status, body "status <nnn>\n" (11 bytes). */
#define CONF_HTTP_404 "/status/404"
#define CONF_HTTP_403 "/status/403"
#define CONF_HTTP_500 "/status/500"
#define CONF_HTTP_STATUS_BODY_SIZE 11
/* GET /slow/<n>: n bytes, 256 bytes every 100 ms: in flight for 8 s. */
#define CONF_HTTP_SLOW "/slow/20480"
/* Nothing listens on port 1 of the loopback: the connection is refused (C63). */
#define CONF_URL_REFUSED "http://127.0.0.1:1/refused"

/* Base URL the fake declares when no server is configured (never contacted). */
#define CONF_FAKE_HTTP_BASE "http://127.0.0.1:8818"

#define CONF_HELPER_DOMAIN "LOCAL"
#define CONF_HELPER_USER "helper"
#define CONF_HELPER_PASSWORD "conformance-helper-pw"

/* The fake world text (snprintf format: each %s is the base URL, 6 times). */
#define CONF_FAKE_WORLD_FORMAT                                                   \
    "user " CONF_HELPER_DOMAIN "\\" CONF_HELPER_USER " password=" CONF_HELPER_PASSWORD "\n" \
    "resource %s" CONF_HTTP_FILE_1000 " size=1000\n"                             \
    "resource %s" CONF_HTTP_FILE_100000 " size=100000\n"                         \
    "resource %s" CONF_HTTP_404 " size=11 fail=0x80190194\n"                     \
    "resource %s" CONF_HTTP_403 " size=11 fail=0x80190193\n"                     \
    "resource %s" CONF_HTTP_500 " size=11 fail=0x801901F4\n"                     \
    "resource %s" CONF_HTTP_SLOW " size=20480 rate=2560\n"                       \
    "resource " CONF_URL_REFUSED " transient=1000000\n"

#endif
