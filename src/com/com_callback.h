/* bitsht: an IBackgroundCopyCallback that wakes a waiting thread. */
#ifndef BITSHT_COM_CALLBACK_H
#define BITSHT_COM_CALLBACK_H

#include <windows.h>
#include <bits.h>

#include "bitsht/hresult.h"

/* A new callback (one reference) and its manual-reset event, unsignalled. */
bht_hr bht_com_callback_new(IBackgroundCopyCallback **out);
/* The event JobTransferred / JobError set; owned by the callback, valid while it lives. */
HANDLE bht_com_callback_event(IBackgroundCopyCallback *cb);
/* How many JobTransferred / JobError calls arrived (for smoke tests and reports). */
LONG bht_com_callback_transferred_calls(IBackgroundCopyCallback *cb);
LONG bht_com_callback_error_calls(IBackgroundCopyCallback *cb);

#endif
