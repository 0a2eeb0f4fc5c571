#define _POSIX_C_SOURCE 200809L
#include "nv_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void nv_store_init(struct nv_store *s, const char *dir, bool verbose)
{
    memset(s, 0, sizeof *s);
    s->dir = dir;
    s->verbose = verbose;
}

static struct nv_record *mem_find(struct nv_store *s, uint16_t key, bool create)
{
    struct nv_record *free_slot = NULL;
    for (size_t i = 0; i < NV_MAX_RECORDS; i++) {
        if (s->mem[i].used && s->mem[i].key == key)
            return &s->mem[i];
        if (!s->mem[i].used && free_slot == NULL)
            free_slot = &s->mem[i];
    }
    if (create && free_slot != NULL) {
        free_slot->used = true;
        free_slot->key = key;
        free_slot->len = 0;
        return free_slot;
    }
    return NULL;
}

static void record_path(const struct nv_store *s, uint16_t key, const char *suffix, char *out, size_t cap)
{
    snprintf(out, cap, "%s/nv-%u.bin%s", s->dir, (unsigned)key, suffix);
}

static bool write_all(int fd, const uint8_t *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

int32_t nv_store_read(struct nv_store *s, uint16_t key, uint8_t *buf, size_t cap)
{
    if (s->dir == NULL) {
        struct nv_record *r = mem_find(s, key, false);
        if (r == NULL || r->len > cap)
            return -1;
        memcpy(buf, r->data, r->len);
        return (int32_t)r->len;
    }
    char path[4096];
    record_path(s, key, "", path, sizeof path);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t got = 0;
    for (;;) {
        if (got == cap) {
            /* A record larger than the engine's buffer is not one it wrote. */
            uint8_t extra;
            ssize_t more = read(fd, &extra, 1);
            close(fd);
            return more == 0 ? (int32_t)got : -1;
        }
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (s->verbose)
        fprintf(stderr, "lwat-module: nv_read %u: %zu bytes\n", (unsigned)key, got);
    return (int32_t)got;
}

int32_t nv_store_write(struct nv_store *s, uint16_t key, const uint8_t *data, size_t len)
{
    if (s->verbose)
        fprintf(stderr, "lwat-module: nv_write %u: %zu bytes\n", (unsigned)key, len);
    if (s->dir == NULL) {
        struct nv_record *r = mem_find(s, key, true);
        if (r == NULL || len > NV_MAX_RECORD_BYTES)
            return -1;
        memcpy(r->data, data, len);
        r->len = len;
        return 0;
    }
    char tmp[4096], path[4096];
    record_path(s, key, ".tmp", tmp, sizeof tmp);
    record_path(s, key, "", path, sizeof path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    bool ok = write_all(fd, data, len) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}
