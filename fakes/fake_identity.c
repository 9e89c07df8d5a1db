/* bitsht fake: struct bht_identity_ops over the fake world — LogonUserW, impersonation,
 * RevertToSelf, CloseHandle (docs/contract.md C103-C107).
 *
 * The impersonation stack lives on the world (tests are single-threaded); revert pops one
 * level, so unbalanced impersonate/revert pairs show up in bht_fake_impersonation_depth.
 * Passwords are compared and never logged. */
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

#define WINE8(w) ((w)->profile == BHT_FAKE_PROFILE_WINE8)

static int valid_logon_type(enum bht_logon_type t)
{
    return t == BHT_LOGON_INTERACTIVE || t == BHT_LOGON_NETWORK || t == BHT_LOGON_BATCH ||
           t == BHT_LOGON_SERVICE || t == BHT_LOGON_NETWORK_CLEARTEXT ||
           t == BHT_LOGON_NEW_CREDENTIALS;
}

/* "" domain: a UPN (user@domain), or a bare name, which LogonUserW looks up in the local
 * account database only (domain ".", C112): the machine's own accounts, never a domain's. */
static struct fake_user *lookup(struct bht_fake_world *w, const char *domain, const char *user)
{
    const char *at;

    if (!strcmp(domain, "."))
        return fake_find_user2(w, w->local_domain, user);
    if (domain[0])
        return fake_find_user2(w, domain, user);
    at = strchr(user, '@');
    if (at) {
        char name[FAKE_NAME_MAX];
        size_t n = (size_t)(at - user);
        if (n >= sizeof(name))
            return NULL;
        memcpy(name, user, n);
        name[n] = '\0';
        return fake_find_user2(w, at + 1, name);
    }
    return fake_find_user2(w, w->local_domain, user);
}

static struct bht_token *token_new(struct bht_fake_world *w, struct fake_identity who,
                                   int wine_dummy)
{
    struct bht_token *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    t->who = who;
    t->wine_dummy = wine_dummy;
    t->next_open = w->open_tokens;
    if (w->open_tokens)
        w->open_tokens->prev_open = t;
    w->open_tokens = t;
    w->n_open_tokens++;
    return t;
}

static bht_hr do_logon(struct bht_fake_world *w, const char *domain, const char *user,
                       const char *password, enum bht_logon_type type, struct bht_token **out)
{
    struct fake_identity who;
    struct fake_user *u;

    if (!domain || !user || !password || !valid_logon_type(type))
        return E_INVALIDARG; /* ERROR_INVALID_PARAMETER */
    if (WINE8(w)) {
        /* C103 Wine: TRUE, handle 0xDEADBEEF, nothing checked. */
        who.local = who.network = NULL;
        *out = token_new(w, who, 1);
        return *out ? S_OK : E_OUTOFMEMORY;
    }
    u = lookup(w, domain, user);
    if (type == BHT_LOGON_NEW_CREDENTIALS) {
        /* The caller's own token with other credentials for the network only: nothing is
         * checked until a server sees them. */
        who.local = fake_caller(w).local;
        who.network = (u && u->password && !strcmp(u->password, password)) ? u : NULL;
        *out = token_new(w, who, 0);
        return *out ? S_OK : E_OUTOFMEMORY;
    }
    if (!u || !u->password || strcmp(u->password, password) != 0)
        return BHT_E_LOGON_FAILURE; /* C104 */
    if (!u->password[0])
        return BHT_E_ACCOUNT_RESTRICTION; /* C104: blank passwords are refused */
    if (!(u->logon_mask & (1u << type)))
        return BHT_E_LOGON_TYPE_NOT_GRANTED; /* C104 */
    who.local = u;
    /* C113: a network logon keeps no credentials; servers see nobody they know */
    who.network = type == BHT_LOGON_NETWORK ? NULL : u;
    *out = token_new(w, who, 0);
    return *out ? S_OK : E_OUTOFMEMORY;
}

static bht_hr op_logon(void *ctx, const char *domain, const char *user, const char *password,
                       enum bht_logon_type type, struct bht_token **out_token)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr;

    if (!out_token)
        return fake_leave(w, BHT_OP_LOGON, E_INVALIDARG, "(null out)");
    *out_token = NULL;
    hr = fake_enter(w, BHT_OP_LOGON);
    if (hr == S_OK)
        hr = do_logon(w, domain, user, password, type, out_token);
    /* the password never reaches the log */
    return fake_leave(w, BHT_OP_LOGON, hr, "%s\\%s type=%d", domain ? domain : "(null)",
                      user ? user : "(null)", (int)type);
}

static bht_hr do_impersonate(struct bht_fake_world *w, struct bht_token *t)
{
    if (!t || t->wine_dummy)
        return BHT_E_INVALID_HANDLE; /* C106 Wine: the 0xDEADBEEF handle */
    if (w->imp_depth == w->imp_cap) {
        size_t cap = w->imp_cap ? 2 * w->imp_cap : 4;
        struct fake_identity *v = realloc(w->imp_stack, cap * sizeof(*v));
        if (!v)
            return E_OUTOFMEMORY;
        w->imp_stack = v;
        w->imp_cap = cap;
    }
    w->imp_stack[w->imp_depth++] = t->who; /* C106: no privilege needed */
    return S_OK;
}

static bht_hr op_impersonate(void *ctx, struct bht_token *token)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_IMPERSONATE);

    if (hr == S_OK)
        hr = do_impersonate(w, token);
    return fake_leave(w, BHT_OP_IMPERSONATE, hr, "%s\\%s",
                      token && token->who.local ? token->who.local->domain : "?",
                      token && token->who.local ? token->who.local->name : "?");
}

static bht_hr op_revert(void *ctx)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_REVERT);

    if (hr == S_OK && w->imp_depth)
        w->imp_depth--; /* C107: also S_OK when not impersonating */
    return fake_leave(w, BHT_OP_REVERT, hr, "depth=%u", (unsigned)w->imp_depth);
}

static bht_hr op_close(void *ctx, struct bht_token *t)
{
    struct bht_fake_world *w = ctx;
    bht_hr hr = fake_enter(w, BHT_OP_CLOSE);

    if (!t)
        return fake_leave(w, BHT_OP_CLOSE, hr == S_OK ? BHT_E_INVALID_HANDLE : hr, "(null)");
    /* The handle is gone whatever the result, injected failures included. */
    if (t->prev_open)
        t->prev_open->next_open = t->next_open;
    else
        w->open_tokens = t->next_open;
    if (t->next_open)
        t->next_open->prev_open = t->prev_open;
    w->n_open_tokens--;
    free(t);
    return fake_leave(w, BHT_OP_CLOSE, hr, "token");
}

const struct bht_identity_ops bht_fake_identity_ops = {
    BHT_IDENTITY_OPS_VERSION, "fake", op_logon, op_impersonate, op_revert, op_close,
};
