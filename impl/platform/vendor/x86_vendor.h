/*
 * x86_vendor.h — naming an x86 CPU maker from its CPUID vendor id ("GenuineIntel"), as CPUID,
 * /proc/cpuinfo's vendor_id and macOS's machdep.cpu.vendor all spell it.
 */
#ifndef COREMOD_X86_VENDOR_H
#define COREMOD_X86_VENDOR_H

/* "Intel", "AMD", ... for a CPUID / cpuinfo vendor id; NULL if unknown. */
const char* x86_vendor_name(const char* vendor_id);

#endif /* COREMOD_X86_VENDOR_H */
