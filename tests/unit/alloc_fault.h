/* bitsht tests: make the Nth heap allocation fail; tell whether a run leaked or overran.
 *
 * Linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free (GNU ld, native
 * builds only): every malloc, calloc, realloc and free of the test program and of the
 * static libraries it links (the fake, the core) goes through alloc_fault.c; the C
 * library's own allocations do not. */
#ifndef BITSHT_ALLOC_FAULT_H
#define BITSHT_ALLOC_FAULT_H

#include <stddef.h>

#ifdef BHT_ALLOC_FAULT /* set by tests/unit/fake.cmake where --wrap is used */
/* From now on, allocation number nth (1-based) fails with NULL, once; 0 disarms. */
void alloc_fault_arm(unsigned nth);
/* Disarms; returns whether the planned failure happened. */
int alloc_fault_disarm(void);
/* Watches the blocks allocated from now on ... */
void alloc_track_begin(void);
/* ... and returns how many of them are still allocated or were written past their end
 * (seen when freed): 0 when nothing leaked or overran. */
size_t alloc_track_end(void);
/* Whether tracked block p, among the last 16 freed, held only zero bytes when it was freed
 * (1) or not (0); -1 when it is not among them. */
int alloc_freed_zeroed(const void *p);
#else /* elsewhere (MinGW): tracking sees nothing */
static inline void alloc_track_begin(void) {}
static inline size_t alloc_track_end(void) { return 0; }
#endif

#endif
