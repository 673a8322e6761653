/*
 * What the files of the stand-in XDE library share (see fake_xde.c for what the library is).
 * Everything declared here is internal to the library (hidden); the exported symbols are open,
 * ioctl, close and the fakexde_* test controls, defined without a declaration here.
 */
#ifndef FAKE_XDE_H
#define FAKE_XDE_H

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#pragma GCC visibility push(hidden)

#define XDE_IOC_OPTE_CMD 0xDE777701UL
#define API_VERSION 41ULL
#define OPTE_CMD_RESP_COPY_OUT 0x1ULL

/* OpteCmd numbers (opte-api cmd.rs) */
#define CMD_LIST_PORTS 1
#define CMD_CLEAR_UFT 40
#define CMD_SET_V2P 50
#define CMD_DUMP_V2P 51
#define CMD_CLEAR_V2P 55

/* OpteError variant indexes: the enum's declaration order in opte-api cmd.rs */
#define ERR_BAD_API_VERSION 0
#define ERR_BAD_STATE 3
#define ERR_DESER_CMD_REQ 7
#define ERR_NO_REQUEST_BODY 14
#define ERR_PORT_NOT_FOUND 17
#define ERR_SYSTEM 22

typedef struct {
    uint64_t api_version;
    int32_t cmd;
    uint64_t flags;
    uint64_t reserved1;
    const uint8_t *req_bytes;
    size_t req_len;
    uint8_t *resp_bytes;
    size_t resp_len;
    size_t resp_len_actual;
} opte_cmd_ioctl_t;

_Static_assert(sizeof(opte_cmd_ioctl_t) == 72, "OpteCmdIoctl is 72 bytes");
_Static_assert(offsetof(opte_cmd_ioctl_t, cmd) == 8, "cmd at 8");
_Static_assert(offsetof(opte_cmd_ioctl_t, flags) == 16, "flags at 16");
_Static_assert(offsetof(opte_cmd_ioctl_t, req_bytes) == 32, "req_bytes at 32");
_Static_assert(offsetof(opte_cmd_ioctl_t, resp_len_actual) == 64, "resp_len_actual at 64");

/* One lock for the whole "device": every ioctl and every test control holds it. */
extern pthread_mutex_t fx_lock;

/* ---- postcard (postcard.c) ---- */

typedef struct {
    const uint8_t *p;
    size_t len, pos;
    int bad;
} reader_t;

typedef struct {
    uint8_t *p;
    size_t len, cap;
    int oom;
} writer_t;

uint64_t rd_varint(reader_t *r);
void rd_fixed(reader_t *r, uint8_t *out, size_t n);
/* A String: points *s at its bytes inside the input (not NUL-terminated). */
void rd_string(reader_t *r, const uint8_t **s, size_t *n);

void wr_bytes(writer_t *w, const void *b, size_t n);
void wr_varint(writer_t *w, uint64_t v);
void wr_string(writer_t *w, const char *s);
void wr_string_n(writer_t *w, const void *s, size_t n);

/* Copies w out like XDE: ENOBUFS (with resp_len_actual) if it does not fit, else the bytes and
 * OPTE_CMD_RESP_COPY_OUT; for an error, -1 with error_errno. Frees nothing. */
int fx_copy_out(opte_cmd_ioctl_t *c, writer_t *w, int is_error, int error_errno);
/* Answers OpteError `variant` with one String field (none if text is NULL). */
int fx_fail(opte_cmd_ioctl_t *c, int variant, const char *text, int err);
int fx_fail_n(opte_cmd_ioctl_t *c, int variant, const void *text, size_t n, int err);
/* Answers NoResp { unused: 0 }. */
int fx_no_resp(opte_cmd_ioctl_t *c);

/* ---- the V2P table (v2p.c) ---- */

int fx_v2p_command(opte_cmd_ioctl_t *c);
void fx_v2p_clear(void);
long fx_v2p_live(void);
void fx_v2p_grow_on_dump(int entries); /* 0 stops it; resets the generated addresses */
int fx_v2p_save(int fd);
int fx_v2p_load(int fd);

/* ---- ports and their UFTs (ports.c) ---- */

int fx_port_command(opte_cmd_ioctl_t *c);
void fx_ports_clear(void);
int fx_ports_save(int fd);
int fx_ports_load(int fd);

/* ---- the optional state file, FAKEXDE_STATE (state.c) ---- */

/* Opens and locks the state file and loads the device from it (no-op without FAKEXDE_STATE). */
int fx_state_begin(void);
/* Writes the device back if changed, and unlocks. */
void fx_state_end(int changed);
int fx_read_full(int fd, void *buf, size_t n);
int fx_write_full(int fd, const void *buf, size_t n);

#pragma GCC visibility pop

#endif
