/*
 * error_capture.h — records what the candidate reports to its error callback (SPEC 7.3).
 *
 * capture_start installs the harness's callback in the candidate. The callback copies the code and
 * the message (valid only during the call), notes the calling thread and counts calls per thread
 * (a thread-local counter: a call counted on the wrong thread shows up as a mismatch). Safe to call
 * from many threads at once.
 */
#ifndef CONFORMANCE_ERROR_CAPTURE_H
#define CONFORMANCE_ERROR_CAPTURE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "module_interface.h"

#define CAPTURE_MESSAGE_MAX 4096

typedef struct {
    module_error_t code;
    bool message_was_null;
    char message[CAPTURE_MESSAGE_MAX];
    pthread_t thread;
} captured_error_t;

/* Installs the capturing callback (module_set_error_callback) and clears the record. */
void capture_start(void);

/* Removes the callback (module_set_error_callback(NULL)). */
void capture_stop(void);

/* Whether capture_start was called (and capture_stop was not). */
bool capture_active(void);

/* The capturing callback itself, for cases that install it in other ways. */
void capture_callback(module_error_t error, const char* message);

/* Calls received since capture_start, on all threads / on the calling thread. */
size_t capture_total(void);
size_t capture_thread_total(void);

/* Call number `index` (0-based, since capture_start); false if it is not kept (only the most
 * recent CAPTURE_KEPT calls are). */
#define CAPTURE_KEPT 64
bool capture_get(size_t index, captured_error_t* out);

/* Number of calls since the previous capture_take (or capture_start); the first of them, if any,
 * is copied to *first. Lets a case check "exactly one call for this failing call". */
size_t capture_take(captured_error_t* first);

#endif /* CONFORMANCE_ERROR_CAPTURE_H */
