/* bitsht tests: allocation failures on demand and leak counts (alloc_fault.h). */
#include "alloc_fault.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t count, size_t n);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static unsigned fail_at, seen;
static int fired;

/* The blocks allocated since alloc_track_begin and not freed: an open-addressing set, so
 * a free of memory from before (or from the C library, say realpath's) is told apart. */
#define SLOTS 65536u
static void *live[SLOTS];
static char gone; /* marks a freed slot */
static size_t n_live;
static int tracking;

static size_t slot_of(const void *p)
{
    return (size_t)(((uintptr_t)p >> 4) * 2654435761u % SLOTS);
}

static void track(void *p)
{
    size_t i = slot_of(p), probes;

    if (!tracking || !p)
        return;
    for (probes = 0; probes < SLOTS; probes++, i = (i + 1) % SLOTS)
        if (!live[i] || live[i] == &gone) {
            live[i] = p;
            n_live++;
            return;
        }
    abort(); /* more live blocks than the set holds: make SLOTS larger */
}

static int untrack(const void *p)
{
    size_t i = slot_of(p), probes;

    if (!tracking || !p)
        return 0;
    for (probes = 0; probes < SLOTS && live[i]; probes++, i = (i + 1) % SLOTS)
        if (live[i] == p) {
            live[i] = &gone;
            n_live--;
            return 1;
        }
    return 0;
}

void alloc_fault_arm(unsigned nth)
{
    fail_at = nth;
    seen = 0;
    fired = 0;
}

int alloc_fault_disarm(void)
{
    fail_at = 0;
    return fired;
}

void alloc_track_begin(void)
{
    memset(live, 0, sizeof live);
    n_live = 0;
    tracking = 1;
}

size_t alloc_track_end(void)
{
    tracking = 0;
    return n_live;
}

static int this_one_fails(void)
{
    if (!fail_at || ++seen != fail_at)
        return 0;
    fired = 1;
    return 1;
}

void *__wrap_malloc(size_t n)
{
    void *p = this_one_fails() ? NULL : __real_malloc(n);

    track(p);
    return p;
}

void *__wrap_calloc(size_t count, size_t n)
{
    void *p = this_one_fails() ? NULL : __real_calloc(count, n);

    track(p);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    void *q;
    int ours;

    if (this_one_fails())
        return NULL; /* p stays as it was */
    ours = !p || untrack(p);
    q = __real_realloc(p, n);
    if (!q && p && ours)
        track(p); /* a real failure: p is still live */
    else if (ours)
        track(q);
    return q;
}

void __wrap_free(void *p)
{
    untrack(p);
    __real_free(p);
}
