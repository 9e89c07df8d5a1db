/* Harness fixture: stands for a test that hangs. It waits for standard input to end; the
 * self-test gives it a pipe it never closes, so only ci/wine-run's time limit ends it.
 * (Blocking on input instead of sleeping keeps it portable and free of windows.h.) */
#include <stdio.h>

int main(void)
{
    puts("waiting for the end of standard input");
    fflush(stdout);
    while (getchar() != EOF)
        ;
    return 0;
}
