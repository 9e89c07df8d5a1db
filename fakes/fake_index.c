/* bitsht fake: a hash index from a 64-bit hash to records, so that finding a user, a
 * resource or a job by its name costs the same with 100,000 of them as with ten (issue
 * 13 item 17: world and state files parse in linear time).
 *
 * Open addressing with linear probing; the records stay where their owners keep them and
 * the index only points at them. Equal hashes are all returned in turn: the caller
 * compares the names, so a collision costs a comparison, never a wrong answer. */
#include <stdlib.h>

#include "fake_internal.h"

uint64_t fake_hash_text(uint64_t h, const char *s, int fold_case)
{
    if (!h)
        h = 0xCBF29CE484222325ull; /* FNV-1a */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (fold_case && c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        h = (h ^ c) * 0x100000001B3ull;
    }
    return h;
}

static int grow(struct fake_index *ix, size_t want)
{
    struct fake_index_slot *old = ix->slots, *slots;
    size_t old_cap = ix->cap, cap = ix->cap ? ix->cap : 64, i;

    while (cap < 2 * want) /* at most half full: probes stay short */
        cap *= 2;
    if (cap == old_cap)
        return 1;
    slots = calloc(cap, sizeof *slots);
    if (!slots)
        return 0;
    for (i = 0; i < old_cap; i++) {
        size_t j;
        if (!old[i].value)
            continue;
        for (j = (size_t)old[i].hash & (cap - 1); slots[j].value; j = (j + 1) & (cap - 1))
            ;
        slots[j] = old[i];
    }
    free(old);
    ix->slots = slots;
    ix->cap = cap;
    return 1;
}

int fake_index_reserve(struct fake_index *ix, size_t more)
{
    return grow(ix, ix->n + more);
}

int fake_index_put(struct fake_index *ix, uint64_t hash, void *value)
{
    size_t j;

    if (!fake_index_reserve(ix, 1))
        return 0;
    for (j = (size_t)hash & (ix->cap - 1); ix->slots[j].value; j = (j + 1) & (ix->cap - 1))
        ;
    ix->slots[j].hash = hash;
    ix->slots[j].value = value;
    ix->n++;
    return 1;
}

void *fake_index_next(const struct fake_index *ix, uint64_t hash, size_t *cursor)
{
    size_t j;

    if (!ix->cap)
        return NULL;
    /* *cursor counts the slots already looked at, from the hash's home slot on. */
    for (; *cursor < ix->cap; (*cursor)++) {
        j = ((size_t)hash + *cursor) & (ix->cap - 1);
        if (!ix->slots[j].value)
            return NULL;
        if (ix->slots[j].hash == hash) {
            (*cursor)++;
            return ix->slots[j].value;
        }
    }
    return NULL;
}

void fake_index_remove(struct fake_index *ix, uint64_t hash, const void *value)
{
    size_t mask = ix->cap - 1, i, j, home;
    int wrapped;

    if (!ix->cap)
        return;
    for (i = (size_t)hash & mask; ix->slots[i].value != value; i = (i + 1) & mask)
        if (!ix->slots[i].value)
            return; /* not there */
    /* Backward shift: pull later entries of the run into the hole unless their home
     * slot lies cyclically after it, so no probe sequence ever crosses a false gap. */
    for (j = i;;) {
        ix->slots[i].value = NULL;
        for (;;) {
            j = (j + 1) & mask;
            if (!ix->slots[j].value) {
                ix->n--;
                return;
            }
            home = (size_t)ix->slots[j].hash & mask;
            /* j has moved on from i, so the two are never equal here */
            wrapped = j < i;
            if (wrapped ? (home <= i && home > j) : (home <= i || home > j))
                break;
        }
        ix->slots[i] = ix->slots[j];
        i = j;
    }
}

void fake_index_free(struct fake_index *ix)
{
    free(ix->slots);
    ix->slots = NULL;
    ix->cap = ix->n = 0;
}
