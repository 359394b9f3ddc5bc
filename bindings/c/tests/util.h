/* Small helpers shared by the C tests. */
#define _POSIX_C_SOURCE 200809L
#ifndef MAILSRV_TEST_UTIL_H
#define MAILSRV_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailsrv.h"

static int failures = 0;

#if defined(__GNUC__)
#define MAILSRV_TEST_UNUSED __attribute__((unused))
#else
#define MAILSRV_TEST_UNUSED
#endif

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                               \
        }                                                                             \
    } while (0)

#define CHECK_RESULT(expr, expected)                                                     \
    do {                                                                                 \
        mailsrv_result r_ = (expr);                                                      \
        if (r_ != (mailsrv_result)(expected)) {                                          \
            fprintf(stderr, "%s:%d: %s returned %s (%u), expected %s\n", __FILE__,        \
                    __LINE__, #expr, mailsrv_result_name(r_), (unsigned)r_,              \
                    mailsrv_result_name((uint32_t)(expected)));                          \
            failures++;                                                                  \
        }                                                                                \
    } while (0)

/* Reads a whole file; the caller frees the buffer. Returns NULL on error. */
static inline char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) { fclose(f); return NULL; }
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) { free(buf); fclose(f); return NULL; }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

static inline int report(const char *name) {
    if (failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

#endif
