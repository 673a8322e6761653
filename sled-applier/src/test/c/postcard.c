/*
 * Postcard as XDE's bodies use it (varints, raw fixed arrays, length-prefixed strings) and the
 * copy-out of an answer, for the stand-in XDE library.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_xde.h"

uint64_t rd_varint(reader_t *r) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->pos >= r->len) { r->bad = 1; return 0; }
        uint8_t b = r->p[r->pos++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
    r->bad = 1;
    return 0;
}

void rd_fixed(reader_t *r, uint8_t *out, size_t n) {
    if (r->len - r->pos < n) { r->bad = 1; return; }
    memcpy(out, r->p + r->pos, n);
    r->pos += n;
}

void rd_string(reader_t *r, const uint8_t **s, size_t *n) {
    uint64_t len = rd_varint(r);
    *s = NULL;
    *n = 0;
    if (r->bad || len > r->len - r->pos) { r->bad = 1; return; }
    *s = r->p + r->pos;
    *n = (size_t)len;
    r->pos += (size_t)len;
}

void wr_bytes(writer_t *w, const void *b, size_t n) {
    if (w->oom) return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        while (cap < w->len + n) cap *= 2;
        uint8_t *p = realloc(w->p, cap);
        if (!p) { w->oom = 1; return; }
        w->p = p;
        w->cap = cap;
    }
    if (n) memcpy(w->p + w->len, b, n);
    w->len += n;
}

void wr_varint(writer_t *w, uint64_t v) {
    uint8_t b[10];
    size_t n = 0;
    while (v >= 0x80) { b[n++] = (uint8_t)(v | 0x80); v >>= 7; }
    b[n++] = (uint8_t)v;
    wr_bytes(w, b, n);
}

void wr_string_n(writer_t *w, const void *s, size_t n) {
    wr_varint(w, n);
    wr_bytes(w, s, n);
}

void wr_string(writer_t *w, const char *s) {
    wr_string_n(w, s, strlen(s));
}

int fx_copy_out(opte_cmd_ioctl_t *c, writer_t *w, int is_error, int error_errno) {
    if (w->oom) { errno = ENOMEM; return -1; }
    c->resp_len_actual = w->len;
    if (w->len > c->resp_len) { errno = ENOBUFS; return -1; }
    if (w->len) memcpy(c->resp_bytes, w->p, w->len);
    c->flags |= OPTE_CMD_RESP_COPY_OUT; /* XDE sets it for answers and errors alike */
    if (!is_error) return 0;
    errno = error_errno;
    return -1;
}

int fx_fail_n(opte_cmd_ioctl_t *c, int variant, const void *text, size_t n, int err) {
    writer_t w = {0};
    wr_varint(&w, (uint64_t)variant);
    if (text) wr_string_n(&w, text, n);
    int rc = fx_copy_out(c, &w, 1, err);
    int saved = errno;
    free(w.p);
    errno = saved;
    return rc;
}

int fx_fail(opte_cmd_ioctl_t *c, int variant, const char *text, int err) {
    return fx_fail_n(c, variant, text, text ? strlen(text) : 0, err);
}

int fx_no_resp(opte_cmd_ioctl_t *c) {
    writer_t w = {0};
    wr_varint(&w, 0); /* NoResp { unused: 0 } */
    int rc = fx_copy_out(c, &w, 0, 0);
    int saved = errno;
    free(w.p);
    errno = saved;
    return rc;
}
