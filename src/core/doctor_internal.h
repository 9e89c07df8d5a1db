/* bitsht core: what the doctor's two files share (src/core only). */
#ifndef BITSHT_DOCTOR_INTERNAL_H
#define BITSHT_DOCTOR_INTERNAL_H

#include "bitsht/doctor.h"

/* Fills one check: status, the HRESULT behind it, the fix line and a formatted reason. */
void bht_check_set(struct bht_check *out, enum bht_check_id id, enum bht_check_status status,
                   bht_hr hr, const char *fix, const char *reason_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

#endif
