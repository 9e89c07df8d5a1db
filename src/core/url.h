/* bitsht core: syntax of the HTTP(S) URLs a job may name (RFC 3986, as BITS's WinHTTP
 * reads them). */
#ifndef BITSHT_CORE_URL_H
#define BITSHT_CORE_URL_H

/* rest is the URL after "http://" or "https://". Returns NULL when it is well formed,
 * else a phrase saying what is wrong: a space or control character, a '%' not followed
 * by two hex digits, an empty or invalid host, a port that is not 1-65535. */
const char *bht_http_url_problem(const char *rest);

#endif
