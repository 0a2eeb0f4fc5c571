/* See resume.h: the single adapter between `--slept-ms` and lwat. */
#include "resume.h"

#ifdef LWAT_HAVE_RESUME
/* A compatible redeclaration when include/lwat.h already declares it. */
int32_t lwat_resume(struct lwat_ctx *ctx, uint64_t now_ms, uint64_t slept_ms);

bool module_can_resume(void)
{
    return true;
}

int32_t module_resume(struct lwat_ctx *ctx, uint64_t now_ms, uint64_t slept_ms)
{
    return lwat_resume(ctx, now_ms, slept_ms);
}
#else
bool module_can_resume(void)
{
    return false;
}

int32_t module_resume(struct lwat_ctx *ctx, uint64_t now_ms, uint64_t slept_ms)
{
    (void)ctx;
    (void)now_ms;
    (void)slept_ms;
    return LWAT_ERR_ARG;
}
#endif
