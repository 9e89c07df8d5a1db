/* bitsht conformance: each checks_*.c file exports its table of checks; main.c runs them. */
#ifndef BHT_CONFORMANCE_CHECKS_H
#define BHT_CONFORMANCE_CHECKS_H

#include "conformance.h"

struct conf_registered {
    const char *name;
    CMUnitTestFunction fn;
};

#define CONF_REGISTER(fn) {#fn, fn}
#define CONF_END {NULL, NULL}

extern const struct conf_registered conf_checks_manager[];
extern const struct conf_registered conf_checks_add_file[];
extern const struct conf_registered conf_checks_states[];
extern const struct conf_registered conf_checks_complete_cancel[];
extern const struct conf_registered conf_checks_progress[];
extern const struct conf_registered conf_checks_errors[];
extern const struct conf_registered conf_checks_properties[];
extern const struct conf_registered conf_checks_tokens[];
extern const struct conf_registered conf_checks_identity[];
extern const struct conf_registered conf_checks_last[]; /* last: see the file */
extern const struct conf_registered conf_checks_replay[]; /* empty unless linked with the fake */

#endif
