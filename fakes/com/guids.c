/* bitsht COM fake: the only translation unit of the DLL that defines the BITS CLSID and
 * IIDs. MinGW-w64's libuuid has none of them (src/com/com_guids.c does the same for the
 * backend): COM's own headers come first, without initguid.h, and keep coming from
 * libuuid; only the BITS headers are read after it. */
#include <windows.h>
#include <objbase.h>
#include <unknwn.h>
#include <ocidl.h>

#include <initguid.h>

#include <bits.h>
#include <bits1_5.h>
#include <bits2_0.h>
#include <bits2_5.h>
#include <bits3_0.h>
#include <bits5_0.h>

#include "bits4_0_compat.h"
#include "bits_file_compat.h"
