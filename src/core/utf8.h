/* bitsht core: the UTF-8 facts request validation needs (BITS counts UTF-16 units). */
#ifndef BITSHT_CORE_UTF8_H
#define BITSHT_CORE_UTF8_H

#include <stddef.h>

/* The first n bytes of s (n = (size_t)-1: up to the NUL) as UTF-16 code units: 1 per
 * BMP character, 2 per astral one. Returns (size_t)-1 when the bytes are not valid UTF-8
 * (overlong forms, surrogates, beyond U+10FFFF, truncated sequences). */
size_t bht_utf16_units(const char *s, size_t n);
#define BHT_NOT_UTF8 ((size_t)-1)

/* Non-zero when s holds a C0 control character or DEL: never valid in a file or job name
 * Windows would accept, and a way to forge terminal output. */
int bht_has_control_char(const char *s);

#endif
