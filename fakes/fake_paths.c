/* bitsht fake: path syntax (no file system access).
 *
 * docs/contract.md: a local name must be a full path. "Full" means the native form of
 * the host: "/..." on POSIX, "X:\..." (or "X:/...") on Windows, so one world file works
 * with the native build and, with Windows paths, with the .exe under Wine. Both syntaxes
 * are compiled on every host (the fake_path_syntax_* functions), so the native unit tests
 * check the Windows rules too; the fake_path_* functions apply the host's, FAKE_PATH_HOST. */
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

int fake_path_syntax_is_separator(enum fake_path_syntax syntax, char c)
{
    return c == '/' || (syntax == FAKE_PATH_WINDOWS && c == '\\');
}

int fake_path_syntax_is_absolute(enum fake_path_syntax syntax, const char *p)
{
    if (!p)
        return 0;
    if (syntax == FAKE_PATH_POSIX)
        return p[0] == '/';
    return ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':' &&
           fake_path_syntax_is_separator(syntax, p[2]);
}

size_t fake_path_syntax_root_len(enum fake_path_syntax syntax)
{
    return syntax == FAKE_PATH_WINDOWS ? 3 : 1; /* "C:\" or "/" */
}

char *fake_path_syntax_parent(enum fake_path_syntax syntax, const char *p)
{
    size_t len = strlen(p), cut = 0, i, root = fake_path_syntax_root_len(syntax);
    char *out;

    for (i = 0; i < len; i++)
        if (fake_path_syntax_is_separator(syntax, p[i]))
            cut = i;
    if (cut < root)
        cut = root; /* the root itself keeps its separator */
    out = malloc(cut + 1);
    if (!out)
        return NULL;
    memcpy(out, p, cut);
    out[cut] = '\0';
    return out;
}

char *fake_path_syntax_file_url(enum fake_path_syntax syntax, const char *url)
{
    const char *p;

    if (strncmp(url, "file://", 7) != 0 && strncmp(url, "FILE://", 7) != 0)
        return NULL;
    p = url + 7;
    if (syntax == FAKE_PATH_WINDOWS && p[0] == '/' &&
        fake_path_syntax_is_absolute(syntax, p + 1))
        p++; /* file:///C:/x -> C:/x */
    return fake_strdup(p);
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int fake_path_syntax_has_prefix_dir(enum fake_path_syntax syntax, const char *path,
                                    const char *dir)
{
    size_t n = strlen(dir), i;

    if (n > 0 && fake_path_syntax_is_separator(syntax, dir[n - 1]))
        n--; /* the root "/" */
    for (i = 0; i < n; i++) {
        char a = path[i], b = dir[i];
        if (syntax == FAKE_PATH_WINDOWS) { /* NTFS names compare without case */
            a = ascii_lower(a);
            b = ascii_lower(b);
            if (fake_path_syntax_is_separator(syntax, a) &&
                fake_path_syntax_is_separator(syntax, b))
                continue;
        }
        if (a != b)
            return 0; /* also where path ends first: its NUL meets a character of dir */
    }
    return path[n] == '\0' || fake_path_syntax_is_separator(syntax, path[n]);
}

/* ---- the host's syntax ---- */

int fake_path_is_separator(char c)
{
    return fake_path_syntax_is_separator(FAKE_PATH_HOST, c);
}

int fake_path_is_absolute(const char *p)
{
    return fake_path_syntax_is_absolute(FAKE_PATH_HOST, p);
}

size_t fake_path_root_len(void)
{
    return fake_path_syntax_root_len(FAKE_PATH_HOST);
}

char *fake_path_parent(const char *p)
{
    return fake_path_syntax_parent(FAKE_PATH_HOST, p);
}

char *fake_file_url_to_path(const char *url)
{
    return fake_path_syntax_file_url(FAKE_PATH_HOST, url);
}

int fake_path_has_prefix_dir(const char *path, const char *dir)
{
    return fake_path_syntax_has_prefix_dir(FAKE_PATH_HOST, path, dir);
}
