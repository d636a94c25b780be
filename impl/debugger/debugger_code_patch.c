/*
 * debugger_code_patch.c — code_memory_write (debugger_code_memory.h says why two methods).
 */
#include "debugger_code_memory.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__x86_64__)

bool code_memory_write(uintptr_t address, const void* bytes, size_t length, int protection)
{
    (void)protection; /* unchanged: the kernel writes through the protection (FOLL_FORCE) */
    int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    ssize_t written = pwrite(fd, bytes, length, (off_t)address);
    int saved = errno;
    close(fd);
    errno = saved;
    if (written != (ssize_t)length) {
        if (written >= 0) {
            errno = EIO;
        }
        return false;
    }
    return true;
}

#else

bool code_memory_write(uintptr_t address, const void* bytes, size_t length, int protection)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t first = address & ~(page - 1);
    uintptr_t span = ((address + length + page - 1) & ~(page - 1)) - first;
    /* RWX, not RW: other threads may be running this page while we write. */
    if (mprotect((void*)first, span, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
        return false;
    }
    volatile unsigned char* to = (volatile unsigned char*)address;
    const unsigned char* from = bytes;
    for (size_t i = 0; i < length; i++) {
        to[i] = from[i];
    }
    __builtin___clear_cache((char*)address, (char*)address + length);
    if (mprotect((void*)first, span, protection) != 0) {
        return false;
    }
    return true;
}

#endif
