/* bitsht: UTF-8 <-> UTF-16 at the COM backend's edge (the layer speaks UTF-8, BITS UTF-16). */
#ifndef BITSHT_COM_UTF_H
#define BITSHT_COM_UTF_H

#include <windows.h>

#include "bitsht/hresult.h"

/* A malloc'd UTF-16 copy of s (free with bht_utf16_free). Invalid UTF-8 gives E_INVALIDARG,
 * NULL gives E_POINTER; *out is NULL on failure. */
bht_hr bht_utf8_to_utf16(const char *s, WCHAR **out);
/* Frees a bht_utf8_to_utf16 result after wiping it (passwords travel this way too). */
void bht_utf16_free(WCHAR *w);

/* s (may be NULL: "") into buf as UTF-8, NUL-terminated, cut at a character boundary when
 * it does not fit. */
void bht_utf16_to_utf8_buf(const WCHAR *s, char *buf, size_t buf_size);
/* A CoTaskMemAlloc'd UTF-8 copy of s, for strings handed to the backend's callers (they free
 * them with free_mem = CoTaskMemFree). */
bht_hr bht_utf16_to_utf8_cotask(const WCHAR *s, char **out);

#endif
