/* bitsht CLI: choosing and opening a backend (fake everywhere, COM on Windows). */
#ifndef BITSHT_CLI_BACKEND_SELECT_H
#define BITSHT_CLI_BACKEND_SELECT_H

#include <stddef.h>

#include "args.h"
#include "bitsht/backend.h"

struct bht_fake_world;

struct cli_backend {
    struct bht_backend be;
    struct bht_fake_world *world; /* fake only */
    const char *state_path;       /* fake only: the persisted queue, or NULL */
    int is_com;
};

/* E_INVALIDARG: bad choice or an unreadable/invalid world or state file (exit 2);
 * other failures: BITS cannot be reached (exit 5). err names the problem. */
bht_hr cli_backend_open(const struct cli_options *o, struct cli_backend *out, char *err,
                        size_t err_size);
/* Saves the fake's queue when a state file is in use; returns the save's result. */
bht_hr cli_backend_close(struct cli_backend *b, char *err, size_t err_size);

#endif
