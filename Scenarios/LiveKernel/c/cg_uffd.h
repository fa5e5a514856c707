/*
 * cg_uffd.h - uffd_wp: userfaultfd write-protection (UFFDIO_REGISTER_MODE_WP + UFFDIO_WRITEPROTECT). Each agent
 * makes its own userfaultfd (it watches the mm of the process that calls userfaultfd()) and hands a copy to the
 * driver, which is the fault handler: while it waits for a step it also polls every userfaultfd, and a write
 * fault on a write-protected page (handle_userfault, UFFD_PAGEFAULT_FLAG_WP) is counted in the shared table and
 * resolved with UFFDIO_WRITEPROTECT mode 0, which wakes the faulting thread. The step then learns that it raised
 * a userfault: 'try' turns it into the value "userfault" (the model's name), otherwise it is an error.
 * Resolving lets the faulting access complete, where the model stops it; the verdict is unaffected because the
 * fault itself is what the scenario observes.
 */
#ifndef CG_UFFD_H
#define CG_UFFD_H

#include <linux/userfaultfd.h>
#include <sys/ioctl.h>

#ifndef __NR_userfaultfd
#define __NR_userfaultfd 323
#endif

static int cg_uffd = -1;                   /* in an agent: its own userfaultfd */
static int cg_uffds[CG_MAX_AGENTS];        /* in the driver: agent slot -> handed-over userfaultfd + 1 (0: none) */

static int cg_uffd_open(void)
{
	int fd = (int)syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		cg_skip("userfaultfd(): %s (needs CONFIG_USERFAULTFD and CAP_SYS_PTRACE or vm.unprivileged_userfaultfd = 1)",
			strerror(errno));
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP };
	if (ioctl(fd, UFFDIO_API, &api) || !(api.features & UFFD_FEATURE_PAGEFAULT_FLAG_WP))
		cg_skip("this kernel offers no userfaultfd write-protection (UFFD_FEATURE_PAGEFAULT_FLAG_WP): %s",
			strerror(errno));
	int copy = dup(fd);
	if (copy < 0)
		cg_error("dup userfaultfd: %s", strerror(errno));
	struct cg_handover h = { .kind = CG_HAND_UFFD, .var = cg_self, .count = 1 };
	cg_hand_over(&h, &copy);
	return fd;
}

/* uffd_wp P A L on|off, in the agent of P: register the range for write-protection (once), then protect or resolve. */
static void cg_uffd_wp(uint64_t addr, uint64_t len, int on)
{
	if (cg_uffd < 0)
		cg_uffd = cg_uffd_open();
	if (on) {
		struct uffdio_register reg = { .range = { .start = addr, .len = len }, .mode = UFFDIO_REGISTER_MODE_WP };
		if (ioctl(cg_uffd, UFFDIO_REGISTER, &reg))
			cg_error("UFFDIO_REGISTER_MODE_WP(0x%llx, %llu): %s", (unsigned long long)addr, (unsigned long long)len,
				 strerror(errno));
	}
	struct uffdio_writeprotect wp = { .range = { .start = addr, .len = len }, .mode = on ? UFFDIO_WRITEPROTECT_MODE_WP : 0 };
	if (ioctl(cg_uffd, UFFDIO_WRITEPROTECT, &wp))
		cg_error("UFFDIO_WRITEPROTECT(0x%llx, %llu, %s): %s", (unsigned long long)addr, (unsigned long long)len,
			 on ? "on" : "off", strerror(errno));
}

/* A forked agent starts without a userfaultfd: the parent's watches the parent's mm (no UFFD_FEATURE_EVENT_FORK). */
static void cg_uffd_forget(void)
{
	if (cg_uffd >= 0)
		close(cg_uffd);
	cg_uffd = -1;
}

static void cg_adopt_uffd(int slot, int fd)
{
	cg_uffds[slot] = fd + 1;
}

/* Driver side: handle every pending fault message of the agent at 'slot' (a readable userfaultfd). */
static void cg_uffd_service(int slot)
{
	int fd = cg_uffds[slot] - 1;
	struct uffd_msg msg;
	while (read(fd, &msg, sizeof(msg)) == (ssize_t)sizeof(msg)) {
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		if (!(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP))
			cg_error("unexpected missing-page userfault at 0x%llx", (unsigned long long)msg.arg.pagefault.address);
		__atomic_add_fetch(&cg->userfaults, 1, __ATOMIC_SEQ_CST);
		uint64_t page = msg.arg.pagefault.address & ~(uint64_t)(sysconf(_SC_PAGESIZE) - 1);
		struct uffdio_writeprotect wp = { .range = { .start = page, .len = (uint64_t)sysconf(_SC_PAGESIZE) }, .mode = 0 };
		if (ioctl(fd, UFFDIO_WRITEPROTECT, &wp))
			cg_error("resolve the userfault at 0x%llx (UFFDIO_WRITEPROTECT): %s", (unsigned long long)page, strerror(errno));
	}
}

#endif
