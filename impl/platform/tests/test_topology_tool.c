/*
 * test_topology_tool.c — `coremod-topology` command line: usage, errors, exit codes.
 * (Its output on every fixture machine is checked in test_fixture_machines.c.)
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "platform_topology.h"

/* Runs the tool with `env` prepended to the command; returns the exit code, output in buf. */
static int run(const char* env, const char* args, char* buf, size_t len)
{
    char command[4096];
    snprintf(command, sizeof command, "%s '%s' %s 2>&1", env, COREMOD_TOPOLOGY_TOOL, args);
    FILE* p = popen(command, "r");
    cr_assert_not_null(p);
    size_t n = fread(buf, 1, len - 1, p);
    buf[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(topology_tool, help_and_unknown_arguments)
{
    char out[4096];
    cr_expect_eq(run("", "--help", out, sizeof out), 0);
    cr_expect(strstr(out, COREMOD_SYSFS_ROOT_ENV) != NULL, "%s", out);
    cr_expect_eq(run("", "--frobnicate", out, sizeof out), 2);
    cr_expect(strstr(out, "unknown argument") != NULL, "%s", out);
}

Test(topology_tool, detection_failure_exits_1_with_the_reason)
{
    char out[4096];
    cr_expect_eq(run("COREMOD_SYSFS_ROOT=/nonexistent/coremod", "--json", out, sizeof out), 1);
    cr_expect(strstr(out, "PLATFORM_ERR_SOURCE_UNREADABLE") != NULL, "%s", out);
    cr_expect(strstr(out, "/nonexistent/coremod") != NULL, "%s", out);
    cr_expect_eq(run("COREMOD_SYSFS_ROOT=/tmp COREMOD_SYSCTL_FILE=/tmp/x", "", out, sizeof out), 1);
    cr_expect(strstr(out, "PLATFORM_ERR_INVALID_ARGUMENT") != NULL, "%s", out);
}

Test(topology_tool, live_machine_prints_json)
{
    static char out[1 << 16];
    cr_expect_eq(run("env -u COREMOD_SYSFS_ROOT -u COREMOD_SYSCTL_FILE", "--json", out, sizeof out),
                 0);
    cr_expect(strstr(out, "\"source\": \"live-linux\"") != NULL, "%s", out);
    cr_expect(strstr(out, "\"schema\": \"coremod-topology/1\"") != NULL);
}
