/* bitsht tests: src/com over the COM fake (bitsht_fakebits.dll), under Wine or on Windows.
 *
 * The test program links the DLL's import library, so the DLL that BITSHT_COM_SERVER names
 * (the same file) is the one the test's control calls reach: one world. Each test gets a
 * fresh world (bht_fakebits_reset) with a temporary folder; teardown fails the test when
 * the audit finds a live object, an unfreed CoTaskMem block or a misuse, naming them. */
#ifndef BITSHT_COM_FAKE_SUPPORT_H
#define BITSHT_COM_FAKE_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>

#include <cmocka.h>

#include "bitsht/backend.h"
#include "bitsht/job.h"
#include "bitsht_fakebits.h"

#define COMFAKE_ALICE_PASSWORD "S3cret!"
/* https resource that needs the helper (NETWORK) and answers NTLM (implicit credentials) */
#define COMFAKE_URL_AUTH "https://files.corp.example/q3.pdf"
#define COMFAKE_URL_AUTH_SIZE 300000
#define COMFAKE_URL_SMB "\\\\fs01\\finance\\ledger.xlsx"
#define COMFAKE_URL_GONE "https://cdn.example/gone"
#define COMFAKE_URL_PUBLIC "https://cdn.example/public.bin"

struct comfake_t {
    char dir[260];        /* this test's own folder */
    char restricted[300]; /* a folder only CORP\alice may write */
    struct bht_backend be;
    int open;
    char password[64];
    struct bht_file_pair files[2];
    char local[2][400];
    struct bht_request req;
    struct bht_report rep;
};

int comfake_setup(void **state);    /* world: the standard cast, profile windows */
int comfake_teardown(void **state); /* closes the backend, then the audit must be clean */
/* Replaces the world: the standard cast plus extra lines (e.g. "option profile=wine8\n"). */
void comfake_world(struct comfake_t *t, const char *extra);
/* Opens src/com's backend over the DLL (BITSHT_COM_SERVER = the DLL's own path). */
void comfake_open(struct comfake_t *t);
void comfake_close(struct comfake_t *t);
/* A helper-token request for CORP\alice with flags (0: none) for n remotes into the
 * test's folder, or into the restricted one. */
void comfake_request(struct comfake_t *t, uint32_t flags, const char *const *remotes, size_t n,
                     int to_restricted);
/* Fails the test naming every problem the DLL's audit reports. */
void comfake_assert_audit_clean(const char *when);
long long comfake_file_size(const char *path);

#endif
