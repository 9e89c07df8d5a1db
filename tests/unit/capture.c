/* bitsht tests: stdout/stderr capture (capture.h). */
#define _POSIX_C_SOURCE 200809L /* dup, dup2, fileno */
#include "capture.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <unistd.h>

#include <cmocka.h>

void capture_start(struct capture *c, FILE *stream)
{
    fflush(stream);
    c->stream = stream;
    c->tmp = tmpfile();
    assert_non_null(c->tmp);
    c->saved = dup(fileno(stream));
    assert_true(c->saved >= 0);
    assert_true(dup2(fileno(c->tmp), fileno(stream)) >= 0);
}

const char *capture_end(struct capture *c)
{
    size_t n;

    fflush(c->stream);
    assert_true(dup2(c->saved, fileno(c->stream)) >= 0);
    close(c->saved);
    rewind(c->tmp);
    n = fread(c->text, 1, sizeof c->text - 1, c->tmp);
    c->text[n] = '\0';
    fclose(c->tmp);
    return c->text;
}
