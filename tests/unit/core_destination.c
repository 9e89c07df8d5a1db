/* bitsht: destination identity (src/core/destination.c) on its own: the exact form two
 * destinations are compared in, the lexical fold used when the parent folder does not
 * exist, and the output buffer at exactly the size that holds the result and one less.
 * The request tests (core_request.c) show the same rule refusing duplicate pairs. POSIX
 * only (tests/unit/core.cmake): on Windows _fullpath folds a missing parent by itself.
 * Linked with -Wl,--wrap=malloc, so a test can make the core's next allocations fail. */
#define _XOPEN_SOURCE 700 /* realpath, mkdtemp, symlink */
#include <errno.h>
#include <malloc.h> /* mallinfo2 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "destination.h"

/* --wrap=malloc: every malloc of this program and the core comes here; while
 * malloc_ok_calls is 0 or more, that many succeed and the next one fails. */
void *__real_malloc(size_t size);
static int malloc_ok_calls = -1;

void *__wrap_malloc(size_t size)
{
    if (malloc_ok_calls == 0) {
        malloc_ok_calls = -1;
        return NULL;
    }
    if (malloc_ok_calls > 0)
        malloc_ok_calls--;
    return __real_malloc(size);
}

struct dirs {
    char made[64];    /* as mkdtemp named it */
    char real[4096];  /* its real path */
};

static int dirs_setup(void **state)
{
    struct dirs *d = calloc(1, sizeof *d);
    char sub[128];

    assert_non_null(d);
    snprintf(d->made, sizeof d->made, "/tmp/bht-dest-XXXXXX");
    assert_non_null(mkdtemp(d->made));
    assert_non_null(realpath(d->made, d->real));
    snprintf(sub, sizeof sub, "%s/a", d->made);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(sub, sizeof sub, "%s/lnk", d->made);
    assert_int_equal(symlink("a", sub), 0);
    *state = d;
    return 0;
}

static int dirs_teardown(void **state)
{
    struct dirs *d = *state;
    char sub[128];

    snprintf(sub, sizeof sub, "%s/lnk", d->made);
    unlink(sub);
    snprintf(sub, sizeof sub, "%s/a", d->made);
    rmdir(sub);
    rmdir(d->made);
    free(d);
    return 0;
}

/* lstat's answer, and its errno: 0 when something is there (whatever errno held before),
 * ENOENT when nothing is, anything else when it cannot tell (issue 13 item 1). */
static void status_and_errno_of_a_destination(void **state)
{
    const struct dirs *d = *state;
    char path[256];
    int err = 99;

    snprintf(path, sizeof path, "%s/a", d->made);
    errno = EIO;
    assert_int_equal(bht_dest_status(path, &err), BHT_DEST_EXISTS);
    assert_int_equal(err, 0);
    snprintf(path, sizeof path, "%s/lnk", d->made); /* the link itself, not its target */
    assert_int_equal(bht_dest_status(path, &err), BHT_DEST_EXISTS);
    assert_int_equal(err, 0);
    snprintf(path, sizeof path, "%s/gone", d->made);
    assert_int_equal(bht_dest_status(path, &err), BHT_DEST_ABSENT);
    assert_int_equal(err, ENOENT);
    snprintf(path, sizeof path, "/dev/null/x");
    assert_int_equal(bht_dest_status(path, &err), BHT_DEST_UNKNOWN);
    assert_int_equal(err, ENOTDIR);
}

/* normalise(made + tail) must be want (made's real path is "$R"). */
static void expect_normal(const struct dirs *d, const char *tail, const char *want_tail)
{
    char path[256], want[4200], out[4096];

    snprintf(path, sizeof path, "%s%s", d->made, tail);
    if (want_tail[0] == '$' && want_tail[1] == 'R')
        snprintf(want, sizeof want, "%s%s", d->real, want_tail + 2);
    else if (want_tail[0] == '$' && want_tail[1] == 'M')
        snprintf(want, sizeof want, "%s%s", d->made, want_tail + 2);
    else
        snprintf(want, sizeof want, "%s", want_tail);
    memset(out, 'X', sizeof out);
    if (!bht_dest_normalise(path, out, sizeof out))
        fail_msg("'%s' did not normalise", path);
    if (strcmp(out, want) != 0)
        fail_msg("'%s' normalised to '%s', want '%s'", path, out, want);
}

/* An existing parent: its real path (links resolved, "." ".." "//" folded by the kernel)
 * plus the last component as given. */
static void an_existing_parent_is_resolved(void **state)
{
    const struct dirs *d = *state;

    expect_normal(d, "/x", "$R/x");
    expect_normal(d, "//x", "$R/x");
    expect_normal(d, "/./x", "$R/x");
    expect_normal(d, "/a/../x", "$R/x");
    expect_normal(d, "/a/x", "$R/a/x");
    expect_normal(d, "/lnk/x", "$R/a/x");    /* the link is followed */
    expect_normal(d, "/lnk/../x", "$R/x");  /* "..": of where the link leads */
    expect_normal(d, "/a", "$R/a");          /* a folder's own name is a last component */
}

/* A parent that does not exist: "//", "/./", a trailing '/' and "/../" folded by hand,
 * then the folded parent asked again; ".." never climbs above the root. */
static void a_missing_parent_is_folded_lexically(void **state)
{
    const struct dirs *d = *state;

    expect_normal(d, "/gone/x", "$M/gone/x");
    expect_normal(d, "/gone//x", "$M/gone/x");
    expect_normal(d, "/gone/./x", "$M/gone/x");
    expect_normal(d, "/gone/x/", "$M/gone/x");
    expect_normal(d, "/gone/more/../x", "$M/gone/x");
    expect_normal(d, "/gone/../x", "$R/x");         /* folded into a parent that exists */
    expect_normal(d, "/gone/../lnk/x", "$R/a/x");
    expect_normal(d, "/gone/../../../../../../../../../../../../x", "/x"); /* stops at "/" */
    expect_normal(d, "/gone/a/..", "$R/gone"); /* folded to "$M/gone", whose parent exists */
    expect_normal(d, "/gone/a/./..//b/", "$M/gone/b");
    expect_normal(d, "/gone/a/x./y", "$M/gone/a/x./y"); /* only "." and ".." are special */
    expect_normal(d, "/gone/a/.x/y", "$M/gone/a/.x/y");
    expect_normal(d, "/gone/a/.../y", "$M/gone/a/.../y");
}

static void the_root_and_its_children(void **state)
{
    char out[64];

    (void)state;
    assert_int_equal(bht_dest_normalise("/", out, sizeof out), 1);
    assert_string_equal(out, "/");
    assert_int_equal(bht_dest_normalise("/bht-no-such-name", out, sizeof out), 1);
    assert_string_equal(out, "/bht-no-such-name");
    assert_int_equal(bht_dest_normalise("/bht-gone/../x", out, sizeof out), 1);
    assert_string_equal(out, "/x");
    assert_int_equal(bht_dest_normalise("/tmp/../tmp/x", out, sizeof out), 1);
    assert_string_equal(out, "/tmp/x");
}

/* out holds the result and its NUL, or normalise says 0: exactly at the size. */
static void the_output_buffer_is_used_to_its_last_byte(void **state)
{
    const struct dirs *d = *state;
    char path[256], out[4096];
    size_t len;

    /* resolved: "$R/x" */
    snprintf(path, sizeof path, "%s/x", d->made);
    len = strlen(d->real) + 2;
    assert_int_equal(bht_dest_normalise(path, out, len + 1), 1);
    assert_int_equal(strlen(out), len);
    assert_int_equal(bht_dest_normalise(path, out, len), 0);
    /* resolved through the link: "$R/a/x", which the fold ("$M/lnk/x") could not give */
    snprintf(path, sizeof path, "%s/lnk/x", d->made);
    len = strlen(d->real) + 4;
    assert_int_equal(bht_dest_normalise(path, out, len + 1), 1);
    assert_int_equal(strlen(out), len);
    assert_int_equal(bht_dest_normalise(path, out, len), 0);
    /* the root alone, and a name that folds to it */
    assert_int_equal(bht_dest_normalise("//", out, 1), 0);
    assert_int_equal(bht_dest_normalise("//", out, 2), 1);
    assert_string_equal(out, "/");
    assert_int_equal(bht_dest_normalise("/./..", out, 2), 1); /* "/.." does not fit; "/" does */
    assert_string_equal(out, "/");
    /* folded: "/bht-gone/x" is 11 characters */
    assert_int_equal(bht_dest_normalise("/bht-gone/x", out, 12), 1);
    assert_string_equal(out, "/bht-gone/x");
    assert_int_equal(bht_dest_normalise("/bht-gone/x", out, 11), 0);
    assert_int_equal(bht_dest_normalise("/bht-gone/x", out, 10), 0); /* at the '/' */
    assert_int_equal(bht_dest_normalise("/bht-gone/x", out, 9), 0);
    assert_int_equal(bht_dest_normalise("/bht-gone/x", out, 2), 0);
    assert_int_equal(bht_dest_normalise("/bht-gone/x", out, 1), 0); /* not even the root */
}

/* A name without any separator has no parent to resolve: it stays as it is. */
static void a_bare_name_stays_as_it_is(void **state)
{
    char out[16];

    (void)state;
    assert_int_equal(bht_dest_normalise("x.bin", out, sizeof out), 1);
    assert_string_equal(out, "x.bin");
    assert_int_equal(bht_dest_normalise("gone/../x", out, sizeof out), 1);
    assert_string_equal(out, "x");
}

/* Issue 13 item 3: one file under two spellings is one destination, also below a folder
 * that does not exist yet; different files are different. */
static void same_path_compares_the_normal_forms(void **state)
{
    const struct dirs *d = *state;
    char a[256], b[256];
    static char long_a[5000], long_b[5000];

    snprintf(a, sizeof a, "%s/gone/x", d->made);
    snprintf(b, sizeof b, "%s/gone/./sub/..//x", d->made);
    assert_int_equal(bht_dest_same_path(a, a), 1);
    assert_int_equal(bht_dest_same_path(a, b), 1);
    snprintf(b, sizeof b, "%s/gone/y", d->made);
    assert_int_equal(bht_dest_same_path(a, b), 0);
    snprintf(a, sizeof a, "%s/lnk/x", d->made);
    snprintf(b, sizeof b, "%s/a/x", d->made);
    assert_int_equal(bht_dest_same_path(a, b), 1);
    snprintf(b, sizeof b, "%s/a/X", d->made); /* POSIX names keep their case */
    assert_int_equal(bht_dest_same_path(a, b), 0);
    /* names too long to normalise (4096 bytes) are only the same when equal */
    memset(long_a, 'n', sizeof long_a - 1);
    long_a[0] = '/';
    memcpy(long_b, long_a, sizeof long_b);
    assert_int_equal(bht_dest_same_path(long_a, long_b), 1);
    long_b[1] = '/';
    assert_int_equal(bht_dest_same_path(long_a, long_b), 0);
}

/* Out of memory: a name that cannot be normalised is reported so (0), and two names are
 * then not known to be the same. */
static void no_memory_means_no_normal_form(void **state)
{
    const struct dirs *d = *state;
    char a[256], b[256], out[4096], want[4200];

    snprintf(a, sizeof a, "%s/x", d->made);
    snprintf(b, sizeof b, "%s//x", d->made);
    malloc_ok_calls = 0; /* same_path's buffers */
    assert_int_equal(bht_dest_same_path(a, b), 0);
    malloc_ok_calls = 0; /* the parent's copy: the fold and a second resolution still work */
    assert_int_equal(bht_dest_normalise(b, out, sizeof out), 1);
    snprintf(want, sizeof want, "%s/x", d->real);
    assert_string_equal(out, want);
    snprintf(b, sizeof b, "%s/gone/x", d->made);
    malloc_ok_calls = 1; /* the parent's copy, then the fold's buffer */
    assert_int_equal(bht_dest_normalise(b, out, sizeof out), 0);
    assert_int_equal(malloc_ok_calls, -1); /* the failure happened */
}

/* Every buffer normalise and same_path take is given back (realpath's result included). */
static void nothing_is_left_allocated(void **state)
{
    const struct dirs *d = *state;
    static const char *const tails[] = {"/x", "/gone/x", "/gone/../x", "/lnk/x", "/gone/../lnk/x"};
    char a[256], b[256];
    size_t before;

    snprintf(a, sizeof a, "%s/x", d->made);
    snprintf(b, sizeof b, "%s/./x", d->made);
    assert_int_equal(bht_dest_same_path(a, b), 1); /* warm-up */
    before = mallinfo2().uordblks;
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        snprintf(a, sizeof a, "%s%s", d->made, tails[i]);
        snprintf(b, sizeof b, "%s/a/..%s", d->made, tails[i]);
        (void)bht_dest_same_path(a, b);
    }
    assert_int_equal(mallinfo2().uordblks, before);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, dirs_setup, dirs_teardown)
    const struct CMUnitTest tests[] = {
        T(status_and_errno_of_a_destination),
        T(an_existing_parent_is_resolved),
        T(a_missing_parent_is_folded_lexically),
        cmocka_unit_test(the_root_and_its_children),
        T(the_output_buffer_is_used_to_its_last_byte),
        cmocka_unit_test(a_bare_name_stays_as_it_is),
        T(same_path_compares_the_normal_forms),
        T(no_memory_means_no_normal_form),
        T(nothing_is_left_allocated),
    };
#undef T
    return cmocka_run_group_tests_name("core_destination", tests, NULL, NULL);
}
