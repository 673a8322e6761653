/*
 * The V2P table of the stand-in XDE library, with OPTE's semantics: set = upsert by (vni, ip);
 * clear = remove by (vni, ip) ignoring MAC and underlay; a VNI once seen stays in the dump,
 * possibly empty, like OPTE's BTreeMap of VNIs; DumpVirt2Phys sorted by VNI then IP (IPv4 list,
 * then IPv6 list).
 */
#include <stdlib.h>
#include <string.h>

#include "fake_xde.h"

typedef struct {
    uint32_t vni;
    uint8_t family; /* 4 or 6 */
    uint8_t ip[16];
    uint8_t mac[6];
    uint8_t underlay[16];
    uint8_t used; /* 0 empty, 1 used, 2 deleted */
} entry_t;

static entry_t *slots;
static size_t capacity; /* power of two */
static size_t live;
static size_t occupied; /* used + deleted */
static uint32_t *vnis;  /* every VNI ever set, sorted */
static size_t vni_count, vni_capacity;
static int grow_on_dump;
static uint32_t grow_next = 1;

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
    size_t v4 = 0, i = *at;
    while (i < n && sorted[i]->vni == vni) { if (sorted[i]->family == 4) v4++; i++; }
    uint8_t b[3] = {(uint8_t)(vni >> 16), (uint8_t)(vni >> 8), (uint8_t)vni};
    wr_bytes(w, b, 3);
    wr_varint(w, v4);
    for (size_t k = *at; k < *at + v4; k++) {
        wr_bytes(w, sorted[k]->ip, 4);
        wr_bytes(w, sorted[k]->mac, 6);
        wr_bytes(w, sorted[k]->underlay, 16);
    }
    wr_varint(w, i - *at - v4);
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
    /* stricter than XDE (postcard's from_bytes ignores trailing bytes): an encoder bug shows */
    if (r.bad || r.pos != r.len) return -1;
    out->vni = (uint32_t)vni[0] << 16 | (uint32_t)vni[1] << 8 | vni[2];
    return 0;
}

static int grow(void) {
    for (int i = 0; i < grow_on_dump; i++) {
        entry_t g = {.vni = 999999, .family = 4};
        uint32_t n = grow_next++;
        g.ip[0] = 10; g.ip[1] = (uint8_t)(n >> 16); g.ip[2] = (uint8_t)(n >> 8); g.ip[3] = (uint8_t)n;
        if (upsert(&g)) return -1;
    }
    return 0;
}

int fx_v2p_command(opte_cmd_ioctl_t *c) {
    if (c->cmd == CMD_DUMP_V2P) {
        writer_t w = {0};
        if (grow() || encode_dump(&w)) { free(w.p); errno = ENOMEM; return -1; }
        int rc = fx_copy_out(c, &w, 0, 0);
        int saved = errno;
        free(w.p);
        errno = saved;
        return rc;
    }
    entry_t e;
    if (c->req_len == 0 || c->req_bytes == NULL) return fx_fail(c, ERR_NO_REQUEST_BODY, NULL, EINVAL);
    if (decode_v2p_req(c, &e)) return fx_fail(c, ERR_DESER_CMD_REQ, "bad Virt2PhysReq", ENOMSG);
    if (c->cmd == CMD_SET_V2P) {
        if (upsert(&e)) { errno = ENOMEM; return -1; }
    } else {
        erase(e.vni, e.family, e.ip);
    }
    return fx_no_resp(c);
}

void fx_v2p_clear(void) {
    free(slots);
    free(vnis);
    slots = NULL;
    vnis = NULL;
    capacity = live = occupied = vni_count = vni_capacity = 0;
}

long fx_v2p_live(void) {
    return (long)live;
}

void fx_v2p_grow_on_dump(int entries) {
    grow_on_dump = entries;
    if (!entries) grow_next = 1;
}

/* ---- state file section: counts, VNIs, entries ---- */

int fx_v2p_save(int fd) {
    uint64_t counts[2] = {vni_count, live};
    if (fx_write_full(fd, counts, sizeof counts)) return -1;
    for (size_t i = 0; i < vni_count; i++)
        if (fx_write_full(fd, &vnis[i], sizeof vnis[i])) return -1;
    for (size_t i = 0; i < capacity; i++)
        if (slots[i].used == 1 && fx_write_full(fd, &slots[i], sizeof slots[i])) return -1;
    return 0;
}

int fx_v2p_load(int fd) {
    uint64_t counts[2];
    if (fx_read_full(fd, counts, sizeof counts)) return -1;
    for (uint64_t i = 0; i < counts[0]; i++) {
        uint32_t vni;
        if (fx_read_full(fd, &vni, sizeof vni) || remember_vni(vni)) return -1;
    }
    for (uint64_t i = 0; i < counts[1]; i++) {
        entry_t e;
        if (fx_read_full(fd, &e, sizeof e) || upsert(&e)) return -1;
    }
    return 0;
}
