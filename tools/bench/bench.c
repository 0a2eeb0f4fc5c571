/*
 * Instruction-count benchmark over the C API: feeds fixed AT lines (and
 * datagrams, polls) to lwat N times each and lets callgrind count the
 * instructions of every group separately (CALLGRIND_ZERO_STATS before a group,
 * CALLGRIND_DUMP_STATS_AT after it). Run through tools/bench.sh, which turns
 * the dumps into a table; run alone it just exercises the same calls.
 * Output: one line per group, "<label>\t<profile>\t<calls>\t<result>\t<what>".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/callgrind.h>

#include "lwat.h"

typedef enum { AT, UDP, POLL } kind;

typedef struct {
    uint32_t profile;
    kind kind;
    const char *setup[3]; /* lines run after lwat_init, not counted */
    const char *lines[3]; /* one iteration: these lines in order */
} group;

static const group groups[] = {
    {LWAT_PROFILE_ONEMO, AT, {0}, {"ATI"}},
    {LWAT_PROFILE_ONEMO, AT, {0}, {"AT+CEREG?"}},
    {LWAT_PROFILE_ONEMO, AT, {0}, {"AT+MIPLVER?"}},
    {LWAT_PROFILE_ONEMO, AT, {0}, {"AT+MIPLCREATE", "AT+MIPLDELETE=0"}},
    {LWAT_PROFILE_ONEMO, AT, {"AT+MIPLCREATE"}, {"AT+MIPLADDOBJ=0,3303,1,\"1\",1,0", "AT+MIPLDELOBJ=0,3303"}},
    {LWAT_PROFILE_ONEMO, AT, {"AT+MIPLCREATE"}, {"AT+MIPLOPEN?"}},
    {LWAT_PROFILE_ONEMO, AT, {"AT+MIPLCREATE"}, {"AT+MIPLOPEN=0,x"}},
    {LWAT_PROFILE_BC260Y, AT, {0}, {"AT+MIPLVER?"}},
    {LWAT_PROFILE_QLA, AT, {0}, {"AT+QLASTATUS?"}},
    {LWAT_PROFILE_QLA, AT, {0}, {"AT+QLACFG=\"platform\",1"}},
    {LWAT_PROFILE_QLA, AT, {0}, {"AT+QLACFG=\"platform\""}},
    {LWAT_PROFILE_QLA, UDP, {0}, {"\x44\x02\x12\x34\xAB\xCD\xEF\x01\xB2rd"}},
    {LWAT_PROFILE_QLA, POLL, {0}, {""}},
};

static const char *const profile_names[] = {"onemo", "bc260y", "qla"};

static size_t out_bytes;
static char last[64];
static size_t last_len;

static void on_output(void *user, const uint8_t *text, size_t len) {
    (void)user;
    out_bytes += len;
    /* Keep the tail, to tell OK from an error line. */
    for (size_t i = 0; i < len; i++) {
        if (last_len == sizeof last) {
            memmove(last, last + 1, sizeof last - 1);
            last_len--;
        }
        last[last_len++] = (char)text[i];
    }
}

static int32_t nv_store_len = -1;
static uint8_t nv_store[512];

static int32_t nv_read(void *user, uint16_t key, uint8_t *buf, size_t cap) {
    (void)user;
    (void)key;
    if (nv_store_len < 0 || (size_t)nv_store_len > cap) return -1;
    memcpy(buf, nv_store, (size_t)nv_store_len);
    return nv_store_len;
}

static int32_t nv_write(void *user, uint16_t key, const uint8_t *data, size_t len) {
    (void)user;
    (void)key;
    if (len > sizeof nv_store) return -1;
    memcpy(nv_store, data, len);
    nv_store_len = (int32_t)len;
    return 0;
}

static int32_t udp_send(void *user, int32_t ep, const uint8_t *data, size_t len, uint8_t rai) {
    (void)user, (void)ep, (void)data, (void)rai;
    out_bytes += len;
    return 0;
}

static _Alignas(LWAT_CTX_ALIGN) uint8_t mem[LWAT_CTX_SIZE];

static void send_line(lwat_ctx *ctx, const char *line, int32_t *rc) {
    *rc = lwat_at_command(ctx, 0, (const uint8_t *)line, strlen(line));
}

int main(int argc, char **argv) {
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
    if (n <= 0) n = 1;
    lwat_callbacks cb = {.at_output = on_output, .nv_read = nv_read, .nv_write = nv_write, .udp_send = udp_send};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        const group *grp = &groups[g];
        lwat_config cfg = {.profile = grp->profile, .imei = "861234567890123", .imsi = "460041234567890", .cmee_mode = 1};
        nv_store_len = -1;
        lwat_ctx *ctx = lwat_init(mem, sizeof mem, &cfg, &cb);
        if (ctx == NULL) return 2;
        int32_t rc = 0;
        for (size_t s = 0; s < 3 && grp->setup[s]; s++) send_line(ctx, grp->setup[s], &rc);
        size_t per_iter = 0;
        while (per_iter < 3 && grp->lines[per_iter]) per_iter++;
        out_bytes = 0;
        last_len = 0;
        char label[16];
        snprintf(label, sizeof label, "group%02zu", g);
        CALLGRIND_ZERO_STATS;
        for (long i = 0; i < n; i++) {
            for (size_t l = 0; l < per_iter; l++) {
                const char *line = grp->lines[l];
                if (grp->kind == AT) send_line(ctx, line, &rc);
                else if (grp->kind == UDP) rc = lwat_udp_input(ctx, (uint64_t)i, 0, (const uint8_t *)line, strlen(line));
                else (void)lwat_poll(ctx, (uint64_t)i * 1000);
            }
        }
        CALLGRIND_DUMP_STATS_AT(label);
        const char *result = "-";
        if (grp->kind == AT) {
            if (rc == LWAT_NOT_MINE) result = "not mine";
            else if (last_len >= 4 && memcmp(last + last_len - 4, "OK\r\n", 4) == 0) result = "OK";
            else result = "error";
        }
        printf("%s\t%s\t%ld\t%s\t", label, profile_names[grp->profile], n * (long)per_iter, result);
        for (size_t l = 0; l < per_iter; l++) {
            if (grp->kind == AT) printf("%s%s", l ? " ; " : "", grp->lines[l]);
            else if (grp->kind == UDP) printf("lwat_udp_input(%zu-byte CoAP ACK, no session)", strlen(grp->lines[l]));
            else printf("lwat_poll (idle)");
        }
        printf("\t%zu\n", out_bytes / (size_t)n);
    }
    return 0;
}
