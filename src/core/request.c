/* bitsht: validation of a transfer request before any backend call (docs/design.md step 1).
 * The rules are BITS's own documented limits (docs/contract.md, C16-C18), checked
 * here so that bad input never creates a job: exit 2 means "no job exists". */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L /* S_ISREG */
#endif
#include "bitsht/job.h"
#include "destination.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "url.h"
#include "utf8.h"

#define LOCAL_NAME_MAX 260     /* MAX_PATH, UTF-16 units */
#define NO_LIMIT ((size_t)-1)  /* text_fault: no length limit (account names) */
#define LOCAL_COMPONENT_MAX 255 /* one path component: NTFS's limit in UTF-16 units, and
                                   NAME_MAX bytes on POSIX file systems */

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

static bool starts_with_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char a = *s, b = *prefix;
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
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

/* The text rules every name shares: UTF-8 (BITS takes UTF-16), no control characters,
 * at most max UTF-16 units. Each caller has a message per fault, indexed by it. */
enum text_fault { TEXT_OK, TEXT_NOT_UTF8, TEXT_CONTROL, TEXT_TOO_LONG };

static enum text_fault text_fault(const char *s, size_t max)
{
    size_t units = bht_utf16_units(s, (size_t)-1);

    if (units == BHT_NOT_UTF8)
        return TEXT_NOT_UTF8;
    if (bht_has_control_char(s))
        return TEXT_CONTROL;
    return units > max ? TEXT_TOO_LONG : TEXT_OK;
}

/* Each component within LOCAL_COMPONENT_MAX (UTF-16 units, and bytes where the file
 * system counts bytes). */
static const char *component_problem(const char *local)
{
#ifdef _WIN32
    static const char seps[] = "\\/";
#else
    static const char seps[] = "/";
#endif
    for (const char *p = local; *p;) {
        size_t n = strcspn(p, seps);
        if (bht_utf16_units(p, n) > LOCAL_COMPONENT_MAX)
            return "a component of the local name is longer than 255 characters";
#ifndef _WIN32
        if (n > LOCAL_COMPONENT_MAX)
            return "a component of the local name is longer than 255 bytes (NAME_MAX)";
#endif
        p += n;
        p += strspn(p, seps);
    }
    return NULL;
}

static const char *check_remote(const char *remote)
{
    static const char *const schemes[] = {"http://", "https://"};
    const char *colon;

    static const char *const faults[] = {
        NULL, "remote name is not valid UTF-8", "remote name contains a control character",
        "remote name is longer than 2200 characters"};
    const char *why;

    if (!remote || !*remote)
        return "remote name is empty";
    if ((why = faults[text_fault(remote, BHT_REMOTE_NAME_MAX)]) != NULL)
        return why;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (starts_with_nocase(remote, schemes[i]))
            return bht_http_url_problem(remote + strlen(schemes[i]));
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
    static const char *const faults[] = {
        NULL, "local name is not valid UTF-8", "local name contains a control character",
        "local name is longer than MAX_PATH (260 characters)"};
    const char *why;

    if (!local || !*local)
        return "local name is empty";
    if (!is_full_local_path(local))
        return "local name is not a full path";
#ifndef _WIN32
    /* This build writes real POSIX files: "C:\x" or "\\server\share\x" would become an
     * oddly named file in the current folder, not the place the user meant. */
    if (local[0] != '/')
        return "local name is a Windows path; this build writes POSIX paths (/...)";
#endif
    if ((why = faults[text_fault(local, LOCAL_NAME_MAX)]) != NULL)
        return why;
    if ((why = component_problem(local)) != NULL)
        return why;
    if (strpbrk(local, "*?"))
        return "local name contains a wildcard";
#ifdef _WIN32
    { /* NTFS streams: any ':' after the drive letter's one (on POSIX ':' is a name's) */
        const char *p = is_drive_path(local) ? local + 2 : local;
        if (local[0] != '/' && strchr(p, ':'))
            return "local name names an NTFS stream";
    }
#endif
    {
        size_t n = strlen(local);
        if (local[n - 1] == '/' || local[n - 1] == '\\')
            return "local name is a directory, not a file";
    }
    return NULL;
}

/* What is at a destination path, asked without opening it (opening a FIFO blocks, and a
 * device may act on an open). Anything but "no such file" means something is there. */
enum local_kind { LOCAL_ABSENT, LOCAL_FILE, LOCAL_NOT_A_FILE, LOCAL_UNKNOWN };

static enum local_kind local_kind(const char *path, int *error)
{
    struct stat st;

    switch (bht_dest_status(path, error)) { /* lstat: only ENOENT is "absent" */
    case BHT_DEST_ABSENT:
        return LOCAL_ABSENT;
    case BHT_DEST_UNKNOWN:
        return LOCAL_UNKNOWN;
    default:
        break;
    }
    /* A name is taken: what it leads to decides (a dangling link is a file name too; a
     * link stat cannot follow, e.g. a loop, is unknown). */
    if (stat(path, &st) == 0)
        return S_ISREG(st.st_mode) ? LOCAL_FILE : LOCAL_NOT_A_FILE;
    *error = errno;
    return errno == ENOENT ? LOCAL_FILE : LOCAL_UNKNOWN;
}

static bht_hr check_destination(struct bht_report *report, size_t index, const char *local,
                                int overwrite)
{
    int error = 0;

    switch (local_kind(local, &error)) {
    case LOCAL_ABSENT:
        return S_OK;
    case LOCAL_FILE:
        if (overwrite)
            return S_OK;
        return refuse(report,
                      "file %zu: '%s' already exists; refusing to risk it (use --overwrite)",
                      index, local);
    case LOCAL_NOT_A_FILE:
        return refuse(report,
                      "file %zu: '%s' exists and is not a regular file (a folder, FIFO or "
                      "device); BITS writes files only", index, local);
    default:
        return refuse(report, "file %zu: cannot tell whether '%s' exists (%s); refusing to "
                      "risk it", index, local, strerror(error));
    }
}

bht_hr bht_request_validate(const struct bht_request *req, struct bht_report *report)
{
    const char *why;

    if (!req || !report)
        return E_POINTER;
    if (req->file_count == 0 || !req->files)
        return refuse(report, "no files to transfer: give REMOTE LOCAL pairs");
    if (req->display_name) {
        static const char *const faults[] = {
            NULL, "job name is not valid UTF-8", "job name contains a control character",
            "job name is longer than 249 characters (UTF-16 units; 256 with 'bitsht:')"};
        if ((why = faults[text_fault(req->display_name,
                                     BHT_DISPLAY_NAME_MAX - strlen(BHT_NAME_PREFIX))]) != NULL)
            return refuse(report, "%s", why);
    }
    for (size_t i = 0; i < req->file_count; i++) {
        const struct bht_file_pair *f = &req->files[i];

        if ((why = check_remote(f->remote)) != NULL)
            return refuse(report, "file %zu: %s: '%s'", i + 1, why, f->remote ? f->remote : "");
        if ((why = check_local(f->local)) != NULL)
            return refuse(report, "file %zu: %s: '%s'", i + 1, why, f->local ? f->local : "");
        for (size_t j = 0; j < i; j++)
            if (bht_dest_same_path(req->files[j].local, f->local))
                return refuse(report, "files %zu and %zu write the same local file '%s'", j + 1,
                              i + 1, f->local);
        if (BHT_FAILED(check_destination(report, i + 1, f->local, req->overwrite)))
            return E_INVALIDARG;
    }
    if (req->use_helper_token) {
        static const char *const account_faults[] = {
            NULL, "the helper's user or domain name is not valid UTF-8",
            "the helper's user or domain name contains a control character", NULL};
        if (!req->user || !*req->user)
            return refuse(report, "a helper token needs a user name");
        if ((why = account_faults[text_fault(req->user, NO_LIMIT)]) != NULL ||
            (req->domain && (why = account_faults[text_fault(req->domain, NO_LIMIT)]) != NULL))
            return refuse(report, "%s", why);
        if (!req->password)
            return refuse(report, "a helper token needs a password");
        if (req->token_flags == 0 || (req->token_flags & ~BHT_TOKEN_VALID_MASK))
            return refuse(report, "token flags must be local, network or local,network");
        switch (req->logon_type) {
        case BHT_LOGON_INTERACTIVE:
        case BHT_LOGON_NETWORK:
        case BHT_LOGON_BATCH:
        case BHT_LOGON_SERVICE:
        case BHT_LOGON_NETWORK_CLEARTEXT:
        case BHT_LOGON_NEW_CREDENTIALS:
            break;
        default:
            return refuse(report, "unknown logon type %d", (int)req->logon_type);
        }
        /* C113: a network logon keeps no credentials, so it can neither open an SMB source
         * nor answer HTTP authentication: the NETWORK flag would silently do nothing */
        if (req->logon_type == BHT_LOGON_NETWORK && (req->token_flags & BHT_TOKEN_NETWORK))
            return refuse(report,
                          "--logon-type network gives a token without credentials, which "
                          "cannot do what --token-flags network asks; use network-cleartext, "
                          "interactive, batch, service or new-credentials");
    }
    if (req->priority < -1 || req->priority > BHT_PRIORITY_LOW)
        return refuse(report, "priority must be foreground, high, normal or low");
    if (req->max_transient < -1)
        return refuse(report, "--max-transient must be 0 or more");
    return S_OK;
}
