/* bitsht tests: the COM fake fixture (com_fake_support.h). */
#include "com_fake_support.h"

#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitsht/com_backend.h"

static unsigned folder_serial;

static void point_backend_at_the_dll(void)
{
    WCHAR path[MAX_PATH];
    HMODULE dll = GetModuleHandleW(L"bitsht_fakebits.dll");

    assert_non_null(dll);
    assert_true(GetModuleFileNameW(dll, path, MAX_PATH) > 0);
    assert_true(SetEnvironmentVariableW(L"BITSHT_COM_SERVER", path));
}

void comfake_world(struct comfake_t *t, const char *extra)
{
    char text[4096], err[512];

    snprintf(text, sizeof text,
             "user CORP\\alice password=" COMFAKE_ALICE_PASSWORD "\n"
             "user CORP\\bob password=hunter2\n"
             "user CORP\\root password=toor admin\n"
             "option owner=CORP\\bob\n"
             "option clock-speed=1000\n"
             "resource " COMFAKE_URL_AUTH " size=300000 rate=1000000 readable-by=CORP\\alice "
             "auth=network\n"
             "resource " COMFAKE_URL_SMB " size=65536 readable-by=CORP\\alice\n"
             "resource " COMFAKE_URL_GONE " fail=0x80190194\n"
             "resource " COMFAKE_URL_PUBLIC " size=4096\n"
             "folder %s writable-by=CORP\\alice\n%s",
             t->restricted, extra ? extra : "");
    if (bht_fakebits_reset(text, err, sizeof err) != S_OK)
        fail_msg("COM fake world: %s", err);
}

int comfake_setup(void **state)
{
    struct comfake_t *t = calloc(1, sizeof *t);
    char tmp[MAX_PATH];

    assert_non_null(t);
    assert_true(GetTempPathA(sizeof tmp, tmp) > 0);
    snprintf(t->dir, sizeof t->dir, "%sbht-comfake-%lu-%u", tmp, GetCurrentProcessId(),
             folder_serial++);
    snprintf(t->restricted, sizeof t->restricted, "%s\\restricted", t->dir);
    CreateDirectoryA(t->dir, NULL);
    CreateDirectoryA(t->restricted, NULL);
    point_backend_at_the_dll();
    comfake_world(t, NULL);
    *state = t;
    return 0;
}

void comfake_open(struct comfake_t *t)
{
    bht_hr hr = bht_com_backend_open(&t->be);

    if (hr != S_OK)
        fail_msg("bht_com_backend_open over the COM fake: 0x%08lX", (unsigned long)hr);
    t->open = 1;
    /* the identity ops come from the DLL: they act on its world (the glue, item 2) */
    assert_string_equal(t->be.identity->name, "fakebits");
}

void comfake_close(struct comfake_t *t)
{
    if (t->open)
        bht_com_backend_close(&t->be);
    t->open = 0;
}

void comfake_assert_audit_clean(const char *when)
{
    char report[2048];
    unsigned problems;

    bht_fakebits_drain(5000);
    problems = bht_fakebits_audit(report, sizeof report);

    if (problems)
        fail_msg("COM fake audit %s: %u problem(s)\n%s", when, problems, report);
}

static void remove_tree(const char *dir)
{
    char pattern[400], path[700];
    WIN32_FIND_DATAA fd;
    HANDLE h;

    snprintf(pattern, sizeof pattern, "%s\\*", dir);
    h = FindFirstFileA(pattern, &fd);
    if (h != INVALID_HANDLE_VALUE) {
        do {
            if (!strcmp(fd.cFileName, ".") || !strcmp(fd.cFileName, ".."))
                continue;
            snprintf(path, sizeof path, "%s\\%s", dir, fd.cFileName);
            if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                remove_tree(path);
            else
                DeleteFileA(path);
        } while (FindNextFileA(h, &fd));
        FindClose(h);
    }
    RemoveDirectoryA(dir);
}

int comfake_teardown(void **state)
{
    struct comfake_t *t = *state;
    char report[2048];
    unsigned problems;

    /* a notification the client never pumped would hold its objects: let it land */
    bht_fakebits_drain(5000);
    comfake_close(t);
    problems = bht_fakebits_audit(report, sizeof report);
    remove_tree(t->dir);
    free(t);
    if (problems) {
        /* teardown failures are reported by cmocka against the test */
        print_error("COM fake audit at teardown: %u problem(s)\n%s", problems, report);
        return -1;
    }
    return 0;
}

void comfake_request(struct comfake_t *t, uint32_t flags, const char *const *remotes, size_t n,
                     int to_restricted)
{
    size_t i;

    assert_true(n <= 2);
    memset(&t->req, 0, sizeof t->req);
    memset(&t->rep, 0, sizeof t->rep);
    for (i = 0; i < n; i++) {
        snprintf(t->local[i], sizeof t->local[i], "%s\\out%u.bin",
                 to_restricted ? t->restricted : t->dir, (unsigned)i);
        DeleteFileA(t->local[i]);
        t->files[i].remote = remotes[i];
        t->files[i].local = t->local[i];
    }
    memset(t->password, 0, sizeof t->password);
    strcpy(t->password, COMFAKE_ALICE_PASSWORD);
    t->req.display_name = "comfake";
    t->req.files = t->files;
    t->req.file_count = n;
    t->req.use_helper_token = flags != 0;
    t->req.domain = "CORP";
    t->req.user = "alice";
    t->req.password = t->password;
    t->req.token_flags = flags;
    t->req.logon_type = BHT_LOGON_INTERACTIVE;
    t->req.priority = -1;
    t->req.timeout_s = 60;
    t->req.max_transient = -1;
}

long long comfake_file_size(const char *path)
{
    WIN32_FILE_ATTRIBUTE_DATA a;

    if (!GetFileAttributesExA(path, GetFileExInfoStandard, &a))
        return -1;
    return ((long long)a.nFileSizeHigh << 32) | a.nFileSizeLow;
}
