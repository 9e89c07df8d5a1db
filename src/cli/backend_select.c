/* bitsht CLI: backend choice. The fake is in every build, so anybody can rehearse a
 * helper-token transfer; the COM backend only exists in the Windows build. */
#include "backend_select.h"

#include <stdio.h>
#include <string.h>

#include "bitsht/fake_world.h"
#ifdef _WIN32
#include "bitsht/com_backend.h"
#include "com_process_security.h"
#endif

#ifdef _WIN32
#define DEFAULT_BACKEND "com"
#else
#define DEFAULT_BACKEND "fake"
#endif

/* Commands that only read the queue never write the state file (nor need its folder
 * to be writable): saves replace it in one step, so they read a whole snapshot. */
static int command_is_read_only(const struct cli_options *o)
{
    return o->command == CLI_LIST || o->command == CLI_TOKEN_SID ||
           (o->command == CLI_TOKEN_FLAGS && !o->token_flags_given);
}

static bht_hr open_fake(const struct cli_options *o, struct cli_backend *out, char *err,
                        size_t err_size)
{
    bht_hr hr;

    out->world = bht_fake_world_new();
    if (!out->world) {
        snprintf(err, err_size, "out of memory");
        return E_OUTOFMEMORY;
    }
    if (o->fake_world) {
        hr = bht_fake_world_load(out->world, o->fake_world, err, err_size);
        if (BHT_FAILED(hr))
            goto fail;
    }
    if (o->fake_state) {
        if (!command_is_read_only(o)) {
            /* Load-modify-save as one step: another bitsht on this queue waits. */
            hr = bht_fake_state_lock(o->fake_state, 0, &out->state_lock, err, err_size);
            if (hr == S_FALSE) {
                if (!o->quiet)
                    fprintf(stderr, "bitsht: waiting for another bitsht that uses %s\n",
                            o->fake_state);
                hr = bht_fake_state_lock(o->fake_state, 1, &out->state_lock, err, err_size);
            }
            if (BHT_FAILED(hr))
                goto fail;
            out->state_path = o->fake_state;
        }
        hr = bht_fake_state_load(out->world, o->fake_state, err, err_size);
        if (BHT_FAILED(hr))
            goto fail;
    }
    bht_fake_backend(out->world, &out->be);
    return S_OK;
fail:
    bht_fake_state_unlock(out->state_lock);
    out->state_lock = NULL;
    out->state_path = NULL;
    bht_fake_world_free(out->world);
    out->world = NULL;
    return E_INVALIDARG; /* a bad world or state file is bad input: exit 2 */
}

bht_hr cli_backend_open(const struct cli_options *o, struct cli_backend *out, char *err,
                        size_t err_size)
{
    const char *name = o->backend && *o->backend ? o->backend : DEFAULT_BACKEND;

    memset(out, 0, sizeof *out);
    if (strcmp(name, "fake") == 0)
        return open_fake(o, out, err, err_size);
    if (strcmp(name, "com") == 0) {
#ifdef _WIN32
        /* the program, not the library, chooses the process's COM security (issue 12) */
        bht_hr hr = cli_com_process_security_init();
        if (BHT_FAILED(hr)) {
            char hrtext[64];
            snprintf(err, err_size, "cannot set up COM security: %s: %s",
                     bht_hr_format(hr, hrtext, sizeof hrtext), bht_hr_message(hr));
            return hr == E_INVALIDARG ? E_FAIL : hr;
        }
        hr = bht_com_backend_open(&out->be);
        if (o->command == CLI_DOCTOR) /* the machine checks work even without BITS */
            bht_com_system_open(&out->be);
        if (BHT_FAILED(hr)) {
            char hrtext[64];
            cli_com_process_security_done();
            snprintf(err, err_size,
                     "cannot reach BITS (is the BITS service installed and enabled?): %s: %s",
                     bht_hr_format(hr, hrtext, sizeof hrtext), bht_hr_message(hr));
            return hr == E_INVALIDARG ? E_FAIL : hr;
        }
        out->is_com = 1;
        return S_OK;
#else
        snprintf(err, err_size,
                 "--backend com needs the Windows build (bitsht.exe); this build has the fake "
                 "backend only");
        return E_INVALIDARG;
#endif
    }
    snprintf(err, err_size, "unknown backend '%s' (fake or com)", name);
    return E_INVALIDARG;
}

bht_hr cli_backend_save(struct cli_backend *b, char *err, size_t err_size)
{
    if (b->state_saved)
        return b->save_hr;
    b->state_saved = 1;
    b->save_hr = S_OK;
    if (b->world && b->state_path)
        b->save_hr = bht_fake_state_save(b->world, b->state_path, err, err_size);
    return b->save_hr;
}

bht_hr cli_backend_close(struct cli_backend *b, char *err, size_t err_size)
{
    bht_hr hr = S_OK;

    if (b->world) {
        if (!b->state_saved)
            hr = cli_backend_save(b, err, err_size);
        bht_fake_state_unlock(b->state_lock);
        b->state_lock = NULL;
        bht_fake_world_free(b->world);
        b->world = NULL;
    }
#ifdef _WIN32
    bht_com_system_close(&b->be);
    if (b->is_com) {
        bht_com_backend_close(&b->be);
        cli_com_process_security_done();
    }
#endif
    b->is_com = 0;
    return hr;
}
