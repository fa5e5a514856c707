/*
 * cg_gup_pins.h - a scenario's R/O pin held through gup_test (cg_guptest.h), on a kernel with CONFIG_GUP_TEST (the
 * guest kernel). The agent whose memory is pinned starts the pin, because pin_user_pages(_fast) acts on current->mm,
 * and hands its gup_test descriptor to the driver (cg_handover.h): mm/gup_test.c gup_test_release unpins when the
 * file's last reference goes, so the driver holding it keeps the pin alive after that agent exits or forks, as the
 * model's handle does. The driver is then the device: PIN_LONGTERM_TEST_READ copies what the pinned pages hold now,
 * PIN_LONGTERM_TEST_STOP is unpin_user_pages. The translator lets a program hold one such pin at a time (gup_test
 * keeps one global page array).
 */
#ifndef CG_GUP_PINS_H
#define CG_GUP_PINS_H

#include "cg_guptest.h"

static int cg_gup_test_fds[CG_MAX_VARS]; /* in the driver: the gup_test descriptor behind each PIN variable, plus 1 */

/* Agent side: pin [addr, addr + len) R/O with FOLL_LONGTERM (pin_user_pages_fast when 'fast'), hand the file over. */
static struct cg_val cg_gup_test_pin_ro(int var, uint64_t addr, uint64_t len, int fast)
{
	int fd = cg_gup_test_open();
	if (fd < 0)
		cg_skip("open %s: %s (CONFIG_GUP_TEST off, or debugfs not mounted)", CG_GUP_TEST_PATH, strerror(-fd));
	int r = cg_gup_test_pin(fd, (const void *)(uintptr_t)addr, len, 0, fast);
	if (r == -EINVAL && cg_gup_test_unpin(fd) == -EINVAL) {
		/* Nothing is pinned (the translator allows one pin at a time), so STOP can only fail if the ioctl is unknown. */
		close(fd);
		cg_skip("this kernel's gup_test has no PIN_LONGTERM_TEST (6.1's mm/gup_test.h lacks it; 6.12's has it)");
	}
	if (r) {
		close(fd);
		errno = -r;
		cg_error("gup_test PIN_LONGTERM_TEST_START (%s) of %llu bytes at 0x%llx: %s", fast ? "fast" : "slow",
			 (unsigned long long)len, (unsigned long long)addr, strerror(-r));
	}
	struct cg_handover h = { .kind = CG_HAND_GUPTEST, .var = var, .count = 1 };
	cg_hand_over(&h, &fd);
	struct cg_val v = { .kind = CG_PIN, .addr = addr, .len = len };
	return v;
}

/* Driver side (cg_receive_handovers): keep the agent's gup_test descriptor for the variable. */
static void cg_adopt_gup_test(int var, int fd)
{
	cg_gup_test_fds[var] = fd + 1;
}

static int cg_gup_test_fd_of(int var)
{
	cg_require_kind(var, CG_PIN, "a pin held through gup_test");
	if (cg_gup_test_fds[var] <= 0)
		cg_error("the gup_test descriptor of '%s' was never handed over", cg_name(var));
	return cg_gup_test_fds[var] - 1;
}

/* device_read: the pinned pages' current contents, as a device doing DMA from them would see them. */
static struct cg_val cg_gup_test_device_read(int var)
{
	uint64_t len = cg->v[var].len;
	int fd = cg_gup_test_fd_of(var);
	char *buf = calloc(1, len ? len : 1);
	if (!buf)
		cg_error("out of memory");
	int r = cg_gup_test_read(fd, buf);
	if (r) {
		free(buf);
		errno = -r;
		cg_error("gup_test PIN_LONGTERM_TEST_READ: %s", strerror(-r));
	}
	struct cg_val v = cg_bytes_of(buf, len);
	free(buf);
	return v;
}

/* unpin_user_pages: PIN_LONGTERM_TEST_STOP, then the descriptor goes. */
static void cg_gup_test_unpin_var(int var)
{
	int fd = cg_gup_test_fd_of(var);
	int r = cg_gup_test_unpin(fd);
	if (r) {
		errno = -r;
		cg_error("gup_test PIN_LONGTERM_TEST_STOP: %s", strerror(-r));
	}
	close(fd);
	cg_gup_test_fds[var] = 0;
	cg->v[var].kind = CG_UNSET;
}

#endif
