// The header must also compile as C++ (extern "C" linkage, no C-only syntax).
#include "lwat.h"

extern "C" {
static void out(void *, const uint8_t *, size_t) {}
}

int main() {
    alignas(LWAT_CTX_ALIGN) static unsigned char mem[LWAT_CTX_SIZE];
    lwat_config cfg{};
    cfg.profile = LWAT_PROFILE_QLA;
    lwat_callbacks cb{};
    cb.at_output = out;
    lwat_ctx *ctx = lwat_init(mem, sizeof mem, &cfg, &cb);
    return ctx != nullptr && lwat_poll(ctx, 0) == UINT64_MAX ? 0 : 1;
}
