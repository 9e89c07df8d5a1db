/* bitsht fuzz: the world-file parser (bht_fake_world_parse).
 *
 * Any input must give S_OK or E_INVALIDARG with a "source:line: reason" message, never a
 * crash, a leak or undefined behaviour; a failed parse must leave the world usable.
 * Built by ci/fuzz.sh with clang -fsanitize=fuzzer,address,undefined. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bitsht/fake_world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bht_fake_world *w = bht_fake_world_new();
    char *text = malloc(size + 1);
    char err[256];
    bht_hr hr;

    if (!w || !text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0'; /* the parser takes a C string: stop at the first NUL */
    hr = bht_fake_world_parse(w, text, "fuzz.world", err, sizeof err);
    if (hr != S_OK && hr != E_INVALIDARG)
        abort();
    if (hr == E_INVALIDARG && strncmp(err, "fuzz.world:", 11) != 0)
        abort(); /* every refusal names the source and line */
    /* A second parse of the same text meets every declaration again: duplicates must be
     * refused (or, for a text with no declarations, accepted) without damage. */
    hr = bht_fake_world_parse(w, text, "fuzz.world", err, sizeof err);
    if (hr != S_OK && hr != E_INVALIDARG)
        abort();
    free(text);
    bht_fake_world_free(w);
    return 0;
}
