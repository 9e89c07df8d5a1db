/* bitsht fake: the one file that talks to the platform's file system.
 *
 * ISO C stdio, stat/access, and the few descriptor calls both POSIX and MinGW's CRT
 * have (open with O_EXCL, fcntl or _locking), so the fake and its tests build as .exe and
 * run under Wine. The fake writes real files in folders other people may write too: it
 * creates its files exclusively, never follows a link it did not make, and locks the
 * state file it shares with other processes. Errors leave as HRESULT_FROM_WIN32 values,
 * the form BITS reports them in (docs/contract.md C41, C64). */
#if !defined(_WIN32) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700 /* O_NOFOLLOW, fdopen, fcntl locks, lstat */
#endif
#ifdef _WIN32
#define _CRT_RAND_S /* rand_s */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#ifdef _WIN32
#include <io.h>
#include <process.h>
#include <sys/locking.h>
#include <windows.h> /* MoveFileExA: an atomic replace for readers without a lock */
#define FAKE_ACCESS _access
#define FAKE_W_OK 2
#define FAKE_UNLINK(p) remove(p)
#define FAKE_LSTAT(p, st) stat((p), (st))
/* CreateFile's CREATE_NEW (what _O_EXCL maps to) fails on any existing name, links
 * included, so exclusivity alone keeps the fake off a planted link there. */
#define FAKE_O_NOFOLLOW 0
#define FAKE_O_BINARY _O_BINARY
#define FAKE_OPEN _open
#define FAKE_CLOSE _close
#define FAKE_FDOPEN _fdopen
#define FAKE_GETPID _getpid
#else
#include <unistd.h>
#define FAKE_ACCESS access
#define FAKE_W_OK W_OK
#define FAKE_UNLINK(p) unlink(p)
#define FAKE_LSTAT(p, st) lstat((p), (st))
#define FAKE_O_NOFOLLOW O_NOFOLLOW
#define FAKE_O_BINARY 0
#define FAKE_OPEN open
#define FAKE_CLOSE close
#define FAKE_FDOPEN fdopen
#define FAKE_GETPID getpid
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
#ifdef ELOOP
    case ELOOP: /* O_NOFOLLOW met a link: a name the fake did not make */
        return E_ACCESSDENIED;
#endif
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
    struct stat st;

    /* from is a temporary the fake made: a link or anything else put in its place is
     * not moved into the destination. */
    if (FAKE_LSTAT(from, &st) == 0 && !S_ISREG(st.st_mode))
        return E_ACCESSDENIED;
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

bht_hr fake_fs_create_new(const char *path, FILE **out)
{
    int fd = FAKE_OPEN(path, O_WRONLY | O_CREAT | O_EXCL | FAKE_O_NOFOLLOW | FAKE_O_BINARY,
                       0666);

    *out = NULL;
    if (fd < 0)
        return fake_fs_hr_from_errno(errno);
    *out = FAKE_FDOPEN(fd, "wb");
    if (!*out) {
        FAKE_CLOSE(fd);
        remove(path);
        return E_OUTOFMEMORY;
    }
    return S_OK;
}

bht_hr fake_fs_open_own(const char *path, FILE **out)
{
    int fd = FAKE_OPEN(path, O_RDWR | FAKE_O_NOFOLLOW | FAKE_O_BINARY);

    *out = NULL;
    if (fd < 0)
        return fake_fs_hr_from_errno(errno);
    *out = FAKE_FDOPEN(fd, "r+b");
    if (!*out) {
        FAKE_CLOSE(fd);
        return E_OUTOFMEMORY;
    }
    return S_OK;
}

bht_hr fake_fs_replace_atomic(const char *from, const char *to)
{
#ifdef _WIN32
    if (!MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING))
        return BHT_HR_FROM_WIN32(GetLastError());
#else
    if (rename(from, to) != 0)
        return fake_fs_hr_from_errno(errno);
#endif
    return S_OK;
}

/* ---- the lock beside a shared state file ---- */

bht_hr fake_fs_lock_open(const char *path, int *out_fd)
{
    /* Created if missing, never truncated, never through a link. */
    int fd = FAKE_OPEN(path, O_RDWR | O_CREAT | FAKE_O_NOFOLLOW | FAKE_O_BINARY, 0666);

    *out_fd = -1;
    if (fd < 0)
        return fake_fs_hr_from_errno(errno);
    *out_fd = fd;
    return S_OK;
}

/* Exclusive, whole-process lock on byte 0; wait: block until it is free. S_FALSE when
 * !wait and another process holds it. */
bht_hr fake_fs_lock(int fd, int wait)
{
#ifdef _WIN32
    for (;;) {
        if (_lseek(fd, 0, SEEK_SET) != 0)
            return fake_fs_hr_from_errno(errno);
        /* _LK_LOCK gives up after ten one-second tries: try again while waiting. */
        if (_locking(fd, wait ? _LK_LOCK : _LK_NBLCK, 1) == 0)
            return S_OK;
        if (errno != EACCES && errno != EDEADLOCK)
            return fake_fs_hr_from_errno(errno);
        if (!wait)
            return S_FALSE;
    }
#else
    struct flock fl;

    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = 0;
    fl.l_len = 1;
    while (fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl) != 0) {
        if (errno == EINTR)
            continue;
        if (!wait && (errno == EACCES || errno == EAGAIN))
            return S_FALSE;
        return fake_fs_hr_from_errno(errno);
    }
    return S_OK;
#endif
}

void fake_fs_lock_close(int fd)
{
    if (fd < 0)
        return;
#ifdef _WIN32
    if (_lseek(fd, 0, SEEK_SET) == 0)
        _locking(fd, _LK_UNLCK, 1);
#endif
    FAKE_CLOSE(fd); /* POSIX: closing drops the process's fcntl locks */
}

uint64_t fake_fs_random64(void)
{
    uint64_t v = 0;
    FILE *fp = fopen("/dev/urandom", "rb");

    if (fp) {
        if (fread(&v, sizeof v, 1, fp) != 1)
            v = 0;
        fclose(fp);
    }
#ifdef _WIN32
    {
        unsigned r[2];
        if (rand_s(&r[0]) == 0 && rand_s(&r[1]) == 0)
            v ^= ((uint64_t)r[0] << 32) | r[1];
    }
#endif
    /* Without a random source, time, clock and process id still differ between two
     * processes started at once in practice. */
    v ^= (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull;
    v ^= (uint64_t)clock() << 20;
    v ^= (uint64_t)FAKE_GETPID() << 40;
    return v;
}

char *fake_fs_real_path(const char *path)
{
#ifdef _WIN32
    return _fullpath(NULL, path, 0); /* folds ".", ".." and both separators */
#else
    return realpath(path, NULL); /* and resolves every link on the way */
#endif
}
