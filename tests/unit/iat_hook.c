/* bitsht tests (Windows): import-table hooks on this executable. The library under test is
 * linked statically, so each of its calls to a DLL goes through the .exe's import table. */
#include <windows.h>

#include <string.h>

#include "iat_hook.h"

iat_fn iat_hook(const char *dll, const char *function, iat_fn replacement)
{
    BYTE *base = (BYTE *)GetModuleHandleW(NULL);
    IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(base + ((IMAGE_DOS_HEADER *)base)->e_lfanew);
    IMAGE_DATA_DIRECTORY dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    IMAGE_IMPORT_DESCRIPTOR *imp = (IMAGE_IMPORT_DESCRIPTOR *)(base + dir.VirtualAddress);

    if (!dir.VirtualAddress)
        return NULL;
    for (; imp->Name; imp++) {
        IMAGE_THUNK_DATA *names, *slots;

        if (_stricmp((const char *)(base + imp->Name), dll) != 0 || !imp->OriginalFirstThunk)
            continue;
        names = (IMAGE_THUNK_DATA *)(base + imp->OriginalFirstThunk);
        slots = (IMAGE_THUNK_DATA *)(base + imp->FirstThunk);
        for (; names->u1.AddressOfData; names++, slots++) {
            IMAGE_IMPORT_BY_NAME *by_name;
            DWORD old;
            iat_fn previous;

            if (IMAGE_SNAP_BY_ORDINAL(names->u1.Ordinal))
                continue;
            by_name = (IMAGE_IMPORT_BY_NAME *)(base + names->u1.AddressOfData);
            if (strcmp((const char *)by_name->Name, function) != 0)
                continue;
            if (!VirtualProtect(&slots->u1.Function, sizeof slots->u1.Function,
                                PAGE_READWRITE, &old))
                return NULL;
            previous = (iat_fn)slots->u1.Function;
            slots->u1.Function = (ULONG_PTR)replacement;
            VirtualProtect(&slots->u1.Function, sizeof slots->u1.Function, old, &old);
            return previous;
        }
    }
    return NULL;
}
