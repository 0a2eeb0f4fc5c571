/* Telling lwat how long the module slept (QLA session recovery, seed 004
 * §3.15/§4.13). Isolated here because the engine's entry point for it is
 * not in include/lwat.h yet: this file is the one place to adapt.
 *
 * Assumed API (to be added by the lwat C API):
 *     int32_t lwat_resume(lwat_ctx *ctx, uint64_t now_ms, uint64_t slept_ms);
 * called once right after lwat_init when the module wakes from deep sleep
 * (here: `--slept-ms N` on a restart over the same `--nv DIR`). lwat then
 * reads its session record and, per AT+QLACFG="recovery_mode", sends the
 * Update itself (0) or waits for AT+QLARECOVER (1); a lifetime that ran
 * out during the sleep gives +QLAURC: "recovered",3. */
#ifndef RESUME_H
#define RESUME_H

#include <stdbool.h>
#include <stdint.h>

#include "lwat.h"

/* Whether this build of lwat has lwat_resume (the Makefile probes the
 * staticlib and defines LWAT_HAVE_RESUME). */
bool module_can_resume(void);

/* lwat_resume's return code; only call when module_can_resume(). */
int32_t module_resume(struct lwat_ctx *ctx, uint64_t now_ms, uint64_t slept_ms);

#endif
