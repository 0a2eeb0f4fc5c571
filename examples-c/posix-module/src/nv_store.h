/* The module's flash: lwat's NV records as files `<dir>/nv-<key>.bin`, each
 * replaced atomically (write a temporary file, fsync, rename) so a kill at
 * any moment leaves either the old or the new record, as a power cut on a
 * real module must. Without a directory the records live in memory for the
 * run only (a module whose flash is erased at every boot). */
#ifndef NV_STORE_H
#define NV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NV_MAX_RECORDS 32
#define NV_MAX_RECORD_BYTES 8192

struct nv_record {
    bool used;
    uint16_t key;
    size_t len;
    uint8_t data[NV_MAX_RECORD_BYTES];
};

struct nv_store {
    const char *dir; /* NULL: in memory */
    bool verbose;
    struct nv_record mem[NV_MAX_RECORDS];
};

void nv_store_init(struct nv_store *s, const char *dir, bool verbose);
int32_t nv_store_read(struct nv_store *s, uint16_t key, uint8_t *buf, size_t cap);
int32_t nv_store_write(struct nv_store *s, uint16_t key, const uint8_t *data, size_t len);

#endif
