/* bitsht: the HTTP(S) URL syntax check (src/core/url.c), on its own. C18: a malformed
 * remote name is refused before any job. Every case gives the exact phrase, and the
 * limits are tried on both sides: each byte class at its first and last member and at its
 * neighbours (0x1F/0x20, 0x7E/0x7F, 0x7F/0x80, '0'/'9', 'a'/'f', 'A'/'F', 'a'/'z', 'A'/'Z'),
 * ports 1 and 65535 against 0 and 65536, a '%' at the very end. The request tests
 * (core_request.c) show the same phrases reaching the report; some of this module's
 * checks (control characters) are made there first, so only this level reaches them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "url.h"

#define SPACE "URL contains a space (write it as %20)"
#define CONTROL "URL contains a control character"
#define PERCENT "URL has a malformed percent escape ('%' needs two hex digits)"
#define NO_HOST "URL has no host name"
#define EMPTY_LABEL "URL has an invalid host name (empty label)"
#define HOST_CHAR "URL has an invalid character in its host name"
#define IPV6 "URL has a malformed IPv6 address"
#define EMPTY_PORT "URL has an empty port"
#define PORT_NAN "URL port is not a number"
#define PORT_RANGE "URL port is outside 1-65535"

struct url_case {
    const char *rest; /* the URL after "http://" or "https://" */
    const char *problem; /* NULL: well formed */
};

static void check_cases(const struct url_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *got = bht_http_url_problem(cases[i].rest);
        const char *want = cases[i].problem;

        if (want ? !got || strcmp(got, want) != 0 : got != NULL)
            fail_msg("case %zu '%s': got \"%s\", want \"%s\"", i, cases[i].rest,
                     got ? got : "(well formed)", want ? want : "(well formed)");
    }
}

#define CHECK(cases) check_cases(cases, sizeof cases / sizeof cases[0])

/* C18: bytes below 0x20 and 0x7F are control characters; a space has its own message;
 * 0x7E ('~') and 0x80 and above (UTF-8) are ordinary. */
static void control_characters_and_spaces_at_their_limits(void **state)
{
    static const struct url_case cases[] = {
        {"h/a\x01", CONTROL},
        {"h/a\x1f", CONTROL},
        {"h/a\tb", CONTROL},
        {"h/a\x7f", CONTROL},
        {"h\x1f/a", CONTROL}, /* in the host too: checked before the host's own rules */
        {"h/a b", SPACE},
        {"h b/a", SPACE},
        {"h/~a!", NULL},
        {"h/\xc2\x80\xe2\x82\xac", NULL}, /* U+0080, U+20AC: bytes 0x80 and above */
    };

    (void)state;
    CHECK(cases);
}

/* C18: '%' needs two hex digits, each checked, any case, up to the end of the string. */
static void percent_escapes_need_two_hex_digits(void **state)
{
    static const struct url_case cases[] = {
        {"h/%00%09%af%AF%fA", NULL},
        {"h/%", PERCENT},
        {"h/a%", PERCENT},
        {"h/a%2", PERCENT},
        {"h/a%g2", PERCENT}, /* the first digit is checked... */
        {"h/a%2g0", PERCENT}, /* ...and the second, not the third */
        {"h/%G0", PERCENT},
        {"h/%`0", PERCENT}, /* '`' is just below 'a' */
        {"h/%/0", PERCENT}, /* '/' is just below '0' */
        {"h/%:0", PERCENT}, /* ':' is just above '9' */
        {"h/%@0", PERCENT}, /* '@' is just below 'A' */
        {"h?q=%zz", PERCENT},
        {"h#%", PERCENT},
    };

    (void)state;
    CHECK(cases);
}

/* C18: a host name is letters, digits, '-', '_' and dots between non-empty labels (one
 * trailing dot allowed), or non-ASCII bytes; nothing else. */
static void host_names_take_letters_digits_dashes_and_non_ascii(void **state)
{
    static const struct url_case cases[] = {
        {"az.AZ.09/a", NULL},
        {"a-b_c", NULL},
        {"host.example.:8080", NULL},
        {"\xe2\x82\x80.example/a", NULL}, /* U+2080: a byte 0x80 in the host */
        {"caf\xc3\xa9.example/a", NULL},
        {"user:pw@host/a", NULL},
        {"a@b@host/a", NULL}, /* the last '@' before the path ends the user part */
        {"host/a@b", NULL}, /* an '@' in the path is no user part */
        {"host?x@y", NULL},
        {"cdn..example", EMPTY_LABEL},
        {".cdn", EMPTY_LABEL},
        {"host..", EMPTY_LABEL},
        {"ho$t", HOST_CHAR},
        {"ho~t/a", HOST_CHAR}, /* 0x7E: the last ASCII before DEL */
        {"ho/t", NULL},
        {"ho`t", HOST_CHAR}, /* just below 'a' */
        {"ho{t", HOST_CHAR}, /* just above 'z' */
        {"", NO_HOST},
        {"/path", NO_HOST},
        {"?q", NO_HOST},
        {"#f", NO_HOST},
        {":80/a", NO_HOST},
        {"user@", NO_HOST},
        {"user@:80", NO_HOST},
    };

    (void)state;
    CHECK(cases);
}

/* C18: an IPv6 literal holds hex digits, ':' and '.' (an embedded IPv4) between '[' and
 * ']', and only a port may follow it. The check is about characters: the address's form
 * is WinHTTP's to judge. */
static void ipv6_literals(void **state)
{
    static const struct url_case cases[] = {
        {"[::1]", NULL},
        {"[::1]/a", NULL},
        {"[::ffff:192.0.2.1]:443/a", NULL},
        {"[aF09:AF::]", NULL},
        {"[1]", NULL}, /* one character passes the character check */
        {"[]", IPV6},
        {"[::1", IPV6},
        {"[::1/a]", IPV6}, /* the ']' after the path does not close it */
        {"[g::1]", IPV6},
        {"[::1g]", IPV6},
        {"[::1%25eth0]", IPV6},
        {"[::1]x", IPV6},
        {"[::1]]", IPV6},
        {"[::1]:", EMPTY_PORT},
        {"[::1]:0", PORT_RANGE},
        {"[::1]:8o", PORT_NAN},
    };

    (void)state;
    CHECK(cases);
}

/* C18: a port is 1-65535 in decimal digits, after any host form. */
static void ports_from_1_to_65535(void **state)
{
    static const struct url_case cases[] = {
        {"h:1", NULL},
        {"h:9", NULL},
        {"h:80/a", NULL},
        {"h:8443?q", NULL},
        {"h:65535", NULL},
        {"h:065535", NULL}, /* leading zeros change nothing */
        {"h:0", PORT_RANGE},
        {"h:00", PORT_RANGE},
        {"h:65536", PORT_RANGE},
        {"h:99999999999999999999/a", PORT_RANGE},
        {"h:", EMPTY_PORT},
        {"h:/a", EMPTY_PORT},
        {"h:8o", PORT_NAN},
        {"h:/8", EMPTY_PORT},
        {"h:-1", PORT_NAN},
        {"h:8:8", PORT_NAN},
        {"h:+8", PORT_NAN},
        {"h: 8", SPACE},
    };

    (void)state;
    CHECK(cases);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(control_characters_and_spaces_at_their_limits),
        cmocka_unit_test(percent_escapes_need_two_hex_digits),
        cmocka_unit_test(host_names_take_letters_digits_dashes_and_non_ascii),
        cmocka_unit_test(ipv6_literals),
        cmocka_unit_test(ports_from_1_to_65535),
    };
    return cmocka_run_group_tests_name("core_url", tests, NULL, NULL);
}
