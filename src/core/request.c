/* bitsht: validation of a transfer request before any backend call (design.md step 1).
 * The rules are BITS's own documented limits (bits-contract.md §2.4, C16-C18), checked
 * here so that bad input never creates a job: exit 2 means "no job exists". */
#include "bitsht/job.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LOCAL_NAME_MAX 260 /* MAX_PATH, characters */

static bht_hr refuse(struct bht_report *report, const char *fmt, ...)
{
    va_list ap;

    report->outcome = BHT_OUTCOME_BAD_INPUT;
    report->failed_step = BHT_STEP_VALIDATE;
    report->hr = E_INVALIDARG;
    va_start(ap, fmt);
    vsnprintf(report->detail, sizeof report->detail, fmt, ap);
    va_end(ap);
    return E_INVALIDARG;
}

/* Characters, not bytes: BITS's limits count UTF-16 units; counting code points is
 * the same for the BMP and close enough (never more permissive by more than 2x). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0u) != 0x80u)
            n++;
    return n;
}

static int starts_with_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char a = *s, b = *prefix;
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return 1;
}

static int is_drive_path(const char *p)
{
    return ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':' &&
           (p[2] == '\\' || p[2] == '/');
}

/* \\server\share\... with non-empty server and share; \\?\ and \\.\ are not UNC names. */
static int is_unc_path(const char *p)
{
    const char *server, *sep;

    if (p[0] != '\\' || p[1] != '\\')
        return 0;
    server = p + 2;
    if (*server == '?' || *server == '.' || *server == '\\' || *server == '\0')
        return 0;
    sep = strchr(server, '\\');
    return sep && sep > server && sep[1] != '\0' && sep[1] != '\\';
}

static int is_full_local_path(const char *p)
{
    return p[0] == '/' || is_drive_path(p) || is_unc_path(p);
}

static const char *check_remote(const char *remote)
{
    static const char *const schemes[] = {"http://", "https://"};
    const char *colon;

    if (!remote || !*remote)
        return "remote name is empty";
    if (utf8_chars(remote) > BHT_REMOTE_NAME_MAX)
        return "remote name is longer than 2200 characters";
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        if (starts_with_nocase(remote, schemes[i])) {
            const char *host = remote + strlen(schemes[i]);
            if (*host == '\0' || *host == '/' || *host == ':')
                return "URL has no host name";
            return NULL;
        }
    }
    if (starts_with_nocase(remote, "file://"))
        return remote[7] ? NULL : "file:// URL has no path";
    if (is_full_local_path(remote))
        return NULL;
    colon = strstr(remote, "://");
    if (colon)
        return "unsupported URL scheme (BITS takes http://, https://, file://, UNC and full "
               "local paths)";
    if (remote[0] == '\\' && remote[1] == '\\')
        return "malformed UNC path (expected \\\\server\\share\\file)";
    return "remote name is neither a URL nor a full path";
}

static const char *check_local(const char *local)
{
    const char *p;

    if (!local || !*local)
        return "local name is empty";
    if (!is_full_local_path(local))
        return "local name is not a full path";
    if (utf8_chars(local) > LOCAL_NAME_MAX)
        return "local name is longer than MAX_PATH (260 characters)";
    if (strpbrk(local, "*?"))
        return "local name contains a wildcard";
    /* NTFS streams: any ':' after the drive letter's one. */
    p = is_drive_path(local) ? local + 2 : local;
    if (local[0] != '/' && strchr(p, ':'))
        return "local name names an NTFS stream";
    {
        size_t n = strlen(local);
        if (local[n - 1] == '/' || local[n - 1] == '\\')
            return "local name is a directory, not a file";
    }
    return NULL;
}

static int file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");

    if (!f)
        return 0;
    fclose(f);
    return 1;
}

bht_hr bht_request_validate(const struct bht_request *req, struct bht_report *report)
{
    const char *why;

    if (!req || !report)
        return E_POINTER;
    if (req->file_count == 0 || !req->files)
        return refuse(report, "no files to transfer: give REMOTE LOCAL pairs");
    if (req->display_name &&
        utf8_chars(req->display_name) + strlen(BHT_NAME_PREFIX) > BHT_DISPLAY_NAME_MAX)
        return refuse(report, "job name is longer than %u characters",
                      (unsigned)(BHT_DISPLAY_NAME_MAX - strlen(BHT_NAME_PREFIX)));
    for (size_t i = 0; i < req->file_count; i++) {
        const struct bht_file_pair *f = &req->files[i];

        if ((why = check_remote(f->remote)) != NULL)
            return refuse(report, "file %zu: %s: '%s'", i + 1, why, f->remote ? f->remote : "");
        if ((why = check_local(f->local)) != NULL)
            return refuse(report, "file %zu: %s: '%s'", i + 1, why, f->local ? f->local : "");
        for (size_t j = 0; j < i; j++)
            if (strcmp(req->files[j].local, f->local) == 0)
                return refuse(report, "files %zu and %zu write the same local file '%s'", j + 1,
                              i + 1, f->local);
        if (!req->overwrite && file_exists(f->local))
            return refuse(report,
                          "file %zu: '%s' already exists; refusing to risk it (use --overwrite)",
                          i + 1, f->local);
    }
    if (req->use_helper_token) {
        if (!req->user || !*req->user)
            return refuse(report, "a helper token needs a user name");
        if (!req->password)
            return refuse(report, "a helper token needs a password");
        if (req->token_flags == 0 || (req->token_flags & ~BHT_TOKEN_VALID_MASK))
            return refuse(report, "token flags must be local, network or local,network");
        switch (req->logon_type) {
        case BHT_LOGON_INTERACTIVE:
        case BHT_LOGON_NETWORK:
        case BHT_LOGON_BATCH:
        case BHT_LOGON_SERVICE:
        case BHT_LOGON_NEW_CREDENTIALS:
            break;
        default:
            return refuse(report, "unknown logon type %d", (int)req->logon_type);
        }
    }
    if (req->priority < -1 || req->priority > BHT_PRIORITY_LOW)
        return refuse(report, "priority must be foreground, high, normal or low");
    if (req->max_transient < -1)
        return refuse(report, "--max-transient must be 0 or more");
    return S_OK;
}
