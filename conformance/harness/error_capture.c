/* error_capture.c — see error_capture.h. */
#include "error_capture.h"

#include <string.h>

#include "case_context.h"

static pthread_mutex_t capture_lock = PTHREAD_MUTEX_INITIALIZER;
static captured_error_t kept[CAPTURE_KEPT];
static size_t total;
static size_t taken; /* calls already returned by capture_take */
static bool active;
static _Thread_local size_t thread_total;

void capture_callback(module_error_t error, const char* message)
{
    thread_total++;
    pthread_mutex_lock(&capture_lock);
    captured_error_t* slot = &kept[total % CAPTURE_KEPT];
    slot->code = error;
    slot->message_was_null = (message == NULL);
    slot->thread = pthread_self();
    if (message != NULL) {
        /* Copy now: SPEC 7.3 makes the message valid only during the call. */
        strncpy(slot->message, message, sizeof(slot->message) - 1);
        slot->message[sizeof(slot->message) - 1] = '\0';
    } else {
        slot->message[0] = '\0';
    }
    total++;
    pthread_mutex_unlock(&capture_lock);
}

void capture_start(void)
{
    pthread_mutex_lock(&capture_lock);
    total = 0;
    taken = 0;
    memset(kept, 0, sizeof(kept));
    active = true;
    pthread_mutex_unlock(&capture_lock);
    thread_total = 0;
    CAND(module_set_error_callback)(capture_callback);
}

void capture_stop(void)
{
    CAND(module_set_error_callback)(NULL);
    pthread_mutex_lock(&capture_lock);
    active = false;
    pthread_mutex_unlock(&capture_lock);
}

bool capture_active(void)
{
    pthread_mutex_lock(&capture_lock);
    bool result = active;
    pthread_mutex_unlock(&capture_lock);
    return result;
}

size_t capture_total(void)
{
    pthread_mutex_lock(&capture_lock);
    size_t result = total;
    pthread_mutex_unlock(&capture_lock);
    return result;
}

size_t capture_thread_total(void)
{
    return thread_total;
}

bool capture_get(size_t index, captured_error_t* out)
{
    pthread_mutex_lock(&capture_lock);
    bool available = index < total && total - index <= CAPTURE_KEPT;
    if (available) {
        *out = kept[index % CAPTURE_KEPT];
    }
    pthread_mutex_unlock(&capture_lock);
    return available;
}

size_t capture_take(captured_error_t* first)
{
    pthread_mutex_lock(&capture_lock);
    size_t fresh = total - taken;
    if (fresh > 0 && first != NULL) {
        if (total - taken <= CAPTURE_KEPT) {
            *first = kept[taken % CAPTURE_KEPT];
        } else {
            memset(first, 0, sizeof(*first));
        }
    }
    taken = total;
    pthread_mutex_unlock(&capture_lock);
    return fresh;
}
