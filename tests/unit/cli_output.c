/* bitsht: JSON strings (src/cli/output.c). --json output is always valid JSON, whatever
 * bytes a path, a name or a message holds (issue 13 item 16, issue 14: every escape). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"

/* What print(f, s) writes, as a C string. */
static const char *printed(void (*print)(FILE *, const char *), const char *s)
{
    static char text[512];
    FILE *f = tmpfile();
    size_t n;

    assert_non_null(f);
    print(f, s);
    rewind(f);
    n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static const char *json_of(const char *s)
{
    return printed(out_json_string, s);
}

static const char *plain_of(const char *s)
{
    return printed(out_plain, s);
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

/* Text for a terminal never carries a control character: an echoed URL with ESC ]0;
 * retitled the terminal, a newline forged a "bitsht:" line. Windows's CRLF at the end of
 * BITS's descriptions is dropped, not shown. */
static void text_shows_control_characters_as_question_marks(void **state)
{
    (void)state;
    assert_string_equal(plain_of("https://x/\x1b]0;owned\x07"), "https://x/?]0;owned?");
    assert_string_equal(plain_of("a\nbitsht: forged\rline\x7f\x01"), "a?bitsht: forged?line??");
    assert_string_equal(plain_of("tab\tkept"), "tab\tkept");
    assert_string_equal(plain_of("The server said no.\r\n"), "The server said no.");
    assert_string_equal(plain_of("caf\xc3\xa9 \t"), "caf\xc3\xa9");
    assert_string_equal(plain_of(""), "");
    assert_string_equal(plain_of(NULL), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_escapes_what_json_requires),
        cmocka_unit_test(json_keeps_valid_utf8),
        cmocka_unit_test(json_replaces_invalid_utf8),
        cmocka_unit_test(text_shows_control_characters_as_question_marks),
    };
    return cmocka_run_group_tests_name("cli_output", tests, NULL, NULL);
}
