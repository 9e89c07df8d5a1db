/* bitsht conformance: trace record (trace.c) and replay (replay.c).
 *
 * Recording wraps a backend's two ops structs: every op is passed through and written as a
 * JSON line (check, op, job handle number, arguments, HRESULT, outputs). The check's folder
 * and the HTTP base are written as ${DIR} and ${HTTP}, passwords never (only whether the
 * helper's own password was given), so a trace recorded under Wine replays anywhere.
 * File-system facts the checks rely on (files made, files seen) are recorded too. */
#ifndef BHT_CONFORMANCE_TRACE_H
#define BHT_CONFORMANCE_TRACE_H

#include <stdio.h>

#include "bitsht/backend.h"

struct conf_trace;

/* NULL when path cannot be opened for writing. */
struct conf_trace *conf_trace_open(const char *path);
void conf_trace_close(struct conf_trace *tr);

/* Starts a check: the ops to pass through, and the strings to replace by placeholders.
 * Afterwards conf_trace_bits_ops/conf_trace_identity_ops with ctx = tr stand for them. */
void conf_trace_begin_check(struct conf_trace *tr, const char *check, const char *dir,
                            const char *http, const struct bht_bits_ops *bits, void *bits_ctx,
                            const struct bht_identity_ops *identity, void *identity_ctx,
                            const char *helper_password);
void conf_trace_end_check(struct conf_trace *tr);

/* "make_file" (value = size), "exists" (value = 0/1), "size" (value = size or -1). */
void conf_trace_fs(struct conf_trace *tr, const char *op, const char *path, long long value);

extern const struct bht_bits_ops conf_trace_bits_ops;
extern const struct bht_identity_ops conf_trace_identity_ops;

/* Replays a trace file against a fresh fake world per recorded check (profile wine8), in
 * folders under dir. Returns the number of mismatching checks (each described on out in
 * one line), or -1 when the file cannot be read. *out_ops gets the operations replayed. */
int conf_replay_file_in(const char *path, const char *dir, FILE *out, unsigned *out_ops);

#endif
