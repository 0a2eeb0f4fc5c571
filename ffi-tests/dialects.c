/*
 * Real commands through the C API, byte-exact as the vendor manuals print
 * them. These need the MIPL and QLA dialects (src/dialect/mipl, .../qla):
 * on a branch without them every test here FAILS, which is expected; after
 * the dialect branches are merged they must all pass, and .ci/run runs them
 * through `make test-dialects`.
 */
#include "harness.h"

/* seed 001 §3.1, example: "AT+MIPLCREATE" -> "+MIPLCREATE: 0" "OK". */
static void onemo_miplcreate_answers_ref_0(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_ctx *ctx = h_start(&h, LWAT_PROFILE_ONEMO, 1);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+MIPLCREATE"), LWAT_OK);
    CHECK_TEXT(h.out, h.out_len, "\r\n+MIPLCREATE: 0\r\n\r\nOK\r\n");
    CHECK_EQ_INT(h_bad_user, 0);
}

/* seed 001 §3.6 + §6: the open state of a device that never registered is
 * error 602 (not registered). */
static void onemo_miplopen_query_before_registration_is_602(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_ctx *ctx = h_start(&h, LWAT_PROFILE_ONEMO, 1);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+MIPLCREATE"), LWAT_OK);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+MIPLOPEN?"), LWAT_OK);
    CHECK_TEXT(h.out, h.out_len, "\r\n+CIS ERROR: 602\r\n");
}

/* lwat_set_cmee(0) turns the numbered error into a bare ERROR, and back. */
static void onemo_set_cmee_changes_error_lines(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_ctx *ctx = h_start(&h, LWAT_PROFILE_ONEMO, 1);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+MIPLCREATE"), LWAT_OK);
    CHECK_EQ_INT(lwat_set_cmee(ctx, 0), LWAT_OK);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+MIPLOPEN?"), LWAT_OK);
    CHECK_TEXT(h.out, h.out_len, "\r\nERROR\r\n");
    CHECK_EQ_INT(lwat_set_cmee(ctx, 3), LWAT_ERR_ARG); /* refused: mode stays 0 */
    CHECK_EQ_INT(h_at(ctx, &h, "AT+MIPLOPEN?"), LWAT_OK);
    CHECK_TEXT(h.out, h.out_len, "\r\nERROR\r\n");
    CHECK_EQ_INT(lwat_set_cmee(ctx, 2), LWAT_OK);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+MIPLOPEN?"), LWAT_OK);
    CHECK_TEXT(h.out, h.out_len, "\r\n+CIS ERROR: 602\r\n");
}

/* A NULL at_output drops the text; the command is still handled. */
static void onemo_null_at_output_still_handles_commands(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_config cfg = h_config(LWAT_PROFILE_ONEMO, 1);
    lwat_callbacks cb = h_callbacks(&h);
    cb.at_output = NULL;
    lwat_ctx *ctx = lwat_init(h_mem, LWAT_CTX_SIZE, &cfg, &cb);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+MIPLCREATE"), LWAT_OK);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+MIPLOPEN?"), LWAT_OK);
    CHECK_EQ_INT(h.out_calls, 0);
}

/* seed 004 §3.16: "+QLASTATUS: <status>", 0 = not registered. */
static void qla_status_before_registration_is_0(void) {
    h_host h;
    h_reset(&h, NULL);
    lwat_ctx *ctx = h_start(&h, LWAT_PROFILE_QLA, 1);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+QLASTATUS?"), LWAT_OK);
    CHECK_TEXT(h.out, h.out_len, "\r\n+QLASTATUS: 0\r\n\r\nOK\r\n");
}

/* seed 004 §3.2: QLACFG settings "take effect at once and are saved across
 * power-off": written through nv_write, read back through nv_read at init. */
static void qla_cfg_platform_survives_reinit_through_nv(void) {
    static h_nv_store flash; /* the module's flash: outlives both engines */
    static char factory[H_OUT_MAX];
    memset(&flash, 0, sizeof flash);
    h_host h;

    /* The factory default, as a module without NV reports it. */
    h_reset(&h, NULL);
    lwat_ctx *ctx = h_start(&h, LWAT_PROFILE_QLA, 1);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+QLACFG=\"platform\""), LWAT_OK);
    memcpy(factory, h.out, h.out_len + 1);
    CHECK(strncmp(factory, "\r\n+QLACFG: \"platform\",", 22) == 0);

    h_reset(&h, &flash);
    ctx = h_start(&h, LWAT_PROFILE_QLA, 1);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+QLACFG=\"platform\",1"), LWAT_OK);
    CHECK_TEXT(h.out, h.out_len, "\r\nOK\r\n");
    CHECK(flash.writes > 0);

    /* Power cycle: the engine memory is scrubbed, only `flash` remains. */
    memset(h_mem, 0xA5, sizeof h_mem);
    h_reset(&h, &flash);
    int reads_before = flash.reads;
    ctx = h_start(&h, LWAT_PROFILE_QLA, 1);
    CHECK(ctx != NULL);
    CHECK(flash.reads > reads_before);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+QLACFG=\"platform\""), LWAT_OK);
    CHECK_TEXT(h.out, h.out_len, "\r\n+QLACFG: \"platform\",1\r\n\r\nOK\r\n");

    /* Without the store the engine starts from the factory default again. */
    h_reset(&h, NULL);
    ctx = h_start(&h, LWAT_PROFILE_QLA, 1);
    CHECK_EQ_INT(h_at(ctx, &h, "AT+QLACFG=\"platform\""), LWAT_OK);
    CHECK_TEXT(h.out, h.out_len, factory);
}

int main(void) {
    printf("lwat dialects through the C API (needs src/dialect/mipl and src/dialect/qla merged)\n");
    RUN(onemo_miplcreate_answers_ref_0);
    RUN(onemo_miplopen_query_before_registration_is_602);
    RUN(onemo_set_cmee_changes_error_lines);
    RUN(onemo_null_at_output_still_handles_commands);
    RUN(qla_status_before_registration_is_0);
    RUN(qla_cfg_platform_survives_reinit_through_nv);
    return h_finish();
}
