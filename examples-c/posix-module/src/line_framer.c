#include "line_framer.h"

void line_framer_init(struct line_framer *f)
{
    f->len = 0;
    f->overlong = false;
}

static void emit(struct line_framer *f, line_handler on_line, void *user)
{
    if (f->len > 0 || f->overlong) {
        f->buf[f->len] = '\0';
        on_line(user, f->buf, f->len, f->overlong);
    }
    f->len = 0;
    f->overlong = false;
}

void line_framer_feed(struct line_framer *f, const char *data, size_t len, line_handler on_line, void *user)
{
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == '\r' || c == '\n') {
            emit(f, on_line, user);
        } else if (f->len < LINE_MAX_BYTES) {
            f->buf[f->len++] = c;
        } else {
            f->overlong = true;
        }
    }
}

void line_framer_finish(struct line_framer *f, line_handler on_line, void *user)
{
    emit(f, on_line, user);
}
