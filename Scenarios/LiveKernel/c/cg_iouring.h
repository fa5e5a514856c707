/*
 * cg_iouring.h - io_uring fixed buffers through raw system calls (no liburing). IORING_REGISTER_BUFFERS pins the
 * pages with FOLL_WRITE|FOLL_PIN|FOLL_LONGTERM (io_uring/rsrc.c io_pin_pages -> pin_user_pages_fast), which makes
 * it the one unprivileged way to hold a long-term R/W pin; IORING_OP_WRITE_FIXED/READ_FIXED are the "device" that
 * reads or writes the pinned pages.
 *
 * The agent whose memory is pinned sets the ring up and registers the buffer (the pin is taken on current->mm),
 * then hands the ring to the driver (cg_handover.h: pidfd_getfd): the pins belong to the ring, not to a process, so
 * they last until io_uring_unregister even when that agent exits, and the driver submits the device's I/O.
 */
#ifndef CG_IOURING_H
#define CG_IOURING_H

struct cg_ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static struct cg_ring cg_rings[CG_MAX_VARS]; /* in the driver: the ring behind each BUFFER variable */

static void *cg_ring_map(int fd, size_t len, off_t off)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, off);
	if (p == MAP_FAILED)
		cg_error("mmap io_uring ring: %s", strerror(errno));
	return p;
}

/* Driver side: map the rings of a handed-over ring fd. */
static void cg_adopt_ring(const struct cg_handover *h, int fd)
{
	const struct io_uring_params *params = &h->ring;
	struct cg_ring *r = &cg_rings[h->var];
	r->fd = fd;
	char *sq = cg_ring_map(fd, params->sq_off.array + params->sq_entries * sizeof(unsigned), IORING_OFF_SQ_RING);
	char *cq = cg_ring_map(fd, params->cq_off.cqes + params->cq_entries * sizeof(struct io_uring_cqe), IORING_OFF_CQ_RING);
	r->sqes = cg_ring_map(fd, params->sq_entries * sizeof(struct io_uring_sqe), IORING_OFF_SQES);
	r->sq_tail = (unsigned *)(sq + params->sq_off.tail);
	r->sq_mask = (unsigned *)(sq + params->sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + params->sq_off.array);
	r->cq_head = (unsigned *)(cq + params->cq_off.head);
	r->cq_tail = (unsigned *)(cq + params->cq_off.tail);
	r->cq_mask = (unsigned *)(cq + params->cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + params->cq_off.cqes);
}

/* Agent side, io_uring_register: a fresh ring per buffer, the buffer registered at index 0, the ring handed over. */
static struct cg_val cg_uring_register(int var, uint64_t addr, uint64_t len)
{
	struct cg_handover h = { .kind = CG_HAND_RING, .var = var };
	int fd = (int)syscall(__NR_io_uring_setup, 1, &h.ring);
	if (fd < 0)
		cg_skip("io_uring_setup: %s (io_uring disabled by kernel.io_uring_disabled or a seccomp filter?)", strerror(errno));
	struct iovec iov = { .iov_base = (void *)addr, .iov_len = len };
	if (syscall(__NR_io_uring_register, fd, IORING_REGISTER_BUFFERS, &iov, 1)) {
		if (errno == ENOMEM || errno == EPERM)
			cg_skip("IORING_REGISTER_BUFFERS of %llu bytes: %s (RLIMIT_MEMLOCK without CAP_IPC_LOCK?)",
				(unsigned long long)len, strerror(errno));
		cg_error("IORING_REGISTER_BUFFERS of %llu bytes at 0x%llx: %s", (unsigned long long)len,
			 (unsigned long long)addr, strerror(errno));
	}
	h.agent_fd = fd;
	cg_hand_over(&h, NULL);
	cg_deferred_close = fd;
	struct cg_val v = { .kind = CG_BUFFER, .addr = addr, .len = len };
	return v;
}

/* One fixed-buffer I/O at file offset 0, waited for; the whole buffer must transfer. */
static void cg_uring_fixed_io(int var, int opcode, int file_fd)
{
	cg_require_kind(var, CG_BUFFER, "a registered io_uring buffer");
	struct cg_val *b = &cg->v[var];
	struct cg_ring *r = &cg_rings[var];
	unsigned tail = *r->sq_tail, index = tail & *r->sq_mask;
	struct io_uring_sqe *sqe = &r->sqes[index];
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = (unsigned char)opcode;
	sqe->fd = file_fd;
	sqe->addr = b->addr;
	sqe->len = (unsigned)b->len;
	sqe->off = 0;
	sqe->buf_index = 0;
	r->sq_array[index] = index;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		cg_error("io_uring_enter: %s", strerror(errno));
	unsigned head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		cg_error("io_uring: no completion after io_uring_enter");
	int res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	if (res < 0 || (uint64_t)res != b->len)
		cg_error("%s of %llu bytes: %s", opcode == IORING_OP_WRITE_FIXED ? "IORING_OP_WRITE_FIXED" : "IORING_OP_READ_FIXED",
			 (unsigned long long)b->len, res < 0 ? strerror(-res) : "short transfer");
}

static void cg_uring_write_fixed(int var, int file_var)
{
	cg_uring_fixed_io(var, IORING_OP_WRITE_FIXED, cg_file_fd(file_var));
}

static int cg_scratch_file(uint64_t len)
{
	int fd = memfd_create("cowguard-device", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)len))
		cg_error("scratch memfd: %s", strerror(errno));
	return fd;
}

/* device_read: the device (WRITE_FIXED to a scratch file) reads what the pinned pages hold now. */
static struct cg_val cg_uring_device_read(int var)
{
	cg_require_kind(var, CG_BUFFER, "a registered io_uring buffer");
	uint64_t len = cg->v[var].len;
	int fd = cg_scratch_file(len);
	cg_uring_fixed_io(var, IORING_OP_WRITE_FIXED, fd);
	char *buf = calloc(1, len ? len : 1);
	if (!buf || pread(fd, buf, len, 0) != (ssize_t)len)
		cg_error("read back device data: %s", strerror(errno));
	struct cg_val v = cg_bytes_of(buf, len);
	free(buf);
	close(fd);
	return v;
}

/* device_write: the device (READ_FIXED from a scratch file full of BYTE) writes into the pinned pages. */
static void cg_uring_device_write(int var, uint64_t byte)
{
	cg_require_kind(var, CG_BUFFER, "a registered io_uring buffer");
	uint64_t len = cg->v[var].len;
	int fd = cg_scratch_file(len);
	char *buf = calloc(1, len ? len : 1);
	if (!buf)
		cg_error("out of memory");
	memset(buf, (int)(byte & 0xff), len);
	if (pwrite(fd, buf, len, 0) != (ssize_t)len)
		cg_error("fill device data: %s", strerror(errno));
	free(buf);
	cg_uring_fixed_io(var, IORING_OP_READ_FIXED, fd);
	close(fd);
}

/* io_uring_unregister / unpin: IORING_UNREGISTER_BUFFERS unpins (unpin_user_pages); then the ring is closed. */
static void cg_uring_unregister(int var)
{
	cg_require_kind(var, CG_BUFFER, "a registered io_uring buffer");
	if (syscall(__NR_io_uring_register, cg_rings[var].fd, IORING_UNREGISTER_BUFFERS, NULL, 0))
		cg_error("IORING_UNREGISTER_BUFFERS: %s", strerror(errno));
	close(cg_rings[var].fd);
	cg->v[var].kind = CG_UNSET;
}

#endif
