/* bitsht conformance: a fake world holding the suite's fixed resources (fixture_world.h),
 * for the checks (backend_fake.c) and for trace replay (replay.c). */
#include <stdio.h>

#include "bitsht/fake_world.h"
#include "fake_world_setup.h"
#include "fixture_world.h"

struct bht_fake_world *conf_fake_world_new(const char *http, enum bht_fake_profile profile)
{
    struct bht_fake_world *w = bht_fake_world_new();
    char text[2048], err[256];

    if (!w)
        return NULL;
    bht_fake_set_profile(w, profile);
    snprintf(text, sizeof(text), CONF_FAKE_WORLD_FORMAT, http, http, http, http, http, http);
    if (bht_fake_world_parse(w, text, "conformance-world", err, sizeof(err)) != S_OK) {
        fprintf(stderr, "conformance: fake world rejected: %s\n", err);
        bht_fake_world_free(w);
        return NULL;
    }
    return w;
}
