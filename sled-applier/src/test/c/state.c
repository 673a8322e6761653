/*
 * The optional state file of the stand-in XDE library: with FAKEXDE_STATE=/some/file, the device
 * (V2P table and ports) lives in that file, read before and written after every command and test
 * control, under flock, so several processes see one "device" as they would a kernel driver.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_xde.h"

#define STATE_MAGIC 0x32455846u /* "FXE2": V2P section, then ports section */

static int state_fd = -1;

/* This library exports its own open and close; the state file needs the real ones. */
static int open_state(const char *path) {
    return (int)syscall(SYS_openat, AT_FDCWD, path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
}

static void close_state(int fd) {
    syscall(SYS_close, fd);
}

int fx_read_full(int fd, void *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = read(fd, (char *)buf + done, n - done);
        if (r <= 0) return -1;
        done += (size_t)r;
    }
    return 0;
}

int fx_write_full(int fd, const void *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, (const char *)buf + done, n - done);
        if (w <= 0) return -1;
        done += (size_t)w;
    }
    return 0;
}

int fx_state_begin(void) {
    const char *path = getenv("FAKEXDE_STATE");
    if (!path || !*path) return 0;
    state_fd = open_state(path);
    if (state_fd < 0 || flock(state_fd, LOCK_EX)) return -1;
    fx_v2p_clear();
    fx_ports_clear();
    uint32_t header[2];
    if (fx_read_full(state_fd, header, sizeof header)) return 0; /* new file */
    if (header[0] != STATE_MAGIC) return -1;
    return fx_v2p_load(state_fd) || fx_ports_load(state_fd) ? -1 : 0;
}

void fx_state_end(int changed) {
    if (state_fd < 0) return;
    if (changed && lseek(state_fd, 0, SEEK_SET) == 0 && ftruncate(state_fd, 0) == 0) {
        uint32_t header[2] = {STATE_MAGIC, 0};
        if (!fx_write_full(state_fd, header, sizeof header)) {
            if (!fx_v2p_save(state_fd)) fx_ports_save(state_fd);
        }
    }
    flock(state_fd, LOCK_UN);
    close_state(state_fd);
    state_fd = -1;
}
