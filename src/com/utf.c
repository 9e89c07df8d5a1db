/* bitsht: UTF-8 <-> UTF-16 conversion for the COM backend. */
#include "utf.h"

#include <stdlib.h>
#include <string.h>

#include <objbase.h>

bht_hr bht_utf8_to_utf16(const char *s, WCHAR **out)
{
    int n;
    WCHAR *w;

    *out = NULL;
    if (!s)
        return E_POINTER;
    /* MB_ERR_INVALID_CHARS: a broken byte sequence is the caller's bad input, not a '?' */
    n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    if (n <= 0)
        return E_INVALIDARG;
    w = malloc((size_t)n * sizeof *w);
    if (!w)
        return E_OUTOFMEMORY;
    if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
        free(w);
        return E_INVALIDARG;
    }
    *out = w;
    return S_OK;
}

void bht_utf16_free(WCHAR *w)
{
    if (!w)
        return;
    SecureZeroMemory(w, wcslen(w) * sizeof *w);
    free(w);
}

/* Length of the longest prefix of the n-byte UTF-8 string s that ends on a character
 * boundary. */
static size_t utf8_boundary(const char *s, size_t n)
{
    size_t i = n;

    while (i > 0 && ((unsigned char)s[i] & 0xC0u) == 0x80u)
        --i;
    return i;
}

void bht_utf16_to_utf8_buf(const WCHAR *s, char *buf, size_t buf_size)
{
    int n;
    char *tmp;

    if (buf_size == 0)
        return;
    buf[0] = '\0';
    if (!s || !*s)
        return;
    n = WideCharToMultiByte(CP_UTF8, 0, s, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return;
    if ((size_t)n <= buf_size) {
        WideCharToMultiByte(CP_UTF8, 0, s, -1, buf, n, NULL, NULL);
        return;
    }
    /* too long for the fixed report field: convert whole, then cut between characters */
    tmp = malloc((size_t)n);
    if (!tmp)
        return;
    WideCharToMultiByte(CP_UTF8, 0, s, -1, tmp, n, NULL, NULL);
    n = (int)utf8_boundary(tmp, buf_size - 1);
    memcpy(buf, tmp, (size_t)n);
    buf[n] = '\0';
    free(tmp);
}

bht_hr bht_utf16_to_utf8_cotask(const WCHAR *s, char **out)
{
    int n;
    char *u;

    *out = NULL;
    if (!s)
        return E_POINTER;
    n = WideCharToMultiByte(CP_UTF8, 0, s, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return HRESULT_FROM_WIN32(GetLastError());
    u = CoTaskMemAlloc((size_t)n);
    if (!u)
        return E_OUTOFMEMORY;
    WideCharToMultiByte(CP_UTF8, 0, s, -1, u, n, NULL, NULL);
    *out = u;
    return S_OK;
}
