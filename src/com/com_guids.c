/* bitsht: the one translation unit that defines the BITS CLSID and IIDs.
 *
 * MinGW-w64's libuuid has none of the BITS identifiers, so they are instantiated here:
 * everything COM itself needs (IUnknown ...) is included first, without initguid.h, and
 * keeps coming from libuuid; only the BITS headers are read after initguid.h. Every other
 * file gets extern declarations from the same headers. */
#include <windows.h>
#include <objbase.h>
#include <unknwn.h>
#include <ocidl.h>

#include <initguid.h>

#include <bits.h>
#include <bits1_5.h>
#include <bits5_0.h> /* IID_IBackgroundCopyJob5 (and the 2.0-3.0 interfaces it imports) */

#include "bits4_0_compat.h"
