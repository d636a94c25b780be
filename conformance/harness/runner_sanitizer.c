/* runner_sanitizer.c — see runner_sanitizer.h. */
#include "runner_sanitizer.h"

/* Case processes are fresh executions of the suite (Criterion re-executes it), so this stays 0
 * in them. */
static volatile int is_runner_process;

void runner_process_mark(void)
{
    is_runner_process = 1;
}

/* LeakSanitizer's documented hook: a non-zero return skips the leak check at exit. Unused in
 * builds without the sanitizer. */
int __lsan_is_turned_off(void) __attribute__((visibility("default"), used));

int __lsan_is_turned_off(void)
{
    return is_runner_process;
}
