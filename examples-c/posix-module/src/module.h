/* State of the desktop "module": the lwat engine plus what a module's own
 * firmware keeps around it (echo flag, CMEE mode, identity, sockets, flash). */
#ifndef MODULE_H
#define MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwat.h"
#include "nv_store.h"
#include "udp_endpoints.h"

/* What ATI prints and what lwat reports as firmware version, per profile. */
struct module_identity {
    const char *profile_name;
    uint32_t lwat_profile;
    const char *manufacturer;
    const char *model;
    const char *revision;
};

struct module {
    const struct module_identity *identity;
    const char *imei;
    const char *imsi;
    const char *revision; /* identity->revision unless --revision */
    bool echo;
    uint8_t cmee;
    bool verbose;
    struct lwat_ctx *lwat;
    struct udp_endpoints udp;
    struct nv_store nv;
    int urandom_fd;
};

/* Writes module output (responses, URCs, echo) to stdout and flushes it. */
void module_output(const void *text, size_t len);
void module_output_str(const char *text);

/* The profile table; NULL when `name` is unknown. */
const struct module_identity *module_identity_find(const char *name);

/* Answers the commands a module's own firmware answers (AT, ATE, ATI,
 * AT+CGSN, AT+CIMI, AT+CMEE). Returns false when `line` is none of them. */
bool basic_at_handle(struct module *m, const char *line);

#endif
