/*
 * cg_handover.h - page references outlive the process that took them, as the model's handles do. A set of pipes
 * filled by vmsplice() (pipe_buffers holding FOLL_GET references), an io_uring ring with registered buffers
 * (io_mapped_ubuf holding FOLL_PIN|FOLL_LONGTERM pins), a gup_test file holding a R/O pin and a userfaultfd are files: the agent that made one sends
 * its descriptors to the driver over a unix socket (SCM_RIGHTS) and closes its own, so the driver holds the only
 * file reference. An agent that exits or forks therefore neither drops nor duplicates the reference.
 */
#ifndef CG_HANDOVER_H
#define CG_HANDOVER_H

#include <linux/io_uring.h>
#include <sys/socket.h>

#define CG_MAX_PIPES 64

enum cg_handover_kind { CG_HAND_PIPES, CG_HAND_RING, CG_HAND_UFFD, CG_HAND_GUPTEST };

struct cg_handover {
	int kind;
	int var;   /* PIPES/RING/GUPTEST: the scenario variable; UFFD: the agent slot whose mm the userfaultfd watches */
	int count; /* descriptors attached (SCM_RIGHTS) */
	int agent_fd; /* RING: the agent's descriptor, for pidfd_getfd() */
	union {
		uint64_t pipe_len[CG_MAX_PIPES];  /* PIPES: bytes queued in each pipe */
		struct io_uring_params ring;     /* RING: the offsets the driver needs to map the rings */
	};
};

static int cg_hand[2]; /* socketpair: [0] the driver's end, [1] the agents' end */
static int cg_deferred_close = -1; /* in an agent: a ring descriptor the driver copies after the current step */

#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif

static void cg_handover_init(void)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cg_hand))
		cg_error("socketpair: %s", strerror(errno));
}

/* Agent side: send the description and the descriptors (if any), then close them here. */
static void cg_hand_over(const struct cg_handover *h, const int *fds)
{
	char control[CMSG_SPACE(sizeof(int) * CG_MAX_PIPES)];
	struct iovec iov = { .iov_base = (void *)h, .iov_len = sizeof(*h) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	memset(control, 0, sizeof(control));
	if (h->count > 0) {
		msg.msg_control = control;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)h->count);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)h->count);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)h->count);
	}
	if (sendmsg(cg_hand[1], &msg, 0) != (ssize_t)sizeof(*h))
		cg_error("hand descriptors to the driver: %s", strerror(errno));
	for (int i = 0; i < h->count; i++)
		close(fds[i]);
}

/* Agent side, before each step: the driver has copied the ring descriptor handed over in the previous one. */
static void cg_close_deferred(void)
{
	if (cg_deferred_close >= 0)
		close(cg_deferred_close);
	cg_deferred_close = -1;
}

static void cg_adopt_pipes(const struct cg_handover *h, const int *fds);
static void cg_adopt_ring(const struct cg_handover *h, int fd);
static void cg_adopt_uffd(int slot, int fd);
static void cg_adopt_gup_test(int var, int fd);

/* Driver side: copy a descriptor out of the agent whose pidfd is given. */
static int cg_take_fd(int pidfd, int agent_fd)
{
	int fd = (int)syscall(__NR_pidfd_getfd, pidfd, agent_fd, 0);
	if (fd < 0 && (errno == EPERM || errno == ENOSYS))
		cg_skip("pidfd_getfd: %s (needs Linux 5.6 and ptrace access to the agent)", strerror(errno));
	if (fd < 0)
		cg_error("pidfd_getfd(%d): %s", agent_fd, strerror(errno));
	return fd;
}

/* Driver side, after every step of the agent with pidfd 'pidfd': take whatever it handed over during the step. */
static void cg_receive_handovers(int pidfd)
{
	for (;;) {
		struct cg_handover h;
		char control[CMSG_SPACE(sizeof(int) * CG_MAX_PIPES)];
		struct iovec iov = { .iov_base = &h, .iov_len = sizeof(h) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof(control) };
		ssize_t n = recvmsg(cg_hand[0], &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n != (ssize_t)sizeof(h))
			cg_error("receive handed-over descriptors: %s", n < 0 ? strerror(errno) : "short message");
		int fds[CG_MAX_PIPES];
		if (h.count > 0) {
			struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
			if (!c || c->cmsg_type != SCM_RIGHTS || (msg.msg_flags & MSG_CTRUNC)
			    || c->cmsg_len != CMSG_LEN(sizeof(int) * (size_t)h.count))
				cg_error("receive handed-over descriptors: malformed message");
			memcpy(fds, CMSG_DATA(c), sizeof(int) * (size_t)h.count);
		}
		if (h.kind == CG_HAND_PIPES)
			cg_adopt_pipes(&h, fds);
		else if (h.kind == CG_HAND_RING)
			cg_adopt_ring(&h, cg_take_fd(pidfd, h.agent_fd));
		else if (h.kind == CG_HAND_GUPTEST)
			cg_adopt_gup_test(h.var, fds[0]);
		else
			cg_adopt_uffd(h.var, fds[0]);
	}
}

#endif
