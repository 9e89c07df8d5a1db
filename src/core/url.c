/* bitsht core: HTTP(S) URL syntax. A URL BITS cannot parse would otherwise create a job
 * that fails later (exit 1); refusing it here keeps "bad input" before any job. */
#include "url.h"

#include <string.h>

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* [v6 address]: hex digits, ':' and '.' (an embedded IPv4) only. */
static const char *ip_literal_problem(const char *host, const char *end, const char **host_end)
{
    const char *close = memchr(host, ']', (size_t)(end - host));

    if (!close || close == host + 1)
        return "URL has a malformed IPv6 address";
    for (const char *p = host + 1; p < close; p++)
        if (!is_hex(*p) && *p != ':' && *p != '.')
            return "URL has a malformed IPv6 address";
    *host_end = close + 1;
    if (*host_end < end && **host_end != ':')
        return "URL has a malformed IPv6 address";
    return NULL;
}

/* A DNS name or IPv4 address: letters, digits, '-', '_', '.', and non-ASCII (an
 * internationalised name); no empty label but for one trailing dot. The caller has made
 * sure that host < end and *host != ':', so the name is never empty here. */
static const char *reg_name_problem(const char *host, const char *end, const char **host_end)
{
    const char *p;

    for (p = host; p < end && *p != ':'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.') {
            if (p == host || p[-1] == '.')
                return "URL has an invalid host name (empty label)";
        } else if (!is_alnum((char)c) && c != '-' && c != '_' && c < 0x80) {
            return "URL has an invalid character in its host name";
        }
    }
    *host_end = p;
    return NULL;
}

static const char *port_problem(const char *p, const char *end)
{
    unsigned long port = 0;

    if (p == end)
        return "URL has an empty port";
    for (; p < end; p++) {
        if (!is_digit(*p))
            return "URL port is not a number";
        port = port * 10 + (unsigned long)(*p - '0');
        if (port > 65535)
            return "URL port is outside 1-65535";
    }
    return port == 0 ? "URL port is outside 1-65535" : NULL;
}

const char *bht_http_url_problem(const char *rest)
{
    const char *end = rest + strcspn(rest, "/?#");
    const char *host = rest, *host_end = NULL, *why;

    for (const char *p = rest; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ')
            return "URL contains a space (write it as %20)";
        if (c < 0x20 || c == 0x7F)
            return "URL contains a control character";
        if (c == '%' && !(is_hex(p[1]) && is_hex(p[2])))
            return "URL has a malformed percent escape ('%' needs two hex digits)";
    }
    for (const char *p = rest; p < end; p++)
        if (*p == '@')
            host = p + 1; /* after user:password@ */
    if (host == end || *host == ':')
        return "URL has no host name";
    why = *host == '[' ? ip_literal_problem(host, end, &host_end)
                       : reg_name_problem(host, end, &host_end);
    if (why)
        return why;
    return host_end < end ? port_problem(host_end + 1, end) : NULL;
}
