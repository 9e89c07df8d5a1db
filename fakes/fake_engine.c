/* bitsht fake: transfers on the virtual clock.
 *
 * Each job with a pending step sits on the scheduler's list with the virtual time of that
 * step. Running the world means: take the earliest step, move the clock there, perform it.
 * A step is one visible thing (QUEUED -> CONNECTING -> TRANSFERRING, a chunk of bytes, a
 * retry), so a wait() caller sees every state change (docs/contract.md) and
 * nothing ever sleeps. Bytes are real: they go to a hidden temporary file beside the
 * destination (C37) and reach the destination name only at Complete (C36). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

#define IO_BLOCK 65536u
#define PATTERN_MODULUS 251u /* a prime: the pattern never lines up with block sizes */

int fake_state_is_final(enum bht_job_state s)
{
    return s == BHT_JOB_ACKNOWLEDGED || s == BHT_JOB_CANCELLED;
}

int fake_state_is_act_now(enum bht_job_state s)
{
    /* §3.3: the caller must complete, read the error, or notice someone else finished. */
    return s == BHT_JOB_TRANSFERRED || s == BHT_JOB_ERROR || fake_state_is_final(s);
}

static int has_prefix_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != *prefix)
            return 0;
    }
    return 1;
}

enum fake_remote_kind fake_remote_kind(const char *remote)
{
    const char *p;

    if (has_prefix_nocase(remote, "http://") || has_prefix_nocase(remote, "https://")) {
        p = strstr(remote, "://") + 3;
        return (*p && *p != '/') ? FAKE_REMOTE_HTTP : FAKE_REMOTE_BAD; /* needs a host */
    }
    if (remote[0] == '\\' && remote[1] == '\\') {
        /* \\server\share\...: a server name, then a share name (C15). */
        p = remote + 2;
        if (!*p || *p == '\\')
            return FAKE_REMOTE_BAD;
        p = strchr(p, '\\');
        return (p && p[1] && p[1] != '\\') ? FAKE_REMOTE_UNC : FAKE_REMOTE_BAD;
    }
    if (has_prefix_nocase(remote, "file://"))
        return remote[7] ? FAKE_REMOTE_LOCAL : FAKE_REMOTE_BAD;
    /* A drive-letter path is a full local path on every host (the Windows syntax C15
     * names); "/..." only where it is the native one. */
    if (((remote[0] >= 'A' && remote[0] <= 'Z') || (remote[0] >= 'a' && remote[0] <= 'z')) &&
        remote[1] == ':' && (remote[2] == '\\' || remote[2] == '/'))
        return FAKE_REMOTE_LOCAL;
    if (fake_path_is_absolute(remote))
        return FAKE_REMOTE_LOCAL;
    return FAKE_REMOTE_BAD;
}

void fake_pattern_fill(uint64_t offset, unsigned char *buf, size_t n)
{
    size_t i;
    unsigned v = (unsigned)(offset % PATTERN_MODULUS);

    for (i = 0; i < n; i++) {
        buf[i] = (unsigned char)v;
        if (++v == PATTERN_MODULUS)
            v = 0;
    }
}

struct fake_user *fake_destination_writer(const struct fake_job *j)
{
    /* C101: LOCAL_FILE makes the helper create and rename the temporary file. */
    if ((j->token_flags & BHT_TOKEN_LOCAL_FILE) && j->has_helper)
        return j->helper.local;
    return j->owner;
}

/* C114: implicit credentials for target with a scheme that NTLM/Kerberos challenges take. */
static int answers_challenge(const struct fake_job *j, int target)
{
    return (j->credentials & (FAKE_CRED_BIT(target, FAKE_AUTH_SCHEME_NTLM) |
                              FAKE_CRED_BIT(target, FAKE_AUTH_SCHEME_NEGOTIATE))) != 0;
}

/* C101: NETWORK makes the helper open an SMB source and answer an HTTP server's
 * challenge (the latter only after SetCredentials(NULL, NULL), §3.4 rule 4). Local paths
 * follow SMB rules (C15; open question 8 keeps this provisional). */
static struct fake_user *source_reader(const struct fake_job *j, enum fake_remote_kind kind,
                                       int auth_network)
{
    int helper_reads = (j->token_flags & BHT_TOKEN_NETWORK) && j->has_helper &&
                       (kind == FAKE_REMOTE_UNC || kind == FAKE_REMOTE_LOCAL ||
                        (kind == FAKE_REMOTE_HTTP && auth_network &&
                         answers_challenge(j, FAKE_AUTH_TARGET_SERVER)));

    return helper_reads ? j->helper.network : j->owner;
}

/* C114: who answers a proxy's NTLM/Kerberos challenge: the helper with NETWORK and the
 * proxy pairs set, otherwise the owner. */
static struct fake_user *proxy_user(const struct fake_job *j)
{
    int helper = (j->token_flags & BHT_TOKEN_NETWORK) && j->has_helper &&
                 answers_challenge(j, FAKE_AUTH_TARGET_PROXY);

    return helper ? j->helper.network : j->owner;
}

bht_hr fake_check_destination(struct bht_fake_world *w, const struct fake_user *writer,
                              const char *local, int check_disk)
{
    char *dir = fake_path_parent(local);
    const struct fake_folder *folder;
    bht_hr hr = S_OK;

    if (!dir)
        return E_OUTOFMEMORY;
    if (check_disk)
        hr = fake_fs_dir_writable(dir);
    if (hr == S_OK) {
        folder = fake_find_folder(w, dir);
        if (folder && !fake_user_list_has(&folder->writers, writer))
            hr = E_ACCESSDENIED;
    }
    free(dir);
    return hr;
}

/* ---- outcomes of a step ---- */

static void set_error(struct fake_job *j, enum bht_error_context ctx, bht_hr code, int file)
{
    j->error.present = 1;
    j->error.context = ctx;
    j->error.code = code;
    j->error.file = file;
}

static void fail_fatal(struct bht_fake_world *w, struct fake_job *j, enum bht_error_context ctx,
                       bht_hr code, int file)
{
    if (file >= 0)
        j->files[file].opened = 0; /* a Resume reconnects; bytes already written are kept */
    set_error(j, ctx, code, file);
    fake_job_set_state(w, j, BHT_JOB_ERROR);
    fake_job_unschedule(w, j);
}

static void fail_transient(struct bht_fake_world *w, struct fake_job *j,
                           enum bht_error_context ctx, bht_hr code, int file)
{
    uint64_t retry_at, give_up_at;

    /* §5 item 5: Wine has no TRANSIENT_ERROR; C69: a zero timeout makes every error fatal;
     * C71: a retry delay beyond the timeout means no retry. */
    if (w->profile == BHT_FAKE_PROFILE_WINE8 || w->no_progress_timeout_ms == 0 ||
        w->retry_delay_ms > w->no_progress_timeout_ms) {
        fail_fatal(w, j, ctx, code, file);
        return;
    }
    if (file >= 0)
        j->files[file].opened = 0;
    set_error(j, ctx, code, file);
    if (j->no_progress_since_ms == FAKE_NO_EVENT)
        j->no_progress_since_ms = w->now_ms;
    retry_at = w->now_ms + w->retry_delay_ms;
    give_up_at = j->no_progress_since_ms + w->no_progress_timeout_ms;
    fake_job_set_state(w, j, BHT_JOB_TRANSIENT_ERROR);
    fake_job_schedule(w, j, retry_at < give_up_at ? retry_at : give_up_at); /* C63, C72 */
}

/* C100: the owner logged off; every helper token in the world is discarded. */
static void drop_all_helper_tokens(struct bht_fake_world *w)
{
    struct fake_job *j, *next;

    for (j = w->q_head; j; j = next) {
        next = j->q_next;
        j->has_helper = 0;
        if (j->token_flags &&
            (j->state == BHT_JOB_QUEUED || j->state == BHT_JOB_CONNECTING ||
             j->state == BHT_JOB_TRANSFERRING || j->state == BHT_JOB_TRANSIENT_ERROR))
            fail_fatal(w, j, BHT_ERRCTX_GENERAL_QUEUE_MANAGER, BG_E_TOKEN_REQUIRED,
                       (int)j->current);
    }
}

/* §5 item 7: Wine treats only these statuses as errors; any other body is "the file". */
static int wine_http_status_is_error(bht_hr hr)
{
    static const unsigned statuses[] = {400, 401, 404, 407, 414, 501, 503, 504, 505};
    size_t i;

    if (!BHT_HR_IS_HTTP_STATUS(hr))
        return 1;
    for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
        if (((uint32_t)hr & 0xFFFFu) == statuses[i])
            return 1;
    return 0;
}

/* Where the bytes of a file come from: a pattern, or a real file. */
struct source {
    const struct fake_resource *res; /* NULL for an undeclared real file */
    const char *path;                /* real file, or NULL for the pattern */
    char *owned_path;
};

static bht_hr resolve_source(struct bht_fake_world *w, struct fake_job *j,
                             const struct fake_file *f, struct source *src,
                             enum bht_error_context *ctx, uint64_t *size, int *transient)
{
    enum fake_remote_kind kind = fake_remote_kind(f->remote);
    struct fake_resource *res = fake_find_resource(w, f->remote);
    struct fake_user *reader;

    memset(src, 0, sizeof(*src));
    *ctx = BHT_ERRCTX_REMOTE_FILE;
    *transient = 0;
    if (res) {
        src->res = res;
        if (res->transient_seen < res->transient) {
            res->transient_seen++;
            *transient = 1;
            *ctx = BHT_ERRCTX_GENERAL_TRANSPORT;
            return kind == FAKE_REMOTE_HTTP ? BHT_E_WINHTTP_CANNOT_CONNECT : BHT_E_BAD_NETPATH;
        }
        /* the proxy stands before the server: HTTP 407 unless it admits whoever answers */
        if (res->has_proxy && !fake_user_list_has(&res->proxy_users, proxy_user(j)))
            return BHT_BG_E_HTTP_ERROR(407);
        if (res->fail != S_OK &&
            (w->profile != BHT_FAKE_PROFILE_WINE8 || wine_http_status_is_error(res->fail)))
            return res->fail;
        if (res->has_readers) {
            reader = source_reader(j, kind, res->auth_network);
            if (!fake_user_list_has(&res->readers, reader)) {
                if (kind != FAKE_REMOTE_HTTP)
                    return E_ACCESSDENIED;
                return BHT_BG_E_HTTP_ERROR(res->auth_network ? 401 : 403);
            }
        }
        if (res->content) {
            src->path = res->content;
            if (!fake_fs_file_size(res->content, size))
                return BHT_E_FILE_NOT_FOUND;
        } else {
            *size = res->size;
        }
        return S_OK;
    }
    switch (kind) {
    case FAKE_REMOTE_HTTP:
        return BHT_BG_E_HTTP_ERROR(404);
    case FAKE_REMOTE_UNC:
        return BHT_E_BAD_NETPATH;
    case FAKE_REMOTE_LOCAL:
        /* An undeclared real file on this machine: readable by the owner only. */
        src->owned_path = fake_file_url_to_path(f->remote);
        src->path = src->owned_path ? src->owned_path : f->remote;
        reader = source_reader(j, kind, 0);
        if (reader != j->owner)
            return E_ACCESSDENIED;
        if (!fake_fs_file_size(src->path, size)) {
            char *dir = fake_path_parent(src->path);
            bht_hr hr = (dir && !fake_fs_is_dir(dir)) ? BHT_E_PATH_NOT_FOUND
                                                      : BHT_E_FILE_NOT_FOUND;
            free(dir);
            return hr;
        }
        return S_OK;
    default:
        /* Only reachable in wine8, which accepted the name (C17): ERROR, no context. */
        *ctx = BHT_ERRCTX_NONE;
        return E_INVALIDARG;
    }
}

char *fake_temp_name(const struct fake_job *j, size_t index)
{
    const struct fake_file *f = &j->files[index];
    char *dir = fake_path_parent(f->local), *out, hex[33];
    size_t n, k = 0;
    const char *p;

    if (!dir)
        return NULL;
    for (p = j->id; *p && k < 32; p++) /* the GUID's 32 hex digits */
        if (*p != '{' && *p != '}' && *p != '-')
            hex[k++] = *p;
    hex[k] = '\0';
    n = strlen(dir) + 48;
    out = malloc(n);
    if (out) {
        const char *sep = fake_path_is_separator(dir[strlen(dir) - 1]) ? "" :
#ifdef _WIN32
                                                                         "\\";
#else
                                                                         "/";
#endif
        /* Hidden (dot), and unique across processes as BITS's are: the job's GUID and the
         * file's index (question 16). */
        snprintf(out, n, "%s%s.BIT%s%04X.tmp", dir, sep, hex, (unsigned)index);
    }
    free(dir);
    return out;
}

/* The chunk the next TRANSFERRING step moves, and how long it takes on the clock. */
static void next_chunk(const struct bht_fake_world *w, const struct fake_file *f,
                       uint64_t *bytes, uint64_t *ms)
{
    const struct fake_resource *res = fake_find_resource(w, f->remote);
    uint64_t remaining = f->bytes_total - f->bytes_done;
    uint64_t n = remaining;

    if (res && res->rate && n > res->rate)
        n = res->rate; /* one virtual second's worth */
    /* The chunk stops at the drop; at byte 0 that is a step of no bytes (the drop comes
     * before any byte moves). */
    if (res && !res->token_dropped && res->drop_token_after != FAKE_NO_EVENT &&
        f->bytes_done <= res->drop_token_after && f->bytes_done + n > res->drop_token_after)
        n = res->drop_token_after - f->bytes_done;
    *bytes = n;
    *ms = (res && res->rate) ? (n * 1000u + res->rate - 1) / res->rate : 0;
}

static void schedule_chunk(struct bht_fake_world *w, struct fake_job *j)
{
    const struct fake_file *f = &j->files[j->current];
    const struct fake_resource *res = fake_find_resource(w, f->remote);
    uint64_t bytes, ms;

    if (res && res->stall)
        return; /* connected, never progresses: no step at all */
    next_chunk(w, f, &bytes, &ms);
    fake_job_schedule(w, j, w->now_ms + ms);
}

static bht_hr copy_bytes(const struct fake_file *f, const struct fake_resource *res,
                         uint64_t off, uint64_t n, FILE *out, enum bht_error_context *ctx);

/* CONNECTING (first file) or TRANSFERRING (next file): contact the source, check access,
 * create the temporary file. */
static void open_current(struct bht_fake_world *w, struct fake_job *j)
{
    struct fake_file *f = &j->files[j->current];
    int idx = (int)j->current, transient;
    enum bht_error_context ctx;
    struct source src;
    uint64_t size = 0;
    bht_hr hr;
    FILE *fp;
    int made_before;

    if (j->token_flags && !j->has_helper) { /* C100 */
        fail_fatal(w, j, BHT_ERRCTX_GENERAL_QUEUE_MANAGER, BG_E_TOKEN_REQUIRED, idx);
        return;
    }
    hr = resolve_source(w, j, f, &src, &ctx, &size, &transient);
    free(src.owned_path);
    if (hr != S_OK) {
        if (transient)
            fail_transient(w, j, ctx, hr, idx);
        else
            fail_fatal(w, j, ctx, hr, idx);
        return;
    }
    /* The declared ACL here; the disk answers when the temporary is created below. */
    hr = fake_check_destination(w, fake_destination_writer(j), f->local, 0);
    if (hr != S_OK) {
        fail_fatal(w, j, BHT_ERRCTX_LOCAL_FILE, hr, idx);
        return;
    }
    if (size != f->bytes_total) {
        f->bytes_done = 0; /* a different size is a different file: start over */
    }
    made_before = f->temp != NULL;
    if (!f->temp && !(f->temp = fake_temp_name(j, j->current))) {
        fail_fatal(w, j, BHT_ERRCTX_LOCAL_FILE, E_OUTOFMEMORY, idx);
        return;
    }
    f->bytes_total = size;
    f->on_disk = f->bytes_done;
    if (f->bytes_done == 0 || !fake_fs_exists(f->temp)) {
        uint64_t bytes, ms;
        enum bht_error_context ignored;
        f->bytes_done = 0;
        /* Start over in a file only this job makes: an earlier attempt's temporary is
         * unlinked (a link put in its place goes, its target stays), and the name is
         * created exclusively, so nothing planted there is ever written through. */
        if (made_before)
            fake_fs_remove(f->temp);
        hr = fake_fs_create_new(f->temp, &fp);
        if (hr != S_OK) {
            /* creating a file: "not found" means the folder is gone */
            fail_fatal(w, j, BHT_ERRCTX_LOCAL_FILE,
                       hr == BHT_E_FILE_NOT_FOUND ? BHT_E_PATH_NOT_FOUND : hr, idx);
            return;
        }
        /* An instantaneous whole-file step: write the bytes through this handle now (one
         * open per file instead of two; the benchmark is I/O bound). Progress still moves
         * only at the step; a failure here is left for the step to meet and report. */
        next_chunk(w, f, &bytes, &ms);
        f->on_disk = 0; /* nothing written ahead yet */
        if (bytes == size && ms == 0 && !(src.res && src.res->stall) &&
            copy_bytes(f, src.res, 0, size, fp, &ignored) == S_OK)
            f->on_disk = size;
        if (fclose(fp) != 0)
            f->on_disk = 0;
    }
    f->opened = 1;
    if (j->state != BHT_JOB_TRANSFERRING) {
        fake_job_set_state(w, j, BHT_JOB_TRANSFERRING);
        j->error.present = 0; /* C60: the error object lives until TRANSFERRING */
    }
    schedule_chunk(w, j);
}

/* Writes bytes [off, off + n) of the file's source into out, or into the temporary at off
 * when out is NULL. Writing at an offset (not appending) keeps a retry correct whatever an
 * earlier attempt left in the temporary. */
static bht_hr copy_bytes(const struct fake_file *f, const struct fake_resource *res,
                         uint64_t off, uint64_t n, FILE *out, enum bht_error_context *ctx)
{
    unsigned char *buf;
    FILE *own_out = NULL, *in = NULL;
    char *owned = NULL;
    const char *path = NULL;
    bht_hr hr = S_OK; /* what a write through the caller's handle answers */

    if (n == 0)
        return S_OK; /* nothing to copy */
    buf = malloc(n < IO_BLOCK ? (size_t)n : IO_BLOCK);
    if (!buf) {
        *ctx = BHT_ERRCTX_LOCAL_FILE; /* as for the temporary's name: never "no context" */
        return E_OUTOFMEMORY;
    }
    if (res && res->content) {
        path = res->content;
    } else if (!res) {
        owned = fake_file_url_to_path(f->remote);
        path = owned ? owned : f->remote;
    }
    if (path) {
        in = fopen(path, "rb");
        if (!in || fseek(in, (long)off, SEEK_SET) != 0) {
            *ctx = BHT_ERRCTX_REMOTE_FILE;
            hr = in ? E_FAIL : fake_fs_hr_from_errno(errno);
            goto out;
        }
    }
    if (!out) {
        hr = fake_fs_open_own(f->temp, &own_out); /* a link in its place is refused */
        out = own_out;
        if (hr != S_OK || fseek(out, (long)off, SEEK_SET) != 0) {
            *ctx = BHT_ERRCTX_LOCAL_FILE;
            if (hr == S_OK)
                hr = E_FAIL;
            goto out;
        }
    }
    while (n) {
        size_t k = n > IO_BLOCK ? IO_BLOCK : (size_t)n;
        if (in) {
            if (fread(buf, 1, k, in) != k) {
                *ctx = BHT_ERRCTX_REMOTE_FILE; /* the source shrank under us */
                hr = E_FAIL;
                goto out;
            }
        } else {
            fake_pattern_fill(off, buf, k);
        }
        if (fwrite(buf, 1, k, out) != k) {
            *ctx = BHT_ERRCTX_LOCAL_FILE;
            hr = fake_fs_hr_from_errno(errno);
            goto out;
        }
        off += k;
        n -= k;
    }
out:
    if (own_out && fclose(own_out) != 0 && hr == S_OK) {
        *ctx = BHT_ERRCTX_LOCAL_FILE;
        hr = fake_fs_hr_from_errno(errno);
    }
    if (in)
        fclose(in);
    free(owned);
    free(buf);
    return hr;
}

static void transfer_chunk(struct bht_fake_world *w, struct fake_job *j)
{
    struct fake_file *f = &j->files[j->current];
    struct fake_resource *res = fake_find_resource(w, f->remote);
    enum bht_error_context ctx = BHT_ERRCTX_NONE;
    uint64_t bytes, ms;
    bht_hr hr;

    next_chunk(w, f, &bytes, &ms);
    if (f->on_disk < f->bytes_done + bytes) {
        hr = copy_bytes(f, res, f->bytes_done, bytes, NULL, &ctx);
        if (hr != S_OK) {
            fail_fatal(w, j, ctx, hr, (int)j->current);
            return;
        }
        f->on_disk = f->bytes_done + bytes;
    }
    f->bytes_done += bytes;
    if (bytes)
        j->no_progress_since_ms = FAKE_NO_EVENT; /* C72: progress restarts the timer */
    if (res && !res->token_dropped && res->drop_token_after != FAKE_NO_EVENT &&
        f->bytes_done >= res->drop_token_after && f->bytes_done < f->bytes_total) {
        res->token_dropped = 1; /* once per resource: a retry with a new token can pass */
        drop_all_helper_tokens(w);
        if (j->state == BHT_JOB_ERROR)
            return;
    }
    if (f->bytes_done < f->bytes_total) {
        schedule_chunk(w, j);
        return;
    }
    f->done = 1;
    f->opened = 0;
    while (j->current < j->n_files && j->files[j->current].done)
        j->current++;
    if (j->current < j->n_files) {
        fake_job_schedule(w, j, w->now_ms); /* the next file, still TRANSFERRING */
        return;
    }
    j->new_files = 0;
    fake_job_set_state(w, j, BHT_JOB_TRANSFERRED);
    fake_job_unschedule(w, j); /* nothing more is due */
}

void fake_engine_step(struct bht_fake_world *w, struct fake_job *j)
{
    j->next_ms = FAKE_NO_EVENT;
    switch (j->state) {
    case BHT_JOB_QUEUED:
        while (j->current < j->n_files && j->files[j->current].done)
            j->current++;
        if (j->current >= j->n_files) {
            j->new_files = 0;
            fake_job_set_state(w, j, BHT_JOB_TRANSFERRED);
        } else if (fake_system_holds(w, j)) {
            break; /* stays QUEUED, unscheduled, until set_cost_flags lets it go */
        } else {
            fake_job_set_state(w, j, BHT_JOB_CONNECTING);
            fake_job_schedule(w, j, w->now_ms);
        }
        break;
    case BHT_JOB_CONNECTING:
        open_current(w, j);
        break;
    case BHT_JOB_TRANSFERRING:
        if (j->files[j->current].opened)
            transfer_chunk(w, j);
        else
            open_current(w, j);
        break;
    case BHT_JOB_TRANSIENT_ERROR:
        if (w->now_ms - j->no_progress_since_ms >= w->no_progress_timeout_ms) {
            fake_job_set_state(w, j, BHT_JOB_ERROR); /* C72: the error object stays */
        } else {
            fake_job_set_state(w, j, BHT_JOB_QUEUED); /* C63: BITS retries by itself */
            fake_job_schedule(w, j, w->now_ms);
        }
        break;
    default:
        break;
    }
    if (j->next_ms == FAKE_NO_EVENT)
        fake_job_unschedule(w, j);
}

int fake_engine_run_until(struct bht_fake_world *w, uint64_t t, struct fake_job *watch,
                          enum bht_job_state watch_from)
{
    for (;;) {
        struct fake_job *a, *best = NULL;

        if (watch && (watch->state != watch_from || fake_state_is_act_now(watch->state)))
            return 1;
        for (a = w->a_head; a; a = a->a_next)
            if (!best || a->next_ms < best->next_ms)
                best = a;
        if (!best || best->next_ms > t) {
            if (t > w->now_ms)
                w->now_ms = t;
            return 0;
        }
        if (best->next_ms > w->now_ms)
            w->now_ms = best->next_ms;
        fake_engine_step(w, best);
    }
}
