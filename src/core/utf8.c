/* bitsht core: strict UTF-8 decoding for length limits that BITS counts in UTF-16 units. */
#include "utf8.h"

size_t bht_utf8_decode(const char *text, size_t avail, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len;
    uint32_t c = s[0], min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0u) == 0xC0u)
        len = 2, c &= 0x1Fu, min = 0x80;
    else if ((c & 0xF0u) == 0xE0u)
        len = 3, c &= 0x0Fu, min = 0x800;
    else if ((c & 0xF8u) == 0xF0u)
        len = 4, c &= 0x07u, min = 0x10000;
    else
        return 0;
    if (len > avail)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0u) != 0x80u)
            return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFFu || (c >= 0xD800u && c <= 0xDFFFu))
        return 0;
    *cp = c;
    return len;
}

size_t bht_utf16_units(const char *s, size_t n)
{
    size_t units = 0;

    if (n == (size_t)-1)
        for (n = 0; s[n]; n++)
            ;
    while (n) {
        uint32_t cp;
        size_t len = bht_utf8_decode(s, n, &cp);
        if (len == 0 || cp == 0)
            return BHT_NOT_UTF8;
        units += cp >= 0x10000u ? 2 : 1;
        s += len;
        n -= len;
    }
    return units;
}

int bht_has_control_char(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return 1;
    return 0;
}
