/* The module's UDP sockets: lwat's udp_open/udp_send/udp_close callbacks over
 * real connect()ed sockets, with `--map HOST[:PORT]=IP:PORT` rewrites so a
 * test can point the module's well-known server names at a loopback server. */
#ifndef UDP_ENDPOINTS_H
#define UDP_ENDPOINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UDP_MAX_ENDPOINTS 8
#define UDP_MAX_MAPS 16

struct udp_map {
    char host[256];     /* as lwat names it, no port */
    int port;           /* -1: any port */
    char to_host[256];  /* numeric address or name to resolve instead */
    uint16_t to_port;
};

struct udp_endpoints {
    int fd[UDP_MAX_ENDPOINTS]; /* -1: free; the endpoint id is the index */
    struct udp_map maps[UDP_MAX_MAPS];
    size_t map_count;
    bool verbose;
};

void udp_endpoints_init(struct udp_endpoints *u, bool verbose);
/* Parses `HOST=IP:PORT` or `HOST:PORT=IP:PORT` (IPv6 as [addr]:port). */
bool udp_endpoints_add_map(struct udp_endpoints *u, const char *spec);
int32_t udp_endpoints_open(struct udp_endpoints *u, const char *host, uint16_t port);
int32_t udp_endpoints_send(struct udp_endpoints *u, int32_t ep, const uint8_t *data, size_t len, uint8_t rai);
void udp_endpoints_close(struct udp_endpoints *u, int32_t ep);
void udp_endpoints_close_all(struct udp_endpoints *u);

#endif
