/* case_watchdog.c — see case_watchdog.h. */
#include "case_watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "run_directory.h"

/* Opened at arm time, so the handler only writes (async-signal-safe) and a case that later drops
 * its privileges can still mark itself. */
static int marker_fd = -1;

static bool marker_path(char* out, size_t out_size, const char* run_dir, const char* id)
{
    int written = snprintf(out, out_size, "%s/%s.watchdog", run_dir, id);
    return written >= 0 && (size_t)written < out_size;
}

static void on_expiry(int signal_number)
{
    (void)signal_number;
    static const char mark[] = "timeout\n";
    if (marker_fd >= 0) {
        ssize_t written = write(marker_fd, mark, sizeof(mark) - 1);
        (void)written; /* nothing else can be done from here */
    }
    raise(SIGKILL);
}

bool case_watchdog_arm(const char* id, double timeout_s, char* err, size_t err_size)
{
    const char* run_dir = run_directory();
    char path[4096];
    if (run_dir != NULL && marker_path(path, sizeof(path), run_dir, id)) {
        marker_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    }
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_expiry;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGALRM, &action, NULL) != 0) {
        snprintf(err, err_size, "sigaction(SIGALRM): %s", strerror(errno));
        return false;
    }
    double seconds = timeout_s + CASE_WATCHDOG_GRACE_S;
    struct itimerval timer;
    memset(&timer, 0, sizeof(timer));
    timer.it_value.tv_sec = (time_t)seconds;
    timer.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
    if (setitimer(ITIMER_REAL, &timer, NULL) != 0) {
        snprintf(err, err_size, "setitimer: %s", strerror(errno));
        return false;
    }
    return true;
}

void case_watchdog_disarm(void)
{
    struct itimerval timer;
    memset(&timer, 0, sizeof(timer));
    setitimer(ITIMER_REAL, &timer, NULL);
    if (marker_fd >= 0) {
        close(marker_fd);
        marker_fd = -1;
    }
}

bool case_watchdog_fired(const char* run_dir, const char* id)
{
    char path[4096];
    if (run_dir == NULL || run_dir[0] == '\0' || !marker_path(path, sizeof(path), run_dir, id)) {
        return false;
    }
    struct stat st;
    bool fired = stat(path, &st) == 0 && st.st_size > 0;
    unlink(path);
    return fired;
}
