/* Unit tests of lwat-module's host services that lwat cannot exercise yet:
 * --map parsing and rewriting over real loopback sockets, and the NV files
 * (atomic replace, bounds). `make check` builds and runs them. */
#define _DEFAULT_SOURCE /* struct timeval, mkdtemp */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nv_store.h"
#include "udp_endpoints.h"

static int failures;
#define CHECK(cond)                                                                                                \
    do {                                                                                                           \
        if (!(cond)) {                                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                               \
            failures++;                                                                                            \
        }                                                                                                          \
    } while (0)

/* A loopback UDP "server" on an ephemeral port. */
static int server_socket(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(fd, (struct sockaddr *)&a, sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    struct timeval tv = {.tv_sec = 2};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static void test_map_parsing(void)
{
    struct udp_endpoints u;
    udp_endpoints_init(&u, false);
    CHECK(udp_endpoints_add_map(&u, "nbiotbt.heclouds.com:5683=127.0.0.1:40123"));
    CHECK(strcmp(u.maps[0].host, "nbiotbt.heclouds.com") == 0 && u.maps[0].port == 5683);
    CHECK(strcmp(u.maps[0].to_host, "127.0.0.1") == 0 && u.maps[0].to_port == 40123);
    CHECK(udp_endpoints_add_map(&u, "h=[::1]:7"));
    CHECK(u.maps[1].port == -1 && strcmp(u.maps[1].to_host, "::1") == 0 && u.maps[1].to_port == 7);
    CHECK(!udp_endpoints_add_map(&u, "h"));
    CHECK(!udp_endpoints_add_map(&u, "h=1.2.3.4"));
    CHECK(!udp_endpoints_add_map(&u, "h=1.2.3.4:"));
    CHECK(!udp_endpoints_add_map(&u, "h=1.2.3.4:65536"));
    CHECK(!udp_endpoints_add_map(&u, "=1.2.3.4:1"));
    CHECK(!udp_endpoints_add_map(&u, "h:x=1.2.3.4:1"));
    CHECK(u.map_count == 2);
}

static void test_mapped_open_send_receive(void)
{
    uint16_t exact_port, any_port;
    int exact = server_socket(&exact_port);
    int any = server_socket(&any_port);
    char spec[128];
    struct udp_endpoints u;
    udp_endpoints_init(&u, false);
    snprintf(spec, sizeof spec, "server.example=127.0.0.1:%u", (unsigned)any_port);
    CHECK(udp_endpoints_add_map(&u, spec));
    snprintf(spec, sizeof spec, "SERVER.example:5683=127.0.0.1:%u", (unsigned)exact_port);
    CHECK(udp_endpoints_add_map(&u, spec));

    /* Exact host:port beats host-only (and names compare case-insensitively). */
    int32_t ep = udp_endpoints_open(&u, "server.example", 5683);
    CHECK(ep == 0);
    CHECK(udp_endpoints_send(&u, ep, (const uint8_t *)"hello", 5, 0) == 0);
    char buf[64];
    struct sockaddr_in from;
    socklen_t from_len = sizeof from;
    ssize_t n = recvfrom(exact, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len);
    CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
    /* The server answers to the sender's address; the connected socket gets it. */
    sendto(exact, "world", 5, 0, (struct sockaddr *)&from, from_len);
    struct timeval tv = {.tv_sec = 2};
    setsockopt(u.fd[ep], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    n = recv(u.fd[ep], buf, sizeof buf, 0);
    CHECK(n == 5 && memcmp(buf, "world", 5) == 0);

    /* Any other port of the host goes to the host-only map. */
    int32_t ep2 = udp_endpoints_open(&u, "server.example", 5684);
    CHECK(ep2 == 1);
    CHECK(udp_endpoints_send(&u, ep2, (const uint8_t *)"x", 1, 2) == 0);
    n = recv(any, buf, sizeof buf, 0);
    CHECK(n == 1 && buf[0] == 'x');

    /* Close frees the slot for reuse; a closed or bogus endpoint fails. */
    udp_endpoints_close(&u, ep);
    CHECK(udp_endpoints_send(&u, ep, (const uint8_t *)"x", 1, 0) == -1);
    CHECK(udp_endpoints_send(&u, 99, (const uint8_t *)"x", 1, 0) == -1);
    CHECK(udp_endpoints_send(&u, -1, (const uint8_t *)"x", 1, 0) == -1);
    CHECK(udp_endpoints_open(&u, "127.0.0.1", any_port) == 0);
    udp_endpoints_close_all(&u);
    CHECK(u.fd[0] == -1 && u.fd[1] == -1);
    close(exact);
    close(any);
}

static void test_nv_files(void)
{
    char dir[] = "/tmp/lwat-nv-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct nv_store s;
    nv_store_init(&s, dir, false);
    uint8_t buf[16];
    CHECK(nv_store_read(&s, 7, buf, sizeof buf) == -1);
    CHECK(nv_store_write(&s, 7, (const uint8_t *)"first", 5) == 0);
    CHECK(nv_store_write(&s, 7, (const uint8_t *)"second", 6) == 0);
    CHECK(nv_store_read(&s, 7, buf, sizeof buf) == 6 && memcmp(buf, "second", 6) == 0);
    CHECK(nv_store_read(&s, 7, buf, 5) == -1); /* larger than the caller's buffer */
    CHECK(nv_store_read(&s, 7, buf, 6) == 6);
    CHECK(nv_store_write(&s, 8, (const uint8_t *)"", 0) == 0);
    CHECK(nv_store_read(&s, 8, buf, sizeof buf) == 0);

    char path[256];
    struct stat st;
    snprintf(path, sizeof path, "%s/nv-7.bin", dir);
    CHECK(stat(path, &st) == 0 && st.st_size == 6);
    snprintf(path, sizeof path, "%s/nv-7.bin.tmp", dir);
    CHECK(stat(path, &st) != 0); /* renamed away */

    /* A second store on the same directory (a restart) sees the records. */
    struct nv_store again;
    nv_store_init(&again, dir, false);
    CHECK(nv_store_read(&again, 7, buf, sizeof buf) == 6);

    snprintf(path, sizeof path, "%s/nv-7.bin", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/nv-8.bin", dir);
    unlink(path);
    rmdir(dir);

    /* Unwritable directory: the write fails, nothing is claimed. */
    struct nv_store bad;
    nv_store_init(&bad, "/nonexistent/lwat", false);
    CHECK(nv_store_write(&bad, 1, (const uint8_t *)"x", 1) == -1);
}

static void test_nv_memory(void)
{
    static struct nv_store s; /* large: not on the stack */
    nv_store_init(&s, NULL, false);
    uint8_t buf[8];
    CHECK(nv_store_read(&s, 1, buf, sizeof buf) == -1);
    CHECK(nv_store_write(&s, 1, (const uint8_t *)"abc", 3) == 0);
    CHECK(nv_store_write(&s, 1, (const uint8_t *)"abcd", 4) == 0);
    CHECK(nv_store_read(&s, 1, buf, sizeof buf) == 4 && memcmp(buf, "abcd", 4) == 0);
    CHECK(nv_store_read(&s, 1, buf, 3) == -1);
}

int main(void)
{
    test_map_parsing();
    test_mapped_open_send_receive();
    test_nv_files();
    test_nv_memory();
    if (failures == 0)
        printf("4 passed, 0 failed\n");
    else
        printf("%d checks failed\n", failures);
    return failures == 0 ? 0 : 1;
}
