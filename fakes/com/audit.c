/* bitsht COM fake: the leak and misuse audit.
 *
 * Objects: every object registers its header; Release to zero frees its resources but keeps
 * the header (and the object) until the world is reset, so a call through a released
 * pointer is counted as misuse instead of crashing. CoTaskMem: an IMallocSpy sees every
 * CoTaskMemFree of the process; blocks this server handed out are tracked until freed. */
#include "comfake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void comfake_obj_register(struct comfake_obj *o, const char *kind, const char *iface,
                          void (*destroy)(struct comfake_obj *))
{
    o->kind = kind;
    o->iface = iface;
    o->refs = 1;
    o->dead = 0;
    o->destroy = destroy;
    comfake_lock();
    o->next = comfake_server.objects;
    comfake_server.objects = o;
    comfake_unlock();
}

static void misuse(struct comfake_obj *o, const char *what)
{
    comfake_server.misuse++;
    snprintf(comfake_server.last_misuse, sizeof(comfake_server.last_misuse), "%s %s%s%s: %s",
             o->kind, o->iface, o->label[0] ? " " : "", o->label, what);
}

ULONG comfake_obj_addref(struct comfake_obj *o)
{
    LONG refs;

    comfake_lock();
    if (o->dead) {
        misuse(o, "AddRef after the last Release");
        comfake_unlock();
        return 0;
    }
    refs = ++o->refs;
    comfake_unlock();
    return (ULONG)refs;
}

static void save_state_if_idle(void)
{
    char err[256];

    if (!comfake_server.state_path[0] || comfake_live_objects())
        return;
    /* the last object went away: what a client process leaves behind is persisted, as the
     * BITS service keeps its queue */
    if (bht_fake_state_save(comfake_server.world, comfake_server.state_path, err,
                            sizeof(err)) != S_OK)
        fprintf(stderr, "bitsht_fakebits: %s\n", err);
}

ULONG comfake_obj_release(struct comfake_obj *o)
{
    LONG refs;

    comfake_lock();
    if (o->dead) {
        misuse(o, "Release after the last Release");
        comfake_unlock();
        return 0;
    }
    refs = --o->refs;
    if (refs == 0) {
        o->dead = 1;
        if (o->destroy)
            o->destroy(o);
        save_state_if_idle();
    }
    comfake_unlock();
    return (ULONG)refs;
}

unsigned comfake_live_objects(void)
{
    struct comfake_obj *o;
    unsigned n = 0;

    for (o = comfake_server.objects; o; o = o->next)
        n += o->dead ? 0 : 1;
    return n;
}

void comfake_objects_free_all(void)
{
    struct comfake_obj **link = &comfake_server.objects, *o;

    while ((o = *link)) {
        if (!o->dead && !o->destroy) {
            /* the manager and class factory do not depend on a world: a client keeps them
             * across a reset (the conformance suite does) */
            link = &o->next;
            continue;
        }
        if (!o->dead) {
            /* a leak the audit has reported: its world goes, so it becomes a released
             * object (calls through it are misuse, not a crash) until the next reset */
            o->destroy(o);
            o->dead = 1;
            link = &o->next;
            continue;
        }
        *link = o->next;
        free(o);
    }
}

/* ---- CoTaskMem: an IMallocSpy that notices frees of the blocks we handed out ---- */

struct spy_state {
    IMallocSpy iface;
    CRITICAL_SECTION lock;
    void **blocks;
    size_t n, cap;
    int registered;
    void *pending_free; /* between PreFree and PostFree */
};

static struct spy_state spy;

static void forget_block(void *p)
{
    size_t i;

    EnterCriticalSection(&spy.lock);
    for (i = 0; i < spy.n; i++)
        if (spy.blocks[i] == p) {
            spy.blocks[i] = spy.blocks[--spy.n];
            break;
        }
    LeaveCriticalSection(&spy.lock);
}

static HRESULT STDMETHODCALLTYPE spy_QueryInterface(IMallocSpy *iface, REFIID riid, void **out)
{
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IMallocSpy)) {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

/* a static object: it lives as long as the DLL */
static ULONG STDMETHODCALLTYPE spy_AddRef(IMallocSpy *iface)
{
    (void)iface;
    return 2;
}

static ULONG STDMETHODCALLTYPE spy_Release(IMallocSpy *iface)
{
    (void)iface;
    return 1;
}

static SIZE_T STDMETHODCALLTYPE spy_PreAlloc(IMallocSpy *iface, SIZE_T cb)
{
    (void)iface;
    return cb;
}

static void *STDMETHODCALLTYPE spy_PostAlloc(IMallocSpy *iface, void *p)
{
    (void)iface;
    return p;
}

static void *STDMETHODCALLTYPE spy_PreFree(IMallocSpy *iface, void *p, BOOL spyed)
{
    (void)iface;
    (void)spyed;
    if (p)
        forget_block(p);
    return p;
}

static void STDMETHODCALLTYPE spy_PostFree(IMallocSpy *iface, BOOL spyed)
{
    (void)iface;
    (void)spyed;
}

static SIZE_T STDMETHODCALLTYPE spy_PreRealloc(IMallocSpy *iface, void *p, SIZE_T cb,
                                               void **out_p, BOOL spyed)
{
    (void)iface;
    (void)spyed;
    if (p)
        forget_block(p); /* a client that reallocates owns the new block */
    *out_p = p;
    return cb;
}

static void *STDMETHODCALLTYPE spy_PostRealloc(IMallocSpy *iface, void *p, BOOL spyed)
{
    (void)iface;
    (void)spyed;
    return p;
}

static void *STDMETHODCALLTYPE spy_PreGetSize(IMallocSpy *iface, void *p, BOOL spyed)
{
    (void)iface;
    (void)spyed;
    return p;
}

static SIZE_T STDMETHODCALLTYPE spy_PostGetSize(IMallocSpy *iface, SIZE_T cb, BOOL spyed)
{
    (void)iface;
    (void)spyed;
    return cb;
}

static void *STDMETHODCALLTYPE spy_PreDidAlloc(IMallocSpy *iface, void *p, BOOL spyed)
{
    (void)iface;
    (void)spyed;
    return p;
}

static int STDMETHODCALLTYPE spy_PostDidAlloc(IMallocSpy *iface, void *p, BOOL spyed, int actual)
{
    (void)iface;
    (void)p;
    (void)spyed;
    return actual;
}

static void STDMETHODCALLTYPE spy_PreHeapMinimize(IMallocSpy *iface)
{
    (void)iface;
}

static void STDMETHODCALLTYPE spy_PostHeapMinimize(IMallocSpy *iface)
{
    (void)iface;
}

static const IMallocSpyVtbl spy_vtbl = {
    spy_QueryInterface, spy_AddRef,        spy_Release,         spy_PreAlloc,
    spy_PostAlloc,      spy_PreFree,       spy_PostFree,        spy_PreRealloc,
    spy_PostRealloc,    spy_PreGetSize,    spy_PostGetSize,     spy_PreDidAlloc,
    spy_PostDidAlloc,   spy_PreHeapMinimize, spy_PostHeapMinimize,
};

HRESULT comfake_spy_start(void)
{
    HRESULT hr;

    if (spy.registered)
        return S_OK;
    InitializeCriticalSection(&spy.lock);
    spy.iface.lpVtbl = (IMallocSpyVtbl *)&spy_vtbl;
    hr = CoRegisterMallocSpy(&spy.iface);
    /* CO_E_OBJISREG: the host has a spy of its own; the count then stays unknown (0) */
    if (SUCCEEDED(hr))
        spy.registered = 1;
    return hr;
}

void comfake_spy_track(void *p)
{
    if (!p || !spy.registered)
        return;
    EnterCriticalSection(&spy.lock);
    if (spy.n == spy.cap) {
        size_t cap = spy.cap ? 2 * spy.cap : 64;
        void **v = realloc(spy.blocks, cap * sizeof(*v));
        if (!v) {
            LeaveCriticalSection(&spy.lock);
            return;
        }
        spy.blocks = v;
        spy.cap = cap;
    }
    spy.blocks[spy.n++] = p;
    LeaveCriticalSection(&spy.lock);
}

unsigned comfake_spy_outstanding(void)
{
    unsigned n;

    if (!spy.registered)
        return 0;
    EnterCriticalSection(&spy.lock);
    n = (unsigned)spy.n;
    LeaveCriticalSection(&spy.lock);
    return n;
}

void comfake_spy_forget_all(void)
{
    if (!spy.registered)
        return;
    EnterCriticalSection(&spy.lock);
    spy.n = 0;
    LeaveCriticalSection(&spy.lock);
}

/* ---- strings ---- */

HRESULT comfake_cotask_wcsdup(const WCHAR *src, WCHAR **out)
{
    size_t n;

    *out = NULL;
    if (!src)
        return S_OK;
    n = (wcslen(src) + 1) * sizeof(WCHAR);
    *out = CoTaskMemAlloc(n);
    if (!*out)
        return E_OUTOFMEMORY;
    memcpy(*out, src, n);
    comfake_spy_track(*out);
    return S_OK;
}

HRESULT comfake_cotask_from_utf8(const char *src, WCHAR **out)
{
    int n;

    *out = NULL;
    if (!src)
        return S_OK;
    n = MultiByteToWideChar(CP_UTF8, 0, src, -1, NULL, 0);
    if (n <= 0)
        return E_INVALIDARG;
    *out = CoTaskMemAlloc((size_t)n * sizeof(WCHAR));
    if (!*out)
        return E_OUTOFMEMORY;
    MultiByteToWideChar(CP_UTF8, 0, src, -1, *out, n);
    comfake_spy_track(*out);
    return S_OK;
}

char *comfake_utf8(const WCHAR *src)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, src, -1, NULL, 0, NULL, NULL);
    char *s;

    if (n <= 0)
        return NULL;
    s = malloc((size_t)n);
    if (s)
        WideCharToMultiByte(CP_UTF8, 0, src, -1, s, n, NULL, NULL);
    return s;
}

WCHAR *comfake_wcsdup(const WCHAR *src)
{
    size_t n;
    WCHAR *d;

    if (!src)
        return NULL;
    n = (wcslen(src) + 1) * sizeof(WCHAR);
    d = malloc(n);
    if (d)
        memcpy(d, src, n);
    return d;
}
