/*
 * Ports of the stand-in XDE library, each with a unified flow table (UFT) reduced to two counts
 * (inbound and outbound entries), and the two commands that see them:
 *
 *   - ListPorts (1): no request body; answers ListPortsResp { ports: Vec<PortInfo> } in XDE's
 *     order (its DevMap iterates by (VNI, MAC)), each PortInfo { name, mac_addr, ip4_addr,
 *     ephemeral_ip4_addr, floating_ip4_addrs, ip6_addr, ephemeral_ip6_addr, floating_ip6_addrs,
 *     state } with 00/01 Option tags (oxide-vpc api.rs).
 *   - ClearUft (40): ClearUftReq { port_name: String }; NoRequestBody (EINVAL) without a body,
 *     DeserCmdReq (ENOMSG) for bad bytes, PortNotFound(name) (ENOENT) for an unknown name,
 *     BadState(state) (EINVAL) unless the port is "running", else both counts become 0 and the
 *     answer is NoResp (xde.rs clear_uft_hdlr, Port::clear_uft).
 *
 * Tests make ports with the fakexde_port_* controls below; a port is "running" when created, as
 * XDE's are.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_xde.h"

#define NAME_MAX_BYTES 31 /* MAXLINKNAMELEN 32, with the NUL */
#define MAX_FLOATING 16

enum { IP4, EPHEMERAL_IP4, FLOATING_IP4, IP6, EPHEMERAL_IP6, FLOATING_IP6, OPTIONS };

typedef struct {
    char name[NAME_MAX_BYTES + 1];
    char state[16];
    uint32_t vni;
    uint8_t mac[6];
    uint8_t has[OPTIONS]; /* Some or None, per Option field */
    uint8_t ip4[4], ephemeral_ip4[4];
    uint8_t ip6[16], ephemeral_ip6[16];
    uint32_t floating4_count, floating6_count;
    uint8_t floating4[MAX_FLOATING][4];
    uint8_t floating6[MAX_FLOATING][16];
    uint64_t uft_in, uft_out;
} port_t;

static const char *const OPTION_NAMES[OPTIONS] = {
    "ip4_addr", "ephemeral_ip4_addr", "floating_ip4_addrs",
    "ip6_addr", "ephemeral_ip6_addr", "floating_ip6_addrs",
};

static port_t *ports;
static size_t port_count, port_capacity;

static port_t *find_port(const void *name, size_t n) {
    for (size_t i = 0; i < port_count; i++)
        if (strlen(ports[i].name) == n && memcmp(ports[i].name, name, n) == 0) return &ports[i];
    return NULL;
}

/* ---- commands ---- */

static int cmp_ports(const void *a, const void *b) {
    const port_t *x = *(const port_t *const *)a, *y = *(const port_t *const *)b;
    if (x->vni != y->vni) return x->vni < y->vni ? -1 : 1;
    return memcmp(x->mac, y->mac, 6); /* big-endian bytes: the order of the MAC as a u64 */
}

static void encode_option(writer_t *w, int some, const void *value, size_t n) {
    uint8_t tag = some ? 1 : 0;
    wr_bytes(w, &tag, 1);
    if (some) wr_bytes(w, value, n);
}

static void encode_list(writer_t *w, int some, const void *values, uint32_t count, size_t n) {
    uint8_t tag = some ? 1 : 0;
    wr_bytes(w, &tag, 1);
    if (!some) return;
    wr_varint(w, count);
    wr_bytes(w, values, count * n);
}

static void encode_port(writer_t *w, const port_t *p) {
    wr_string(w, p->name);
    wr_bytes(w, p->mac, 6);
    encode_option(w, p->has[IP4], p->ip4, 4);
    encode_option(w, p->has[EPHEMERAL_IP4], p->ephemeral_ip4, 4);
    encode_list(w, p->has[FLOATING_IP4], p->floating4, p->floating4_count, 4);
    encode_option(w, p->has[IP6], p->ip6, 16);
    encode_option(w, p->has[EPHEMERAL_IP6], p->ephemeral_ip6, 16);
    encode_list(w, p->has[FLOATING_IP6], p->floating6, p->floating6_count, 16);
    wr_string(w, p->state);
}

static int list_ports(opte_cmd_ioctl_t *c) {
    writer_t w = {0};
    const port_t **sorted = malloc((port_count ? port_count : 1) * sizeof(port_t *));
    if (!sorted) { errno = ENOMEM; return -1; }
    for (size_t i = 0; i < port_count; i++) sorted[i] = &ports[i];
    qsort(sorted, port_count, sizeof(port_t *), cmp_ports);
    wr_varint(&w, port_count);
    for (size_t i = 0; i < port_count; i++) encode_port(&w, sorted[i]);
    free(sorted);
    int rc = fx_copy_out(c, &w, 0, 0);
    int saved = errno;
    free(w.p);
    errno = saved;
    return rc;
}

static int clear_uft(opte_cmd_ioctl_t *c) {
    if (c->req_len == 0 || c->req_bytes == NULL) return fx_fail(c, ERR_NO_REQUEST_BODY, NULL, EINVAL);
    reader_t r = {c->req_bytes, c->req_len, 0, 0};
    const uint8_t *name;
    size_t n;
    rd_string(&r, &name, &n);
    if (r.bad || r.pos != r.len) return fx_fail(c, ERR_DESER_CMD_REQ, "bad ClearUftReq", ENOMSG);
    port_t *p = find_port(name, n);
    if (!p) return fx_fail_n(c, ERR_PORT_NOT_FOUND, name, n, ENOENT);
    if (strcmp(p->state, "running") != 0) return fx_fail(c, ERR_BAD_STATE, p->state, EINVAL);
    p->uft_in = p->uft_out = 0;
    return fx_no_resp(c);
}

int fx_port_command(opte_cmd_ioctl_t *c) {
    return c->cmd == CMD_LIST_PORTS ? list_ports(c) : clear_uft(c);
}

void fx_ports_clear(void) {
    free(ports);
    ports = NULL;
    port_count = port_capacity = 0;
}

/* ---- state file section: the count, then the ports as they are in memory ---- */

int fx_ports_save(int fd) {
    uint64_t count = port_count;
    if (fx_write_full(fd, &count, sizeof count)) return -1;
    return port_count ? fx_write_full(fd, ports, port_count * sizeof(port_t)) : 0;
}

int fx_ports_load(int fd) {
    uint64_t count;
    if (fx_read_full(fd, &count, sizeof count) || count > 1000000) return -1;
    if (!count) return 0;
    ports = calloc((size_t)count, sizeof(port_t));
    if (!ports) return -1;
    port_count = port_capacity = (size_t)count;
    return fx_read_full(fd, ports, port_count * sizeof(port_t));
}

/* ---- test controls: each runs like a command (lock, state file) and returns 0 or -1/errno ---- */

static int parse_mac(const char *text, uint8_t mac[6]) {
    unsigned v[6];
    char end;
    if (!text || sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &end) != 6)
        return -1;
    for (int i = 0; i < 6; i++) mac[i] = (uint8_t)v[i];
    return 0;
}

static int create(const char *name, uint32_t vni, const char *mac_text) {
    uint8_t mac[6];
    if (!name || !*name || strlen(name) > NAME_MAX_BYTES || parse_mac(mac_text, mac)) return EINVAL;
    for (size_t i = 0; i < port_count; i++)
        if (!strcmp(ports[i].name, name) || (ports[i].vni == vni && !memcmp(ports[i].mac, mac, 6)))
            return EEXIST; /* XDE: PortExists, MacExists */
    if (port_count == port_capacity) {
        size_t cap = port_capacity ? port_capacity * 2 : 16;
        port_t *p = realloc(ports, cap * sizeof(port_t));
        if (!p) return ENOMEM;
        ports = p;
        port_capacity = cap;
    }
    port_t *p = &ports[port_count++];
    memset(p, 0, sizeof *p);
    strcpy(p->name, name);
    strcpy(p->state, "running");
    p->vni = vni;
    memcpy(p->mac, mac, 6);
    return 0;
}

/* value NULL: None; else one address, or for a list a comma-separated (possibly empty) list */
static int set_option(port_t *p, int field, const char *value) {
    p->has[field] = 0;
    if (!value) return 0;
    int v6 = field >= IP6, list = field == FLOATING_IP4 || field == FLOATING_IP6;
    uint8_t *single = field == IP4 ? p->ip4 : field == EPHEMERAL_IP4 ? p->ephemeral_ip4
                    : field == IP6 ? p->ip6 : p->ephemeral_ip6;
    uint32_t count = 0;
    char buf[64];
    for (const char *at = value; *at;) {
        size_t n = strcspn(at, ",");
        if (n >= sizeof buf || count == (list ? MAX_FLOATING : 1)) return EINVAL;
        memcpy(buf, at, n);
        buf[n] = 0;
        uint8_t *out = !list ? single : v6 ? p->floating6[count] : p->floating4[count];
        if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, out) != 1) return EINVAL;
        count++;
        at += n + (at[n] == ',');
    }
    if (!list && count != 1) return EINVAL;
    if (list) *(v6 ? &p->floating6_count : &p->floating4_count) = count;
    p->has[field] = 1;
    return 0;
}

static int set_field(const char *name, const char *field, const char *value) {
    port_t *p = name ? find_port(name, strlen(name)) : NULL;
    if (!p || !field) return ENOENT;
    if (!strcmp(field, "state")) {
        if (!value || !*value || strlen(value) >= sizeof p->state) return EINVAL;
        strcpy(p->state, value);
        return 0;
    }
    for (int i = 0; i < OPTIONS; i++)
        if (!strcmp(field, OPTION_NAMES[i])) return set_option(p, i, value);
    return EINVAL;
}

static int destroy(const char *name) {
    port_t *p = name ? find_port(name, strlen(name)) : NULL;
    if (!p) return ENOENT;
    *p = ports[--port_count];
    return 0;
}

static int add_flows(const char *name, long in, long out) {
    port_t *p = name ? find_port(name, strlen(name)) : NULL;
    if (!p) return ENOENT;
    if (in < 0 || out < 0) return EINVAL;
    p->uft_in += (uint64_t)in;
    p->uft_out += (uint64_t)out;
    return 0;
}

/* Runs one control under the lock, with the state file loaded and saved around it. */
#define CONTROL(changes, call)                                        \
    do {                                                              \
        pthread_mutex_lock(&fx_lock);                                 \
        int err_ = fx_state_begin() ? EIO : (call);                   \
        fx_state_end(!err_ && (changes));                             \
        pthread_mutex_unlock(&fx_lock);                               \
        if (err_) { errno = err_; return -1; }                        \
        return 0;                                                     \
    } while (0)

/* A running port with an empty UFT and no addresses (every Option None). */
int fakexde_port_create(const char *name, uint32_t vni, const char *mac) {
    CONTROL(1, create(name, vni, mac));
}

/* field: an Option field of PortInfo (OPTE's names, e.g. "floating_ip4_addrs"), or "state". */
int fakexde_port_set(const char *name, const char *field, const char *value) {
    CONTROL(1, set_field(name, field, value));
}

int fakexde_port_destroy(const char *name) {
    CONTROL(1, destroy(name));
}

/* Adds entries to the port's inbound and outbound UFT, as traffic would. */
int fakexde_port_add_flows(const char *name, long in, long out) {
    CONTROL(1, add_flows(name, in, out));
}

/* The port's UFT entries, both directions, or -1 if there is no such port. */
long fakexde_port_uft_flows(const char *name) {
    pthread_mutex_lock(&fx_lock);
    long n = -1;
    if (!fx_state_begin()) {
        port_t *p = name ? find_port(name, strlen(name)) : NULL;
        if (p) n = (long)(p->uft_in + p->uft_out);
    }
    fx_state_end(0);
    pthread_mutex_unlock(&fx_lock);
    return n;
}
