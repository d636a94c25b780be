/*
 * topology_backends.c — the list of OS backends, and which one reads the live machine.
 *
 * The only place that names the backends and the only OS test in the model: every backend is
 * compiled on every build (recordings of any OS replay anywhere, and so are tested on Linux), and
 * the preprocessor only picks which one may read the machine the code runs on.
 */
#include "topology_backend.h"

#include <stddef.h>

#include "darwin/darwin_backend.h"
#include "linux/linux_backend.h"

const topology_backend_t* const topology_backends[] = {
    &topology_backend_linux,
    &topology_backend_darwin,
    NULL,
};

#if defined(__APPLE__)
const topology_backend_t* const topology_live_backend = &topology_backend_darwin;
#elif defined(__linux__)
const topology_backend_t* const topology_live_backend = &topology_backend_linux;
#else
const topology_backend_t* const topology_live_backend = NULL;
#endif
