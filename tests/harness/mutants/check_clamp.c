/* The fixture's whole test suite: exit 0 when clamp_percent behaves, 1 otherwise. */
#include "clamp.h"

int main(void)
{
    return clamp_percent(150) == 100 && clamp_percent(5) == 5 ? 0 : 1;
}
