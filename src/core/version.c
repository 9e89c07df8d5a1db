/* bitsht: the linked library's version (bitsht/version.h has the header's). */
#include "bitsht/version.h"

const char *bht_version(void)
{
    return BHT_VERSION_STRING;
}

unsigned bht_version_number(void)
{
    return BHT_VERSION_NUMBER;
}
