/* bitsht fuzz: the state-file parser (what bht_fake_state_load reads).
 *
 * The world declares two users so job records can name owners and helpers; any input
 * must load (S_OK) or be refused (E_INVALIDARG, "name: line N: reason"), never crash.
 * A loaded queue is enumerated (it must be consistent) but never run: running would
 * write files at whatever paths the input names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

static const char world[] = "user CORP\\alice password=a\n"
                            "user CORP\\bob password=b\n"
                            "option owner=CORP\\bob\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bht_fake_world *w = bht_fake_world_new();
    char *text = malloc(size + 1);
    char err[256];
    struct bht_job_info *jobs = NULL;
    size_t n = 0;
    bht_hr hr;

    if (!w || !text || bht_fake_world_parse(w, world, "w", err, sizeof err) != S_OK)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    hr = fake_state_parse_text(w, text, size, "fuzz.state", err, sizeof err);
    if (hr != S_OK && hr != E_INVALIDARG)
        abort();
    if (hr == E_INVALIDARG && strncmp(err, "fuzz.state: line ", 17) != 0)
        abort();
    if (hr == S_OK) {
        if (bht_fake_bits_ops.enum_jobs(w, "", &jobs, &n) != S_OK)
            abort();
        bht_fake_bits_ops.free_mem(w, jobs);
    }
    free(text);
    bht_fake_world_free(w);
    return 0;
}
