/* bitsht fake: path syntax, both of them on every host (fake_paths.c). A local name must be
 * a full path (C16: a relative one gives E_INVALIDARG): "/..." on POSIX, "X:\..." or
 * "X:/..." on Windows, where names compare without case; a file:// URL names a local file
 * (C15); a folder's rules hold inside it (C20). */
#include "fake_support.h"

#include <stdlib.h>
#include <string.h>

#include "../../fakes/fake_internal.h"

#define POSIX FAKE_PATH_POSIX
#define WIN FAKE_PATH_WINDOWS

static void separators(void **state)
{
    (void)state;
    assert_true(fake_path_syntax_is_separator(POSIX, '/'));
    assert_false(fake_path_syntax_is_separator(POSIX, '\\'));
    assert_false(fake_path_syntax_is_separator(POSIX, 'a'));
    assert_true(fake_path_syntax_is_separator(WIN, '/'));
    assert_true(fake_path_syntax_is_separator(WIN, '\\'));
    assert_false(fake_path_syntax_is_separator(WIN, ':'));
}

static void full_paths(void **state)
{
    static const char *const win_yes[] = {"C:\\x", "c:/x", "A:\\", "Z:\\", "a:\\", "z:/"};
    static const char *const win_no[] = {"@:\\x", "[:\\x", "`:\\x", "{:\\x", "1:\\x", "C:x",
                                         "C;\\x", "CC\\x", "/x",   "x",    ""};
    size_t i;

    (void)state;
    assert_false(fake_path_syntax_is_absolute(POSIX, NULL));
    assert_false(fake_path_syntax_is_absolute(WIN, NULL));
    assert_true(fake_path_syntax_is_absolute(POSIX, "/x"));
    assert_true(fake_path_syntax_is_absolute(POSIX, "/"));
    assert_false(fake_path_syntax_is_absolute(POSIX, "x/y"));
    assert_false(fake_path_syntax_is_absolute(POSIX, "C:\\x"));
    assert_false(fake_path_syntax_is_absolute(POSIX, ""));
    for (i = 0; i < sizeof win_yes / sizeof *win_yes; i++)
        if (!fake_path_syntax_is_absolute(WIN, win_yes[i]))
            fail_msg("'%s' is a full Windows path", win_yes[i]);
    for (i = 0; i < sizeof win_no / sizeof *win_no; i++)
        if (fake_path_syntax_is_absolute(WIN, win_no[i]))
            fail_msg("'%s' is not a full Windows path", win_no[i]);
}

static void expect_parent(enum fake_path_syntax syntax, const char *path, const char *parent)
{
    char *got = fake_path_syntax_parent(syntax, path);

    assert_non_null(got);
    if (strcmp(got, parent) != 0)
        fail_msg("parent of '%s' is '%s', expected '%s'", path, got, parent);
    free(got);
}

/* The root keeps its separator: a file directly in "/" or "C:\" has that folder as parent
 * (before the fix, "" — whose last character fake_temp_name then read before the start). */
static void parents(void **state)
{
    (void)state;
    expect_parent(POSIX, "/a/b", "/a");
    expect_parent(POSIX, "/a/b/", "/a/b");
    expect_parent(POSIX, "/a", "/");
    expect_parent(POSIX, "/", "/");
    expect_parent(POSIX, "/a\\b", "/");
    expect_parent(WIN, "C:\\a\\b", "C:\\a");
    expect_parent(WIN, "C:/a/b", "C:/a");
    expect_parent(WIN, "C:\\a/b", "C:\\a");
    expect_parent(WIN, "C:\\a", "C:\\");
    expect_parent(WIN, "C:\\", "C:\\");
}

/* the host's syntax is the one the fake_path_* functions apply */
static void the_host_syntax(void **state)
{
    char *p = fake_path_parent(FAKE_PATH_HOST == WIN ? "C:\\dir\\x" : "/dir/x");

    (void)state;
    assert_int_equal(fake_path_syntax_root_len(POSIX), 1);
    assert_int_equal(fake_path_syntax_root_len(WIN), 3);
    assert_int_equal(fake_path_root_len(), FAKE_PATH_HOST == WIN ? 3 : 1);
    assert_string_equal(p, FAKE_PATH_HOST == WIN ? "C:\\dir" : "/dir");
    free(p);
    assert_int_equal(fake_path_is_separator('\\'), FAKE_PATH_HOST == WIN);
    assert_true(fake_path_is_separator('/'));
    assert_int_equal(fake_path_is_absolute("/x"), FAKE_PATH_HOST == POSIX);
    assert_int_equal(fake_path_is_absolute("C:\\x"), FAKE_PATH_HOST == WIN);
    p = fake_file_url_to_path("file:///C:/x");
    assert_string_equal(p, FAKE_PATH_HOST == WIN ? "C:/x" : "/C:/x");
    free(p);
    assert_int_equal(fake_path_has_prefix_dir("/SRV/x", "/srv"), FAKE_PATH_HOST == WIN);
    assert_true(fake_path_has_prefix_dir("/srv/x", "/srv"));
}

static void expect_url(enum fake_path_syntax syntax, const char *url, const char *path)
{
    char *got = fake_path_syntax_file_url(syntax, url);

    if (!path) {
        if (got)
            fail_msg("'%s' gave '%s', expected no path", url, got);
        return;
    }
    if (!got || strcmp(got, path) != 0)
        fail_msg("'%s' gave '%s', expected '%s'", url, got ? got : "(null)", path);
    free(got);
}

static void file_urls(void **state)
{
    (void)state;
    expect_url(POSIX, "file:///tmp/x", "/tmp/x");
    expect_url(POSIX, "FILE:///tmp/x", "/tmp/x");
    expect_url(POSIX, "file:///C:/x", "/C:/x");
    expect_url(POSIX, "http://x/y", NULL);
    expect_url(POSIX, "file:/tmp/x", NULL);
    expect_url(POSIX, "FILE:/tmp/x", NULL);
    expect_url(POSIX, "File:///tmp/x", NULL);
    expect_url(WIN, "file:///C:/x", "C:/x");
    expect_url(WIN, "FILE:///d:\\x", "d:\\x");
    expect_url(WIN, "file:///x", "/x");
    expect_url(WIN, "file:///", "/");
    expect_url(WIN, "file:///C:x", "/C:x"); /* only a full path loses its slash */
    expect_url(WIN, "file://C", "C");
    expect_url(WIN, "file://C:/x", "C:/x");
    expect_url(WIN, "file://server/share", "server/share");
}

static void expect_inside(enum fake_path_syntax syntax, const char *path, const char *dir,
                          int inside)
{
    if (fake_path_syntax_has_prefix_dir(syntax, path, dir) != inside)
        fail_msg("'%s' is %sinside '%s'", path, inside ? "" : "not ", dir);
}

static void folders_contain_their_own_paths_only(void **state)
{
    (void)state;
    expect_inside(POSIX, "/srv/x/y", "/srv/x", 1);
    expect_inside(POSIX, "/srv/x", "/srv/x", 1);
    expect_inside(POSIX, "/srv/x", "/srv/x/", 1);
    expect_inside(POSIX, "/srv/x/y", "/srv/x/", 1);
    expect_inside(POSIX, "/anything", "/", 1);
    expect_inside(POSIX, "/srv/xy", "/srv/x", 0);
    expect_inside(POSIX, "/srv", "/srv/x", 0);
    expect_inside(POSIX, "/SRV/x", "/srv", 0);   /* POSIX names keep their case */
    expect_inside(POSIX, "/srv\\x", "/srv", 0);  /* a backslash is a name's character */
    expect_inside(WIN, "C:\\AZ\\x", "c:\\az", 1); /* NTFS: without case */
    expect_inside(WIN, "c:\\az\\x", "C:\\AZ", 1);
    expect_inside(WIN, "C:/srv/x", "C:\\srv", 1);
    expect_inside(WIN, "C:\\srv\\x", "C:/srv/", 1);
    expect_inside(WIN, "C:\\x", "C:\\", 1);
    expect_inside(WIN, "C:\\srvx", "C:\\srv", 0);
    expect_inside(WIN, "C:\\sr", "C:\\srv", 0);
    expect_inside(WIN, "D:\\srv", "C:\\srv", 0);
    expect_inside(WIN, "C:\\s_v", "C:\\s\\v", 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(separators),
        cmocka_unit_test(full_paths),
        cmocka_unit_test(parents),
        cmocka_unit_test(the_host_syntax),
        cmocka_unit_test(file_urls),
        cmocka_unit_test(folders_contain_their_own_paths_only),
    };
    return cmocka_run_group_tests_name("fake_paths", tests, NULL, NULL);
}
