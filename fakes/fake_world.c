/* bitsht fake: the world itself — users, resources, folders, options, the virtual clock,
 * the fault plan, the call log and the accounting tests read. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

static const char *const op_names[BHT_OP_COUNT] = {
    "create_job", "open_job", "get_id", "add_file", "set_priority", "set_notify_flags",
    "get_notify_flags", "set_implicit_credentials", "get_token_options", "set_helper_token",
    "set_helper_token_flags", "get_helper_token_flags", "get_helper_token_sid",
    "clear_helper_token", "resume", "suspend", "wait", "get_state", "get_progress",
    "get_error", "complete", "cancel", "enum_jobs", "logon", "impersonate", "revert", "close",
    "set_cost_flags",
};

char *fake_strdup(const char *s)
{
    char *p = malloc(strlen(s) + 1);

    return p ? strcpy(p, s) : NULL;
}

int fake_ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || !ca)
            return ca - cb;
    }
}

struct bht_fake_world *bht_fake_world_new(void)
{
    struct bht_fake_world *w = calloc(1, sizeof(*w));

    if (!w)
        return NULL;
    w->profile = BHT_FAKE_PROFILE_WINDOWS;
    w->admin_rule = FAKE_ADMIN_RULE_1607;
    /* the default owner's domain: LOCAL\owner is an account of this machine */
    snprintf(w->local_domain, sizeof w->local_domain, "%s", FAKE_DEFAULT_OWNER_DOMAIN);
    w->max_files_per_job = 200;   /* C24, §2.4 MaxFilesPerJob */
    w->max_jobs_per_user = 60;    /* C05, MaxJobsPerUser */
    w->max_jobs_per_machine = 300; /* C06, MaxJobsPerMachine */
    w->retry_delay_ms = 600u * 1000u;                 /* §2.4 MinimumRetryDelay */
    w->no_progress_timeout_ms = 1209600ull * 1000u;   /* §2.4 NoProgressTimeout, 14 days */
    w->epoch_unix_s = FAKE_DEFAULT_EPOCH_UNIX_S;
    fake_system_defaults(&w->sys);
    w->next_serial = 1;
    w->id_tag = fake_fs_random64();
    w->log_limit = FAKE_LOG_DEFAULT_LIMIT;
    return w;
}

void fake_user_free(struct fake_user *u)
{
    if (!u)
        return;
    if (u->password) {
        memset(u->password, 0, strlen(u->password)); /* a secret, even a fake one */
        free(u->password);
    }
    free(u);
}

void fake_resource_free(struct fake_resource *r)
{
    if (!r)
        return;
    free(r->remote);
    free(r->content);
    free(r->readers.v);
    free(r->proxy_users.v);
    free(r);
}

void fake_folder_free(struct fake_folder *f)
{
    if (!f)
        return;
    free(f->path);
    free(f->writers.v);
    free(f);
}

void bht_fake_world_free(struct bht_fake_world *w)
{
    size_t i;
    struct bht_token *t, *next;

    if (!w)
        return;
    fake_jobs_free_all(w);
    for (t = w->open_tokens; t; t = next) {
        next = t->next_open;
        free(t);
    }
    for (i = 0; i < w->users.n; i++)
        fake_user_free(w->users.v[i]);
    free(w->users.v);
    fake_index_free(&w->user_index);
    fake_index_free(&w->resource_index);
    for (i = 0; i < w->n_resources; i++)
        fake_resource_free(w->resources[i]);
    free(w->resources);
    for (i = 0; i < w->n_folders; i++)
        fake_folder_free(w->folders[i]);
    free(w->folders);
    free(w->imp_stack);
    free(w->log);
    free(w);
}

void bht_fake_world_set_id_tag(struct bht_fake_world *w, uint64_t tag)
{
    w->id_tag = tag;
}

void bht_fake_backend(struct bht_fake_world *w, struct bht_backend *out)
{
    out->bits = &bht_fake_bits_ops;
    out->bits_ctx = w;
    out->identity = &bht_fake_identity_ops;
    out->identity_ctx = w;
    out->system = &bht_fake_system_ops;
    out->system_ctx = w;
}

struct fake_user *fake_user_new(const char *domain, const char *name, const char *password,
                                int admin, unsigned logon_mask, unsigned rid)
{
    struct fake_user *u;

    if (strlen(domain) >= FAKE_NAME_MAX || strlen(name) >= FAKE_NAME_MAX)
        return NULL;
    u = calloc(1, sizeof(*u));
    if (!u)
        return NULL;
    strcpy(u->domain, domain);
    strcpy(u->name, name);
    if (password && !(u->password = fake_strdup(password))) {
        free(u);
        return NULL;
    }
    u->admin = admin;
    u->logon_mask = logon_mask;
    /* A deterministic domain SID; the RID numbers users in declaration order. */
    snprintf(u->sid, sizeof(u->sid), "S-1-5-21-1004336348-1177238915-682003330-%u", rid);
    return u;
}

uint64_t fake_user_hash(const char *domain, const char *name)
{
    /* Windows compares account names without regard to case. */
    return fake_hash_text(fake_hash_text(fake_hash_text(0, domain, 1), "\\", 0), name, 1);
}

struct fake_user *fake_index_find_user(const struct fake_index *ix, const char *domain,
                                       const char *name)
{
    uint64_t h = fake_user_hash(domain, name);
    size_t cursor = 0;
    struct fake_user *u;

    while ((u = fake_index_next(ix, h, &cursor)) != NULL)
        if (!fake_ascii_casecmp(u->domain, domain) && !fake_ascii_casecmp(u->name, name))
            return u;
    return NULL;
}

struct fake_user *fake_find_user2(const struct bht_fake_world *w, const char *domain,
                                  const char *name)
{
    return fake_index_find_user(&w->user_index, domain, name);
}

int fake_user_list_add_indexed(struct fake_user_list *l, struct fake_index *ix,
                               struct fake_user *u)
{
    if (!fake_index_reserve(ix, 1) || !fake_user_list_add(l, u))
        return 0;
    fake_index_put(ix, fake_user_hash(u->domain, u->name), u); /* reserved: cannot fail */
    return 1;
}

struct fake_user *fake_find_user(const struct bht_fake_world *w, const char *qualified)
{
    char domain[FAKE_NAME_MAX];
    const char *bs = strchr(qualified, '\\');
    size_t n;

    if (!bs)
        return NULL;
    n = (size_t)(bs - qualified);
    if (n >= sizeof(domain))
        return NULL;
    memcpy(domain, qualified, n);
    domain[n] = '\0';
    return fake_find_user2(w, domain, bs + 1);
}

int fake_user_list_has(const struct fake_user_list *l, const struct fake_user *u)
{
    size_t i;

    for (i = 0; u && i < l->n; i++)
        if (l->v[i] == u)
            return 1;
    return 0;
}

int fake_user_list_add(struct fake_user_list *l, struct fake_user *u)
{
    if (l->n == l->cap) { /* doubling: n additions cost O(n) */
        size_t cap = l->cap ? 2 * l->cap : 4;
        struct fake_user **v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            return 0;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = u;
    return 1;
}

struct fake_user *fake_owner(struct bht_fake_world *w)
{
    struct fake_user *u;

    if (w->owner)
        return w->owner;
    u = fake_find_user2(w, FAKE_DEFAULT_OWNER_DOMAIN, FAKE_DEFAULT_OWNER_NAME);
    if (!u) {
        u = fake_user_new(FAKE_DEFAULT_OWNER_DOMAIN, FAKE_DEFAULT_OWNER_NAME, NULL, 0, 0,
                          1000u + (unsigned)w->users.n);
        if (!u || !fake_user_list_add_indexed(&w->users, &w->user_index, u)) {
            fake_user_free(u);
            return NULL;
        }
    }
    w->owner = u;
    return u;
}

struct fake_identity fake_caller(struct bht_fake_world *w)
{
    struct fake_identity id;

    if (w->imp_depth)
        return w->imp_stack[w->imp_depth - 1];
    id.local = fake_owner(w);
    id.network = id.local;
    return id;
}

struct fake_resource *fake_index_find_resource(const struct fake_index *ix, const char *remote)
{
    uint64_t h = fake_hash_text(0, remote, 0); /* matched exactly, as AddFile's name */
    size_t cursor = 0;
    struct fake_resource *r;

    while ((r = fake_index_next(ix, h, &cursor)) != NULL)
        if (!strcmp(r->remote, remote))
            return r;
    return NULL;
}

struct fake_resource *fake_find_resource(const struct bht_fake_world *w, const char *remote)
{
    return fake_index_find_resource(&w->resource_index, remote);
}

const struct fake_folder *fake_find_folder(const struct bht_fake_world *w, const char *dir)
{
    const struct fake_folder *best = NULL;
    size_t i, best_len = 0;
    char *real_dir;

    if (w->n_folders == 0)
        return NULL;
    /* An ACL belongs to the folder, not to a spelling of its name: "//", "/./", "/../"
     * and links lead to the same rules (issue 13 item 4). A folder that does not exist
     * (yet) keeps the name it was declared or given with. */
    real_dir = fake_fs_real_path(dir);
    for (i = 0; i < w->n_folders; i++) {
        char *real = fake_fs_real_path(w->folders[i]->path);
        const char *folder = real ? real : w->folders[i]->path;
        size_t len = strlen(folder);
        /* The most specific declared folder governs, as the nearest ACL would. */
        if (fake_path_has_prefix_dir(real_dir ? real_dir : dir, folder) &&
            (!best || len > best_len)) {
            best = w->folders[i];
            best_len = len;
        }
        free(real);
    }
    free(real_dir);
    return best;
}

/* ---- clock and profile ---- */

uint64_t bht_fake_now_ms(const struct bht_fake_world *w)
{
    return w->now_ms;
}

void bht_fake_advance(struct bht_fake_world *w, uint64_t ms)
{
    /* UINT64_MAX is FAKE_NO_EVENT ("never"): the clock stops one short of it */
    uint64_t t = ms >= UINT64_MAX - w->now_ms ? UINT64_MAX - 1 : w->now_ms + ms;

    fake_engine_run_until(w, t, NULL, BHT_JOB_QUEUED);
}

void bht_fake_set_profile(struct bht_fake_world *w, enum bht_fake_profile profile)
{
    w->profile = profile;
}

enum bht_fake_profile bht_fake_get_profile(const struct bht_fake_world *w)
{
    return w->profile;
}

/* ---- faults and the call log ---- */

unsigned bht_fake_fail(struct bht_fake_world *w, enum bht_fake_op op, unsigned nth, bht_hr hr,
                       enum bht_fault_mode mode)
{
    unsigned fired;

    if ((unsigned)op >= BHT_OP_COUNT)
        return 0;
    fired = w->faults[op].fired;
    w->faults[op].nth = nth;
    w->faults[op].hr = hr;
    w->faults[op].mode = mode;
    w->faults[op].fired = 0;
    return fired;
}

unsigned bht_fake_faults_fired(const struct bht_fake_world *w, enum bht_fake_op op)
{
    return (unsigned)op < BHT_OP_COUNT ? w->faults[op].fired : 0;
}

unsigned bht_fake_calls(const struct bht_fake_world *w, enum bht_fake_op op)
{
    return (unsigned)op < BHT_OP_COUNT ? w->calls[op] : 0;
}

const char *bht_fake_op_name(enum bht_fake_op op)
{
    return (unsigned)op < BHT_OP_COUNT ? op_names[op] : "unknown_op";
}

/* The single place every injected failure passes through: one breakpoint catches all. */
static bht_hr fault_fires(struct fake_fault *f)
{
    f->fired++;
    return f->hr;
}

bht_hr fake_enter(struct bht_fake_world *w, enum bht_fake_op op)
{
    struct fake_fault *f = &w->faults[op];
    unsigned n = ++w->calls[op];

    if (f->nth && (n == f->nth || (f->mode == BHT_FAULT_PERSISTENT && n > f->nth)))
        return fault_fires(f);
    return S_OK;
}

bht_hr fake_leave(struct bht_fake_world *w, enum bht_fake_op op, bht_hr hr, const char *fmt, ...)
{
    char *line;
    const char *name;
    int n;
    va_list ap;

    if (!w->log_limit)
        return hr;
    if (!w->log) {
        w->log = malloc(w->log_limit * sizeof(*w->log));
        if (!w->log)
            return hr; /* the log is a diagnostic: never turn its failure into the op's */
    }
    if (w->log_count < w->log_limit) {
        line = w->log[(w->log_start + w->log_count) % w->log_limit];
        w->log_count++;
    } else {
        line = w->log[w->log_start];
        w->log_start = (w->log_start + 1) % w->log_limit;
    }
    n = snprintf(line, FAKE_LOG_LINE, "%s ", op_names[op]); /* at most 25 of its 256 bytes */
    if (fmt) {
        va_list ap2;
        va_start(ap, fmt);
        va_copy(ap2, ap);
        vsnprintf(line + n, FAKE_LOG_LINE - (size_t)n, fmt, ap2);
        va_end(ap2);
        va_end(ap);
    } else {
        line[n] = '\0';
    }
    n = (int)strlen(line);
    name = bht_hr_name(hr);
    if (name)
        snprintf(line + n, FAKE_LOG_LINE - (size_t)n, "%s-> %s", fmt ? " " : "", name);
    else
        snprintf(line + n, FAKE_LOG_LINE - (size_t)n, "%s-> 0x%08lX", fmt ? " " : "",
                 (unsigned long)(uint32_t)hr);
    return hr;
}

size_t bht_fake_log_size(const struct bht_fake_world *w)
{
    return w->log_count;
}

const char *bht_fake_log_entry(const struct bht_fake_world *w, size_t i)
{
    if (i >= w->log_count)
        return NULL;
    return w->log[(w->log_start + i) % w->log_limit];
}

void bht_fake_set_log_limit(struct bht_fake_world *w, size_t entries)
{
    free(w->log);
    w->log = NULL;
    w->log_limit = entries;
    w->log_count = 0;
    w->log_start = 0;
}

/* ---- accounting ---- */

bht_hr bht_fake_implicit_credentials(const struct bht_fake_world *w, const char *job_id,
                                     char *out, size_t out_size)
{
    static const struct { int target, scheme; const char *name; } pairs[] = {
        {FAKE_AUTH_TARGET_SERVER, FAKE_AUTH_SCHEME_NEGOTIATE, "server/negotiate"},
        {FAKE_AUTH_TARGET_SERVER, FAKE_AUTH_SCHEME_NTLM, "server/ntlm"},
        {FAKE_AUTH_TARGET_PROXY, FAKE_AUTH_SCHEME_NEGOTIATE, "proxy/negotiate"},
        {FAKE_AUTH_TARGET_PROXY, FAKE_AUTH_SCHEME_NTLM, "proxy/ntlm"},
        {FAKE_AUTH_TARGET_SERVER, 1, "server/basic"},
        {FAKE_AUTH_TARGET_SERVER, 2, "server/digest"},
        {FAKE_AUTH_TARGET_SERVER, 5, "server/passport"},
        {FAKE_AUTH_TARGET_PROXY, 1, "proxy/basic"},
        {FAKE_AUTH_TARGET_PROXY, 2, "proxy/digest"},
        {FAKE_AUTH_TARGET_PROXY, 5, "proxy/passport"},
    };
    const struct fake_job *j;
    uint32_t serial;
    size_t used = 0;

    if (out_size)
        out[0] = '\0';
    if (!job_id || !fake_job_parse_id(job_id, &serial) || !(j = fake_job_by_serial(w, serial)))
        return BG_E_NOT_FOUND;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        int n;

        if (!(j->credentials & FAKE_CRED_BIT(pairs[i].target, pairs[i].scheme)))
            continue;
        n = snprintf(out + used, out_size - used, "%s%s", used ? " " : "", pairs[i].name);
        if (n < 0 || (size_t)n >= out_size - used)
            return E_OUTOFMEMORY; /* out too small */
        used += (size_t)n;
    }
    return S_OK;
}

unsigned bht_fake_open_tokens(const struct bht_fake_world *w)
{
    return w->n_open_tokens;
}

unsigned bht_fake_impersonation_depth(const struct bht_fake_world *w)
{
    return (unsigned)w->imp_depth;
}

unsigned bht_fake_jobs_in_state(const struct bht_fake_world *w, enum bht_job_state state)
{
    return (unsigned)state < BHT_JOB_STATE_COUNT ? w->in_state[state] : 0;
}

unsigned bht_fake_job_count(const struct bht_fake_world *w)
{
    return w->jobs_created;
}
