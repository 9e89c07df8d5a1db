/* bitsht CLI: choosing and opening a backend (fake everywhere, COM on Windows). */
#ifndef BITSHT_CLI_BACKEND_SELECT_H
#define BITSHT_CLI_BACKEND_SELECT_H

#include <stddef.h>

#include "args.h"
#include "bitsht/backend.h"

struct bht_fake_world;
struct bht_fake_state_lock;

struct cli_backend {
    struct bht_backend be;
    struct bht_fake_world *world; /* fake only */
    const char *state_path;       /* fake only: the queue to save, or NULL (read-only use) */
    struct bht_fake_state_lock *state_lock; /* held from load to save by changing commands */
    int state_saved;              /* cli_backend_save ran: close saves no second time */
    bht_hr save_hr;
    int is_com;
};

/* E_INVALIDARG: bad choice or an unreadable/invalid world or state file (exit 2);
 * other failures: BITS cannot be reached (exit 5). err names the problem. */
bht_hr cli_backend_open(const struct cli_options *o, struct cli_backend *out, char *err,
                        size_t err_size);
/* Saves the fake's queue when a changing command uses a state file (once: later calls
 * return the first result); S_OK when there is nothing to save. */
bht_hr cli_backend_save(struct cli_backend *b, char *err, size_t err_size);
/* Saves unless cli_backend_save already did (S_OK then: that failure was reported),
 * releases the state file's lock and the backend. */
bht_hr cli_backend_close(struct cli_backend *b, char *err, size_t err_size);

#endif
