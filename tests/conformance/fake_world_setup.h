/* bitsht conformance: the suite's fake world (fake_world_setup.c). */
#ifndef BHT_CONFORMANCE_FAKE_WORLD_SETUP_H
#define BHT_CONFORMANCE_FAKE_WORLD_SETUP_H

#include "bitsht/fake_world.h"

/* A fresh world with the fixed resources under base URL http, in the given profile;
 * NULL (reason on stderr) when the fake refuses the declarations. */
struct bht_fake_world *conf_fake_world_new(const char *http, enum bht_fake_profile profile);

#endif
