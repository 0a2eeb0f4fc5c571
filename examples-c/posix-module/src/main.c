/* lwat-module: a cellular module on a desktop. AT lines on stdin, responses
 * and URCs on stdout exactly as a module's UART sends them, real UDP to the
 * LwM2M server, NV records as files. Built only from include/lwat.h and the
 * lwat staticlib; it is what the network tests and the demo drive.
 *
 * One poll(2) loop: stdin, the engine's sockets, and lwat_poll's deadline. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "line_framer.h"
#include "module.h"
#include "resume.h"

#define DEFAULT_LINGER_MS 5000
#define DATAGRAM_MAX 2048

static struct module mod;
/* lwat_init wants LWAT_CTX_SIZE bytes, 8-byte aligned, owned by us. */
static _Alignas(8) unsigned char lwat_memory[LWAT_CTX_SIZE];

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void module_output(const void *text, size_t len)
{
    fwrite(text, 1, len, stdout);
    fflush(stdout);
}

void module_output_str(const char *text)
{
    module_output(text, strlen(text));
}

/* ---- lwat callbacks ---------------------------------------------------- */

static void cb_at_output(void *user, const uint8_t *text, uintptr_t len)
{
    (void)user;
    module_output(text, len);
}

static int32_t cb_udp_open(void *user, const char *host, uint16_t port)
{
    return udp_endpoints_open(&((struct module *)user)->udp, host, port);
}

static int32_t cb_udp_send(void *user, int32_t endpoint, const uint8_t *data, uintptr_t len, uint8_t rai)
{
    return udp_endpoints_send(&((struct module *)user)->udp, endpoint, data, len, rai);
}

static void cb_udp_close(void *user, int32_t endpoint)
{
    udp_endpoints_close(&((struct module *)user)->udp, endpoint);
}

static int32_t cb_nv_read(void *user, uint16_t key, uint8_t *buf, uintptr_t cap)
{
    return nv_store_read(&((struct module *)user)->nv, key, buf, cap);
}

static int32_t cb_nv_write(void *user, uint16_t key, const uint8_t *data, uintptr_t len)
{
    return nv_store_write(&((struct module *)user)->nv, key, data, len);
}

static uint32_t cb_random(void *user)
{
    struct module *m = user;
    uint32_t value = 0;
    if (m->urandom_fd < 0 || read(m->urandom_fd, &value, sizeof value) != (ssize_t)sizeof value) {
        fprintf(stderr, "lwat-module: /dev/urandom read failed\n");
        exit(2);
    }
    return value;
}

/* ---- AT lines ---------------------------------------------------------- */

static void on_line(void *user, const char *line, size_t len, bool overlong)
{
    struct module *m = user;
    if (m->echo) {
        /* V.250 echo: the characters as received; a module echoes the CR. */
        module_output(line, len);
        module_output_str("\r");
    }
    if (overlong) {
        module_output_str("\r\nERROR\r\n");
        return;
    }
    if (basic_at_handle(m, line))
        return;
    int32_t rc = lwat_at_command(m->lwat, now_ms(), (const uint8_t *)line, len);
    if (rc != LWAT_OK)
        module_output_str("\r\nERROR\r\n");
}

/* ---- options ----------------------------------------------------------- */

static void usage(FILE *to)
{
    fputs("usage: lwat-module --profile onemo|bc260y|qla [--imei N] [--imsi N] [--nv DIR]\n"
          "                   [--map HOST[:PORT]=IP:PORT]... [--revision TEXT] [--cmee 0|1|2]\n"
          "                   [--linger-ms MS] [--slept-ms MS] [--verbose]\n"
          "AT lines on stdin (CR, LF or CR LF), module output on stdout.\n",
          to);
}

static bool parse_u64(const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-')
        return false;
    *out = v;
    return true;
}

static bool all_digits(const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (text[i] < '0' || text[i] > '9')
            return false;
    return true;
}

struct options {
    const char *profile;
    const char *nv_dir;
    uint64_t linger_ms;
    uint64_t cmee;
    bool resume;       /* --slept-ms given: a wake-up from deep sleep */
    uint64_t slept_ms;
};

static int parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_LINGER = 256, OPT_REVISION, OPT_CMEE, OPT_SLEPT };
    static const struct option longopts[] = {
        {"profile", required_argument, NULL, 'p'}, {"imei", required_argument, NULL, 'e'},
        {"imsi", required_argument, NULL, 's'},    {"nv", required_argument, NULL, 'n'},
        {"map", required_argument, NULL, 'm'},     {"linger-ms", required_argument, NULL, OPT_LINGER},
        {"revision", required_argument, NULL, OPT_REVISION},
        {"cmee", required_argument, NULL, OPT_CMEE},
        {"slept-ms", required_argument, NULL, OPT_SLEPT},
        {"verbose", no_argument, NULL, 'v'},       {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "p:e:s:n:m:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': o->profile = optarg; break;
        case 'e': mod.imei = optarg; break;
        case 's': mod.imsi = optarg; break;
        case 'n': o->nv_dir = optarg; break;
        case 'v': mod.verbose = true; break;
        case OPT_REVISION: mod.revision = optarg; break;
        case 'm':
            if (!udp_endpoints_add_map(&mod.udp, optarg)) {
                fprintf(stderr, "lwat-module: bad --map %s (want HOST[:PORT]=IP:PORT)\n", optarg);
                return 2;
            }
            break;
        case OPT_LINGER:
            if (!parse_u64(optarg, &o->linger_ms)) {
                fprintf(stderr, "lwat-module: bad --linger-ms %s\n", optarg);
                return 2;
            }
            break;
        case OPT_CMEE:
            if (!parse_u64(optarg, &o->cmee) || o->cmee > 2) {
                fprintf(stderr, "lwat-module: bad --cmee %s\n", optarg);
                return 2;
            }
            break;
        case OPT_SLEPT:
            if (!parse_u64(optarg, &o->slept_ms)) {
                fprintf(stderr, "lwat-module: bad --slept-ms %s\n", optarg);
                return 2;
            }
            o->resume = true;
            break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || o->profile == NULL) {
        usage(stderr);
        return 2;
    }
    mod.identity = module_identity_find(o->profile);
    if (mod.identity == NULL) {
        fprintf(stderr, "lwat-module: unknown profile %s\n", o->profile);
        return 2;
    }
    if (!all_digits(mod.imei, 15) || !all_digits(mod.imsi, 15)) {
        fprintf(stderr, "lwat-module: --imei and --imsi are 1 to 15 digits\n");
        return 2;
    }
    if (mod.revision == NULL)
        mod.revision = mod.identity->revision;
    return 0;
}

/* ---- the event loop ---------------------------------------------------- */

static void receive_datagrams(int32_t endpoint, int fd)
{
    uint8_t buf[DATAGRAM_MAX];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0) {
            /* EAGAIN: drained. ECONNREFUSED: an ICMP for an earlier send,
             * which on a radio link is just a lost datagram. */
            if (errno == EINTR || errno == ECONNREFUSED)
                continue;
            return;
        }
        if (mod.verbose)
            fprintf(stderr, "lwat-module: udp_input endpoint %d, %zd bytes\n", (int)endpoint, n);
        lwat_udp_input(mod.lwat, now_ms(), endpoint, buf, (size_t)n);
        /* The engine may have closed (or reopened) the endpoint meanwhile. */
        if (mod.udp.fd[endpoint] != fd)
            return;
    }
}

static int clamp_timeout(uint64_t ms)
{
    if (ms == UINT64_MAX)
        return -1;
    return ms > (uint64_t)INT_MAX ? INT_MAX : (int)ms;
}

static int run(uint64_t linger_ms)
{
    struct line_framer framer;
    line_framer_init(&framer);
    bool input_open = true;
    uint64_t linger_deadline = 0;

    for (;;) {
        uint64_t now = now_ms();
        uint64_t wait = lwat_poll(mod.lwat, now);
        if (!input_open) {
            if (wait == UINT64_MAX || now >= linger_deadline)
                return 0;
            if (wait > linger_deadline - now)
                wait = linger_deadline - now;
        }

        struct pollfd fds[1 + UDP_MAX_ENDPOINTS];
        int32_t endpoint_of[1 + UDP_MAX_ENDPOINTS];
        nfds_t count = 0;
        if (input_open) {
            fds[count] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
            endpoint_of[count++] = -1;
        }
        for (int32_t i = 0; i < UDP_MAX_ENDPOINTS; i++) {
            if (mod.udp.fd[i] >= 0) {
                fds[count] = (struct pollfd){.fd = mod.udp.fd[i], .events = POLLIN};
                endpoint_of[count++] = i;
            }
        }
        int ready = poll(fds, count, clamp_timeout(wait));
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            perror("lwat-module: poll");
            return 1;
        }
        for (nfds_t i = 0; i < count && ready > 0; i++) {
            if (fds[i].revents == 0)
                continue;
            if (endpoint_of[i] < 0) {
                char buf[4096];
                ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
                if (n > 0) {
                    line_framer_feed(&framer, buf, (size_t)n, on_line, &mod);
                } else if (n == 0 || errno != EINTR) {
                    line_framer_finish(&framer, on_line, &mod);
                    input_open = false;
                    linger_deadline = now_ms() + linger_ms;
                }
            } else if (mod.udp.fd[endpoint_of[i]] == fds[i].fd) {
                receive_datagrams(endpoint_of[i], fds[i].fd);
            }
        }
    }
}

int main(int argc, char **argv)
{
    struct options opts = {.linger_ms = DEFAULT_LINGER_MS, .cmee = 1};
    mod.imei = "000000000000000";
    mod.imsi = "000000000000000";
    udp_endpoints_init(&mod.udp, false);
    int rc = parse_options(argc, argv, &opts);
    if (rc != 0)
        return rc;
    mod.udp.verbose = mod.verbose;
    mod.cmee = (uint8_t)opts.cmee;
    if (opts.nv_dir != NULL && mkdir(opts.nv_dir, 0755) != 0 && errno != EEXIST) {
        perror("lwat-module: --nv");
        return 2;
    }
    nv_store_init(&mod.nv, opts.nv_dir, mod.verbose);
    mod.urandom_fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

    struct lwat_config cfg = {
        .profile = mod.identity->lwat_profile,
        .imei = mod.imei,
        .imsi = mod.imsi,
        .firmware_version = mod.revision,
        .cmee_mode = mod.cmee,
    };
    struct lwat_callbacks cb = {
        .user = &mod,
        .at_output = cb_at_output,
        .udp_open = cb_udp_open,
        .udp_send = cb_udp_send,
        .udp_close = cb_udp_close,
        .nv_read = cb_nv_read,
        .nv_write = cb_nv_write,
        .random = cb_random,
    };
    mod.lwat = lwat_init(lwat_memory, sizeof lwat_memory, &cfg, &cb);
    if (mod.lwat == NULL) {
        fprintf(stderr, "lwat-module: lwat_init failed\n");
        return 1;
    }
    if (opts.resume) {
        /* Woken from deep sleep: lwat restores its session from NV. */
        if (!module_can_resume()) {
            fprintf(stderr, "lwat-module: --slept-ms: this lwat has no lwat_resume (see src/resume.h)\n");
            return 2;
        }
        int32_t resumed = module_resume(mod.lwat, now_ms(), opts.slept_ms);
        if (mod.verbose || resumed < 0)
            fprintf(stderr, "lwat-module: lwat_resume(slept %llu ms) = %d\n",
                    (unsigned long long)opts.slept_ms, (int)resumed);
    }
    rc = run(opts.linger_ms);
    udp_endpoints_close_all(&mod.udp);
    return rc;
}
