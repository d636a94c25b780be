/*
 * test_cpuset.c — the cpulist parser and formatter shared by every backend.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "platform_cpuset.h"

static uint32_t parse_count(const char* text)
{
    platform_cpuset_t set = PLATFORM_CPUSET_EMPTY;
    cr_assert_eq(cpuset_parse_list(text, &set), PLATFORM_OK, "\"%s\": %s", text,
                 platform_last_error());
    uint32_t n = cpuset_count(&set);
    cpuset_free(&set);
    return n;
}

static void expect_malformed(const char* text)
{
    platform_cpuset_t set = PLATFORM_CPUSET_EMPTY;
    cr_expect_eq(cpuset_parse_list(text, &set), PLATFORM_ERR_SOURCE_MALFORMED,
                 "\"%s\" was accepted", text);
    cr_expect_eq(cpuset_count(&set), 0);
    cr_expect(strlen(platform_last_error()) > 0);
    cpuset_free(&set);
}

Test(cpuset, parses_ranges_and_single_cpus)
{
    platform_cpuset_t set = PLATFORM_CPUSET_EMPTY;
    cr_assert_eq(cpuset_parse_list("0-3,8,10-11\n", &set), PLATFORM_OK);
    cr_expect_eq(cpuset_count(&set), 7);
    for (uint32_t c = 0; c < 16; c++)
        cr_expect_eq(cpuset_contains(&set, c), c <= 3 || c == 8 || c == 10 || c == 11, "cpu %u", c);
    cr_expect_eq(cpuset_next(&set, 4), 8);
    cr_expect_eq(cpuset_next(&set, 12), -1);
    cpuset_free(&set);
}

Test(cpuset, accepts_space_separated_and_empty_lists)
{
    cr_expect_eq(parse_count("0 1"), 2); /* old cpufreq related_cpus */
    cr_expect_eq(parse_count("0 1 \n"), 2);
    cr_expect_eq(parse_count(""), 0); /* an empty node (memory only) */
    cr_expect_eq(parse_count("\n"), 0);
    cr_expect_eq(parse_count("5-5"), 1);
    cr_expect_eq(parse_count("0-16383"), PLATFORM_MAX_CPUS);
}

Test(cpuset, rejects_malformed_lists)
{
    expect_malformed("3-1");
    expect_malformed("16384");
    expect_malformed("0-99999999999999999999");
    expect_malformed("1,a");
    expect_malformed("0-");
    expect_malformed("-1");
    expect_malformed("0x3");
    expect_malformed("1;2");
}

Test(cpuset, rejects_null_arguments)
{
    platform_cpuset_t set = PLATFORM_CPUSET_EMPTY;
    cr_expect_eq(cpuset_parse_list(NULL, &set), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(cpuset_parse_list("0", NULL), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(cpuset_add(NULL, 0), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(cpuset_add(&set, PLATFORM_MAX_CPUS), PLATFORM_ERR_SOURCE_MALFORMED);
    cr_expect_eq(cpuset_copy(NULL, &set), PLATFORM_ERR_INVALID_ARGUMENT);
}

Test(cpuset, formats_canonical_lists_and_reports_needed_length)
{
    platform_cpuset_t set = PLATFORM_CPUSET_EMPTY;
    cr_assert_eq(cpuset_parse_list("11,10,0-3,8", &set), PLATFORM_OK);
    char buf[64];
    cr_expect_eq(cpuset_format_list(&set, buf, sizeof buf), strlen("0-3,8,10-11"));
    cr_expect_str_eq(buf, "0-3,8,10-11");
    char small[5];
    size_t need = cpuset_format_list(&set, small, sizeof small);
    cr_expect_eq(need, strlen("0-3,8,10-11"));
    cr_expect(strlen(small) < sizeof small);
    platform_cpuset_t empty = PLATFORM_CPUSET_EMPTY;
    cr_expect_eq(cpuset_format_list(&empty, buf, sizeof buf), 0);
    cr_expect_str_eq(buf, "");
    cpuset_free(&set);
}

Test(cpuset, copy_and_equality_ignore_allocation_size)
{
    platform_cpuset_t a = PLATFORM_CPUSET_EMPTY, b = PLATFORM_CPUSET_EMPTY,
                      c = PLATFORM_CPUSET_EMPTY;
    cr_assert_eq(cpuset_parse_list("1,2", &a), PLATFORM_OK);
    cr_assert_eq(cpuset_copy(&b, &a), PLATFORM_OK);
    cr_expect(cpuset_equal(&a, &b));
    cr_assert_eq(cpuset_add(&b, 500), PLATFORM_OK); /* grows b to 8 words */
    cr_expect_not(cpuset_equal(&a, &b));
    cr_assert_eq(cpuset_parse_list("1-2", &c), PLATFORM_OK);
    cr_expect(cpuset_equal(&a, &c));
    cpuset_free(&a);
    cpuset_free(&b);
    cpuset_free(&c);
}
