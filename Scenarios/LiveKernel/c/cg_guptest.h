/*
 * cg_guptest.h - long-term FOLL_PIN from user space through /sys/kernel/debug/gup_test (CONFIG_GUP_TEST), as the
 * kernel's own tools/testing/selftests/mm/cow.c takes its R/O and R/W pins. Self-contained (libc only), so guest
 * probes and generated programs can both include it. The ABI below is mm/gup_test.h (6.12), restated here because
 * that header is not part of the kernel's UAPI headers; the ioctl numbers encode the struct size, so a mismatch
 * would fail with ENOTTY rather than misbehave.
 *
 * One pin at a time in the whole system (gup_test keeps one global page array): start, read, stop.
 * PIN_LONGTERM_TEST_START retries short counts itself and fails as a whole (-EFAULT etc.) when a page cannot be
 * pinned, unpinning what it took.
 */
#ifndef CG_GUPTEST_H
#define CG_GUPTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct cg_pin_longterm_test {
	uint64_t addr;
	uint64_t size;
	uint32_t flags;
};

#define CG_PIN_LONGTERM_TEST_START _IOW('g', 7, struct cg_pin_longterm_test)
#define CG_PIN_LONGTERM_TEST_STOP _IO('g', 8)
#define CG_PIN_LONGTERM_TEST_READ _IOW('g', 9, uint64_t)
#define CG_PIN_LONGTERM_TEST_FLAG_USE_WRITE 1
#define CG_PIN_LONGTERM_TEST_FLAG_USE_FAST 2
#define CG_GUP_TEST_PATH "/sys/kernel/debug/gup_test"

/* The gup_test file descriptor, or -errno (-ENOENT: no CONFIG_GUP_TEST, or debugfs not mounted). */
static int cg_gup_test_open(void)
{
	int fd = open(CG_GUP_TEST_PATH, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* pin_user_pages(_fast) with FOLL_LONGTERM (| FOLL_WRITE) on [addr, addr + size): 0 or -errno. */
static int cg_gup_test_pin(int fd, const void *addr, size_t size, int write, int fast)
{
	struct cg_pin_longterm_test args = {
		.addr = (uint64_t)(uintptr_t)addr,
		.size = size,
		.flags = (write ? CG_PIN_LONGTERM_TEST_FLAG_USE_WRITE : 0) | (fast ? CG_PIN_LONGTERM_TEST_FLAG_USE_FAST : 0),
	};
	return ioctl(fd, CG_PIN_LONGTERM_TEST_START, &args) ? -errno : 0;
}

/* Copies the pinned pages' current contents (what a device would read) into buf: 0 or -errno. */
static int cg_gup_test_read(int fd, void *buf)
{
	uint64_t to = (uint64_t)(uintptr_t)buf;
	return ioctl(fd, CG_PIN_LONGTERM_TEST_READ, &to) ? -errno : 0;
}

/* unpin_user_pages on the pinned pages: 0 or -errno. */
static int cg_gup_test_unpin(int fd)
{
	return ioctl(fd, CG_PIN_LONGTERM_TEST_STOP) ? -errno : 0;
}

#endif
