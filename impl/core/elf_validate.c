/*
 * elf_validate.c — see elf_validate.h.
 *
 * Checks, in order, each giving its own message (SPEC 3.4): empty file; magic; truncated
 * identification; ELF class; byte order; ELF version; truncated ELF header; machine; e_type ==
 * ET_DYN; program header table present and inside the file; every PT_LOAD segment inside the
 * file; PT_DYNAMIC inside the file and DF_1_PIE not set in DT_FLAGS_1 (a PIE is ET_DYN too, and
 * dlopen would run its constructors before glibc itself refuses it). Anything subtler (bad
 * relocations, missing dependencies) is the loader's to refuse (SPEC 3.5).
 */
#include "elf_validate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Reads up to `size` bytes at `offset`; returns the count read (short only at end of file), or
 * -1 with errno set. */
static ssize_t read_at(int fd, void* buffer, size_t size, uint64_t offset)
{
    size_t done = 0;
    while (done < size) {
        ssize_t got = pread(fd, (char*)buffer + done, size - done, (off_t)(offset + done));
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        if (got == 0) {
            break;
        }
        done += (size_t)got;
    }
    return (ssize_t)done;
}

/* True if [offset, offset + size) lies inside a file of file_size bytes (overflow-safe). */
static bool inside_file(uint64_t offset, uint64_t size, uint64_t file_size)
{
    return offset <= file_size && size <= file_size - offset;
}

#if defined(__APPLE__)
/* ---- Mach-O (macOS): magic, CPU type and file type only; the loader checks the rest. ---- */

#define MACHO_MAGIC_64 0xfeedfacfu
#define MACHO_MAGIC_32 0xfeedfaceu
#define MACHO_FAT_MAGIC 0xcafebabeu /* stored big-endian: reads as 0xbebafeca on arm64/x86-64 */
#define MACHO_FILETYPE_DYLIB 6u
#define MACHO_FILETYPE_BUNDLE 8u
#if defined(__aarch64__) || defined(__arm64__)
#define MACHO_HOST_CPU 0x0100000cu /* CPU_TYPE_ARM64 */
#else
#define MACHO_HOST_CPU 0x01000007u /* CPU_TYPE_X86_64 */
#endif

module_error_t elf_validate(int fd, uint64_t file_size, char* reason, size_t reason_size)
{
    uint32_t
        header[8]; /* mach_header_64: magic, cputype, cpusubtype, filetype, ncmds, sizeofcmds */
    if (file_size == 0) {
        snprintf(reason, reason_size, "empty file (0 bytes)");
        return MODULE_ERROR_INVALID_MODULE;
    }
    ssize_t got = read_at(fd, header, sizeof(header), 0);
    if (got < 0) {
        snprintf(reason, reason_size, "cannot read the file: %s", strerror(errno));
        return MODULE_ERROR_SYSTEM_ERROR;
    }
    if (got >= 4 && (header[0] == MACHO_FAT_MAGIC || header[0] == 0xbebafecau)) {
        return MODULE_SUCCESS; /* universal binary: dyld picks and checks the slice */
    }
    if (got < 4 || (header[0] != MACHO_MAGIC_64 && header[0] != MACHO_MAGIC_32)) {
        snprintf(reason, reason_size, "not a Mach-O object (bad magic)");
        return MODULE_ERROR_INVALID_MODULE;
    }
    if (header[0] == MACHO_MAGIC_32) {
        snprintf(reason, reason_size, "wrong Mach-O class: 32-bit; this platform loads 64-bit");
        return MODULE_ERROR_INVALID_MODULE;
    }
    if ((size_t)got < sizeof(header) || !inside_file(sizeof(header), header[5], file_size)) {
        snprintf(reason, reason_size, "truncated: Mach-O headers extend past the end of the file");
        return MODULE_ERROR_INVALID_MODULE;
    }
    if (header[1] != MACHO_HOST_CPU) {
        snprintf(reason, reason_size, "wrong machine: Mach-O cputype 0x%x", header[1]);
        return MODULE_ERROR_INVALID_MODULE;
    }
    if (header[3] != MACHO_FILETYPE_DYLIB && header[3] != MACHO_FILETYPE_BUNDLE) {
        snprintf(reason, reason_size, "not a dynamic library or bundle (Mach-O filetype %u)",
                 header[3]);
        return MODULE_ERROR_INVALID_MODULE;
    }
    return MODULE_SUCCESS;
}

#else
/* ---- ELF (Linux and other ELF systems) ---------------------------------------------------- */

#include <elf.h>

#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define HOST_MACHINE EM_AARCH64
#else
#error "coremod: elf_validate.c knows x86-64 and AArch64; add this machine's EM_ value"
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_DATA ELFDATA2LSB
#else
#define HOST_DATA ELFDATA2MSB
#endif

#define ENTRIES_PER_READ 16u /* program headers / dynamic entries read per pread */

static const char* machine_name(unsigned machine)
{
    switch (machine) {
    case EM_386: return "x86 (i386)";
    case EM_X86_64: return "x86-64";
    case EM_ARM: return "32-bit ARM";
    case EM_AARCH64: return "AArch64";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC 64";
    case EM_S390: return "IBM S/390";
    case EM_MIPS: return "MIPS";
    default: return "another machine";
    }
}

static const char* type_name(unsigned type)
{
    switch (type) {
    case ET_NONE: return "no file type (ET_NONE)";
    case ET_REL: return "a relocatable object file (ET_REL)";
    case ET_EXEC: return "an executable (ET_EXEC)";
    case ET_CORE: return "a core dump (ET_CORE)";
    default: return "an unknown ELF file type";
    }
}

static module_error_t invalid(char* reason, size_t reason_size, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

static module_error_t invalid(char* reason, size_t reason_size, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(reason, reason_size, fmt, args);
    va_end(args);
    return MODULE_ERROR_INVALID_MODULE;
}

static module_error_t unreadable(char* reason, size_t reason_size)
{
    snprintf(reason, reason_size, "cannot read the file: %s", strerror(errno));
    return MODULE_ERROR_SYSTEM_ERROR;
}

/* Identification and ELF header checks. */
static module_error_t check_header(int fd, uint64_t file_size, Elf64_Ehdr* header, char* reason,
                                   size_t reason_size)
{
    if (file_size == 0) {
        return invalid(reason, reason_size, "empty file (0 bytes)");
    }
    memset(header, 0, sizeof(*header));
    ssize_t got = read_at(fd, header, sizeof(*header), 0);
    if (got < 0) {
        return unreadable(reason, reason_size);
    }
    size_t magic_bytes = (size_t)got < SELFMAG ? (size_t)got : SELFMAG;
    if (memcmp(header->e_ident, ELFMAG, magic_bytes) != 0) {
        return invalid(reason, reason_size, "not an ELF object file (bad magic number)");
    }
    if ((size_t)got < EI_NIDENT) {
        return invalid(reason, reason_size,
                       "truncated: the file is %zd bytes, shorter than the %d-byte ELF "
                       "identification",
                       got, EI_NIDENT);
    }
    unsigned char elf_class = header->e_ident[EI_CLASS];
    if (elf_class != ELFCLASS64) {
        return invalid(reason, reason_size,
                       "wrong ELF class: %s; this platform loads 64-bit "
                       "objects (ELFCLASS64)",
                       elf_class == ELFCLASS32 ? "32-bit (ELFCLASS32)" : "invalid EI_CLASS value");
    }
    unsigned char data = header->e_ident[EI_DATA];
    if (data != HOST_DATA) {
        return invalid(reason, reason_size, "wrong byte order: %s; this platform is %s",
                       data == ELFDATA2MSB   ? "big-endian (ELFDATA2MSB)"
                       : data == ELFDATA2LSB ? "little-endian (ELFDATA2LSB)"
                                             : "invalid EI_DATA value",
                       HOST_DATA == ELFDATA2LSB ? "little-endian" : "big-endian");
    }
    if (header->e_ident[EI_VERSION] != EV_CURRENT) {
        return invalid(reason, reason_size, "unsupported ELF version %u",
                       header->e_ident[EI_VERSION]);
    }
    if ((size_t)got < sizeof(*header)) {
        return invalid(reason, reason_size,
                       "truncated: the file is %zd bytes, shorter than the %zu-byte ELF header",
                       got, sizeof(*header));
    }
    if (header->e_machine != HOST_MACHINE) {
        return invalid(reason, reason_size,
                       "wrong machine: %s (e_machine %u); this platform "
                       "is %s",
                       machine_name(header->e_machine), header->e_machine,
                       machine_name(HOST_MACHINE));
    }
    if (header->e_type != ET_DYN) {
        return invalid(reason, reason_size, "not a shared object: the file is %s",
                       type_name(header->e_type));
    }
    if (header->e_phnum == 0 || header->e_phnum == PN_XNUM ||
        header->e_phentsize != sizeof(Elf64_Phdr)) {
        return invalid(reason, reason_size,
                       "no usable program header table (e_phnum %u, "
                       "e_phentsize %u)",
                       header->e_phnum, header->e_phentsize);
    }
    uint64_t table_size = (uint64_t)header->e_phnum * sizeof(Elf64_Phdr);
    if (!inside_file(header->e_phoff, table_size, file_size)) {
        return invalid(reason, reason_size,
                       "truncated: the program header table (offset %" PRIu64 ", %" PRIu64
                       " bytes) extends past the end of the file (%" PRIu64 " bytes)",
                       (uint64_t)header->e_phoff, table_size, file_size);
    }
    return MODULE_SUCCESS;
}

/* Every PT_LOAD inside the file; finds PT_DYNAMIC. */
static module_error_t check_segments(int fd, uint64_t file_size, const Elf64_Ehdr* header,
                                     Elf64_Phdr* dynamic, char* reason, size_t reason_size)
{
    Elf64_Phdr batch[ENTRIES_PER_READ];
    dynamic->p_type = PT_NULL;
    for (unsigned first = 0; first < header->e_phnum; first += ENTRIES_PER_READ) {
        unsigned count = header->e_phnum - first;
        count = count < ENTRIES_PER_READ ? count : ENTRIES_PER_READ;
        size_t bytes = count * sizeof(Elf64_Phdr);
        ssize_t got = read_at(fd, batch, bytes, header->e_phoff + first * sizeof(Elf64_Phdr));
        if (got < 0) {
            return unreadable(reason, reason_size);
        }
        if ((size_t)got != bytes) {
            return invalid(reason, reason_size, "truncated: the file shrank while being read");
        }
        for (unsigned i = 0; i < count; i++) {
            const Elf64_Phdr* segment = &batch[i];
            if (segment->p_type == PT_LOAD &&
                !inside_file(segment->p_offset, segment->p_filesz, file_size)) {
                return invalid(reason, reason_size,
                               "truncated: loadable segment %u (file offset "
                               "%" PRIu64 ", %" PRIu64 " bytes) extends past the end of the file "
                               "(%" PRIu64 " bytes)",
                               first + i, (uint64_t)segment->p_offset, (uint64_t)segment->p_filesz,
                               file_size);
            }
            if (segment->p_type == PT_DYNAMIC) {
                *dynamic = *segment;
            }
        }
    }
    return MODULE_SUCCESS;
}

/* The dynamic section inside the file, and DF_1_PIE not set. */
static module_error_t check_dynamic(int fd, uint64_t file_size, const Elf64_Phdr* dynamic,
                                    char* reason, size_t reason_size)
{
    if (dynamic->p_type != PT_DYNAMIC) {
        return MODULE_SUCCESS; /* nothing to scan; the loader decides about such a file */
    }
    if (!inside_file(dynamic->p_offset, dynamic->p_filesz, file_size)) {
        return invalid(reason, reason_size,
                       "truncated: the dynamic section (file offset %" PRIu64 ", %" PRIu64
                       " bytes) extends past the end of the file (%" PRIu64 " bytes)",
                       (uint64_t)dynamic->p_offset, (uint64_t)dynamic->p_filesz, file_size);
    }
    Elf64_Dyn batch[ENTRIES_PER_READ];
    uint64_t total = dynamic->p_filesz / sizeof(Elf64_Dyn);
    for (uint64_t first = 0; first < total; first += ENTRIES_PER_READ) {
        uint64_t count = total - first < ENTRIES_PER_READ ? total - first : ENTRIES_PER_READ;
        size_t bytes = (size_t)count * sizeof(Elf64_Dyn);
        ssize_t got = read_at(fd, batch, bytes, dynamic->p_offset + first * sizeof(Elf64_Dyn));
        if (got < 0) {
            return unreadable(reason, reason_size);
        }
        if ((size_t)got != bytes) {
            return invalid(reason, reason_size, "truncated: the file shrank while being read");
        }
        for (uint64_t i = 0; i < count; i++) {
            if (batch[i].d_tag == DT_NULL) {
                return MODULE_SUCCESS;
            }
            if (batch[i].d_tag == DT_FLAGS_1 && (batch[i].d_un.d_val & DF_1_PIE) != 0) {
                return invalid(reason, reason_size,
                               "a position-independent executable (DF_1_PIE "
                               "set in DT_FLAGS_1), not a shared library");
            }
        }
    }
    return MODULE_SUCCESS;
}

module_error_t elf_validate(int fd, uint64_t file_size, char* reason, size_t reason_size)
{
    Elf64_Ehdr header;
    module_error_t status = check_header(fd, file_size, &header, reason, reason_size);
    if (status != MODULE_SUCCESS) {
        return status;
    }
    Elf64_Phdr dynamic;
    status = check_segments(fd, file_size, &header, &dynamic, reason, reason_size);
    if (status != MODULE_SUCCESS) {
        return status;
    }
    return check_dynamic(fd, file_size, &dynamic, reason, reason_size);
}

#endif
