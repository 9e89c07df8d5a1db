/* bitsht fake: path syntax of the machine the fake runs on (no file system access).
 *
 * docs/contract.md: a local name must be a full path. "Full" means the native form of
 * the host: "/..." on POSIX, "X:\..." (or "X:/...") on Windows, so one world file works
 * with the native build and, with Windows paths, with the .exe under Wine. */
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

int fake_path_is_separator(char c)
{
#ifdef _WIN32
    return c == '\\' || c == '/';
#else
    return c == '/';
#endif
}

int fake_path_is_absolute(const char *p)
{
    if (!p)
        return 0;
#ifdef _WIN32
    return ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':' &&
           (p[2] == '\\' || p[2] == '/');
#else
    return p[0] == '/';
#endif
}

char *fake_path_parent(const char *p)
{
    size_t len = strlen(p), cut = 0, i, root;
    char *out;

#ifdef _WIN32
    root = 3; /* "C:\" */
#else
    root = 1; /* "/" */
#endif
    for (i = 0; i < len; i++)
        if (fake_path_is_separator(p[i]))
            cut = i;
    if (cut + 1 < root)
        cut = root; /* the root itself keeps its separator */
    out = malloc(cut + 1);
    if (!out)
        return NULL;
    memcpy(out, p, cut);
    out[cut] = '\0';
    return out;
}

char *fake_file_url_to_path(const char *url)
{
    const char *p;

    if (strncmp(url, "file://", 7) != 0 && strncmp(url, "FILE://", 7) != 0)
        return NULL;
    p = url + 7;
#ifdef _WIN32
    if (p[0] == '/' && p[1] && p[2] == ':')
        p++; /* file:///C:/x -> C:/x */
#endif
    return fake_strdup(p);
}

int fake_path_has_prefix_dir(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    if (n > 0 && fake_path_is_separator(dir[n - 1]))
        n--; /* the root "/" */
#ifdef _WIN32
    for (size_t i = 0; i < n; i++) { /* NTFS names compare without case */
        char a = path[i], b = dir[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b && !(fake_path_is_separator(a) && fake_path_is_separator(b)))
            return 0;
    }
#else
    if (strncmp(path, dir, n) != 0)
        return 0;
#endif
    return path[n] == '\0' || fake_path_is_separator(path[n]);
}
