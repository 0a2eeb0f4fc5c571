/* Stubs around the README's ten-line C example, which `make readme-snippet`
 * extracts from README.md and compiles and runs: the example must stay true. */
#include <stdint.h>
#include <stddef.h>
#include "lwat.h"
static int uart;
static void uart_write(void *u, const uint8_t *s, size_t n) { (void)u; (void)s; (void)n; }
static int32_t net_open(void *u, const char *h, uint16_t p) { (void)u; (void)h; (void)p; return 0; }
static int32_t net_send(void *u, int32_t e, const uint8_t *d, size_t n, uint8_t r) { (void)u; (void)e; (void)d; (void)n; (void)r; return 0; }
static void net_close(void *u, int32_t e) { (void)u; (void)e; }
static int32_t flash_read(void *u, uint16_t k, uint8_t *b, size_t c) { (void)u; (void)k; (void)b; (void)c; return -1; }
static int32_t flash_write(void *u, uint16_t k, const uint8_t *b, size_t c) { (void)u; (void)k; (void)b; (void)c; return 0; }
static uint64_t now_ms(void) { return 0; }
static void vendor_dispatch(const uint8_t *l, size_t n) { (void)l; (void)n; }
static const char *imei = "861234567890123", *imsi = "460041234567890";
int main(void) {
    const uint8_t *line = (const uint8_t *)"ATI"; size_t len = 3; int32_t endpoint = 0;
    const uint8_t *datagram = line; size_t n = 3;
