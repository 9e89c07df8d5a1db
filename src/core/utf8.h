/* bitsht core: the UTF-8 facts request validation needs (BITS counts UTF-16 units). */
#ifndef BITSHT_CORE_UTF8_H
#define BITSHT_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the character at s (at most avail bytes) into *cp; returns its length in
 * bytes, or 0 when the bytes there are not valid UTF-8 (overlong forms, surrogates,
 * beyond U+10FFFF, a truncated sequence). */
size_t bht_utf8_decode(const char *s, size_t avail, uint32_t *cp);

/* The first n bytes of s (n = (size_t)-1: up to the NUL) as UTF-16 code units: 1 per
 * BMP character, 2 per astral one. Returns (size_t)-1 when the bytes are not valid UTF-8
 * (overlong forms, surrogates, beyond U+10FFFF, truncated sequences). */
size_t bht_utf16_units(const char *s, size_t n);
#define BHT_NOT_UTF8 ((size_t)-1)

/* Non-zero when s holds a C0 control character or DEL: never valid in a file or job name
 * Windows would accept, and a way to forge terminal output. */
int bht_has_control_char(const char *s);

#endif
