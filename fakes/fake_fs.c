/* bitsht fake: the one file that talks to the platform's file system.
 *
 * Only ISO C stdio plus stat/access, which MinGW's CRT has too, so the fake and its tests
 * build as .exe and run under Wine. Errors leave as HRESULT_FROM_WIN32 values, the form
 * BITS reports them in (docs/contract.md C41, C64). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#ifdef _WIN32
#include <io.h>
#define FAKE_ACCESS _access
#define FAKE_W_OK 2
#define FAKE_UNLINK(p) remove(p)
#else
#include <unistd.h>
#define FAKE_ACCESS access
#define FAKE_W_OK W_OK
#define FAKE_UNLINK(p) unlink(p)
#endif

#include "fake_internal.h"

bht_hr fake_fs_hr_from_errno(int err)
{
    switch (err) {
    case ENOENT:
        return BHT_E_FILE_NOT_FOUND;
    case ENOTDIR:
        return BHT_E_PATH_NOT_FOUND;
    case EACCES:
    case EPERM:
    case EROFS:
    case EISDIR:
        return E_ACCESSDENIED;
    case EBUSY:
        return BHT_E_SHARING_VIOLATION;
    case EEXIST:
        return BHT_HR_FROM_WIN32(183); /* ERROR_ALREADY_EXISTS */
    case ENOMEM:
        return E_OUTOFMEMORY;
    case ENAMETOOLONG:
    case EINVAL:
        return E_INVALIDARG;
    default:
        return E_FAIL;
    }
}

int fake_fs_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fake_fs_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

int fake_fs_file_size(const char *path, uint64_t *out_size)
{
    struct stat st;

    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    *out_size = (uint64_t)st.st_size;
    return 1;
}

bht_hr fake_fs_dir_writable(const char *dir)
{
    if (!fake_fs_is_dir(dir))
        return BHT_E_PATH_NOT_FOUND; /* §2.4: parent directories must exist */
    if (FAKE_ACCESS(dir, FAKE_W_OK) != 0)
        return fake_fs_hr_from_errno(errno);
    return S_OK;
}

bht_hr fake_fs_replace(const char *from, const char *to)
{
    /* BITS replaces an existing destination (C43). MSVCRT's rename refuses an existing
     * target, and on ext4 a rename over an existing file forces the new file's blocks to
     * be allocated at the next commit (auto_da_alloc, measured ~3x slower per job): unlink
     * it first. A fake needs no atomicity here. unlink/MSVCRT remove leave a directory in
     * the way alone, and the rename then reports it (C41). */
    if (FAKE_UNLINK(to) != 0 && errno != ENOENT && errno != EISDIR && errno != EACCES &&
        errno != EPERM)
        return fake_fs_hr_from_errno(errno);
    if (rename(from, to) != 0) {
        int err = errno;
        /* A directory in the way: C libraries disagree (glibc EISDIR, Wine's msvcrt
         * EEXIST); the fake answers E_ACCESSDENIED everywhere, the code C41 names first
         * (what Windows' MoveFileEx gives here is our reading, unverified). */
        return fake_fs_is_dir(to) ? E_ACCESSDENIED : fake_fs_hr_from_errno(err);
    }
    return S_OK;
}

bht_hr fake_fs_remove(const char *path)
{
    if (remove(path) == 0 || errno == ENOENT)
        return S_OK;
    return fake_fs_hr_from_errno(errno);
}

bht_hr fake_fs_read_all(FILE *fp, const char *path, char **out_text, size_t *out_len,
                        char *err, size_t err_size)
{
    char *text = NULL;
    size_t n = 0, cap = 0;

    *out_text = NULL;
    *out_len = 0;
    for (;;) {
        size_t k;
        if (cap - n < 4096) {
            char *nt = realloc(text, cap + 65536);
            if (!nt) {
                free(text);
                if (err && err_size)
                    snprintf(err, err_size, "%s: out of memory reading it", path);
                return E_OUTOFMEMORY;
            }
            text = nt;
            cap += 65536;
        }
        k = fread(text + n, 1, cap - n - 1, fp);
        n += k;
        if (k == 0)
            break;
    }
    if (ferror(fp)) {
        int error = errno; /* e.g. EISDIR: fopen opens a folder, the read fails */
        free(text);
        if (err && err_size)
            snprintf(err, err_size, "%s: cannot read (%s)", path, strerror(error));
        return fake_fs_hr_from_errno(error);
    }
    text[n] = '\0';
    *out_text = text;
    *out_len = n;
    return S_OK;
}
