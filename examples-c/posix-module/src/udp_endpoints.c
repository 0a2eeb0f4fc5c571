#define _POSIX_C_SOURCE 200809L
#include "udp_endpoints.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

void udp_endpoints_init(struct udp_endpoints *u, bool verbose)
{
    memset(u, 0, sizeof *u);
    for (size_t i = 0; i < UDP_MAX_ENDPOINTS; i++)
        u->fd[i] = -1;
    u->verbose = verbose;
}

/* Splits "host:port" / "[v6]:port" into its parts; port_out -1 when absent
 * and `port_required` is false. */
static bool split_host_port(const char *text, size_t text_len, char *host, size_t host_cap, int *port_out,
                            bool port_required)
{
    const char *end = text + text_len;
    const char *host_begin = text;
    const char *host_end;
    const char *colon;
    if (text_len > 0 && text[0] == '[') {
        const char *close = memchr(text, ']', text_len);
        if (close == NULL)
            return false;
        host_begin = text + 1;
        host_end = close;
        colon = (close + 1 < end && close[1] == ':') ? close + 1 : NULL;
        if (colon == NULL && close + 1 != end)
            return false;
    } else {
        colon = NULL;
        for (const char *p = text; p < end; p++)
            if (*p == ':')
                colon = p;
        host_end = colon != NULL ? colon : end;
    }
    size_t host_len = (size_t)(host_end - host_begin);
    if (host_len == 0 || host_len >= host_cap)
        return false;
    memcpy(host, host_begin, host_len);
    host[host_len] = '\0';
    if (colon == NULL) {
        *port_out = -1;
        return !port_required;
    }
    long port = 0;
    const char *p = colon + 1;
    if (p == end)
        return false;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return false;
        port = port * 10 + (*p - '0');
        if (port > 65535)
            return false;
    }
    *port_out = (int)port;
    return true;
}

bool udp_endpoints_add_map(struct udp_endpoints *u, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (eq == NULL || u->map_count >= UDP_MAX_MAPS)
        return false;
    struct udp_map *m = &u->maps[u->map_count];
    int to_port;
    if (!split_host_port(spec, (size_t)(eq - spec), m->host, sizeof m->host, &m->port, false))
        return false;
    if (!split_host_port(eq + 1, strlen(eq + 1), m->to_host, sizeof m->to_host, &to_port, true))
        return false;
    m->to_port = (uint16_t)to_port;
    u->map_count++;
    return true;
}

/* The first map naming this host with this port, else one naming the host alone. */
static const struct udp_map *find_map(const struct udp_endpoints *u, const char *host, uint16_t port)
{
    const struct udp_map *any_port = NULL;
    for (size_t i = 0; i < u->map_count; i++) {
        const struct udp_map *m = &u->maps[i];
        if (strcasecmp(m->host, host) != 0)
            continue;
        if (m->port == (int)port)
            return m;
        if (m->port < 0 && any_port == NULL)
            any_port = m;
    }
    return any_port;
}

int32_t udp_endpoints_open(struct udp_endpoints *u, const char *host, uint16_t port)
{
    size_t slot = 0;
    while (slot < UDP_MAX_ENDPOINTS && u->fd[slot] >= 0)
        slot++;
    if (slot == UDP_MAX_ENDPOINTS)
        return -1;

    const struct udp_map *m = find_map(u, host, port);
    const char *target = m != NULL ? m->to_host : host;
    uint16_t target_port = m != NULL ? m->to_port : port;
    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)target_port);

    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    struct addrinfo *list = NULL;
    int rc = getaddrinfo(target, service, &hints, &list);
    if (rc != 0) {
        if (u->verbose)
            fprintf(stderr, "lwat-module: udp_open %s:%u: %s\n", target, (unsigned)target_port, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *ai = list; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(list);
    if (fd < 0)
        return -1;
    u->fd[slot] = fd;
    if (u->verbose)
        fprintf(stderr, "lwat-module: udp_open %s:%u -> %s:%u endpoint %zu\n", host, (unsigned)port, target,
                (unsigned)target_port, slot);
    return (int32_t)slot;
}

static bool valid(const struct udp_endpoints *u, int32_t ep)
{
    return ep >= 0 && ep < UDP_MAX_ENDPOINTS && u->fd[ep] >= 0;
}

int32_t udp_endpoints_send(struct udp_endpoints *u, int32_t ep, const uint8_t *data, size_t len, uint8_t rai)
{
    if (!valid(u, ep))
        return -1;
    ssize_t n = send(u->fd[ep], data, len, 0);
    if (u->verbose)
        fprintf(stderr, "lwat-module: udp_send endpoint %d, %zu bytes, rai %u%s\n", (int)ep, len, (unsigned)rai,
                n < 0 ? " (failed)" : "");
    /* A refused datagram (ICMP from an earlier send) is a lost datagram, as
     * on a radio link; only a local failure is an error. */
    if (n < 0 && errno != ECONNREFUSED)
        return -1;
    return 0;
}

void udp_endpoints_close(struct udp_endpoints *u, int32_t ep)
{
    if (!valid(u, ep))
        return;
    close(u->fd[ep]);
    u->fd[ep] = -1;
    if (u->verbose)
        fprintf(stderr, "lwat-module: udp_close endpoint %d\n", (int)ep);
}

void udp_endpoints_close_all(struct udp_endpoints *u)
{
    for (int32_t i = 0; i < UDP_MAX_ENDPOINTS; i++)
        udp_endpoints_close(u, i);
}
