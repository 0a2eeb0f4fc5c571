/*
 * The C API contract, independent of any command set: argument checks,
 * NULL callbacks, foreign lines, idle poll, garbage datagrams, CMEE mode.
 * Passes on every branch; run under valgrind by `make test`.
 */
#include "harness.h"

#include <stdlib.h>

/* The header's promises about its constants, checked by the compiler. */
_Static_assert(LWAT_OK == 0, "LWAT_OK is 0");
_Static_assert(LWAT_NOT_MINE > 0, "LWAT_NOT_MINE is positive");
_Static_assert(LWAT_ERR_NULL < 0 && LWAT_ERR_ARG < 0, "API misuse is negative");
_Static_assert(LWAT_CTX_SIZE <= 6 * 1024, "engine state budget: 6 KiB");
_Static_assert(LWAT_CTX_SIZE % LWAT_CTX_ALIGN == 0, "size is a multiple of the alignment");
_Static_assert(LWAT_PROFILE_ONEMO != LWAT_PROFILE_BC260Y && LWAT_PROFILE_BC260Y != LWAT_PROFILE_QLA &&
                   LWAT_PROFILE_ONEMO != LWAT_PROFILE_QLA,
               "profiles are distinct");
_Static_assert(sizeof(((lwat_config *)0)->cmee_mode) == 1, "cmee_mode is a uint8_t");
_Static_assert(offsetof(lwat_callbacks, user) == 0, "user comes first");

static const uint32_t profiles[] = {LWAT_PROFILE_ONEMO, LWAT_PROFILE_BC260Y, LWAT_PROFILE_QLA};
#define N_PROFILES (sizeof profiles / sizeof profiles[0])

static void ctx_size_fits_the_header(void) {
    CHECK(lwat_ctx_size() > 0);
    CHECK(lwat_ctx_size() <= LWAT_CTX_SIZE);
}

static void version_is_a_plain_string(void) {
    const char *v = lwat_version();
    CHECK(v != NULL);
    if (v != NULL) {
        CHECK(strlen(v) >= 5); /* "0.1.0" */
        CHECK(strchr(v, '.') != NULL);
    }
}

static void init_refuses_null_pointers(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_config cfg = h_config(LWAT_PROFILE_ONEMO, 1);
    lwat_callbacks cb = h_callbacks(&h);
    CHECK(lwat_init(NULL, LWAT_CTX_SIZE, &cfg, &cb) == NULL);
    CHECK(lwat_init(h_mem, LWAT_CTX_SIZE, NULL, &cb) == NULL);
    CHECK(lwat_init(h_mem, LWAT_CTX_SIZE, &cfg, NULL) == NULL);
    CHECK(lwat_init(NULL, 0, NULL, NULL) == NULL);
    CHECK_EQ_INT(h.out_calls, 0);
}

static void init_refuses_small_memory(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_config cfg = h_config(LWAT_PROFILE_QLA, 1);
    lwat_callbacks cb = h_callbacks(&h);
    CHECK(lwat_init(h_mem, 0, &cfg, &cb) == NULL);
    CHECK(lwat_init(h_mem, 1, &cfg, &cb) == NULL);
    CHECK(lwat_init(h_mem, lwat_ctx_size() - 1, &cfg, &cb) == NULL);
    CHECK(lwat_init(h_mem, LWAT_CTX_SIZE, &cfg, &cb) == (lwat_ctx *)(void *)h_mem);
}

static void init_refuses_misaligned_memory(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_config cfg = h_config(LWAT_PROFILE_ONEMO, 1);
    lwat_callbacks cb = h_callbacks(&h);
    for (size_t off = 1; off < LWAT_CTX_ALIGN; off++) {
        CHECK(lwat_init(h_mem + off, LWAT_CTX_SIZE, &cfg, &cb) == NULL);
    }
}

static void init_refuses_unknown_profile(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_callbacks cb = h_callbacks(&h);
    const uint32_t bad[] = {3, 4, 255, 0x80000000u, UINT32_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lwat_config cfg = h_config(bad[i], 1);
        CHECK(lwat_init(h_mem, LWAT_CTX_SIZE, &cfg, &cb) == NULL);
    }
}

static void init_refuses_cmee_above_2(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_callbacks cb = h_callbacks(&h);
    for (size_t p = 0; p < N_PROFILES; p++) {
        for (unsigned mode = 0; mode <= 255; mode++) {
            lwat_config cfg = h_config(profiles[p], (uint8_t)mode);
            lwat_ctx *ctx = lwat_init(h_mem, LWAT_CTX_SIZE, &cfg, &cb);
            if (mode <= 2) CHECK(ctx != NULL);
            else CHECK(ctx == NULL);
        }
    }
}

static void init_accepts_every_profile_and_zeroed_config(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_callbacks cb = h_callbacks(&h);
    for (size_t p = 0; p < N_PROFILES; p++) {
        lwat_config cfg = h_config(profiles[p], 1);
        CHECK(lwat_init(h_mem, LWAT_CTX_SIZE, &cfg, &cb) == (lwat_ctx *)(void *)h_mem);
    }
    lwat_config zero;
    memset(&zero, 0, sizeof zero); /* profile 0, NULL strings: every default */
    CHECK(lwat_init(h_mem, LWAT_CTX_SIZE, &zero, &cb) != NULL);
    lwat_config empty = {.profile = LWAT_PROFILE_QLA, .imei = "", .imsi = "", .firmware_version = ""};
    CHECK(lwat_init(h_mem, LWAT_CTX_SIZE, &empty, &cb) != NULL);
    CHECK_EQ_INT(h.out_calls, 0);
    CHECK_EQ_INT(h_bad_user, 0);
}

static void init_copies_config_and_callbacks(void) {
    /* cfg, cb and the strings live on a stack frame that is gone afterwards. */
    h_host h;
    h_reset(&h, NULL);
    lwat_ctx *ctx;
    {
        char imei[16] = "861234567890123";
        lwat_config cfg = h_config(LWAT_PROFILE_ONEMO, 1);
        cfg.imei = imei;
        lwat_callbacks cb = h_callbacks(&h);
        ctx = lwat_init(h_mem, LWAT_CTX_SIZE, &cfg, &cb);
        memset(imei, 'x', sizeof imei - 1);
        memset(&cfg, 0xff, sizeof cfg);
        memset(&cb, 0, sizeof cb);
    }
    CHECK(ctx != NULL);
    CHECK_EQ_INT(h_at(ctx, &h, "ATI"), LWAT_NOT_MINE);
    CHECK(lwat_poll(ctx, 0) == UINT64_MAX);
}

static void init_twice_on_same_memory(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_ctx *a = h_start(&h, LWAT_PROFILE_ONEMO, 1);
    CHECK(a != NULL);
    CHECK_EQ_INT(h_at(a, &h, "AT+CGSN"), LWAT_NOT_MINE);
    lwat_ctx *b = h_start(&h, LWAT_PROFILE_QLA, 1);
    CHECK(b == a);
    CHECK_EQ_INT(h_at(b, &h, "AT+CGSN"), LWAT_NOT_MINE);
    CHECK(lwat_poll(b, 1000) == UINT64_MAX);
    CHECK_EQ_INT(h.out_len, 0);
}

static void init_in_heap_memory(void) {
    /* valgrind watches the bounds of a malloc'd block exactly. */
    size_t size = (lwat_ctx_size() + LWAT_CTX_ALIGN - 1) / LWAT_CTX_ALIGN * LWAT_CTX_ALIGN;
    void *mem = aligned_alloc(LWAT_CTX_ALIGN, size);
    CHECK(mem != NULL);
    h_host h;
    h_reset(&h, NULL);
    lwat_config cfg = h_config(LWAT_PROFILE_QLA, 2);
    lwat_callbacks cb = h_callbacks(&h);
    lwat_ctx *ctx = lwat_init(mem, size, &cfg, &cb);
    CHECK(ctx == mem);
    int32_t rc = h_at(ctx, &h, "AT+QLASTATUS?");
    CHECK(rc == LWAT_OK || rc == LWAT_NOT_MINE);
    CHECK_EQ_INT(h_at(ctx, &h, "ATE0"), LWAT_NOT_MINE);
    CHECK(lwat_poll(ctx, 5) == UINT64_MAX);
    free(mem);
}

static void api_refuses_null_ctx_and_buffers(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_ctx *ctx = h_start(&h, LWAT_PROFILE_ONEMO, 1);
    const uint8_t line[] = "AT+MIPLCREATE";
    CHECK(lwat_at_command(NULL, 0, line, sizeof line - 1) < 0);
    CHECK(lwat_at_command(ctx, 0, NULL, 5) < 0);
    CHECK(lwat_at_command(ctx, 0, NULL, 0) < 0);
    CHECK(lwat_at_command(NULL, 0, NULL, 0) < 0);
    CHECK(lwat_udp_input(NULL, 0, 0, line, 4) < 0);
    CHECK(lwat_udp_input(ctx, 0, 0, NULL, 4) < 0);
    CHECK(lwat_udp_input(ctx, 0, 0, NULL, 0) < 0);
    CHECK(lwat_poll(NULL, 0) == UINT64_MAX);
    CHECK_EQ_INT(lwat_set_cmee(NULL, 1), LWAT_ERR_NULL);
    CHECK_EQ_INT(h.out_calls, 0);
    CHECK_EQ_INT(h.sends, 0);
}

static void null_callbacks_never_crash(void) {
    /* Every callback NULL and every config string NULL: lwat must run blind. */
    lwat_callbacks none;
    memset(&none, 0, sizeof none);
    lwat_config cfg;
    memset(&cfg, 0, sizeof cfg);
    static const char *const lines[] = {
        "ATI", "AT+CGSN", "AT+MIPLCREATE", "AT+MIPLOPEN?", "AT+MIPLVER?", "AT+MIPLOPEN=0,3600,30",
        "AT+QLASTATUS?", "AT+QLACFG=\"platform\",1", "AT+QLACFG=\"platform\"", "AT+QLAREG",
        "AT+MIPLCREATE=", "AT+QLACFG=\"", "AT", "",
    };
    static const uint8_t coap_con_get[] = {0x42, 0x01, 0x12, 0x34, 0xAB, 0xCD, 0xB1, '3', 0x01, '0'};
    for (size_t p = 0; p < N_PROFILES; p++) {
        cfg.profile = profiles[p];
        lwat_ctx *ctx = lwat_init(h_mem, LWAT_CTX_SIZE, &cfg, &none);
        CHECK(ctx != NULL);
        if (ctx == NULL) continue;
        for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
            int32_t rc = lwat_at_command(ctx, 1000 * i, (const uint8_t *)lines[i], strlen(lines[i]));
            CHECK(rc == LWAT_OK || rc == LWAT_NOT_MINE);
        }
        CHECK_EQ_INT(lwat_udp_input(ctx, 1, 0, coap_con_get, sizeof coap_con_get), LWAT_OK);
        (void)lwat_poll(ctx, 100000);
        CHECK_EQ_INT(lwat_set_cmee(ctx, 0), LWAT_OK);
        int32_t rc = lwat_at_command(ctx, 0, (const uint8_t *)"AT+MIPLOPEN?", 12);
        CHECK(rc == LWAT_OK || rc == LWAT_NOT_MINE);
    }
}

static void foreign_lines_are_not_mine_and_silent(void) {
    static const char *const foreign[] = {
        "ATI", "AT+CGSN", "at+cgsn", "AT+CSQ", "AT+CEREG?", "AT+CMEE=1", "ATE0", "AT+CGMR", "AT",
        "", "AT+", "AT+MIP", "AT+QLA", "AT+NCONFIG=AUTOCONNECT,TRUE", "AT+QICFG=\"dataformat\",0,0",
        "+++", "A/",
    };
    for (size_t p = 0; p < N_PROFILES; p++) {
        h_host h;
        h_reset(&h, NULL);
        lwat_ctx *ctx = h_start(&h, profiles[p], 1);
        for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
            int32_t rc = h_at(ctx, &h, foreign[i]);
            if (rc != LWAT_NOT_MINE || h.out_len != 0) {
                fprintf(stdout, "  profile %u line \"%s\": rc %d, %zu bytes written\n",
                        (unsigned)profiles[p], foreign[i], (int)rc, h.out_len);
            }
            CHECK_EQ_INT(rc, LWAT_NOT_MINE);
            CHECK_EQ_INT(h.out_len, 0);
        }
    }
}

static void other_family_is_not_mine(void) {
    /* A MIPL profile does not answer QLA commands and vice versa. */
    static const char *const qla_lines[] = {"AT+QLASTATUS?", "AT+QLACFG=\"platform\",1", "AT+QLAREG"};
    static const char *const mipl_lines[] = {"AT+MIPLCREATE", "AT+MIPLOPEN?", "AT+MIPLVER?"};
    for (size_t p = 0; p < N_PROFILES; p++) {
        h_host h;
        h_reset(&h, NULL);
        lwat_ctx *ctx = h_start(&h, profiles[p], 1);
        const char *const *lines = profiles[p] == LWAT_PROFILE_QLA ? mipl_lines : qla_lines;
        for (size_t i = 0; i < 3; i++) {
            CHECK_EQ_INT(h_at(ctx, &h, lines[i]), LWAT_NOT_MINE);
            CHECK_EQ_INT(h.out_len, 0);
        }
    }
}

static void hostile_lines_do_not_crash(void) {
    /* Long, binary and unterminated input: any answer, no crash, no overrun. */
    static char big[20000];
    for (size_t p = 0; p < N_PROFILES; p++) {
        h_host h;
        h_reset(&h, NULL);
        lwat_ctx *ctx = h_start(&h, profiles[p], 1);
        const char *prefix = profiles[p] == LWAT_PROFILE_QLA ? "AT+QLACFG=\"" : "AT+MIPLCREATE=";
        size_t n = strlen(prefix);
        memcpy(big, prefix, n);
        memset(big + n, '7', sizeof big - n);
        int32_t rc = lwat_at_command(ctx, 0, (const uint8_t *)big, sizeof big);
        CHECK(rc == LWAT_OK || rc == LWAT_NOT_MINE);
        memset(big + n, '"', sizeof big - n);
        rc = lwat_at_command(ctx, 0, (const uint8_t *)big, sizeof big);
        CHECK(rc == LWAT_OK || rc == LWAT_NOT_MINE);
        for (size_t i = 0; i < 256; i++) big[n + i] = (char)i;
        rc = lwat_at_command(ctx, 0, (const uint8_t *)big, n + 256);
        CHECK(rc == LWAT_OK || rc == LWAT_NOT_MINE);
        /* `len` is authoritative: a NUL inside the line is just a byte. */
        rc = lwat_at_command(ctx, 0, (const uint8_t *)"AT+CGSN\0AT+MIPLCREATE", 21);
        CHECK(rc == LWAT_OK || rc == LWAT_NOT_MINE);
        CHECK(h.out_len <= H_OUT_MAX);
    }
}

static void poll_idle_is_never(void) {
    for (size_t p = 0; p < N_PROFILES; p++) {
        h_host h;
        h_reset(&h, NULL);
        lwat_ctx *ctx = h_start(&h, profiles[p], 1);
        CHECK(lwat_poll(ctx, 0) == UINT64_MAX);
        CHECK(lwat_poll(ctx, 123456) == UINT64_MAX);
        CHECK(lwat_poll(ctx, UINT64_MAX - 1) == UINT64_MAX);
        CHECK(lwat_poll(ctx, 0) == UINT64_MAX); /* time going backwards is harmless */
        CHECK_EQ_INT(h.out_len, 0);
        CHECK_EQ_INT(h.sends, 0);
    }
}

static void udp_garbage_without_session_is_dropped_silently(void) {
    static uint8_t noise[4096];
    uint32_t x = 0x2545F491u;
    for (size_t i = 0; i < sizeof noise; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise[i] = (uint8_t)x;
    }
    static const uint8_t bad_version[] = {0x00, 0x01, 0x00, 0x01};         /* CoAP version 0 */
    /* NON, so that no CoAP rule asks for a Reset in reply. */
    static const uint8_t tkl_too_long[] = {0x5F, 0x01, 0x00, 0x01, 0x00};  /* TKL 15 */
    static const uint8_t truncated_token[] = {0x58, 0x01, 0x00, 0x01, 1, 2}; /* 8-byte token, 2 given */
    static const uint8_t bad_option[] = {0x50, 0x01, 0x00, 0x01, 0xF1, 0x00}; /* option delta 15 */
    static const uint8_t reset_unknown[] = {0x70, 0x00, 0xBE, 0xEF};          /* RST for nothing */
    static const uint8_t ack_unknown[] = {0x60, 0x44, 0xBE, 0xEF};            /* ACK 2.04 for nothing */
    const struct {
        const uint8_t *p;
        size_t n;
    } cases[] = {
        {noise, 0}, {noise, 1}, {noise, 3}, {noise, 64}, {noise, sizeof noise},
        {bad_version, sizeof bad_version}, {tkl_too_long, sizeof tkl_too_long},
        {truncated_token, sizeof truncated_token}, {bad_option, sizeof bad_option},
        {reset_unknown, sizeof reset_unknown}, {ack_unknown, sizeof ack_unknown},
    };
    const int32_t endpoints[] = {-1, 0, 1, 7, INT32_MAX};
    for (size_t p = 0; p < N_PROFILES; p++) {
        h_host h;
        h_reset(&h, NULL);
        lwat_ctx *ctx = h_start(&h, profiles[p], 1);
        for (size_t e = 0; e < sizeof endpoints / sizeof endpoints[0]; e++) {
            for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
                CHECK_EQ_INT(lwat_udp_input(ctx, 10, endpoints[e], cases[c].p, cases[c].n), LWAT_OK);
            }
        }
        CHECK_EQ_INT(h.out_len, 0);
        CHECK_EQ_INT(h.sends, 0);
        CHECK(lwat_poll(ctx, 20) == UINT64_MAX);
    }
}

static void set_cmee_checks_its_mode(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_ctx *ctx = h_start(&h, LWAT_PROFILE_BC260Y, 1);
    CHECK_EQ_INT(lwat_set_cmee(ctx, 0), LWAT_OK);
    CHECK_EQ_INT(lwat_set_cmee(ctx, 1), LWAT_OK);
    CHECK_EQ_INT(lwat_set_cmee(ctx, 2), LWAT_OK);
    CHECK_EQ_INT(lwat_set_cmee(ctx, 3), LWAT_ERR_ARG);
    CHECK_EQ_INT(lwat_set_cmee(ctx, 255), LWAT_ERR_ARG);
    CHECK_EQ_INT(lwat_set_cmee(NULL, 0), LWAT_ERR_NULL);
    CHECK_EQ_INT(h.out_calls, 0);
}

static void callbacks_always_get_user_back(void) {
    /* Runs last: whatever any test above made lwat call, it passed `user`. */
    CHECK_EQ_INT(h_bad_user, 0);
}

int main(void) {
    printf("lwat C API contract (lwat %s, ctx %zu of %d bytes)\n", lwat_version(), lwat_ctx_size(),
           LWAT_CTX_SIZE);
    RUN(ctx_size_fits_the_header);
    RUN(version_is_a_plain_string);
    RUN(init_refuses_null_pointers);
    RUN(init_refuses_small_memory);
    RUN(init_refuses_misaligned_memory);
    RUN(init_refuses_unknown_profile);
    RUN(init_refuses_cmee_above_2);
    RUN(init_accepts_every_profile_and_zeroed_config);
    RUN(init_copies_config_and_callbacks);
    RUN(init_twice_on_same_memory);
    RUN(init_in_heap_memory);
    RUN(api_refuses_null_ctx_and_buffers);
    RUN(null_callbacks_never_crash);
    RUN(foreign_lines_are_not_mine_and_silent);
    RUN(other_family_is_not_mine);
    RUN(hostile_lines_do_not_crash);
    RUN(poll_idle_is_never);
    RUN(udp_garbage_without_session_is_dropped_silently);
    RUN(set_cmee_checks_its_mode);
    RUN(callbacks_always_get_user_back);
    return h_finish();
}
