/* bitsht tests: small portable helpers (temporary folders, files, paths) shared by the
 * unit tests. Runs natively and as .exe under Wine. */
#ifndef BITSHT_TEST_SUPPORT_H
#define BITSHT_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "bitsht/hresult.h"

/* A fresh empty folder under the system's temp folder; path written into out. */
void bht_test_mkdtemp(char *out, size_t size);
/* Creates one folder (its parent must exist). */
void bht_test_mkdir(const char *path);
/* dir + separator + name into out. */
void bht_test_path(char *out, size_t size, const char *dir, const char *name);
void bht_test_write_file(const char *path, const char *data, size_t n);
/* Size of a file, or -1 when it does not exist. */
long long bht_test_file_size(const char *path);
int bht_test_file_exists(const char *path);
/* Removes the files named in the folder (non-recursive, names given) and the folder. */
void bht_test_rmdir(const char *dir);
/* Counts directory entries (excluding . and ..) whose names start with prefix. */
int bht_test_count_entries(const char *dir, const char *prefix);

/* cmocka-friendly HRESULT comparison printing both as hex. */
#define assert_hr(expected, actual) \
    bht_test_assert_hr((bht_hr)(expected), (bht_hr)(actual), #actual, __FILE__, __LINE__)
void bht_test_assert_hr(bht_hr expected, bht_hr actual, const char *expr, const char *file,
                        int line);

#endif
