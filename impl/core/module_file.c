/* module_file.c — see module_file.h. */
#include "module_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static module_error_t open_error_code(int error)
{
    switch (error) {
    case ENOENT:
    case ENOTDIR:
    case ENAMETOOLONG:
    case ELOOP: return MODULE_ERROR_FILE_NOT_FOUND;
    case EACCES:
    case EPERM: return MODULE_ERROR_SECURITY_VIOLATION;
    case EMFILE:
    case ENFILE: return MODULE_ERROR_RESOURCE_EXHAUSTED;
    case ENOMEM: return MODULE_ERROR_OUT_OF_MEMORY;
    default: return MODULE_ERROR_SYSTEM_ERROR;
    }
}

static const char* file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

bool module_file_open(const char* path, module_file_t* file, coremod_failure_t* failure)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is rejected just below. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int error = errno;
        failure_set(failure, open_error_code(error), "cannot open module '%s': %s", path,
                    strerror(error));
        return false;
    }
    struct stat status;
    if (fstat(fd, &status) != 0) {
        int error = errno;
        close(fd);
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR, "cannot stat module '%s': %s", path,
                    strerror(error));
        return false;
    }
    if (!S_ISREG(status.st_mode)) {
        close(fd);
        failure_set(failure, MODULE_ERROR_INVALID_MODULE,
                    "invalid module '%s': not a regular file (%s)", path,
                    file_kind(status.st_mode));
        return false;
    }
    file->fd = fd;
    file->device = status.st_dev;
    file->inode = status.st_ino;
    file->size = (uint64_t)status.st_size;
    return true;
}

void module_file_close(module_file_t* file)
{
    if (file->fd >= 0) {
        close(file->fd);
        file->fd = -1;
    }
}
