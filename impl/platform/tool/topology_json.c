/*
 * topology_json.c — JSON writer for the topology table (format in the header).
 */
#include "topology_json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "platform_topology_views.h"

static void put_string(FILE* out, const char* s)
{
    fputc('"', out);
    for (const unsigned char* p = (const unsigned char*)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void put_cpuset(FILE* out, const platform_cpuset_t* set)
{
    size_t need = cpuset_format_list(set, NULL, 0);
    char stack[256];
    char* buf = need < sizeof stack ? stack : malloc(need + 1);
    if (!buf) { /* cannot happen for realistic sets; still write valid JSON */
        put_string(out, "");
        return;
    }
    cpuset_format_list(set, buf, need + 1);
    put_string(out, buf);
    if (buf != stack)
        free(buf);
}

static const char* bool_text(bool b)
{
    return b ? "true" : "false";
}

static const char* cache_type_name(platform_cache_type_t type)
{
    return type == PLATFORM_CACHE_DATA          ? "data"
           : type == PLATFORM_CACHE_INSTRUCTION ? "instruction"
                                                : "unified";
}

static const char* hybrid_name(platform_hybrid_t h)
{
    return h == PLATFORM_HYBRID_CORE ? "core" : h == PLATFORM_HYBRID_ATOM ? "atom" : "none";
}

static void write_views(const platform_topology_t* t, FILE* out)
{
    apple_silicon_info_t a;
    cache_hierarchy_info_t c;
    numa_topology_info_t n;
    platform_view_apple_silicon(t, &a);
    platform_view_cache_hierarchy(t, &c);
    platform_view_numa(t, &n);
    fprintf(out,
            "  \"apple_silicon_info\": {\"generation\": %" PRIu32 ", \"p_core_count\": %" PRIu32
            ", \"e_core_count\": %" PRIu32 ", \"gpu_core_count\": %" PRIu32
            ", \"l1_cache_size\": %" PRIu64 ", \"l2_cache_size\": %" PRIu64
            ", \"l3_cache_size\": %" PRIu64 ", \"has_amx\": %s, \"has_lse\": %s},\n",
            a.generation, a.p_core_count, a.e_core_count, a.gpu_core_count, a.l1_cache_size,
            a.l2_cache_size, a.l3_cache_size, bool_text(a.has_amx), bool_text(a.has_lse));
    fprintf(out,
            "  \"cache_hierarchy_info\": {\"l1_cache_size\": %" PRIu32
            ", \"l1_cache_line_size\": %" PRIu32 ", \"l1_associativity\": %" PRIu32
            ", \"l2_cache_size\": %" PRIu32 ", \"l2_cache_line_size\": %" PRIu32
            ", \"l2_associativity\": %" PRIu32 ", \"l3_cache_size\": %" PRIu32
            ", \"has_prefetcher\": %s},\n",
            c.l1_cache_size, c.l1_cache_line_size, c.l1_associativity, c.l2_cache_size,
            c.l2_cache_line_size, c.l2_associativity, c.l3_cache_size, bool_text(c.has_prefetcher));
    fprintf(out,
            "  \"numa_topology_info\": {\"p_core_count\": %" PRIu32 ", \"e_core_count\": %" PRIu32
            ", \"total_cores\": %" PRIu32 ", \"numa_domains\": %" PRIu32
            ", \"has_heterogeneous_cores\": %s},\n",
            n.p_core_count, n.e_core_count, n.total_cores, n.numa_domains,
            bool_text(n.has_heterogeneous_cores));
}

static void write_kinds(const platform_topology_t* t, FILE* out)
{
    fputs("  \"kinds\": [", out);
    for (uint32_t i = 0; i < t->n_kinds; i++) {
        const platform_kind_t* k = &t->kinds[i];
        fprintf(out,
                "%s\n    {\"rank\": %" PRIu32 ", \"core_type\": \"%s\", \"name\": ", i ? "," : "",
                i, platform_kind_is_efficiency(t, (int32_t)i) ? "E" : "P");
        put_string(out, k->name);
        fprintf(out, ", \"count\": %" PRIu32 ", \"cpus\": ", k->count);
        put_cpuset(out, &k->cpus);
        char midr[16] = "";
        if (k->midr)
            snprintf(midr, sizeof midr, "0x%08" PRIx32, k->midr);
        fprintf(out,
                ", \"capacity\": %" PRIu32 ", \"max_freq_khz\": %" PRIu32
                ", \"midr\": \"%s\", \"hybrid\": \"%s\"",
                k->capacity, k->max_freq_khz, midr, hybrid_name(k->hybrid));
        fprintf(out,
                ", \"l1i_size\": %" PRIu64 ", \"l1d_size\": %" PRIu64 ", \"l2_size\": %" PRIu64
                ", \"l3_size\": %" PRIu64 ", \"cpus_per_l2\": %" PRIu32 "}",
                k->l1i_size, k->l1d_size, k->l2_size, k->l3_size, k->cpus_per_l2);
    }
    fputs("\n  ],\n", out);
}

static bool same_group(const platform_cache_t* a, const platform_cache_t* b)
{
    return a->level == b->level && a->type == b->type && a->size == b->size &&
           a->line_size == b->line_size && a->ways == b->ways &&
           cpuset_count(&a->cpus) == cpuset_count(&b->cpus);
}

static void write_caches(const platform_topology_t* t, FILE* out)
{
    fputs("  \"caches\": [", out);
    bool first = true;
    for (uint32_t i = 0; i < t->n_caches; i++) {
        const platform_cache_t* c = &t->caches[i];
        bool seen = false;
        for (uint32_t j = 0; j < i && !seen; j++)
            seen = same_group(&t->caches[j], c);
        if (seen)
            continue;
        uint32_t instances = 0;
        for (uint32_t j = i; j < t->n_caches; j++)
            instances += same_group(&t->caches[j], c);
        fprintf(out,
                "%s\n    {\"level\": %" PRIu32 ", \"type\": \"%s\", \"size\": %" PRIu64
                ", \"line_size\": %" PRIu32 ", \"ways\": %" PRIu32 ", \"shared_by\": %" PRIu32
                ", \"instances\": %" PRIu32 "}",
                first ? "" : ",", c->level, cache_type_name(c->type), c->size, c->line_size,
                c->ways, cpuset_count(&c->cpus), instances);
        first = false;
    }
    fputs(first ? "],\n" : "\n  ],\n", out);
}

static void write_nodes_and_cpus(const platform_topology_t* t, FILE* out)
{
    fputs("  \"nodes\": [", out);
    for (uint32_t i = 0; i < t->n_nodes; i++) {
        fprintf(out, "%s\n    {\"id\": %" PRIu32 ", \"cpus\": ", i ? "," : "",
                t->nodes[i].os_index);
        put_cpuset(out, &t->nodes[i].cpus);
        fputc('}', out);
    }
    fputs("\n  ],\n  \"cpus\": [", out);
    for (uint32_t i = 0; i < t->n_cpus; i++) {
        const platform_cpu_t* c = &t->cpus[i];
        fprintf(out,
                "%s\n    {\"cpu\": %" PRIu32 ", \"online\": %s, \"package\": %" PRId32
                ", \"cluster\": %" PRId32 ", \"node\": %" PRId32 ", \"kind\": %" PRId32 "}",
                i ? "," : "", c->os_index, bool_text(c->online), c->package, c->cluster, c->node,
                c->kind);
    }
    fputs("\n  ]\n", out);
}

platform_status_t platform_topology_write_json(const platform_topology_t* t, FILE* out)
{
    if (!t || !out)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT,
                             "platform_topology_write_json: NULL argument");
    fputs("{\n  \"schema\": \"" PLATFORM_TOPOLOGY_JSON_SCHEMA "\",\n  \"source\": ", out);
    put_string(out, t->source);
    fprintf(out, ",\n  \"source_kind\": \"%s\",\n  \"vendor\": ",
            platform_source_kind_name(t->source_kind));
    put_string(out, t->vendor);
    fputs(",\n  \"brand\": ", out);
    put_string(out, t->brand);
    fprintf(out,
            ",\n  \"apple_generation\": %" PRIu32 ",\n  \"apple_variant\": ", t->apple_generation);
    put_string(out, t->apple_variant);
    fprintf(
        out,
        ",\n  \"has_lse\": %s,\n  \"has_amx\": %s,\n  \"has_sme\": %s,\n  \"has_prefetcher\": %s,\n"
        "  \"cache_line_size\": %" PRIu32 ",\n  \"cpus_total\": %" PRIu32
        ",\n  \"cpus_online\": %" PRIu32 ",\n  \"packages\": %" PRIu32 ",\n  \"clusters\": %" PRIu32
        ",\n",
        bool_text(t->has_lse), bool_text(t->has_amx), bool_text(t->has_sme),
        bool_text(t->has_prefetcher), t->cache_line_size, t->n_cpus, t->n_online, t->n_packages,
        t->n_clusters);
    write_views(t, out);
    write_kinds(t, out);
    write_caches(t, out);
    write_nodes_and_cpus(t, out);
    fputs("}\n", out);
    if (fflush(out) != 0 || ferror(out))
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "writing the topology JSON failed: %s",
                             strerror(errno));
    return PLATFORM_OK;
}

platform_status_t platform_topology_to_json(const platform_topology_t* t, char** text)
{
    if (!t || !text)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT,
                             "platform_topology_to_json: NULL argument");
    *text = NULL;
    size_t size = 0;
    FILE* mem = open_memstream(text, &size);
    if (!mem)
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "open_memstream failed");
    platform_status_t st = platform_topology_write_json(t, mem);
    fclose(mem);
    if (st != PLATFORM_OK) {
        free(*text);
        *text = NULL;
    }
    return st;
}
