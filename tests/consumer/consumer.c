/* An outside program on the installed bitsht: a helper-token transfer on a fake world
 * through the library API (bitsht/job.h, bitsht/fake_world.h), its report checked.
 *
 *   consumer DIR      DIR: an existing empty folder (the host's full path form)
 *
 * The world: CORP\bob owns the job; CORP\alice, the helper, alone may read an
 * authenticated HTTP resource (auth=network) and write DIR/restricted. The transfer with
 * her token (flags local,network) must succeed with every byte in place; the same
 * transfer without a helper token must fail on the owner's 401. Prints one line per
 * check; exit 0 only when every check passed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bitsht/fake_world.h>
#include <bitsht/job.h>
#include <bitsht/version.h>

#define RESOURCE "https://intranet.corp.example/report.pdf"
#define RESOURCE_SIZE 100000u
#define HELPER_PASSWORD "c0nsumer-Secret"

static int failures;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

static char sep(const char *dir)
{
    return strchr(dir, '\\') ? '\\' : '/';
}

/* 1 when the file holds the fake's size=N pattern (byte i = i mod 251). */
static int has_pattern(const char *path, unsigned size)
{
    FILE *f = fopen(path, "rb");
    unsigned i = 0;
    int c;

    if (!f)
        return 0;
    while ((c = fgetc(f)) != EOF && c == (int)(i % 251))
        i++;
    fclose(f);
    return c == EOF && i == size;
}

/* One transfer of RESOURCE to dest on a fresh world; the report is the caller's. */
static bht_hr run(const char *world_text, const char *dest, int with_helper,
                  struct bht_report *report, char *password)
{
    struct bht_fake_world *w = bht_fake_world_new();
    struct bht_backend backend;
    struct bht_file_pair file = {RESOURCE, dest};
    struct bht_request req;
    char err[256];
    bht_hr hr;

    hr = bht_fake_world_parse(w, world_text, "consumer.world", err, sizeof err);
    if (BHT_FAILED(hr)) {
        printf("world: %s\n", err);
        bht_fake_world_free(w);
        return hr;
    }
    bht_fake_backend(w, &backend);
    memset(&req, 0, sizeof req);
    req.files = &file;
    req.file_count = 1;
    req.use_helper_token = with_helper;
    req.domain = "CORP";
    req.user = "alice";
    req.password = password;
    req.token_flags = with_helper ? BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK : 0;
    req.logon_type = BHT_LOGON_INTERACTIVE;
    req.priority = -1;
    req.timeout_s = 600;
    req.max_transient = -1;
    hr = bht_run_transfer(&backend, &req, report);
    bht_fake_world_free(w);
    return hr;
}

int main(int argc, char **argv)
{
    char world[2048], dest[1024], denied[1024], password[64];
    struct bht_report report;
    const char *dir;
    char s;
    bht_hr hr;

    if (argc != 2) {
        fprintf(stderr, "usage: consumer DIR\n");
        return 2;
    }
    dir = argv[1];
    s = sep(dir);
    printf("bitsht %s (header %s)\n", bht_version(), BHT_VERSION_STRING);
    check(strcmp(bht_version(), BHT_VERSION_STRING) == 0 &&
              bht_version_number() == BHT_VERSION_NUMBER,
          "the library's version is the header's");

    snprintf(world, sizeof world,
             "user CORP\\alice password=%s\n"
             "user CORP\\bob password=unused-Secret\n"
             "option owner=CORP\\bob\n"
             "resource %s size=%u rate=25000 readable-by=CORP\\alice auth=network\n"
             "folder %s%crestricted writable-by=CORP\\alice\n",
             HELPER_PASSWORD, RESOURCE, RESOURCE_SIZE, dir, s);
    snprintf(dest, sizeof dest, "%s%crestricted%creport.pdf", dir, s, s);
    snprintf(denied, sizeof denied, "%s%cowner-only.pdf", dir, s);

    /* With alice's helper token: she answers the server and writes the folder. */
    strcpy(password, HELPER_PASSWORD);
    hr = run(world, dest, 1, &report, password);
    printf("helper-token transfer: outcome %s, hr 0x%08lX, state %s, %llu bytes, job %s\n",
           bht_outcome_name(report.outcome), (unsigned long)(uint32_t)hr,
           bht_job_state_name(report.final_state),
           (unsigned long long)report.progress.bytes_transferred, report.job_id);
    check(hr == S_OK && report.outcome == BHT_OUTCOME_SUCCESS, "the transfer succeeded");
    check(bht_outcome_exit_code(report.outcome) == 0, "exit code 0");
    check(report.final_state == BHT_JOB_ACKNOWLEDGED && !report.job_left_in_queue,
          "the job was completed and left the queue");
    check(report.progress.bytes_transferred == RESOURCE_SIZE &&
              report.progress.files_transferred == 1,
          "100000 bytes, 1 file reported");
    check(report.elapsed_ms == 4000, "4 s on the fake's virtual clock (100000 B at 25000 B/s)");
    check(has_pattern(dest, RESOURCE_SIZE), "the file holds the resource's bytes");
    check(password[0] == '\0' && password[sizeof HELPER_PASSWORD - 2] == '\0',
          "the password was wiped after logon");

    /* Without a helper token the owner meets the server's 401. */
    hr = run(world, denied, 0, &report, NULL);
    printf("owner-only transfer: outcome %s, step %s, hr 0x%08lX\n",
           bht_outcome_name(report.outcome), bht_step_name(report.failed_step),
           (unsigned long)(uint32_t)hr);
    check(report.outcome == BHT_OUTCOME_TRANSFER_FAILED &&
              bht_outcome_exit_code(report.outcome) == 1,
          "without a helper token the transfer fails (exit 1)");
    check((uint32_t)hr == 0x80190191u && report.has_bits_error &&
              report.bits_error.context == BHT_ERRCTX_REMOTE_FILE,
          "BITS's error is HTTP 401 on the remote file");
    check(!report.job_left_in_queue, "no job left in the queue");

    printf("consumer: %d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
