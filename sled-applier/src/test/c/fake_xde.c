/*
 * A stand-in for the XDE kernel driver, for tests: exports open, ioctl and close, so that the
 * applier's jnr-ffi binding can be pointed at this library instead of the C library. It speaks
 * OPTE's command ABI (API version 41) as the applier needs it:
 *
 *   - open(path, O_RDWR) succeeds only for the configured device path (default /dev/xde), else
 *     ENOENT; fakexde_set_open_errno() makes it fail with another errno (EACCES, ...).
 *   - ioctl(fd, 0xDE777701, &OpteCmdIoctl) checks the 72-byte LP64 struct (offsets, reserved
 *     fields, flags clear on entry), the API version (EPROTO plus a copied-out BadApiVersion),
 *     decodes postcard requests and runs SetVirt2Phys, ClearVirt2Phys, DumpVirt2Phys (v2p.c),
 *     ListPorts and ClearUft (ports.c); an answer that does not fit the caller's buffer is
 *     ENOBUFS with resp_len_actual, one that does is copied out with OPTE_CMD_RESP_COPY_OUT set,
 *     errors as postcard OpteErrors with the errno XDE gives them (postcard.c).
 *   - fakexde_* functions let tests reset it, fake another kernel API version, fail the next calls
 *     with an errno, grow the table on every dump (to exhaust the caller's retries), make the
 *     descriptors opened so far stale (EBADF, as a descriptor closed under its user), and make,
 *     change and destroy ports and their flows (ports.c).
 *
 * With FAKEXDE_STATE=/some/file in the environment, the device lives in that file (state.c).
 *
 * Not a model of anything else in XDE. Thread-safe (one mutex). Built from every .c file of this
 * directory: gcc -shared -fPIC -o libfakexde.so src/test/c/\*.c -lpthread
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fake_xde.h"

#define FAKE_FD 7301

pthread_mutex_t fx_lock = PTHREAD_MUTEX_INITIALIZER;
static char device_path[4096] = "/dev/xde";
static int open_errno;
static uint64_t kernel_api = API_VERSION;
static int fail_errno, fail_count;
static char fail_system_msg[256]; /* non-empty: the next call copies out System { errno, msg } */
static unsigned long ioctl_calls;
static unsigned long foreign_closes; /* close() of a number that is not the device's */
static int open_fd = FAKE_FD; /* the descriptor open() gives; any other is not open (EBADF) */

static int run_command(opte_cmd_ioctl_t *c) {
    switch (c->cmd) {
    case CMD_SET_V2P:
    case CMD_CLEAR_V2P:
    case CMD_DUMP_V2P:
        return fx_v2p_command(c);
    case CMD_LIST_PORTS:
    case CMD_CLEAR_UFT:
        return fx_port_command(c);
    default:
        return fx_fail(c, ERR_DESER_CMD_REQ, "unknown command", ENOMSG); /* OPTE's to_errno */
    }
}

static int check_layout(const opte_cmd_ioctl_t *c) {
    if (c->reserved1 != 0 || c->flags != 0) return -1;
    if (c->req_len > 4096 || (c->req_len && !c->req_bytes)) return -1;
    if (c->resp_len && !c->resp_bytes) return -1;
    if (c->resp_len_actual != 0) return -1;
    return 0;
}

static int system_error(opte_cmd_ioctl_t *c) {
    writer_t w = {0};
    wr_varint(&w, ERR_SYSTEM); /* OpteError::System { errno: c_int (zigzag), msg: String } */
    wr_varint(&w, ((uint64_t)(int64_t)fail_errno << 1) ^ (uint64_t)((int64_t)fail_errno >> 63));
    wr_string(&w, fail_system_msg);
    fail_system_msg[0] = 0;
    int rc = fx_copy_out(c, &w, 1, fail_errno);
    int saved = errno;
    free(w.p);
    errno = saved;
    return rc;
}

static int bad_api_version(opte_cmd_ioctl_t *c) {
    writer_t w = {0};
    wr_varint(&w, ERR_BAD_API_VERSION); /* BadApiVersion { user, kernel } */
    wr_varint(&w, c->api_version);
    wr_varint(&w, kernel_api);
    fx_copy_out(c, &w, 1, EPROTO);
    free(w.p);
    errno = EPROTO; /* like XDE: EPROTO even when the error did not fit */
    return -1;
}

static int changes(int cmd) {
    return cmd != CMD_DUMP_V2P && cmd != CMD_LIST_PORTS;
}

/* ---- exported: the three symbols the binding loads ---- */

int open(const char *path, int flags, ...) {
    pthread_mutex_lock(&fx_lock);
    int err = open_errno ? open_errno : strcmp(path, device_path) != 0 ? ENOENT : (flags & 3) != 2 ? EINVAL : 0;
    int fd = open_fd;
    pthread_mutex_unlock(&fx_lock);
    if (err) { errno = err; return -1; }
    return fd;
}

static int is_open(int fd) {
    pthread_mutex_lock(&fx_lock);
    int ok = fd == open_fd;
    pthread_mutex_unlock(&fx_lock);
    return ok;
}

int close(int fd) {
    if (!is_open(fd)) {
        pthread_mutex_lock(&fx_lock);
        foreign_closes++; /* a real kernel may have given that number to a socket since */
        pthread_mutex_unlock(&fx_lock);
        errno = EBADF;
        return -1;
    }
    return 0;
}

int ioctl(int fd, unsigned long request, ...) {
    va_list ap;
    va_start(ap, request);
    opte_cmd_ioctl_t *c = va_arg(ap, opte_cmd_ioctl_t *);
    va_end(ap);
    if (!is_open(fd)) { errno = EBADF; return -1; }
    /* illumos declares ioctl(int, int, ...) and xde_ioctl compares a c_int: the low 32 bits */
    if ((uint32_t) request != (uint32_t) XDE_IOC_OPTE_CMD) { errno = ENOTTY; return -1; }
    if (c == NULL) { errno = EFAULT; return -1; }
    pthread_mutex_lock(&fx_lock);
    ioctl_calls++;
    int rc;
    if (fail_system_msg[0]) {
        rc = system_error(c);
    } else if (fail_count > 0) {
        fail_count--;
        errno = fail_errno;
        rc = -1;
    } else if (c->api_version != kernel_api) {
        rc = bad_api_version(c);
    } else if (check_layout(c)) {
        errno = EFAULT;
        rc = -1;
    } else if (fx_state_begin()) {
        fx_state_end(0);
        errno = EIO;
        rc = -1;
    } else {
        rc = run_command(c);
        int saved_rc_errno = errno;
        fx_state_end(rc == 0 && changes(c->cmd));
        errno = saved_rc_errno;
    }
    int saved = errno;
    pthread_mutex_unlock(&fx_lock);
    errno = saved;
    return rc;
}

/* ---- test controls ---- */

void fakexde_reset(void) {
    pthread_mutex_lock(&fx_lock);
    fx_v2p_clear();
    fx_ports_clear();
    strcpy(device_path, "/dev/xde");
    open_errno = 0;
    kernel_api = API_VERSION;
    fail_errno = fail_count = 0;
    fail_system_msg[0] = 0;
    fx_v2p_grow_on_dump(0);
    ioctl_calls = 0;
    foreign_closes = 0;
    pthread_mutex_unlock(&fx_lock);
}

void fakexde_set_device_path(const char *path) {
    pthread_mutex_lock(&fx_lock);
    strncpy(device_path, path, sizeof(device_path) - 1);
    pthread_mutex_unlock(&fx_lock);
}

void fakexde_set_open_errno(int err) {
    pthread_mutex_lock(&fx_lock);
    open_errno = err;
    pthread_mutex_unlock(&fx_lock);
}

void fakexde_set_kernel_api_version(uint64_t version) {
    pthread_mutex_lock(&fx_lock);
    kernel_api = version;
    pthread_mutex_unlock(&fx_lock);
}

void fakexde_fail_next(int err, int count) {
    pthread_mutex_lock(&fx_lock);
    fail_errno = err;
    fail_count = count;
    pthread_mutex_unlock(&fx_lock);
}

void fakexde_fail_next_with_system_error(int err, const char *msg) {
    pthread_mutex_lock(&fx_lock);
    fail_errno = err;
    strncpy(fail_system_msg, msg, sizeof(fail_system_msg) - 1);
    pthread_mutex_unlock(&fx_lock);
}

/* The descriptors opened so far are not open any more (EBADF); open() gives a new one. */
void fakexde_stale_descriptors(void) {
    pthread_mutex_lock(&fx_lock);
    open_fd++;
    pthread_mutex_unlock(&fx_lock);
}

void fakexde_grow_on_dump(int entries) {
    pthread_mutex_lock(&fx_lock);
    fx_v2p_grow_on_dump(entries);
    pthread_mutex_unlock(&fx_lock);
}

long fakexde_entry_count(void) {
    pthread_mutex_lock(&fx_lock);
    long n = fx_v2p_live();
    pthread_mutex_unlock(&fx_lock);
    return n;
}

unsigned long fakexde_foreign_closes(void) {
    pthread_mutex_lock(&fx_lock);
    unsigned long n = foreign_closes;
    pthread_mutex_unlock(&fx_lock);
    return n;
}

unsigned long fakexde_ioctl_calls(void) {
    pthread_mutex_lock(&fx_lock);
    unsigned long n = ioctl_calls;
    pthread_mutex_unlock(&fx_lock);
    return n;
}

int fakexde_errno(const char *name) {
    if (!strcmp(name, "ENOBUFS")) return ENOBUFS;
    if (!strcmp(name, "EPROTO")) return EPROTO;
    if (!strcmp(name, "EPERM")) return EPERM;
    if (!strcmp(name, "EACCES")) return EACCES;
    if (!strcmp(name, "ENOENT")) return ENOENT;
    if (!strcmp(name, "EFAULT")) return EFAULT;
    if (!strcmp(name, "ENOMSG")) return ENOMSG;
    if (!strcmp(name, "EIO")) return EIO;
    if (!strcmp(name, "EBADF")) return EBADF;
    if (!strcmp(name, "EINVAL")) return EINVAL;
    if (!strcmp(name, "EEXIST")) return EEXIST;
    return -1;
}
