/* bitsht fake: fake_fs.c, the one file that touches the platform's file system, called
 * directly: the HRESULT each errno becomes (C41, C64 name them as BITS reports them), the
 * answers about files and folders, replacing a destination (C36, C41, C43), whole-file
 * reads, exclusive creation and reopening without following links, the state file's lock
 * and the random id tag. Runs natively and as .exe under Wine; what differs between the
 * platforms (links, permissions, errno values of the C libraries) is POSIX only. */
#if !defined(_WIN32) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700 /* symlink */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fake_support.h"
#include "../../fakes/fake_internal.h"

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)
#define ERROR_ALREADY_EXISTS_HR ((bht_hr)0x800700B7)

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *text = NULL;
    size_t n = 0;

    assert_non_null(fp);
    assert_hr(S_OK, fake_fs_read_all(fp, path, &text, &n, NULL, 0));
    fclose(fp);
    assert_int_equal(strlen(text), n);
    return text;
}

static void every_errno_has_its_hresult(void **state)
{
    (void)state;
    assert_hr(BHT_E_FILE_NOT_FOUND, fake_fs_hr_from_errno(ENOENT));
    assert_hr(BHT_E_PATH_NOT_FOUND, fake_fs_hr_from_errno(ENOTDIR));
    assert_hr(E_ACCESSDENIED, fake_fs_hr_from_errno(EACCES));
    assert_hr(E_ACCESSDENIED, fake_fs_hr_from_errno(EPERM));
    assert_hr(E_ACCESSDENIED, fake_fs_hr_from_errno(EROFS));
    assert_hr(E_ACCESSDENIED, fake_fs_hr_from_errno(EISDIR));
    assert_hr(BHT_E_SHARING_VIOLATION, fake_fs_hr_from_errno(EBUSY));
    assert_hr(ERROR_ALREADY_EXISTS_HR, fake_fs_hr_from_errno(EEXIST));
    assert_hr(E_OUTOFMEMORY, fake_fs_hr_from_errno(ENOMEM));
#ifdef ELOOP
    assert_hr(E_ACCESSDENIED, fake_fs_hr_from_errno(ELOOP));
#endif
    assert_hr(E_INVALIDARG, fake_fs_hr_from_errno(ENAMETOOLONG));
    assert_hr(E_INVALIDARG, fake_fs_hr_from_errno(EINVAL));
    assert_hr(E_FAIL, fake_fs_hr_from_errno(EIO));
    assert_hr(E_FAIL, fake_fs_hr_from_errno(0));
}

static void files_and_folders_are_told_apart(void **state)
{
    struct fake_t *t = *state;
    char file[600], missing[600], under_file[700];
    uint64_t size = 77;

    fake_t_path(t, file, sizeof file, "five.bin");
    fake_t_path(t, missing, sizeof missing, "missing");
    snprintf(under_file, sizeof under_file, "%s/x", file);
    fake_t_write_file(file, "12345", 5);

    assert_int_equal(fake_fs_is_dir(t->dir), 1);
    assert_int_equal(fake_fs_is_dir(file), 0);
    assert_int_equal(fake_fs_is_dir(missing), 0);
    assert_int_equal(fake_fs_exists(t->dir), 1);
    assert_int_equal(fake_fs_exists(file), 1);
    assert_int_equal(fake_fs_exists(missing), 0);

    assert_int_equal(fake_fs_file_size(file, &size), 1);
    assert_true(size == 5);
    size = 77; /* a folder or nothing: 0, and the size is left alone */
    assert_int_equal(fake_fs_file_size(t->dir, &size), 0);
    assert_int_equal(fake_fs_file_size(missing, &size), 0);
    assert_true(size == 77);

    /* §2.4: the destination's folder must exist (a file is no folder). */
    assert_hr(S_OK, fake_fs_dir_writable(t->dir));
    assert_hr(BHT_E_PATH_NOT_FOUND, fake_fs_dir_writable(missing));
    assert_hr(BHT_E_PATH_NOT_FOUND, fake_fs_dir_writable(file));
#ifndef _WIN32
    assert_hr(BHT_E_PATH_NOT_FOUND, fake_fs_dir_writable(under_file));
#endif
}

#ifndef _WIN32
/* A folder nobody may write: a 0555 one, or (root writes anywhere) a read-only file system. */
static void a_folder_nobody_may_write_is_access_denied(void **state)
{
    struct fake_t *t = *state;
    char ro[600];
    const char *dir = ro;

    fake_t_path(t, ro, sizeof ro, "read-only");
    fake_t_mkdir(ro);
    assert_int_equal(chmod(ro, 0555), 0);
    if (access(ro, W_OK) == 0) {
        dir = "/proc/sys";
        if (!fake_fs_is_dir(dir) || access(dir, W_OK) == 0) {
            chmod(ro, 0755);
            skip(); /* root, and no read-only folder to try */
        }
    }
    assert_hr(E_ACCESSDENIED, fake_fs_dir_writable(dir));
    assert_int_equal(chmod(ro, 0755), 0);
}
#endif

static void replace_moves_a_temporary_over_the_destination(void **state)
{
    struct fake_t *t = *state;
    char from[600], to[600], dir[600], nowhere[700];
    char *text;

    fake_t_path(t, from, sizeof from, "from.tmp");
    fake_t_path(t, to, sizeof to, "to.bin");
    fake_t_path(t, dir, sizeof dir, "a-folder");
    fake_t_path(t, nowhere, sizeof nowhere, "missing/to.bin");

    /* C36: into place; C43: over an existing file. */
    fake_t_write_file(from, "first", 5);
    assert_hr(S_OK, fake_fs_replace(from, to));
    assert_int_equal(fake_fs_exists(from), 0);
    fake_t_write_file(from, "second!", 7);
    assert_hr(S_OK, fake_fs_replace(from, to));
    assert_int_equal(fake_fs_exists(from), 0);
    text = read_text(to);
    assert_string_equal(text, "second!");
    free(text);

    /* C41: a folder in the destination's place is access denied; the temporary stays. */
    fake_t_write_file(from, "third", 5);
    fake_t_mkdir(dir);
    assert_hr(E_ACCESSDENIED, fake_fs_replace(from, dir));
    assert_int_equal(fake_fs_is_dir(dir), 1);
    assert_int_equal(fake_fs_exists(from), 1);
    /* The destination's folder is gone: the rename's own answer. */
    assert_hr(BHT_E_FILE_NOT_FOUND, fake_fs_replace(from, nowhere));
    assert_int_equal(fake_fs_exists(from), 1);
    /* A folder in the temporary's place is never moved. */
    assert_hr(E_ACCESSDENIED, fake_fs_replace(dir, to));
    assert_int_equal(fake_fs_is_dir(dir), 1);
    text = read_text(to);
    assert_string_equal(text, "second!");
    free(text);
}

#ifndef _WIN32
static void replace_never_moves_a_link_and_reports_unlink_errors(void **state)
{
    struct fake_t *t = *state;
    char from[600], to[600], target[600], file[600], under_file[700];
    char *text;

    fake_t_path(t, from, sizeof from, "link.tmp");
    fake_t_path(t, to, sizeof to, "to.bin");
    fake_t_path(t, target, sizeof target, "elsewhere");
    fake_t_path(t, file, sizeof file, "plain");
    snprintf(under_file, sizeof under_file, "%s/x", file);
    fake_t_write_file(target, "secret", 6);
    fake_t_write_file(to, "kept", 4);
    assert_int_equal(symlink(target, from), 0);
    /* A link planted where the temporary was is not moved into the destination. */
    assert_hr(E_ACCESSDENIED, fake_fs_replace(from, to));
    text = read_text(to);
    assert_string_equal(text, "kept");
    free(text);
    /* The destination's unlink fails for another reason than "not there" (a file is no
     * folder): that answer, and nothing is moved. */
    fake_t_write_file(file, "p", 1);
    assert_int_equal(remove(from), 0); /* the link goes; a file takes its place */
    fake_t_write_file(from, "tmp", 3);
    assert_hr(BHT_E_PATH_NOT_FOUND, fake_fs_replace(from, under_file));
    assert_int_equal(fake_fs_exists(from), 1);
}
#endif

static void remove_is_quiet_about_a_missing_file(void **state)
{
    struct fake_t *t = *state;
    char file[600], missing[600], dir[600], inner[700];

    fake_t_path(t, file, sizeof file, "doomed");
    fake_t_path(t, missing, sizeof missing, "never-was");
    fake_t_path(t, dir, sizeof dir, "full-folder");
    snprintf(inner, sizeof inner, "%s/inner", dir);
    fake_t_write_file(file, "x", 1);
    assert_hr(S_OK, fake_fs_remove(file));
    assert_int_equal(fake_fs_exists(file), 0);
    assert_hr(S_OK, fake_fs_remove(missing));
    /* A folder with something in it cannot go: an error, and it stays. */
    fake_t_mkdir(dir);
    fake_t_write_file(inner, "y", 1);
#ifdef _WIN32
    assert_true(fake_fs_remove(dir) != S_OK);
#else
    assert_hr(E_FAIL, fake_fs_remove(dir)); /* ENOTEMPTY: no file-system answer of its own */
#endif
    assert_int_equal(fake_fs_is_dir(dir), 1);
}

static void read_all_reads_every_byte_and_names_the_file_on_failure(void **state)
{
    struct fake_t *t = *state;
    char path[600], err[700];
    size_t n = 99, big = 3 * 65536 + 123; /* past several growth steps */
    char *data = malloc(big), *text = (char *)1;
    FILE *fp;

    assert_non_null(data);
    for (size_t i = 0; i < big; i++)
        data[i] = (char)('a' + i % 26);
    fake_t_path(t, path, sizeof path, "big.txt");
    fake_t_write_file(path, data, big);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_hr(S_OK, fake_fs_read_all(fp, path, &text, &n, err, sizeof err));
    fclose(fp);
    assert_true(n == big);
    assert_memory_equal(text, data, big);
    assert_int_equal(text[big], '\0');
    free(text);
    free(data);

    /* An empty file: "" and 0. */
    fake_t_path(t, path, sizeof path, "empty.txt");
    fake_t_write_file(path, "", 0);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_hr(S_OK, fake_fs_read_all(fp, path, &text, &n, err, sizeof err));
    fclose(fp);
    assert_true(n == 0);
    assert_string_equal(text, "");
    free(text);

#ifndef _WIN32
    /* A folder opened as a file fails at the read: EISDIR, its name in the message; with
     * no room for a message (err NULL or size 0) the same answer. */
    fp = fopen(t->dir, "rb");
    assert_non_null(fp);
    strcpy(err, "untouched");
    text = (char *)1;
    n = 99;
    assert_hr(E_ACCESSDENIED, fake_fs_read_all(fp, t->dir, &text, &n, err, 0));
    assert_string_equal(err, "untouched");
    assert_null(text);
    assert_true(n == 0);
    assert_hr(E_ACCESSDENIED, fake_fs_read_all(fp, t->dir, &text, &n, NULL, 64));
    assert_hr(E_ACCESSDENIED, fake_fs_read_all(fp, t->dir, &text, &n, err, sizeof err));
    fclose(fp);
    {
        char want[700];
        snprintf(want, sizeof want, "%s: cannot read (%s)", t->dir, strerror(EISDIR));
        assert_string_equal(err, want);
    }
#endif
}

static void create_new_refuses_any_existing_name(void **state)
{
    struct fake_t *t = *state;
    char path[600], nowhere[700];
    FILE *fp = (FILE *)1;
    char *text;

    fake_t_path(t, path, sizeof path, "new.bin");
    fake_t_path(t, nowhere, sizeof nowhere, "missing/new.bin");
    assert_hr(S_OK, fake_fs_create_new(path, &fp));
    assert_non_null(fp);
    assert_int_equal(fwrite("abc", 1, 3, fp), 3);
    assert_int_equal(fclose(fp), 0);
    text = read_text(path);
    assert_string_equal(text, "abc");
    free(text);
    fp = (FILE *)1;
    assert_hr(ERROR_ALREADY_EXISTS_HR, fake_fs_create_new(path, &fp));
    assert_null(fp);
    text = read_text(path);
    assert_string_equal(text, "abc"); /* not truncated */
    free(text);
    fp = (FILE *)1;
    assert_hr(BHT_E_FILE_NOT_FOUND, fake_fs_create_new(nowhere, &fp));
    assert_null(fp);
}

static void open_own_updates_in_place(void **state)
{
    struct fake_t *t = *state;
    char path[600], missing[600];
    FILE *fp = (FILE *)1;
    char *text;

    fake_t_path(t, path, sizeof path, "own.bin");
    fake_t_path(t, missing, sizeof missing, "missing.bin");
    fake_t_write_file(path, "abcdef", 6);
    assert_hr(S_OK, fake_fs_open_own(path, &fp));
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 2, SEEK_SET), 0);
    assert_int_equal(fwrite("XY", 1, 2, fp), 2);
    assert_int_equal(fclose(fp), 0);
    text = read_text(path);
    assert_string_equal(text, "abXYef"); /* not truncated, not appended */
    free(text);
    fp = (FILE *)1;
    assert_hr(BHT_E_FILE_NOT_FOUND, fake_fs_open_own(missing, &fp));
    assert_null(fp);
    assert_int_equal(fake_fs_exists(missing), 0); /* never created */
}

#ifndef _WIN32
static void no_link_is_followed_on_create_or_reopen(void **state)
{
    struct fake_t *t = *state;
    char link[600], target[600], lock[600];
    FILE *fp = (FILE *)1;
    int fd = 7;
    char *text;

    fake_t_path(t, link, sizeof link, "planted");
    fake_t_path(t, target, sizeof target, "victim");
    fake_t_path(t, lock, sizeof lock, "state.lock");
    fake_t_write_file(target, "victim", 6);
    assert_int_equal(symlink(target, link), 0);
    assert_hr(ERROR_ALREADY_EXISTS_HR, fake_fs_create_new(link, &fp));
    assert_null(fp);
    fp = (FILE *)1;
    assert_hr(E_ACCESSDENIED, fake_fs_open_own(link, &fp)); /* ELOOP */
    assert_null(fp);
    assert_int_equal(symlink(target, lock), 0);
    assert_hr(E_ACCESSDENIED, fake_fs_lock_open(lock, &fd));
    assert_int_equal(fd, -1);
    text = read_text(target);
    assert_string_equal(text, "victim");
    free(text);
}
#endif

static void replace_atomic_swaps_in_one_step(void **state)
{
    struct fake_t *t = *state;
    char from[600], to[600], missing[600];
    char *text;

    fake_t_path(t, from, sizeof from, "state.new");
    fake_t_path(t, to, sizeof to, "state");
    fake_t_path(t, missing, sizeof missing, "no-such.new");
    fake_t_write_file(to, "old", 3);
    fake_t_write_file(from, "new", 3);
    assert_hr(S_OK, fake_fs_replace_atomic(from, to));
    assert_int_equal(fake_fs_exists(from), 0);
    text = read_text(to);
    assert_string_equal(text, "new");
    free(text);
    assert_hr(BHT_E_FILE_NOT_FOUND, fake_fs_replace_atomic(missing, to));
    text = read_text(to);
    assert_string_equal(text, "new");
    free(text);
}

static void the_lock_file_is_made_once_and_locks(void **state)
{
    struct fake_t *t = *state;
    char lock[600], nowhere[700];
    int fd = 7, fd2 = 7;

    fake_t_path(t, lock, sizeof lock, "q.lock");
    fake_t_path(t, nowhere, sizeof nowhere, "missing/q.lock");
    assert_hr(S_OK, fake_fs_lock_open(lock, &fd));
    assert_true(fd >= 0);
    assert_int_equal(fake_fs_exists(lock), 1);
    assert_hr(S_OK, fake_fs_lock(fd, 0));
#ifndef _WIN32
    assert_hr(S_OK, fake_fs_lock(fd, 1)); /* fcntl: the holder may lock again */
#endif
    /* Reopened, not truncated or refused. */
    assert_hr(S_OK, fake_fs_lock_open(lock, &fd2));
    assert_true(fd2 >= 0 && fd2 != fd);
    fake_fs_lock_close(fd2);
    fake_fs_lock_close(fd);
    fake_fs_lock_close(-1); /* nothing open: nothing done */
    assert_hr(BHT_E_FILE_NOT_FOUND, fake_fs_lock_open(nowhere, &fd));
    assert_int_equal(fd, -1);
#ifndef _WIN32
    /* No such descriptor: the C library's EBADF, which is no file-system answer. */
    assert_hr(E_FAIL, fake_fs_lock(-1, 0));
    assert_hr(E_FAIL, fake_fs_lock(-1, 1));
#endif
}

#ifndef _WIN32
/* C43: an existing destination is replaced whatever errno held before the call: only a
 * failed unlink's errno is read. */
static void replace_reads_errno_only_after_a_failed_unlink(void **state)
{
    struct fake_t *t = *state;
    char from[600], to[600];
    char *text;

    fake_t_path(t, from, sizeof from, "from.tmp");
    fake_t_path(t, to, sizeof to, "to.bin");
    fake_t_write_file(to, "old", 3);
    fake_t_write_file(from, "new", 3);
    errno = EIO; /* left over from some earlier call */
    assert_hr(S_OK, fake_fs_replace(from, to));
    text = read_text(to);
    assert_string_equal(text, "new");
    free(text);
}

/* The files the fake makes (temporaries, the lock) get the mode any program's new file
 * gets: 0666 less the umask. */
static void new_files_get_0666_less_the_umask(void **state)
{
    struct fake_t *t = *state;
    char path[600], lock[600];
    struct stat st;
    mode_t old = umask(0);
    FILE *fp = NULL;
    int fd = -1;

    fake_t_path(t, path, sizeof path, "new.tmp");
    fake_t_path(t, lock, sizeof lock, "q.lock");
    assert_hr(S_OK, fake_fs_create_new(path, &fp));
    fclose(fp);
    assert_hr(S_OK, fake_fs_lock_open(lock, &fd));
    fake_fs_lock_close(fd);
    umask(old);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0666);
    assert_int_equal(stat(lock, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0666);
}

/* Descriptor 0 is a descriptor like any other: with standard input closed, the next open
 * returns 0, every call takes it as a success, and closing the lock closes it. */
static void descriptor_zero_is_a_descriptor_like_any_other(void **state)
{
    struct fake_t *t = *state;
    char path[600], lock[600];
    int saved = dup(0), fd = -1;
    FILE *fp = NULL;

    fake_t_path(t, path, sizeof path, "zero.tmp");
    fake_t_path(t, lock, sizeof lock, "zero.lock");
    if (saved >= 0) /* else standard input was closed already */
        assert_int_equal(close(0), 0);
    assert_hr(S_OK, fake_fs_create_new(path, &fp));
    assert_int_equal(fileno(fp), 0);
    fclose(fp);
    assert_hr(S_OK, fake_fs_open_own(path, &fp));
    assert_int_equal(fileno(fp), 0);
    fclose(fp);
    assert_hr(S_OK, fake_fs_lock_open(lock, &fd));
    assert_int_equal(fd, 0);
    assert_hr(S_OK, fake_fs_lock(fd, 0));
    fake_fs_lock_close(fd);
    errno = 0;
    assert_int_equal(fcntl(0, F_GETFD), -1); /* closed */
    assert_int_equal(errno, EBADF);
    if (saved >= 0) {
        assert_int_equal(dup2(saved, 0), 0);
        close(saved);
    }
}
#endif

static void random_ids_differ_in_their_low_bits(void **state)
{
    uint64_t v[8];
    int differ = 0;

    (void)state;
    /* The low 20 bits come only from the random source (time, clock and process id are
     * mixed in above them or are the same within a second): eight draws all alike there
     * would mean no random source was read. */
#ifndef _WIN32
    int fds = fake_t_open_fds();
#endif
    for (int i = 0; i < 8; i++)
        v[i] = fake_fs_random64();
#ifndef _WIN32
    assert_int_equal(fake_t_open_fds(), fds); /* /dev/urandom closed after each read */
#endif
    for (int i = 1; i < 8; i++)
        differ |= (v[i] & 0xFFFFFu) != (v[0] & 0xFFFFFu);
    assert_true(differ);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_errno_has_its_hresult),
        T(files_and_folders_are_told_apart),
#ifndef _WIN32
        T(a_folder_nobody_may_write_is_access_denied),
        T(replace_never_moves_a_link_and_reports_unlink_errors),
        T(no_link_is_followed_on_create_or_reopen),
        T(replace_reads_errno_only_after_a_failed_unlink),
        T(new_files_get_0666_less_the_umask),
        T(descriptor_zero_is_a_descriptor_like_any_other),
#endif
        T(replace_moves_a_temporary_over_the_destination),
        T(remove_is_quiet_about_a_missing_file),
        T(read_all_reads_every_byte_and_names_the_file_on_failure),
        T(create_new_refuses_any_existing_name),
        T(open_own_updates_in_place),
        T(replace_atomic_swaps_in_one_step),
        T(the_lock_file_is_made_once_and_locks),
        cmocka_unit_test(random_ids_differ_in_their_low_bits),
    };
    return cmocka_run_group_tests_name("fake fs", tests, NULL, NULL);
}
