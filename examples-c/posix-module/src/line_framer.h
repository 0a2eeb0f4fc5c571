/* Splits the serial byte stream into AT command lines.
 *
 * A line ends at CR or LF; CR LF therefore yields the line and one empty
 * line, and empty lines are ignored, as a module's UART driver does.
 * A line longer than LINE_MAX bytes is reported once as overlong and its
 * remaining bytes are discarded up to the next terminator. */
#ifndef LINE_FRAMER_H
#define LINE_FRAMER_H

#include <stdbool.h>
#include <stddef.h>

#define LINE_MAX_BYTES 8192

struct line_framer {
    char buf[LINE_MAX_BYTES + 1];
    size_t len;
    bool overlong;
};

/* Called for each complete non-empty line (NUL-terminated, no terminator);
 * `overlong` set means the text was cut at LINE_MAX_BYTES. */
typedef void (*line_handler)(void *user, const char *line, size_t len, bool overlong);

void line_framer_init(struct line_framer *f);
void line_framer_feed(struct line_framer *f, const char *data, size_t len, line_handler on_line, void *user);
/* End of input: a last unterminated line still counts as a line. */
void line_framer_finish(struct line_framer *f, line_handler on_line, void *user);

#endif
