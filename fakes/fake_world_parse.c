/* bitsht fake: the world-file parser (format in fakes/README.md).
 *
 * One declaration per line. Two passes over the text: users and options first, so
 * resources and folders may name any user of the file whatever the order; everything goes
 * to a staging area that is committed only when the whole text is valid ("a failed parse
 * leaves the world as it was"). Errors read "source:line: reason". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

#define MAX_TOKENS 32
#define MAX_SIZE_BYTES (1ull << 40)
#define MAX_RATE 1000000000000ull
#define MAX_COUNT 1000000ull
#define MAX_SECONDS 1000000000ull
#define MIN_RETRY_DELAY_S 5u /* C71: anything below 5 s becomes 5 s */

struct staging {
    struct fake_user_list users;
    struct fake_index user_index; /* as the world's: duplicates and names found in O(1) */
    struct fake_resource **res;
    size_t n_res, cap_res;
    struct fake_index res_index;
    struct fake_folder **folders;
    size_t n_folders;
    /* options: seen[] marks duplicates */
    int seen_profile, seen_owner, seen_rule, seen_files, seen_jobs, seen_machine, seen_retry,
        seen_timeout, seen_speed, seen_local_domain;
    char local_domain[FAKE_NAME_MAX];
    enum bht_fake_profile profile;
    char owner[FAKE_QUALIFIED_MAX];
    enum fake_admin_rule rule;
    uint64_t max_files, max_jobs, max_machine, retry_s, timeout_s, speed;
    struct fake_user *owner_user;
    /* system lines (fake_system.c): a copy of the world's, committed whole */
    struct fake_system sys;
    unsigned sys_seen;
    /* fault lines: applied with bht_fake_fail when the world is committed */
    struct staged_fault {
        unsigned nth;
        bht_hr hr;
        enum bht_fault_mode mode;
        int set;
    } faults[BHT_OP_COUNT];
};

struct parser {
    struct bht_fake_world *w;
    struct staging *st;
    const char *source;
    unsigned line;
    char *err;
    size_t err_size;
    unsigned next_rid;
};

static bht_hr fail(struct parser *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static bht_hr fail(struct parser *p, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!p->err || !p->err_size)
        return E_INVALIDARG;
    n = snprintf(p->err, p->err_size, "%s:%u: ", p->source, p->line);
    if (n >= 0 && (size_t)n < p->err_size) {
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->err_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return E_INVALIDARG;
}

static void staging_free(struct staging *st)
{
    size_t i;

    for (i = 0; i < st->users.n; i++)
        fake_user_free(st->users.v[i]);
    free(st->users.v);
    for (i = 0; i < st->n_res; i++)
        fake_resource_free(st->res[i]);
    free(st->res);
    for (i = 0; i < st->n_folders; i++)
        fake_folder_free(st->folders[i]);
    free(st->folders);
    fake_index_free(&st->user_index);
    fake_index_free(&st->res_index);
}

static int staging_add_resource(struct staging *st, struct fake_resource *r)
{
    if (!fake_index_reserve(&st->res_index, 1))
        return 0;
    if (st->n_res == st->cap_res) {
        size_t cap = st->cap_res ? 2 * st->cap_res : 16;
        struct fake_resource **v = realloc(st->res, cap * sizeof(*v));
        if (!v)
            return 0;
        st->res = v;
        st->cap_res = cap;
    }
    st->res[st->n_res++] = r;
    fake_index_put(&st->res_index, fake_hash_text(0, r->remote, 0), r); /* reserved */
    return 1;
}

/* ---- small lexical helpers ---- */

int fake_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        uint64_t d = (uint64_t)(*s - '0');
        if (v > max / 10u || (v == max / 10u && d > max % 10u))
            return 0;
        v = v * 10u + d;
    }
    *out = v;
    return 1;
}

static int parse_hresult(const char *s, bht_hr *out)
{
    uint32_t v = 0;
    size_t n = 0;

    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return 0;
    for (s += 2; *s; s++, n++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (*s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (*s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return 0;
        if (n == 8)
            return 0;
        v = (v << 4) | d;
    }
    if (!(v & 0x80000000u))
        return 0; /* a fatal outcome must be a failure code ("0x" alone is 0: none) */
    *out = BHT_HR(v);
    return 1;
}

static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        unsigned c = *p, n, i;
        uint32_t cp;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, cp = c & 0x07;
        else
            return 0;
        for (i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3Fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        p += n + 1;
    }
    return 1;
}

/* "DOMAIN\name" -> parts; both non-empty, no further backslash. */
static int split_account(const char *s, char *domain, char *name)
{
    const char *bs = strchr(s, '\\');
    size_t dn;

    if (!bs || bs == s || !bs[1] || strchr(bs + 1, '\\'))
        return 0;
    dn = (size_t)(bs - s);
    if (dn >= FAKE_NAME_MAX || strlen(bs + 1) >= FAKE_NAME_MAX)
        return 0;
    memcpy(domain, s, dn);
    domain[dn] = '\0';
    strcpy(name, bs + 1);
    return 1;
}

static struct fake_user *find_any_user(struct parser *p, const char *qualified)
{
    char domain[FAKE_NAME_MAX], name[FAKE_NAME_MAX];
    struct fake_user *u;

    if (!split_account(qualified, domain, name))
        return NULL;
    u = fake_find_user2(p->w, domain, name);
    return u ? u : fake_index_find_user(&p->st->user_index, domain, name);
}

/* "key=value" or a bare "key"; value NULL for the bare form. */
struct kv {
    char *key;
    char *value;
};

static void split_kv(char *tok, struct kv *out)
{
    char *eq = strchr(tok, '=');

    out->key = tok;
    out->value = NULL;
    if (eq) {
        *eq = '\0';
        out->value = eq + 1;
    }
}

static bht_hr user_list(struct parser *p, const char *key, char *value,
                        struct fake_user_list *out)
{
    char *item = value, *comma;

    if (!*value)
        return fail(p, "%s needs at least one DOMAIN\\user", key);
    for (;;) {
        struct fake_user *u;
        comma = strchr(item, ',');
        if (comma)
            *comma = '\0';
        u = find_any_user(p, item);
        if (!u)
            return fail(p, "unknown user '%s' in %s", item, key);
        if (!fake_user_list_has(out, u) && !fake_user_list_add(out, u))
            return fail(p, "out of memory");
        if (!comma)
            return S_OK;
        item = comma + 1;
    }
}

static bht_hr need_value(struct parser *p, const struct kv *kv)
{
    if (!kv->value)
        return fail(p, "key '%s' needs a value", kv->key);
    return S_OK;
}

static bht_hr no_value(struct parser *p, const struct kv *kv)
{
    if (kv->value)
        return fail(p, "key '%s' takes no value", kv->key);
    return S_OK;
}

/* Marks key as seen on this line; a second occurrence is an error. */
static bht_hr once(struct parser *p, unsigned *seen, unsigned bit, const char *key)
{
    if (*seen & bit)
        return fail(p, "duplicate key '%s'", key);
    *seen |= bit;
    return S_OK;
}

/* ---- declarations ---- */

static bht_hr parse_logon_types(struct parser *p, char *value, unsigned *mask)
{
    static const struct {
        const char *name;
        enum bht_logon_type type;
    } names[] = {{"interactive", BHT_LOGON_INTERACTIVE}, {"network", BHT_LOGON_NETWORK},
                 {"batch", BHT_LOGON_BATCH},             {"service", BHT_LOGON_SERVICE},
                 {"network-cleartext", BHT_LOGON_NETWORK_CLEARTEXT},
                 {"new-credentials", BHT_LOGON_NEW_CREDENTIALS}};
    char *item = value, *comma;
    size_t i;

    *mask = 0;
    for (;;) {
        comma = strchr(item, ',');
        if (comma)
            *comma = '\0';
        for (i = 0; i < sizeof names / sizeof *names; i++)
            if (!strcmp(item, names[i].name))
                break;
        if (i == sizeof names / sizeof *names)
            return fail(p, "unknown logon type '%s'", item);
        *mask |= 1u << names[i].type;
        if (!comma)
            return S_OK;
        item = comma + 1;
    }
}

static bht_hr decl_user(struct parser *p, char **tok, int n)
{
    char domain[FAKE_NAME_MAX], name[FAKE_NAME_MAX];
    const char *password = NULL;
    unsigned seen = 0, mask = FAKE_LOGON_ALL;
    int admin = 0, i;
    struct fake_user *u;
    struct kv kv;
    bht_hr hr;

    if (n < 2 || !split_account(tok[1], domain, name))
        return fail(p, "user: expected DOMAIN\\name");
    if (fake_find_user2(p->w, domain, name) || find_any_user(p, tok[1]))
        return fail(p, "duplicate user '%s'", tok[1]);
    for (i = 2; i < n; i++) {
        split_kv(tok[i], &kv);
        if (!strcmp(kv.key, "password")) {
            if ((hr = once(p, &seen, 1, kv.key)) || (hr = need_value(p, &kv)))
                return hr;
            password = kv.value;
        } else if (!strcmp(kv.key, "admin")) {
            if ((hr = once(p, &seen, 2, kv.key)) || (hr = no_value(p, &kv)))
                return hr;
            admin = 1;
        } else if (!strcmp(kv.key, "logon")) {
            if ((hr = once(p, &seen, 4, kv.key)) || (hr = need_value(p, &kv)) ||
                (hr = parse_logon_types(p, kv.value, &mask)))
                return hr;
        } else if (!kv.value) {
            /* A bare word here is most likely a password missing "password=" (or the
             * second half of one with a blank): never repeat it. */
            return fail(p, "user: word %d is neither key=value nor a flag (not repeated: it "
                           "may be a password; write password=...)", i + 1);
        } else {
            return fail(p, "unknown key '%s' for user", kv.key);
        }
    }
    /* A declared user without password= has the empty one: logons are refused (C104). */
    u = fake_user_new(domain, name, password ? password : "", admin, mask, p->next_rid++);
    if (!u || !fake_user_list_add_indexed(&p->st->users, &p->st->user_index, u)) {
        fake_user_free(u);
        return fail(p, "out of memory");
    }
    return S_OK;
}

/* A relative content= path is relative to the world file's folder (one allocation: its
 * failure is the parse's "out of memory", never a path read from elsewhere). */
static char *resolve_content_path(const struct parser *p, const char *value)
{
    const char *slash = NULL, *s;
    size_t dir, n;
    char *out;

    for (s = p->source; *s; s++)
        if (fake_path_is_separator(*s))
            slash = s;
    if (fake_path_is_absolute(value) || !slash)
        return fake_strdup(value);
    dir = (size_t)(slash - p->source);
    n = dir + 1 + strlen(value) + 1;
    out = malloc(n);
    if (out)
        snprintf(out, n, "%.*s/%s", (int)dir, p->source, value);
    return out;
}

static bht_hr decl_resource(struct parser *p, char **tok, int n)
{
    struct fake_resource *r;
    unsigned seen = 0;
    int i, has_size = 0;
    struct kv kv;
    bht_hr hr = S_OK;

    if (n < 2)
        return fail(p, "resource: expected a remote name");
    if (fake_remote_kind(tok[1]) == FAKE_REMOTE_BAD || strlen(tok[1]) > 4 * BHT_REMOTE_NAME_MAX)
        return fail(p, "resource: '%s' is not an http(s) URL, UNC path, file:// URL or full "
                       "local path", tok[1]);
    if (fake_find_resource(p->w, tok[1]) || fake_index_find_resource(&p->st->res_index, tok[1]))
        return fail(p, "duplicate resource '%s'", tok[1]);
    r = calloc(1, sizeof(*r));
    if (!r || !(r->remote = fake_strdup(tok[1]))) {
        free(r);
        return fail(p, "out of memory");
    }
    r->kind = fake_remote_kind(tok[1]);
    r->drop_token_after = FAKE_NO_EVENT;
    for (i = 2; i < n && hr == S_OK; i++) {
        uint64_t u = 0;
        split_kv(tok[i], &kv);
        if (!strcmp(kv.key, "size")) {
            if (!(hr = once(p, &seen, 1, kv.key)) && !(hr = need_value(p, &kv))) {
                if (!fake_parse_u64(kv.value, MAX_SIZE_BYTES, &r->size))
                    hr = fail(p, "bad number '%s' for size", kv.value);
                has_size = 1;
            }
        } else if (!strcmp(kv.key, "content")) {
            if (!(hr = once(p, &seen, 2, kv.key)) && !(hr = need_value(p, &kv))) {
                if (!*kv.value)
                    hr = fail(p, "content needs a path");
                else if (!(r->content = resolve_content_path(p, kv.value)))
                    hr = fail(p, "out of memory");
            }
        } else if (!strcmp(kv.key, "rate")) {
            if (!(hr = once(p, &seen, 4, kv.key)) && !(hr = need_value(p, &kv)) &&
                !fake_parse_u64(kv.value, MAX_RATE, &r->rate))
                hr = fail(p, "bad number '%s' for rate", kv.value);
        } else if (!strcmp(kv.key, "readable-by")) {
            if (!(hr = once(p, &seen, 8, kv.key)) && !(hr = need_value(p, &kv)) &&
                !(hr = user_list(p, kv.key, kv.value, &r->readers)))
                r->has_readers = 1;
        } else if (!strcmp(kv.key, "proxy-auth-by")) {
            if (!(hr = once(p, &seen, 512, kv.key)) && !(hr = need_value(p, &kv))) {
                if (r->kind != FAKE_REMOTE_HTTP)
                    hr = fail(p, "proxy-auth-by is for http(s) resources");
                else if (!(hr = user_list(p, kv.key, kv.value, &r->proxy_users)))
                    r->has_proxy = 1;
            }
        } else if (!strcmp(kv.key, "auth")) {
            if (!(hr = once(p, &seen, 16, kv.key)) && !(hr = need_value(p, &kv))) {
                if (strcmp(kv.value, "network") != 0)
                    hr = fail(p, "unknown auth '%s' (only auth=network)", kv.value);
                else if (r->kind != FAKE_REMOTE_HTTP)
                    hr = fail(p, "auth=network is for http(s) resources");
                r->auth_network = 1;
            }
        } else if (!strcmp(kv.key, "transient")) {
            if (!(hr = once(p, &seen, 32, kv.key)) && !(hr = need_value(p, &kv))) {
                if (!fake_parse_u64(kv.value, MAX_COUNT, &u))
                    hr = fail(p, "bad number '%s' for transient", kv.value);
                r->transient = (unsigned)u;
            }
        } else if (!strcmp(kv.key, "fail")) {
            if (!(hr = once(p, &seen, 64, kv.key)) && !(hr = need_value(p, &kv)) &&
                !parse_hresult(kv.value, &r->fail))
                hr = fail(p, "bad HRESULT '%s' for fail (want 0x8XXXXXXX)", kv.value);
        } else if (!strcmp(kv.key, "stall")) {
            if (!(hr = once(p, &seen, 128, kv.key)) && !(hr = no_value(p, &kv)))
                r->stall = 1;
        } else if (!strcmp(kv.key, "drop-token-after")) {
            if (!(hr = once(p, &seen, 256, kv.key)) && !(hr = need_value(p, &kv)) &&
                !fake_parse_u64(kv.value, MAX_SIZE_BYTES, &r->drop_token_after))
                hr = fail(p, "bad number '%s' for drop-token-after", kv.value);
        } else {
            hr = fail(p, "unknown key '%s' for resource", kv.key);
        }
    }
    if (hr == S_OK && has_size && r->content)
        hr = fail(p, "size and content exclude each other");
    if (hr == S_OK) {
        if (staging_add_resource(p->st, r))
            return S_OK;
        hr = fail(p, "out of memory");
    }
    fake_resource_free(r);
    return hr;
}

static bht_hr decl_folder(struct parser *p, char **tok, int n)
{
    struct fake_folder *f, **v;
    int i, has_writers = 0;
    size_t k, len;
    struct kv kv;
    bht_hr hr = S_OK;

    if (n < 2 || !fake_path_is_absolute(tok[1]))
        return fail(p, "folder: expected a full path of this machine");
    f = calloc(1, sizeof(*f));
    if (!f || !(f->path = fake_strdup(tok[1]))) {
        free(f);
        return fail(p, "out of memory");
    }
    len = strlen(f->path);
    while (len > fake_path_root_len() && fake_path_is_separator(f->path[len - 1]))
        f->path[--len] = '\0'; /* "/srv/x/" and "/srv/x" are one folder; "/" stays */
    for (k = 0; k < p->w->n_folders && hr == S_OK; k++)
        if (!strcmp(p->w->folders[k]->path, f->path))
            hr = fail(p, "duplicate folder '%s'", f->path);
    for (k = 0; k < p->st->n_folders && hr == S_OK; k++)
        if (!strcmp(p->st->folders[k]->path, f->path))
            hr = fail(p, "duplicate folder '%s'", f->path);
    for (i = 2; i < n && hr == S_OK; i++) {
        split_kv(tok[i], &kv);
        if (strcmp(kv.key, "writable-by") != 0)
            hr = fail(p, "unknown key '%s' for folder", kv.key);
        else if (has_writers)
            hr = fail(p, "duplicate key '%s'", kv.key);
        else if (!(hr = need_value(p, &kv)))
            hr = user_list(p, kv.key, kv.value, &f->writers);
        has_writers = 1;
    }
    if (hr == S_OK && !has_writers)
        hr = fail(p, "folder needs writable-by=DOMAIN\\user[,...]");
    if (hr == S_OK) {
        v = realloc(p->st->folders, (p->st->n_folders + 1) * sizeof(*v));
        if (!v) {
            hr = fail(p, "out of memory");
        } else {
            p->st->folders = v;
            v[p->st->n_folders++] = f;
            return S_OK;
        }
    }
    fake_folder_free(f);
    return hr;
}

static bht_hr option_number(struct parser *p, const struct kv *kv, int *seen, uint64_t max,
                            uint64_t *out)
{
    if (*seen)
        return fail(p, "duplicate option '%s'", kv->key);
    *seen = 1;
    if (!fake_parse_u64(kv->value, max, out))
        return fail(p, "bad number '%s' for %s", kv->value, kv->key);
    return S_OK;
}

static bht_hr decl_option(struct parser *p, char **tok, int n)
{
    struct staging *st = p->st;
    struct kv kv;
    bht_hr hr;

    if (n != 2)
        return fail(p, "option: expected exactly one key=value");
    split_kv(tok[1], &kv);
    if ((hr = need_value(p, &kv)) != S_OK)
        return hr;
    if (!strcmp(kv.key, "profile")) {
        if (st->seen_profile)
            return fail(p, "duplicate option 'profile'");
        st->seen_profile = 1;
        if (!strcmp(kv.value, "windows"))
            st->profile = BHT_FAKE_PROFILE_WINDOWS;
        else if (!strcmp(kv.value, "wine8"))
            st->profile = BHT_FAKE_PROFILE_WINE8;
        else
            return fail(p, "unknown profile '%s' (windows or wine8)", kv.value);
    } else if (!strcmp(kv.key, "owner")) {
        char domain[FAKE_NAME_MAX], name[FAKE_NAME_MAX];
        if (st->seen_owner)
            return fail(p, "duplicate option 'owner'");
        st->seen_owner = 1;
        if (!split_account(kv.value, domain, name))
            return fail(p, "owner: expected DOMAIN\\name");
        strcpy(st->owner, kv.value);
    } else if (!strcmp(kv.key, "local-domain")) {
        if (st->seen_local_domain)
            return fail(p, "duplicate option 'local-domain'");
        st->seen_local_domain = 1;
        if (!*kv.value || strlen(kv.value) >= sizeof st->local_domain ||
            strpbrk(kv.value, "\\@."))
            return fail(p, "local-domain: expected a machine name");
        strcpy(st->local_domain, kv.value);
    } else if (!strcmp(kv.key, "admin-rule")) {
        if (st->seen_rule)
            return fail(p, "duplicate option 'admin-rule'");
        st->seen_rule = 1;
        if (!strcmp(kv.value, "1607"))
            st->rule = FAKE_ADMIN_RULE_1607;
        else if (!strcmp(kv.value, "legacy"))
            st->rule = FAKE_ADMIN_RULE_LEGACY;
        else
            return fail(p, "unknown admin-rule '%s' (1607 or legacy)", kv.value);
    } else if (!strcmp(kv.key, "max-files-per-job")) {
        return option_number(p, &kv, &st->seen_files, MAX_COUNT, &st->max_files);
    } else if (!strcmp(kv.key, "max-jobs-per-user")) {
        return option_number(p, &kv, &st->seen_jobs, MAX_COUNT, &st->max_jobs);
    } else if (!strcmp(kv.key, "max-jobs-per-machine")) {
        return option_number(p, &kv, &st->seen_machine, MAX_COUNT, &st->max_machine);
    } else if (!strcmp(kv.key, "retry-delay")) {
        return option_number(p, &kv, &st->seen_retry, MAX_SECONDS, &st->retry_s);
    } else if (!strcmp(kv.key, "no-progress-timeout")) {
        return option_number(p, &kv, &st->seen_timeout, MAX_SECONDS, &st->timeout_s);
    } else if (!strcmp(kv.key, "clock-speed")) {
        hr = option_number(p, &kv, &st->seen_speed, 1000000u, &st->speed);
        if (hr == S_OK && st->speed == 0)
            return fail(p, "clock-speed: expected 1 or more");
        return hr;
    } else {
        return fail(p, "unknown option '%s'", kv.key);
    }
    return S_OK;
}

/* fault OP call=N hr=0xHRESULT [persistent]: the world-file face of bht_fake_fail, so
 * the CLI's end-to-end tests can reach failure paths (a Cancel that fails, say). */
static bht_hr decl_fault(struct parser *p, char **tok, int n)
{
    struct staged_fault f = {0, S_OK, BHT_FAULT_ONCE, 1};
    int op = -1, have_call = 0, have_hr = 0;

    if (n < 2)
        return fail(p, "fault: expected an op name");
    for (int i = 0; i < BHT_OP_COUNT; i++)
        if (!strcmp(tok[1], bht_fake_op_name((enum bht_fake_op)i)))
            op = i;
    if (op < 0)
        return fail(p, "fault: unknown op '%s'", tok[1]);
    if (p->st->faults[op].set)
        return fail(p, "duplicate fault for '%s'", tok[1]);
    for (int i = 2; i < n; i++) {
        struct kv kv;
        uint64_t nth;

        if (!strcmp(tok[i], "persistent")) {
            f.mode = BHT_FAULT_PERSISTENT;
            continue;
        }
        split_kv(tok[i], &kv);
        if (!strcmp(kv.key, "call") && kv.value) {
            if (!fake_parse_u64(kv.value, 1000000, &nth) || nth == 0)
                return fail(p, "fault: bad call number '%s' (1 or more)", kv.value);
            f.nth = (unsigned)nth;
            have_call = 1;
        } else if (!strcmp(kv.key, "hr") && kv.value) {
            if (!parse_hresult(kv.value, &f.hr) || BHT_SUCCEEDED(f.hr))
                return fail(p, "fault: bad HRESULT '%s' (a failure, 0x8xxxxxxx)", kv.value);
            have_hr = 1;
        } else {
            return fail(p, "fault: unknown key '%s' (call=, hr=, persistent)", tok[i]);
        }
    }
    if (!have_call || !have_hr)
        return fail(p, "fault: needs call=N and hr=0xHRESULT");
    p->st->faults[op] = f;
    return S_OK;
}

/* ---- the driver ---- */

static int tokenize(char *line, char **tok, int max)
{
    int n = 0;
    char *s = line;

    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            return n;
        if (n == max)
            return -1;
        tok[n++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
        if (*s)
            *s++ = '\0';
    }
}

/* pass 1: user and option lines (and syntax of every line); pass 2: resources, folders. */
static bht_hr run_pass(struct parser *p, const char *text, int pass)
{
    const char *s = text;
    char *line = NULL;
    size_t cap = 0;
    bht_hr hr = S_OK;

    p->line = 0;
    while (*s && hr == S_OK) {
        const char *end = strchr(s, '\n');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        char *tok[MAX_TOKENS] = {NULL}; /* past n: NULL, never a stale pointer */
        int n;

        p->line++;
        if (len + 1 > cap) {
            char *nl = realloc(line, len + 1);
            if (!nl) {
                hr = fail(p, "out of memory");
                break;
            }
            line = nl;
            cap = len + 1;
        }
        memcpy(line, s, len);
        line[len] = '\0';
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0'; /* CRLF files from Windows editors */
        s = end ? end + 1 : s + len;
        if (pass == 1 && !valid_utf8(line)) {
            hr = fail(p, "not valid UTF-8");
            break;
        }
        n = tokenize(line, tok, MAX_TOKENS);
        if (n == 0 || tok[0][0] == '#') /* tok[0] is set when n < 0: comments have no limit */
            continue;
        if (n < 0) {
            if (pass == 1)
                hr = fail(p, "too many fields (at most %d)", MAX_TOKENS);
            continue;
        }
        if (!strcmp(tok[0], "user")) {
            if (pass == 1)
                hr = decl_user(p, tok, n);
        } else if (!strcmp(tok[0], "option")) {
            if (pass == 1)
                hr = decl_option(p, tok, n);
        } else if (!strcmp(tok[0], "resource")) {
            if (pass == 2)
                hr = decl_resource(p, tok, n);
        } else if (!strcmp(tok[0], "folder")) {
            if (pass == 2)
                hr = decl_folder(p, tok, n);
        } else if (!strcmp(tok[0], "fault")) {
            if (pass == 1)
                hr = decl_fault(p, tok, n);
        } else if (!strcmp(tok[0], "system")) {
            char why[256];
            if (pass == 1 && !fake_system_decl(&p->st->sys, &p->st->sys_seen, tok, n, why,
                                               sizeof why))
                hr = fail(p, "%s", why);
        } else if (pass == 1) {
            hr = fail(p, "unknown declaration '%s' (user, resource, folder, option, fault or "
                      "system)",
                      tok[0]);
        }
    }
    free(line);
    return hr;
}

/* After pass 1: the owner (option owner=, else the world's, else LOCAL\owner) must be a
 * user; an undeclared one becomes an implicit non-admin account nobody can log on as. */
static bht_hr resolve_owner(struct parser *p)
{
    struct staging *st = p->st;
    char domain[FAKE_NAME_MAX], name[FAKE_NAME_MAX];
    struct fake_user *u;

    if (!st->seen_owner) {
        if (p->w->owner)
            return S_OK;
        snprintf(st->owner, sizeof(st->owner), "%s\\%s", FAKE_DEFAULT_OWNER_DOMAIN,
                 FAKE_DEFAULT_OWNER_NAME);
    }
    u = find_any_user(p, st->owner);
    if (!u) {
        split_account(st->owner, domain, name);
        u = fake_user_new(domain, name, NULL, 0, 0, p->next_rid++);
        if (!u || !fake_user_list_add_indexed(&st->users, &st->user_index, u)) {
            fake_user_free(u);
            return fail(p, "out of memory");
        }
    }
    st->owner_user = u;
    return S_OK;
}

static bht_hr grow_and_append(void ***v, size_t *n, void **items, size_t k)
{
    void **nv;

    if (!k)
        return S_OK;
    nv = realloc(*v, (*n + k) * sizeof(*nv));
    if (!nv)
        return E_OUTOFMEMORY;
    memcpy(nv + *n, items, k * sizeof(*nv));
    *v = nv;
    *n += k;
    return S_OK;
}

static bht_hr commit(struct parser *p)
{
    struct bht_fake_world *w = p->w;
    struct staging *st = p->st;
    void **users = (void **)w->users.v, **res = (void **)w->resources,
         **folders = (void **)w->folders;
    size_t nu = w->users.n, nr = w->n_resources, nf = w->n_folders;

    size_t i;

    /* Grow both indexes and all three arrays first so a failure leaves the world
     * untouched. */
    if (!fake_index_reserve(&w->user_index, st->users.n) ||
        !fake_index_reserve(&w->resource_index, st->n_res))
        return fail(p, "out of memory");
    if (grow_and_append(&users, &nu, (void **)st->users.v, st->users.n) != S_OK)
        return fail(p, "out of memory");
    w->users.v = (struct fake_user **)users;
    w->users.cap = nu;
    if (grow_and_append(&res, &nr, (void **)st->res, st->n_res) != S_OK)
        return fail(p, "out of memory");
    w->resources = (struct fake_resource **)res;
    if (grow_and_append(&folders, &nf, (void **)st->folders, st->n_folders) != S_OK)
        return fail(p, "out of memory");
    w->folders = (struct fake_folder **)folders;
    for (i = 0; i < st->users.n; i++) /* reserved above: cannot fail */
        fake_index_put(&w->user_index,
                       fake_user_hash(st->users.v[i]->domain, st->users.v[i]->name),
                       st->users.v[i]);
    for (i = 0; i < st->n_res; i++)
        fake_index_put(&w->resource_index, fake_hash_text(0, st->res[i]->remote, 0),
                       st->res[i]);
    w->users.n = nu;
    w->n_resources = nr;
    w->n_folders = nf;
    st->users.n = st->n_res = st->n_folders = 0; /* owned by the world now */
    if (st->owner_user)
        w->owner = st->owner_user;
    if (st->seen_profile)
        w->profile = st->profile;
    if (st->seen_rule)
        w->admin_rule = st->rule;
    if (st->seen_local_domain)
        strcpy(w->local_domain, st->local_domain);
    if (st->seen_files)
        w->max_files_per_job = (unsigned)st->max_files;
    if (st->seen_jobs)
        w->max_jobs_per_user = (unsigned)st->max_jobs;
    if (st->seen_machine)
        w->max_jobs_per_machine = (unsigned)st->max_machine;
    if (st->seen_retry)
        w->retry_delay_ms = 1000u * (st->retry_s < MIN_RETRY_DELAY_S ? MIN_RETRY_DELAY_S
                                                                      : st->retry_s);
    if (st->seen_timeout)
        w->no_progress_timeout_ms = 1000u * st->timeout_s;
    if (st->seen_speed)
        w->clock_speed = (unsigned)st->speed;
    w->sys = st->sys;
    /* a BITS policy value is the limit BITS enforces (C05, C06) */
    if (w->sys.policy.max_jobs_per_user >= 0)
        w->max_jobs_per_user = (unsigned)w->sys.policy.max_jobs_per_user;
    if (w->sys.policy.max_jobs_per_machine >= 0)
        w->max_jobs_per_machine = (unsigned)w->sys.policy.max_jobs_per_machine;
    for (int op = 0; op < BHT_OP_COUNT; op++)
        if (st->faults[op].set)
            bht_fake_fail(w, (enum bht_fake_op)op, st->faults[op].nth, st->faults[op].hr,
                          st->faults[op].mode);
    return S_OK;
}

bht_hr bht_fake_world_parse(struct bht_fake_world *w, const char *text, const char *source_name,
                            char *err, size_t err_size)
{
    struct staging st;
    struct parser p;
    bht_hr hr;

    if (err && err_size)
        err[0] = '\0';
    if (!w || !text)
        return E_INVALIDARG;
    memset(&st, 0, sizeof(st));
    p.w = w; /* every field of p is set here (line by run_pass) */
    p.st = &st;
    st.sys = w->sys;
    p.source = source_name ? source_name : "(world)";
    p.err = err;
    p.err_size = err_size;
    p.next_rid = 1000u + (unsigned)w->users.n;
    if ((hr = run_pass(&p, text, 1)) != S_OK || (hr = resolve_owner(&p)) != S_OK ||
        (hr = run_pass(&p, text, 2)) != S_OK)
        goto out;
    hr = commit(&p);
out:
    staging_free(&st);
    return hr;
}

bht_hr bht_fake_world_load(struct bht_fake_world *w, const char *path, char *err,
                           size_t err_size)
{
    FILE *fp;
    char *text = NULL;
    size_t n = 0;
    bht_hr hr;

    if (err && err_size)
        err[0] = '\0';
    if (!w || !path)
        return E_INVALIDARG;
    fp = fopen(path, "rb");
    if (!fp) {
        if (err && err_size)
            snprintf(err, err_size, "%s: cannot open the world file", path);
        return BHT_E_FILE_NOT_FOUND;
    }
    hr = fake_fs_read_all(fp, path, &text, &n, err, err_size);
    fclose(fp);
    if (hr != S_OK)
        return hr;
    if (memchr(text, '\0', n)) {
        if (err && err_size)
            snprintf(err, err_size, "%s: contains a NUL byte (not a text file)", path);
        free(text);
        return E_INVALIDARG;
    }
    hr = bht_fake_world_parse(w, text, path, err, err_size);
    free(text);
    return hr;
}
