#define _POSIX_C_SOURCE 200809L
#include "module.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ATI texts. bc260y is seed 003's ATI example byte for byte; the manuals
 * show no ATI for the others, so these follow the same three-line layout
 * with the vendor's names (a decision, documented in the README). */
static const struct module_identity identities[] = {
    {"onemo", LWAT_PROFILE_ONEMO, "CMCC", "ML307R-DC", "ML307R-DC_V1.0.0"},
    {"bc260y", LWAT_PROFILE_BC260Y, "Quectel_Ltd", "Quectel_BC260Y-CN", "BC260YCNAAR01A03"},
    {"qla", LWAT_PROFILE_QLA, "Quectel_Ltd", "Quectel_BC26", "BC26NBR01A10"},
};

const struct module_identity *module_identity_find(const char *name)
{
    for (size_t i = 0; i < sizeof identities / sizeof identities[0]; i++)
        if (strcmp(identities[i].profile_name, name) == 0)
            return &identities[i];
    return NULL;
}

static void ok(void)
{
    module_output_str("\r\nOK\r\n");
}

/* One information line `\r\n<text>\r\n`. */
static void info_line(const char *prefix, const char *text)
{
    module_output_str("\r\n");
    module_output_str(prefix);
    module_output_str(text);
    module_output_str("\r\n");
}

/* A bad parameter to one of our own commands: 3GPP TS 27.007 §9.2 error 50
 * "Incorrect parameters", or plain ERROR under AT+CMEE=0. */
static void bad_parameter(const struct module *m)
{
    module_output_str(m->cmee == 0 ? "\r\nERROR\r\n" : "\r\n+CME ERROR: 50\r\n");
}

/* V.250: command names are case-insensitive. */
static bool is(const char *line, const char *name)
{
    return strcasecmp(line, name) == 0;
}

static bool starts(const char *line, const char *prefix)
{
    return strncasecmp(line, prefix, strlen(prefix)) == 0;
}

static void cmee_set(struct module *m, const char *value)
{
    if (value[0] < '0' || value[0] > '2' || value[1] != '\0') {
        bad_parameter(m);
        return;
    }
    uint8_t mode = (uint8_t)(value[0] - '0');
    if (lwat_set_cmee(m->lwat, mode) != LWAT_OK) {
        bad_parameter(m);
        return;
    }
    m->cmee = mode;
    ok();
}

bool basic_at_handle(struct module *m, const char *line)
{
    char text[32];
    if (is(line, "AT")) {
        ok();
    } else if (is(line, "ATE0") || is(line, "ATE")) {
        m->echo = false;
        ok();
    } else if (is(line, "ATE1")) {
        m->echo = true;
        ok();
    } else if (is(line, "ATI")) {
        /* seed 003: "Quectel_Ltd / Quectel_BC260Y-CN / Revision: ..." then OK. */
        module_output_str("\r\n");
        module_output_str(m->identity->manufacturer);
        module_output_str("\r\n");
        module_output_str(m->identity->model);
        module_output_str("\r\nRevision: ");
        module_output_str(m->revision);
        module_output_str("\r\n");
        ok();
    } else if (is(line, "AT+CGSN") || is(line, "AT+CGSN=0")) {
        /* 27.007 §5.4: the bare form prints the serial number without a
         * prefix; these modules' serial number is the IMEI. */
        info_line("", m->imei);
        ok();
    } else if (is(line, "AT+CGSN=1")) {
        info_line("+CGSN: ", m->imei);
        ok();
    } else if (is(line, "AT+CGSN=?")) {
        info_line("+CGSN: ", "(0,1)");
        ok();
    } else if (starts(line, "AT+CGSN")) {
        bad_parameter(m);
    } else if (is(line, "AT+CIMI")) {
        info_line("", m->imsi);
        ok();
    } else if (is(line, "AT+CIMI=?")) {
        ok();
    } else if (is(line, "AT+CMEE?")) {
        snprintf(text, sizeof text, "%u", (unsigned)m->cmee);
        info_line("+CMEE: ", text);
        ok();
    } else if (is(line, "AT+CMEE=?")) {
        info_line("+CMEE: ", "(0-2)");
        ok();
    } else if (starts(line, "AT+CMEE=")) {
        cmee_set(m, line + strlen("AT+CMEE="));
    } else if (starts(line, "AT+CMEE")) {
        bad_parameter(m);
    } else {
        return false;
    }
    return true;
}
