/* Fixture for ci/mutants' self-test (tests/e2e/test_mutants_runner.py); not part of bitsht.
 * check_clamp.c pins clamp_percent above the maximum and inside the range, never at it. */
#include "clamp.h"

int clamp_percent(int v)
{
    if (v > 100)
        return 100;
    return v;
}
