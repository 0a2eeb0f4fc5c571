/*
 * A tiny test harness for the C side of lwat: a recording host (AT output,
 * datagrams, an NV store in a C array) and CHECK macros that count.
 * Each test program prints one "N passed, N failed" line and exits non-zero
 * on any failure. Only include/lwat.h and the standard library are used.
 */
#ifndef LWAT_HARNESS_H
#define LWAT_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lwat.h"

/* ---- counting checks ---------------------------------------------------- */

static int h_passed, h_failed;
static const char *h_test = "?";
static int h_test_failed;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stdout, "  FAIL %s (%s:%d): %s\n", h_test, __FILE__, __LINE__, #cond); \
            h_test_failed = 1;                                                         \
        }                                                                              \
    } while (0)

#define CHECK_EQ_INT(got, want)                                                        \
    do {                                                                               \
        long long g_ = (long long)(got), w_ = (long long)(want);                       \
        if (g_ != w_) {                                                                \
            fprintf(stdout, "  FAIL %s (%s:%d): %s == %lld, want %lld\n", h_test,     \
                    __FILE__, __LINE__, #got, g_, w_);                                 \
            h_test_failed = 1;                                                         \
        }                                                                              \
    } while (0)

/* Prints a byte string with CR/LF/quotes escaped, for failure messages. */
static inline void h_print_escaped(const char *s, size_t n) {
    fputc('"', stdout);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r') fputs("\\r", stdout);
        else if (c == '\n') fputs("\\n", stdout);
        else if (c == '"') fputs("\\\"", stdout);
        else if (c < 32 || c > 126) fprintf(stdout, "\\x%02x", c);
        else fputc(c, stdout);
    }
    fputc('"', stdout);
}

#define CHECK_TEXT(got, got_len, want)                                                 \
    do {                                                                               \
        const char *w_ = (want);                                                       \
        size_t wl_ = strlen(w_);                                                       \
        if ((got_len) != wl_ || memcmp((got), w_, wl_) != 0) {                         \
            fprintf(stdout, "  FAIL %s (%s:%d):\n    got  ", h_test, __FILE__, __LINE__); \
            h_print_escaped((const char *)(got), (got_len));                           \
            fprintf(stdout, "\n    want ");                                            \
            h_print_escaped(w_, wl_);                                                  \
            fputc('\n', stdout);                                                       \
            h_test_failed = 1;                                                         \
        }                                                                              \
    } while (0)

typedef void (*h_test_fn)(void);

static inline void h_run(const char *name, h_test_fn fn) {
    h_test = name;
    h_test_failed = 0;
    fn();
    if (h_test_failed) {
        h_failed++;
        printf("FAIL %s\n", name);
    } else {
        h_passed++;
        printf("ok   %s\n", name);
    }
}

#define RUN(fn) h_run(#fn, fn)

static inline int h_finish(void) {
    printf("%d passed, %d failed\n", h_passed, h_failed);
    fflush(stdout);
    return h_failed == 0 ? 0 : 1;
}

/* ---- a recording host --------------------------------------------------- */

#define H_OUT_MAX 8192
#define H_NV_KEYS 16
#define H_NV_RECORD_MAX 1024

typedef struct {
    bool used;
    uint16_t key;
    size_t len;
    uint8_t data[H_NV_RECORD_MAX];
} h_nv_record;

/* Survives lwat_init: the NV store is the "flash" of the simulated module. */
typedef struct {
    h_nv_record rec[H_NV_KEYS];
    int reads, writes;
} h_nv_store;

#define H_MAGIC 0x4C574154u /* "LWAT" */

typedef struct {
    uint32_t magic; /* H_MAGIC: proves callbacks get our `user` back */
    char out[H_OUT_MAX];
    size_t out_len;
    int out_calls;
    int sends, opens, closes, randoms;
    h_nv_store *nv; /* NULL: nv callbacks report failure */
} h_host;

/* Callbacks that got a `user` pointer other than a live h_host. */
static int h_bad_user;
static h_host h_dummy;

static inline h_host *h_self(void *user) {
    h_host *h = (h_host *)user;
    if (h == NULL || h->magic != H_MAGIC) {
        h_bad_user++;
        return &h_dummy;
    }
    return h;
}

static inline void h_reset(h_host *h, h_nv_store *nv) {
    memset(h, 0, sizeof *h);
    h->magic = H_MAGIC;
    h->nv = nv;
}

static inline void h_at_output(void *user, const uint8_t *text, size_t len) {
    h_host *h = h_self(user);
    h->out_calls++;
    if (len > H_OUT_MAX - 1 - h->out_len) len = H_OUT_MAX - 1 - h->out_len;
    memcpy(h->out + h->out_len, text, len);
    h->out_len += len;
    h->out[h->out_len] = '\0'; /* so tests may strstr() */
}

static inline int32_t h_udp_open(void *user, const char *host, uint16_t port) {
    (void)host;
    (void)port;
    h_self(user)->opens++;
    return 0;
}

static inline int32_t h_udp_send(void *user, int32_t endpoint, const uint8_t *data, size_t len,
                          uint8_t rai) {
    (void)endpoint;
    (void)data;
    (void)len;
    (void)rai;
    h_self(user)->sends++;
    return 0;
}

static inline void h_udp_close(void *user, int32_t endpoint) {
    (void)endpoint;
    h_self(user)->closes++;
}

static inline int32_t h_nv_read(void *user, uint16_t key, uint8_t *buf, size_t cap) {
    h_nv_store *s = h_self(user)->nv;
    if (s == NULL) return -1;
    s->reads++;
    for (int i = 0; i < H_NV_KEYS; i++) {
        if (s->rec[i].used && s->rec[i].key == key) {
            if (s->rec[i].len > cap) return -1;
            memcpy(buf, s->rec[i].data, s->rec[i].len);
            return (int32_t)s->rec[i].len;
        }
    }
    return -1;
}

static inline int32_t h_nv_write(void *user, uint16_t key, const uint8_t *data, size_t len) {
    h_nv_store *s = h_self(user)->nv;
    if (s == NULL || len > H_NV_RECORD_MAX) return -1;
    s->writes++;
    int slot = -1;
    for (int i = 0; i < H_NV_KEYS; i++) {
        if (s->rec[i].used && s->rec[i].key == key) { slot = i; break; }
        if (!s->rec[i].used && slot < 0) slot = i;
    }
    if (slot < 0) return -1;
    s->rec[slot].used = true;
    s->rec[slot].key = key;
    s->rec[slot].len = len;
    memcpy(s->rec[slot].data, data, len);
    return 0;
}

static inline uint32_t h_random(void *user) {
    h_self(user)->randoms++;
    return 0x12345678u;
}

/* Callbacks that all point at `h`. */
static inline lwat_callbacks h_callbacks(h_host *h) {
    lwat_callbacks cb = {
        .user = h,
        .at_output = h_at_output,
        .udp_open = h_udp_open,
        .udp_send = h_udp_send,
        .udp_close = h_udp_close,
        .nv_read = h_nv_read,
        .nv_write = h_nv_write,
        .random = h_random,
    };
    return cb;
}

static inline lwat_config h_config(uint32_t profile, uint8_t cmee_mode) {
    lwat_config cfg = {
        .profile = profile,
        .imei = "861234567890123",
        .imsi = "460041234567890",
        .firmware_version = "harness-1",
        .cmee_mode = cmee_mode,
    };
    return cfg;
}

/* Engine storage, aligned as the header asks. The +8 lets tests misalign it. */
static _Alignas(LWAT_CTX_ALIGN) uint8_t h_mem[LWAT_CTX_SIZE + 8];

static inline lwat_ctx *h_start(h_host *h, uint32_t profile, uint8_t cmee_mode) {
    lwat_config cfg = h_config(profile, cmee_mode);
    lwat_callbacks cb = h_callbacks(h);
    return lwat_init(h_mem, LWAT_CTX_SIZE, &cfg, &cb);
}

/* Sends one line; clears the output first so tests compare one response. */
static inline int32_t h_at(lwat_ctx *ctx, h_host *h, const char *line) {
    h->out_len = 0;
    h->out[0] = '\0';
    return lwat_at_command(ctx, 0, (const uint8_t *)line, strlen(line));
}

#endif /* LWAT_HARNESS_H */
