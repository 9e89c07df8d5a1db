/* bitsht core: existence and identity of destination files.
 *
 * Two promises rest on this file: an existing destination is never replaced without
 * --overwrite (so "cannot tell" counts as "exists"), and two pairs of one request never
 * write one file under two spellings ($D/x, $D//x, $D/./x, $D/a/../x). */
#if !defined(_WIN32) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700 /* lstat, realpath */
#endif
#include "destination.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define NORMAL_MAX 4096

enum bht_dest_status bht_dest_status_from_lstat(int lstat_result, int err)
{
    if (lstat_result == 0)
        return BHT_DEST_EXISTS;
    return err == ENOENT ? BHT_DEST_ABSENT : BHT_DEST_UNKNOWN;
}

enum bht_dest_status bht_dest_status(const char *path, int *err)
{
    struct stat st;
    int rc;

#ifdef _WIN32
    rc = stat(path, &st);
#else
    rc = lstat(path, &st); /* a dangling link is something BITS's rename would replace */
#endif
    *err = rc == 0 ? 0 : errno;
    return bht_dest_status_from_lstat(rc, *err);
}

static int is_sep(char c)
{
#ifdef _WIN32
    return c == '/' || c == '\\';
#else
    return c == '/';
#endif
}

/* Length of the part no ".." may climb above: "/", "X:\" or "\\server\share\". */
static size_t root_length(const char *p)
{
#ifdef _WIN32
    if (is_sep(p[0]) && is_sep(p[1])) {
        size_t i = 2;
        int parts = 0;
        while (p[i] && parts < 2) {
            if (is_sep(p[i]))
                parts++;
            i++;
        }
        return i;
    }
    if (p[0] && p[1] == ':' && is_sep(p[2]))
        return 3;
#endif
    return is_sep(p[0]) ? 1 : 0;
}

/* "//", "/./" and "/../" folded without asking the file system. */
static bool fold_lexically(const char *path, char *out, size_t out_size)
{
    size_t root = root_length(path), n;
    const char *p = path + root;

    if (root + 1 > out_size)
        return false;
    memcpy(out, path, root);
    n = root;
    while (*p) {
        const char *start, *end;
        size_t len;

        while (is_sep(*p))
            p++;
        start = p;
        while (*p && !is_sep(*p))
            p++;
        end = p;
        len = (size_t)(end - start);
        if (len == 0 || (len == 1 && start[0] == '.'))
            continue;
        if (len == 2 && start[0] == '.' && start[1] == '.') {
            while (n > root && !is_sep(out[n - 1]))
                n--; /* drop the last component ... */
            if (n > root)
                n--; /* ... and its separator */
            continue;
        }
        /* n < out_size here (the root and each component were checked), so the separator
         * fits; the check below covers it together with the component */
        if (n > root)
            out[n++] = '/';
        if (n + len >= out_size)
            return false;
        memcpy(out + n, start, len);
        n += len;
    }
    out[n] = '\0';
    return true;
}

/* The real path of the folder that exists (symlinks resolved) plus the last component;
 * false when that folder cannot be resolved or out cannot hold the result. */
static bool resolve_parent(const char *path, char *out, size_t out_size)
{
    const char *last = NULL, *p;
    char *parent, *real;
    size_t plen;
    bool ok = false;

    for (p = path; *p; p++)
        if (is_sep(*p))
            last = p;
    if (!last)
        return false;
    plen = (size_t)(last - path);
    if (plen < root_length(path))
        plen = root_length(path); /* the root itself, "/" or "X:\", keeps its separator */
    parent = malloc(plen + 1);
    if (!parent)
        return false;
    memcpy(parent, path, plen);
    parent[plen] = '\0';
#ifdef _WIN32
    real = _fullpath(NULL, parent, 0); /* folds . and .. and separators */
#else
    real = realpath(parent, NULL);
#endif
    if (real) {
        size_t rn = strlen(real);
        const char *base = last + 1;
        if (rn + 1 + strlen(base) < out_size) {
            memcpy(out, real, rn);
            if (rn == 0 || !is_sep(real[rn - 1]))
                out[rn++] = '/';
            strcpy(out + rn, base);
            ok = true;
        }
        free(real);
    }
    free(parent);
    return ok;
}

int bht_dest_normalise(const char *path, char *out, size_t out_size)
{
    char *p;

    /* The kernel's answer first ("$D/link/../x" is not "$D/x"); a missing folder is
     * folded by hand, then asked again ("$D/gone/../x"). */
    if (!resolve_parent(path, out, out_size)) {
        char *folded = malloc(out_size);
        bool ok = folded && fold_lexically(path, folded, out_size);
        if (ok && !resolve_parent(folded, out, out_size))
            strcpy(out, folded);
        free(folded);
        if (!ok)
            return 0;
    }
#ifdef _WIN32
    for (p = out; *p; p++) {
        if (*p == '\\')
            *p = '/';
        else if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a'); /* NTFS names compare without case */
    }
#else
    (void)p;
#endif
    return 1;
}

int bht_dest_same_path(const char *a, const char *b)
{
    char *na, *nb;
    int same;

    if (!strcmp(a, b))
        return 1;
    na = malloc(2 * NORMAL_MAX);
    if (!na)
        return 0;
    nb = na + NORMAL_MAX;
    same = bht_dest_normalise(a, na, NORMAL_MAX) && bht_dest_normalise(b, nb, NORMAL_MAX) &&
           strcmp(na, nb) == 0;
    free(na);
    return same;
}
