/*
 * bench_instructions.h — instruction counting mode (coremod-bench --metric instructions).
 *
 * Timings on a shared VM vary from run to run; instruction counts under valgrind's callgrind do
 * not. In this mode the runner is started by `coremod` under
 *   valgrind --tool=callgrind --collect-atstart=no ...
 * and switches collection on only around the timed `run` of each kept (post-warm-up) iteration of
 * the candidate — never around prepare/finish, the clock reads, warm-up, or the platform-loader
 * twin, which is not run at all in this mode. When a family hands over an operation's result, the
 * runner (bench_main.c, not the families or the reporter) dumps the instructions collected for it
 * under the operation's name (callgrind.out.<n>, "desc: Trigger: Client Request: <name>"), and the
 * counters start again from zero for the next one. Instructions per operation = the dump's total /
 * (kept samples x batch), computed by `coremod`.
 *
 * The client requests are a handful of no-op instructions when the process does not run under
 * valgrind; the mode then refuses to start (bench_instructions_enable fails), because it would
 * produce timings mislabelled as counts.
 */
#ifndef COREMOD_BENCH_INSTRUCTIONS_H
#define COREMOD_BENCH_INSTRUCTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* Turns the mode on. False, with the reason in `err`, when the runner was built without
 * valgrind/callgrind.h or is not running under callgrind. */
bool bench_instructions_enable(char* err, size_t err_size);

/* Whether the mode is on. */
bool bench_instructions_enabled(void);

/* Brackets the measured operations of one kept iteration (no-ops when the mode is off). */
void bench_instructions_begin(void);
void bench_instructions_end(void);

/* Dumps what was collected since the last dump under `operation` and starts again from zero
 * (no-op when the mode is off). */
void bench_instructions_dump(const char* operation);

#endif /* COREMOD_BENCH_INSTRUCTIONS_H */
