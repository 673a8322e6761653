/*
 * A stand-in for the XDE kernel driver, for tests: exports open, ioctl and close, so that the
 * applier's jnr-ffi binding can be pointed at this library instead of the C library. It speaks
 * OPTE's command ABI (API version 41) as the applier needs it:
 *
 *   - open(path, O_RDWR) succeeds only for the configured device path (default /dev/xde), else
 *     ENOENT; fakexde_set_open_errno() makes it fail with another errno (EACCES, ...).
 *   - ioctl(fd, 0xDE777701, &OpteCmdIoctl) checks the 72-byte LP64 struct (offsets, reserved
 *     fields, flags clear on entry), the API version (EPROTO plus a copied-out BadApiVersion),
 *     decodes postcard requests, keeps a V2P table with OPTE's semantics (set = upsert by
 *     (vni, ip); clear = remove by (vni, ip) ignoring MAC and underlay; a VNI once seen stays in
 *     the dump, possibly empty, like OPTE's BTreeMap of VNIs), answers DumpVirt2Phys sorted by
 *     VNI then IP (IPv4 list, then IPv6 list), and answers ENOBUFS with resp_len_actual when the
 *     caller's buffer is too small.
 *   - fakexde_* functions let tests reset it, fake another kernel API version, fail the next calls
 *     with an errno, or grow the table on every dump (to exhaust the caller's retries).
 *
 * With FAKEXDE_STATE=/some/file in the environment, the table lives in that file (read before
 * and written after every command, under flock), so that several processes see one "device", as
 * they would a kernel driver: an applier writing and `xde dump` reading.
 *
 * Not a model of anything else in XDE. Thread-safe (one mutex).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define XDE_IOC_OPTE_CMD 0xDE777701UL
#define API_VERSION 41ULL
#define OPTE_CMD_RESP_COPY_OUT 0x1ULL
#define CMD_SET_V2P 50
#define CMD_DUMP_V2P 51
#define CMD_CLEAR_V2P 55
#define FAKE_FD 7301

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

typedef struct {
    uint32_t vni;
    uint8_t family; /* 4 or 6 */
    uint8_t ip[16];
    uint8_t mac[6];
    uint8_t underlay[16];
    uint8_t used; /* 0 empty, 1 used, 2 deleted */
} entry_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry_t *slots;
static size_t capacity; /* power of two */
static size_t live;
static size_t occupied; /* used + deleted */
static uint32_t *vnis;  /* every VNI ever set, sorted */
static size_t vni_count, vni_capacity;
static char device_path[4096] = "/dev/xde";
static int open_errno;
static uint64_t kernel_api = API_VERSION;
static int fail_errno, fail_count;
static char fail_system_msg[256]; /* non-empty: the next call copies out System { errno, msg } */
static int grow_on_dump;
static uint32_t grow_next = 1;
static unsigned long ioctl_calls;

/* ---- postcard ---- */

typedef struct {
    const uint8_t *p;
    size_t len, pos;
    int bad;
} reader_t;

static uint64_t rd_varint(reader_t *r) {
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

static void rd_fixed(reader_t *r, uint8_t *out, size_t n) {
    if (r->len - r->pos < n) { r->bad = 1; return; }
    memcpy(out, r->p + r->pos, n);
    r->pos += n;
}

typedef struct {
    uint8_t *p;
    size_t len, cap;
    int oom;
} writer_t;

static void wr_bytes(writer_t *w, const void *b, size_t n) {
    if (w->oom) return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        while (cap < w->len + n) cap *= 2;
        uint8_t *p = realloc(w->p, cap);
        if (!p) { w->oom = 1; return; }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->len, b, n);
    w->len += n;
}

static void wr_varint(writer_t *w, uint64_t v) {
    uint8_t b[10];
    size_t n = 0;
    while (v >= 0x80) { b[n++] = (uint8_t)(v | 0x80); v >>= 7; }
    b[n++] = (uint8_t)v;
    wr_bytes(w, b, n);
}

static void wr_string(writer_t *w, const char *s) {
    size_t n = strlen(s);
    wr_varint(w, n);
    wr_bytes(w, s, n);
}

static void wr_vni(writer_t *w, uint32_t vni) {
    uint8_t b[3] = {(uint8_t)(vni >> 16), (uint8_t)(vni >> 8), (uint8_t)vni};
    wr_bytes(w, b, 3);
}

/* ---- the table: open addressing keyed by (vni, family, ip) ---- */

static uint64_t hash_key(uint32_t vni, uint8_t family, const uint8_t *ip) {
    uint64_t h = 1469598103934665603ULL ^ vni ^ ((uint64_t)family << 32);
    for (int i = 0; i < (family == 4 ? 4 : 16); i++) { h ^= ip[i]; h *= 1099511628211ULL; }
    return h ^ (h >> 29);
}

static int same_key(const entry_t *e, uint32_t vni, uint8_t family, const uint8_t *ip) {
    return e->vni == vni && e->family == family && memcmp(e->ip, ip, family == 4 ? 4 : 16) == 0;
}

static entry_t *find(uint32_t vni, uint8_t family, const uint8_t *ip) {
    if (!capacity) return NULL;
    for (size_t i = hash_key(vni, family, ip) & (capacity - 1);; i = (i + 1) & (capacity - 1)) {
        entry_t *e = &slots[i];
        if (e->used == 0) return NULL;
        if (e->used == 1 && same_key(e, vni, family, ip)) return e;
    }
}

static int rehash(size_t new_capacity) {
    entry_t *old = slots;
    size_t old_capacity = capacity;
    entry_t *fresh = calloc(new_capacity, sizeof(entry_t));
    if (!fresh) return -1;
    slots = fresh;
    capacity = new_capacity;
    occupied = live;
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i].used != 1) continue;
        size_t j = hash_key(old[i].vni, old[i].family, old[i].ip) & (capacity - 1);
        while (slots[j].used) j = (j + 1) & (capacity - 1);
        slots[j] = old[i];
    }
    free(old);
    return 0;
}

static int remember_vni(uint32_t vni) {
    size_t lo = 0, hi = vni_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (vnis[mid] < vni) lo = mid + 1; else hi = mid;
    }
    if (lo < vni_count && vnis[lo] == vni) return 0;
    if (vni_count == vni_capacity) {
        size_t cap = vni_capacity ? vni_capacity * 2 : 16;
        uint32_t *p = realloc(vnis, cap * sizeof(uint32_t));
        if (!p) return -1;
        vnis = p;
        vni_capacity = cap;
    }
    memmove(vnis + lo + 1, vnis + lo, (vni_count - lo) * sizeof(uint32_t));
    vnis[lo] = vni;
    vni_count++;
    return 0;
}

static int upsert(const entry_t *in) {
    entry_t *e = find(in->vni, in->family, in->ip);
    if (e) {
        memcpy(e->mac, in->mac, 6);
        memcpy(e->underlay, in->underlay, 16);
        return 0;
    }
    if ((occupied + 1) * 4 >= capacity * 3) {
        /* grow when live entries fill half the slots; otherwise just drop the tombstones */
        size_t want = capacity == 0 ? 1024 : (live + 1) * 2 >= capacity ? capacity * 2 : capacity;
        if (rehash(want)) return -1;
    }
    if (remember_vni(in->vni)) return -1;
    size_t i = hash_key(in->vni, in->family, in->ip) & (capacity - 1);
    while (slots[i].used == 1) i = (i + 1) & (capacity - 1);
    if (slots[i].used == 0) occupied++;
    slots[i] = *in;
    slots[i].used = 1;
    live++;
    return 0;
}

static void erase(uint32_t vni, uint8_t family, const uint8_t *ip) {
    entry_t *e = find(vni, family, ip);
    if (e) { e->used = 2; live--; }
}

/* ---- commands ---- */

static int cmp_entries(const void *a, const void *b) {
    const entry_t *x = *(const entry_t *const *)a, *y = *(const entry_t *const *)b;
    if (x->vni != y->vni) return x->vni < y->vni ? -1 : 1;
    if (x->family != y->family) return x->family < y->family ? -1 : 1;
    return memcmp(x->ip, y->ip, x->family == 4 ? 4 : 16);
}

static void encode_group(writer_t *w, uint32_t vni, entry_t **sorted, size_t *at, size_t n) {
    size_t v4 = 0, v6 = 0, i = *at;
    while (i < n && sorted[i]->vni == vni) { if (sorted[i]->family == 4) v4++; else v6++; i++; }
    wr_vni(w, vni);
    wr_varint(w, v4);
    for (size_t k = *at; k < *at + v4; k++) {
        wr_bytes(w, sorted[k]->ip, 4);
        wr_bytes(w, sorted[k]->mac, 6);
        wr_bytes(w, sorted[k]->underlay, 16);
    }
    wr_varint(w, v6);
    for (size_t k = *at + v4; k < i; k++) {
        wr_bytes(w, sorted[k]->ip, 16);
        wr_bytes(w, sorted[k]->mac, 6);
        wr_bytes(w, sorted[k]->underlay, 16);
    }
    *at = i;
}

static int encode_dump(writer_t *w) {
    entry_t **sorted = malloc((live ? live : 1) * sizeof(entry_t *));
    if (!sorted) return -1;
    size_t n = 0;
    for (size_t i = 0; i < capacity; i++) if (slots[i].used == 1) sorted[n++] = &slots[i];
    qsort(sorted, n, sizeof(entry_t *), cmp_entries);
    wr_varint(w, vni_count);
    size_t at = 0;
    for (size_t g = 0; g < vni_count; g++) encode_group(w, vnis[g], sorted, &at, n);
    free(sorted);
    return w->oom ? -1 : 0;
}

static int decode_v2p_req(const opte_cmd_ioctl_t *c, entry_t *out) {
    reader_t r = {c->req_bytes, c->req_len, 0, 0};
    uint64_t variant = rd_varint(&r);
    if (r.bad || variant > 1) return -1;
    memset(out, 0, sizeof(*out));
    out->family = variant == 0 ? 4 : 6;
    rd_fixed(&r, out->ip, out->family == 4 ? 4 : 16);
    rd_fixed(&r, out->mac, 6);
    rd_fixed(&r, out->underlay, 16);
    uint8_t vni[3];
    rd_fixed(&r, vni, 3);
    if (r.bad || r.pos != r.len) return -1; /* truncated, or trailing bytes */
    out->vni = (uint32_t)vni[0] << 16 | (uint32_t)vni[1] << 8 | vni[2];
    return 0;
}

/* Copies a response out like XDE: ENOBUFS (with resp_len_actual) if it does not fit. */
static int copy_out(opte_cmd_ioctl_t *c, writer_t *w, int is_error, int error_errno) {
    c->resp_len_actual = w->len;
    if (w->len > c->resp_len) { errno = ENOBUFS; return -1; }
    if (w->len) memcpy(c->resp_bytes, w->p, w->len);
    if (!is_error) return 0;
    c->flags |= OPTE_CMD_RESP_COPY_OUT;
    errno = error_errno;
    return -1;
}

static int fail_with_error(opte_cmd_ioctl_t *c, int variant, const char *text, int err) {
    writer_t w = {0};
    wr_varint(&w, (uint64_t)variant);
    if (text) wr_string(&w, text);
    int rc = copy_out(c, &w, 1, err);
    free(w.p);
    return rc;
}

static int run_command(opte_cmd_ioctl_t *c) {
    writer_t w = {0};
    entry_t e;
    int rc;
    switch (c->cmd) {
    case CMD_SET_V2P:
    case CMD_CLEAR_V2P:
        if (c->req_len == 0 || c->req_bytes == NULL) return fail_with_error(c, 14, NULL, EINVAL);
        if (decode_v2p_req(c, &e)) return fail_with_error(c, 7, "bad Virt2PhysReq", ENOMSG);
        if (c->cmd == CMD_SET_V2P) {
            if (upsert(&e)) { errno = ENOMEM; return -1; }
        } else {
            erase(e.vni, e.family, e.ip);
        }
        wr_varint(&w, 0); /* NoResp { unused: 0 } */
        break;
    case CMD_DUMP_V2P:
        for (int i = 0; i < grow_on_dump; i++) {
            entry_t g = {.vni = 999999, .family = 4};
            uint32_t n = grow_next++;
            g.ip[0] = 10; g.ip[1] = (uint8_t)(n >> 16); g.ip[2] = (uint8_t)(n >> 8); g.ip[3] = (uint8_t)n;
            if (upsert(&g)) { errno = ENOMEM; return -1; }
        }
        if (encode_dump(&w)) { free(w.p); errno = ENOMEM; return -1; }
        break;
    default:
        return fail_with_error(c, 7, "unknown command", ENOTSUP);
    }
    rc = copy_out(c, &w, 0, 0);
    free(w.p);
    return rc;
}

static int check_layout(const opte_cmd_ioctl_t *c) {
    if (c->reserved1 != 0 || c->flags != 0) return -1;
    if (c->req_len > 4096 || (c->req_len && !c->req_bytes)) return -1;
    if (c->resp_len && !c->resp_bytes) return -1;
    if (c->resp_len_actual != 0) return -1;
    return 0;
}

/* ---- optional state file (FAKEXDE_STATE), shared between processes ---- */

/* This library exports its own open and close; the state file needs the real ones. */
#include <sys/syscall.h>
static long syscall_open_state(const char *path) { return syscall(SYS_openat, AT_FDCWD, path, O_RDWR | O_CREAT | O_CLOEXEC, 0644); }
static void syscall_close_state(int fd) { syscall(SYS_close, fd); }

#define STATE_MAGIC 0x31455846u /* "FXE1" */

static int state_fd = -1;

static void table_clear(void) {
    free(slots);
    free(vnis);
    slots = NULL;
    vnis = NULL;
    capacity = live = occupied = vni_count = vni_capacity = 0;
}

static int read_full(int fd, void *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = read(fd, (char *)buf + done, n - done);
        if (r <= 0) return -1;
        done += (size_t)r;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, (const char *)buf + done, n - done);
        if (w <= 0) return -1;
        done += (size_t)w;
    }
    return 0;
}

/* Opens and locks the state file, and loads the table from it (empty file: empty table). */
static int state_begin(void) {
    const char *path = getenv("FAKEXDE_STATE");
    if (!path || !*path) return 0;
    state_fd = (int)syscall_open_state(path);
    if (state_fd < 0 || flock(state_fd, LOCK_EX)) return -1;
    table_clear();
    uint32_t header[2];
    uint64_t counts[2];
    if (read_full(state_fd, header, sizeof header)) return 0; /* new file */
    if (header[0] != STATE_MAGIC || read_full(state_fd, counts, sizeof counts)) return -1;
    for (uint64_t i = 0; i < counts[0]; i++) {
        uint32_t vni;
        if (read_full(state_fd, &vni, sizeof vni) || remember_vni(vni)) return -1;
    }
    for (uint64_t i = 0; i < counts[1]; i++) {
        entry_t e;
        if (read_full(state_fd, &e, sizeof e) || upsert(&e)) return -1;
    }
    return 0;
}

/* Writes the table back (if it changed) and unlocks. */
static void state_end(int changed) {
    if (state_fd < 0) return;
    if (changed && lseek(state_fd, 0, SEEK_SET) == 0 && ftruncate(state_fd, 0) == 0) {
        uint32_t header[2] = {STATE_MAGIC, 0};
        uint64_t counts[2] = {vni_count, live};
        int bad = write_full(state_fd, header, sizeof header) || write_full(state_fd, counts, sizeof counts);
        for (size_t i = 0; !bad && i < vni_count; i++) bad = write_full(state_fd, &vnis[i], sizeof vnis[i]);
        for (size_t i = 0; !bad && i < capacity; i++)
            if (slots[i].used == 1) bad = write_full(state_fd, &slots[i], sizeof slots[i]);
    }
    flock(state_fd, LOCK_UN);
    syscall_close_state(state_fd);
    state_fd = -1;
}

/* ---- exported: the three symbols the binding loads ---- */

int open(const char *path, int flags, ...) {
    pthread_mutex_lock(&lock);
    int err = open_errno ? open_errno : strcmp(path, device_path) != 0 ? ENOENT : (flags & 3) != 2 ? EINVAL : 0;
    pthread_mutex_unlock(&lock);
    if (err) { errno = err; return -1; }
    return FAKE_FD;
}

int close(int fd) {
    if (fd != FAKE_FD) { errno = EBADF; return -1; }
    return 0;
}

int ioctl(int fd, unsigned long request, ...) {
    va_list ap;
    va_start(ap, request);
    opte_cmd_ioctl_t *c = va_arg(ap, opte_cmd_ioctl_t *);
    va_end(ap);
    if (fd != FAKE_FD) { errno = EBADF; return -1; }
    if (request != XDE_IOC_OPTE_CMD) { errno = ENOTTY; return -1; }
    if (c == NULL) { errno = EFAULT; return -1; }
    pthread_mutex_lock(&lock);
    ioctl_calls++;
    int rc;
    if (fail_system_msg[0]) {
        writer_t w = {0};
        wr_varint(&w, 22); /* OpteError::System { errno: c_int (zigzag), msg: String } */
        wr_varint(&w, ((uint64_t)(int64_t)fail_errno << 1) ^ (uint64_t)((int64_t)fail_errno >> 63));
        wr_string(&w, fail_system_msg);
        fail_system_msg[0] = 0;
        rc = copy_out(c, &w, 1, fail_errno);
        free(w.p);
    } else if (fail_count > 0) {
        fail_count--;
        errno = fail_errno;
        rc = -1;
    } else if (c->api_version != kernel_api) {
        writer_t w = {0};
        wr_varint(&w, 0); /* BadApiVersion { user, kernel } */
        wr_varint(&w, c->api_version);
        wr_varint(&w, kernel_api);
        copy_out(c, &w, 1, EPROTO);
        free(w.p);
        errno = EPROTO; /* like XDE: EPROTO even when the error did not fit */
        rc = -1;
    } else if (check_layout(c)) {
        errno = EFAULT;
        rc = -1;
    } else if (state_begin()) {
        state_end(0);
        errno = EIO;
        rc = -1;
    } else {
        rc = run_command(c);
        int saved_rc_errno = errno;
        state_end(rc == 0 && c->cmd != CMD_DUMP_V2P);
        errno = saved_rc_errno;
    }
    int saved = errno;
    pthread_mutex_unlock(&lock);
    errno = saved;
    return rc;
}

/* ---- test controls ---- */

void fakexde_reset(void) {
    pthread_mutex_lock(&lock);
    table_clear();
    strcpy(device_path, "/dev/xde");
    open_errno = 0;
    kernel_api = API_VERSION;
    fail_errno = fail_count = 0;
    fail_system_msg[0] = 0;
    grow_on_dump = 0;
    grow_next = 1;
    ioctl_calls = 0;
    pthread_mutex_unlock(&lock);
}

void fakexde_set_device_path(const char *path) {
    pthread_mutex_lock(&lock);
    strncpy(device_path, path, sizeof(device_path) - 1);
    pthread_mutex_unlock(&lock);
}

void fakexde_set_open_errno(int err) {
    pthread_mutex_lock(&lock);
    open_errno = err;
    pthread_mutex_unlock(&lock);
}

void fakexde_set_kernel_api_version(uint64_t version) {
    pthread_mutex_lock(&lock);
    kernel_api = version;
    pthread_mutex_unlock(&lock);
}

void fakexde_fail_next(int err, int count) {
    pthread_mutex_lock(&lock);
    fail_errno = err;
    fail_count = count;
    pthread_mutex_unlock(&lock);
}

void fakexde_fail_next_with_system_error(int err, const char *msg) {
    pthread_mutex_lock(&lock);
    fail_errno = err;
    strncpy(fail_system_msg, msg, sizeof(fail_system_msg) - 1);
    pthread_mutex_unlock(&lock);
}

void fakexde_grow_on_dump(int entries) {
    pthread_mutex_lock(&lock);
    grow_on_dump = entries;
    pthread_mutex_unlock(&lock);
}

long fakexde_entry_count(void) {
    pthread_mutex_lock(&lock);
    long n = (long)live;
    pthread_mutex_unlock(&lock);
    return n;
}

unsigned long fakexde_ioctl_calls(void) {
    pthread_mutex_lock(&lock);
    unsigned long n = ioctl_calls;
    pthread_mutex_unlock(&lock);
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
    return -1;
}
