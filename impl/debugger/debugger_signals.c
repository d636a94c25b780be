/* debugger_signals.c — see debugger_signals.h. */
#include "debugger_signals.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "debugger_hardware.h"
#include "debugger_page_watch.h"
#include "debugger_site.h"
#include "debugger_software.h"

static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic bool installed;
/* Written once, before our handlers are installed; read-only afterwards (so by handlers too). */
static struct sigaction previous_trap;
static struct sigaction previous_segv;

/* The signal is not ours: hand it to whoever had it before us. */
static void chain(int sig, siginfo_t* info, void* ucontext, const struct sigaction* previous)
{
    if (previous->sa_flags & SA_SIGINFO) {
        if (previous->sa_sigaction != NULL) {
            previous->sa_sigaction(sig, info, ucontext);
            return;
        }
    } else if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN) {
        previous->sa_handler(sig);
        return;
    }
    /* SIG_DFL, or SIG_IGN (which the kernel does not honour for a synchronous trap or fault
     * anyway): die the way the process would have. The signal is blocked while this handler
     * runs, so the raise is delivered, with the default action, as soon as we return; a fault
     * would also recur on return. */
    struct sigaction default_action;
    memset(&default_action, 0, sizeof(default_action));
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(sig, &default_action, NULL);
    raise(sig);
}

static void on_sigtrap(int sig, siginfo_t* info, void* ucontext)
{
    int saved_errno = errno;
    unsigned token = debugger_handler_enter();
    bool claimed = hardware_site_on_trap(info, ucontext) ||
                   software_breakpoint_on_trap(info, ucontext) ||
                   page_watch_on_trap(info, ucontext);
    /* Leave before chaining: the previous handler may never return (siglongjmp). */
    debugger_handler_exit(token);
    if (!claimed) {
        chain(sig, info, ucontext, &previous_trap);
    }
    errno = saved_errno;
}

static void on_sigsegv(int sig, siginfo_t* info, void* ucontext)
{
    int saved_errno = errno;
    unsigned token = debugger_handler_enter();
    bool claimed = page_watch_on_fault(info, ucontext);
    debugger_handler_exit(token);
    if (!claimed) {
        chain(sig, info, ucontext, &previous_segv);
    }
    errno = saved_errno;
}

static bool install_one(int sig, void (*handler)(int, siginfo_t*, void*),
                        struct sigaction* previous, coremod_failure_t* failure)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = handler;
    /* Only the handled signal is blocked while its handler runs (the kernel's default), so a
     * SIGTRAP can still arrive inside the SIGSEGV handler; SA_RESTART so that the program's
     * system calls interrupted by a hit go on as if nothing happened. */
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(sig, NULL, previous) != 0 || sigaction(sig, &action, NULL) != 0) {
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR,
                    "module_debugger_create: cannot install the %s handler: %s",
                    sig == SIGTRAP ? "SIGTRAP" : "SIGSEGV", strerror(errno));
        return false;
    }
    return true;
}

bool debugger_signals_install(coremod_failure_t* failure)
{
    if (atomic_load(&installed)) {
        return true;
    }
    pthread_mutex_lock(&install_lock);
    bool ok = atomic_load(&installed);
    if (!ok) {
        ok = install_one(SIGTRAP, on_sigtrap, &previous_trap, failure);
        if (ok && !install_one(SIGSEGV, on_sigsegv, &previous_segv, failure)) {
            /* Put SIGTRAP back, or a later attempt would remember our handler as the previous
             * one and chain to itself. */
            sigaction(SIGTRAP, &previous_trap, NULL);
            ok = false;
        }
        if (ok) {
            atomic_store(&installed, true);
        }
    }
    pthread_mutex_unlock(&install_lock);
    return ok;
}
