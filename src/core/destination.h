/* bitsht core: what the file system says about a destination (request validation and
 * the re-check before Complete). Internal to src/core and its unit tests. */
#ifndef BITSHT_CORE_DESTINATION_H
#define BITSHT_CORE_DESTINATION_H

#include <stddef.h>

enum bht_dest_status {
    BHT_DEST_ABSENT = 0, /* lstat said ENOENT: nothing is there */
    BHT_DEST_EXISTS,     /* something is there (a file, a link, a directory, a FIFO...) */
    BHT_DEST_UNKNOWN     /* lstat failed otherwise (EACCES, ELOOP, ENOTDIR...): it may exist */
};

/* Only ENOENT means absent: an unreadable or unreachable path must be treated as
 * existing, or --overwrite's promise breaks (issue 13 item 1). err is lstat's errno. */
enum bht_dest_status bht_dest_status_from_lstat(int lstat_result, int err);
/* lstat (stat on Windows, which has no symlinks in the CRT) and the rule above; *err
 * gets lstat's errno (0 when it succeeded). */
enum bht_dest_status bht_dest_status(const char *path, int *err);

/* The form two destinations are compared in: the real path of the existing parent folder
 * (symlinks resolved) plus the last component; when the parent cannot be resolved, the
 * path with "//", "/./" and "/../" folded lexically. Windows: '\\' and '/' are one
 * separator and names compare without case (the caller compares with
 * bht_dest_same_path). Returns 0 when out does not hold the result. */
int bht_dest_normalise(const char *path, char *out, size_t out_size);
/* 1 when a and b name the same destination (after bht_dest_normalise). */
int bht_dest_same_path(const char *a, const char *b);

#endif
