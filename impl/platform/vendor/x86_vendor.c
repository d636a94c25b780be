/*
 * x86_vendor.c — the x86 vendor id table (see the header).
 */
#include "x86_vendor.h"

#include <stddef.h>
#include <string.h>

/* Pure table: also used when replaying an x86 machine on another architecture. */
const char* x86_vendor_name(const char* vendor_id)
{
    if (!vendor_id)
        return NULL;
    if (strcmp(vendor_id, "GenuineIntel") == 0)
        return "Intel";
    if (strcmp(vendor_id, "AuthenticAMD") == 0)
        return "AMD";
    if (strcmp(vendor_id, "HygonGenuine") == 0)
        return "Hygon";
    if (strcmp(vendor_id, "CentaurHauls") == 0)
        return "Centaur";
    return NULL;
}
