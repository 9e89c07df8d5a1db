/* bitsht tests: allocation failures on demand, leaks and overruns (alloc_fault.h). */
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

/* The blocks allocated since alloc_track_begin and not freed, with their sizes: an
 * open-addressing set, so a free of memory from before (or from the C library, say
 * realpath's) is told apart. Each such block has GUARD bytes past its end, checked when
 * it is freed, and is filled with 0xDD then. */
#define SLOTS 65536u
#define GUARD 8u
#define GUARD_BYTE 0xA5
static struct {
    void *p;
    size_t n;
} live[SLOTS];
static char gone; /* marks a freed slot */
static size_t n_live, n_overruns;
static int tracking;
/* The last tracked blocks freed, and whether their bytes were all 0 then. */
#define FREED 16u
static struct {
    const void *p;
    int zeroed;
} freed[FREED];
static unsigned n_freed;

static size_t slot_of(const void *p)
{
    return (size_t)(((uintptr_t)p >> 4) * 2654435761u % SLOTS);
}

static void *track(void *p, size_t n)
{
    size_t i = slot_of(p), probes;

    if (!p)
        return NULL;
    memset((char *)p + n, GUARD_BYTE, GUARD);
    for (probes = 0; probes < SLOTS; probes++, i = (i + 1) % SLOTS)
        if (!live[i].p || live[i].p == &gone) {
            live[i].p = p;
            live[i].n = n;
            n_live++;
            return p;
        }
    abort(); /* more live blocks than the set holds: make SLOTS larger */
}

/* Forgets p (checking its guard; *out_n: its size); 0 when p is not a tracked block. */
static int untrack(const void *p, size_t *out_n)
{
    size_t i = slot_of(p), probes, k;

    if (!tracking || !p)
        return 0;
    for (probes = 0; probes < SLOTS && live[i].p; probes++, i = (i + 1) % SLOTS)
        if (live[i].p == p) {
            for (k = 0; k < GUARD; k++)
                if (((const unsigned char *)p)[live[i].n + k] != GUARD_BYTE) {
                    n_overruns++;
                    break;
                }
            freed[n_freed % FREED].p = p;
            freed[n_freed % FREED].zeroed = 1;
            for (k = 0; k < live[i].n; k++)
                if (((const unsigned char *)p)[k])
                    freed[n_freed % FREED].zeroed = 0;
            n_freed++;
            if (out_n)
                *out_n = live[i].n;
            live[i].p = &gone;
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
    n_live = n_overruns = 0;
    n_freed = 0;
    tracking = 1;
}

size_t alloc_track_end(void)
{
    tracking = 0;
    return n_live + n_overruns;
}

int alloc_freed_zeroed(const void *p)
{
    unsigned i;

    for (i = 0; i < FREED && i < n_freed; i++)
        if (freed[(n_freed - 1 - i) % FREED].p == p)
            return freed[(n_freed - 1 - i) % FREED].zeroed;
    return -1;
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
    if (this_one_fails())
        return NULL;
    return tracking ? track(__real_malloc(n + GUARD), n) : __real_malloc(n);
}

void *__wrap_calloc(size_t count, size_t n)
{
    if (this_one_fails())
        return NULL;
    if (!tracking)
        return __real_calloc(count, n);
    if (n && count > (SIZE_MAX - GUARD) / n)
        return NULL;
    return track(__real_calloc(1, count * n + GUARD), count * n);
}

void *__wrap_realloc(void *p, size_t n)
{
    void *q;

    if (this_one_fails())
        return NULL; /* p stays as it was */
    if (p && !untrack(p, NULL))
        return __real_realloc(p, n); /* from before: stays untracked */
    if (!tracking)
        return __real_realloc(p, n);
    q = __real_realloc(p, n + GUARD);
    if (!q)
        abort(); /* a real failure: the tests never come near one */
    return track(q, n);
}

void __wrap_free(void *p)
{
    size_t n;

    if (untrack(p, &n))
        memset(p, 0xDD, n); /* poisoned: a use after free reads 0xDD bytes, not old values */
    __real_free(p);
}
