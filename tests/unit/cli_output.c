/* bitsht: JSON strings (src/cli/output.c). --json output is always valid JSON, whatever
 * bytes a path, a name or a message holds (issue 13 item 16, issue 14: every escape). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"

/* out_json_string(s) as a C string. */
static const char *json_of(const char *s)
{
    static char text[512];
    FILE *f = tmpfile();
    size_t n;

    assert_non_null(f);
    out_json_string(f, s);
    rewind(f);
    n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static void json_escapes_what_json_requires(void **state)
{
    (void)state;
    assert_string_equal(json_of("plain text"), "\"plain text\"");
    assert_string_equal(json_of(NULL), "\"\"");
    assert_string_equal(json_of(""), "\"\"");
    assert_string_equal(json_of("a\"b\\c"), "\"a\\\"b\\\\c\"");
    assert_string_equal(json_of("l1\nl2\r\tx"), "\"l1\\nl2\\r\\tx\"");
    assert_string_equal(json_of("\x01\x1b[2J\x1f\x7f"), "\"\\u0001\\u001b[2J\\u001f\\u007f\"");
    assert_string_equal(json_of("/"), "\"/\"");
}

/* Valid UTF-8 passes unchanged, one to four bytes a character. */
static void json_keeps_valid_utf8(void **state)
{
    (void)state;
    assert_string_equal(json_of("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
                        "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    assert_string_equal(json_of("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\""); /* U+10FFFF */
}

/* Every byte that is not part of a valid sequence becomes U+FFFD, and decoding goes on
 * with the next byte (a broken lead byte never swallows the ASCII after it). */
static void json_replaces_invalid_utf8(void **state)
{
    (void)state;
    assert_string_equal(json_of("/tmp/\xff"), "\"/tmp/\\ufffd\"");
    assert_string_equal(json_of("\xc3"), "\"\\ufffd\"");                  /* truncated */
    assert_string_equal(json_of("\xc3(x"), "\"\\ufffd(x\"");              /* bad continuation */
    assert_string_equal(json_of("\xe2\x82"), "\"\\ufffd\\ufffd\"");       /* truncated 3-byte */
    assert_string_equal(json_of("\xc0\xaf"), "\"\\ufffd\\ufffd\"");       /* overlong '/' */
    assert_string_equal(json_of("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
    assert_string_equal(json_of("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    assert_string_equal(json_of("\x80\"q"), "\"\\ufffd\\\"q\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_escapes_what_json_requires),
        cmocka_unit_test(json_keeps_valid_utf8),
        cmocka_unit_test(json_replaces_invalid_utf8),
    };
    return cmocka_run_group_tests_name("cli_output", tests, NULL, NULL);
}
