/* bitsht tests: portable helpers. POSIX and MinGW differ only in folder calls. */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#ifdef _WIN32
#include <direct.h>
#include <process.h>
#define SEP "\\"
#else
#include <sys/stat.h>
#include <unistd.h>
#define SEP "/"
#endif

void bht_test_mkdtemp(char *out, size_t size)
{
#ifdef _WIN32
    static unsigned counter;
    const char *base = getenv("TEMP");
    if (!base)
        base = getenv("TMP");
    if (!base)
        base = "C:\\windows\\temp";
    for (int tries = 0; tries < 1000; tries++) {
        snprintf(out, size, "%s\\bht-test-%d-%u", base, _getpid(), ++counter);
        if (_mkdir(out) == 0)
            return;
    }
    fail_msg("cannot create a temporary folder under %s", base);
#else
    const char *base = getenv("TMPDIR");
    snprintf(out, size, "%s/bht-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(out))
        fail_msg("cannot create a temporary folder %s", out);
#endif
}

void bht_test_mkdir(const char *path)
{
#ifdef _WIN32
    if (_mkdir(path) != 0)
#else
    if (mkdir(path, 0700) != 0)
#endif
        fail_msg("cannot create folder %s", path);
}

void bht_test_path(char *out, size_t size, const char *dir, const char *name)
{
    snprintf(out, size, "%s" SEP "%s", dir, name);
}

void bht_test_write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");

    if (!f)
        fail_msg("cannot create %s", path);
    if (n && fwrite(data, 1, n, f) != n)
        fail_msg("cannot write %s", path);
    fclose(f);
}

long long bht_test_file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    long long n;

    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fclose(f);
    return n;
}

int bht_test_file_exists(const char *path)
{
    return bht_test_file_size(path) >= 0;
}

void bht_test_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1024];

    if (d) {
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            bht_test_path(path, sizeof path, dir, e->d_name);
            remove(path);
        }
        closedir(d);
    }
#ifdef _WIN32
    _rmdir(dir);
#else
    rmdir(dir);
#endif
}

int bht_test_count_entries(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

void bht_test_assert_hr(bht_hr expected, bht_hr actual, const char *expr, const char *file,
                        int line)
{
    char a[64], b[64];

    if (expected != actual) {
        print_error("%s: expected %s, got %s\n", expr, bht_hr_format(expected, a, sizeof a),
                    bht_hr_format(actual, b, sizeof b));
        _fail(file, line);
    }
}
