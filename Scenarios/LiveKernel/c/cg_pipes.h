/*
 * cg_pipes.h - vmsplice(): the pipe holds FOLL_GET references to the user pages (vmsplice_to_pipe ->
 * iov_iter_get_pages2, a R/O GUP that never unshares), the canonical unprivileged "wrong-side COW" probe.
 */
#ifndef CG_PIPES_H
#define CG_PIPES_H

/*
 * The pipe is grown to hold the whole range (cow.c only compares what one vmsplice transferred; growing the pipe
 * makes the live run compare all bytes, like the model). Root may exceed fs.pipe-max-size (CAP_SYS_RESOURCE).
 */
static struct cg_val cg_vmsplice(uint64_t addr, uint64_t len)
{
	int fds[2];
	if (pipe(fds))
		cg_error("pipe: %s", strerror(errno));
	uint64_t want = (uint64_t)sysconf(_SC_PAGESIZE);
	while (want < len)
		want <<= 1;
	if (want > 65536 && fcntl(fds[1], F_SETPIPE_SZ, (int)want) < 0)
		cg_skip("cannot grow a pipe to %llu bytes for vmsplice of %llu bytes: %s", (unsigned long long)want,
			(unsigned long long)len, strerror(errno));
	uint64_t done = 0;
	while (done < len) {
		struct iovec iov = { .iov_base = (void *)(addr + done), .iov_len = len - done };
		ssize_t n = vmsplice(fds[1], &iov, 1, SPLICE_F_NONBLOCK);
		if (n <= 0)
			cg_error("vmsplice at +%llu of %llu bytes: %s", (unsigned long long)done, (unsigned long long)len,
				 n ? strerror(errno) : "pipe full");
		done += (uint64_t)n;
	}
	struct cg_val v = { .kind = CG_PIPE, .owner = cg_self, .num = (uint64_t)fds[0], .aux_fd = fds[1], .len = len };
	return v;
}

static int cg_read_full(int fd, char *buf, uint64_t len)
{
	uint64_t done = 0;
	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);
		if (n <= 0)
			return -1;
		done += (uint64_t)n;
	}
	return 0;
}

/* pipe_read: read() everything the pipe holds (copies out of the referenced pages as they are now). */
static struct cg_val cg_pipe_read(int var)
{
	cg_require_kind(var, CG_PIPE, "a pipe");
	struct cg_val *p = &cg->v[var];
	char *buf = malloc(p->len ? p->len : 1);
	if (!buf)
		cg_error("out of memory reading %llu bytes", (unsigned long long)p->len);
	if (cg_read_full((int)p->num, buf, p->len))
		cg_error("read pipe '%s': %s", cg_name(var), strerror(errno));
	struct cg_val v = cg_bytes_of(buf, p->len);
	free(buf);
	p->len = 0; /* the pipe is drained */
	return v;
}

/* device_read through a FOLL_GET handle made by vmsplice: tee() copies the pipe buffers without consuming them. */
static struct cg_val cg_pipe_peek(int var)
{
	cg_require_kind(var, CG_PIPE, "a pipe");
	struct cg_val *p = &cg->v[var];
	int scratch[2];
	if (pipe(scratch))
		cg_error("pipe: %s", strerror(errno));
	if (p->len > 65536)
		(void)fcntl(scratch[1], F_SETPIPE_SZ, (int)p->len);
	/* tee() always starts at the head of the input pipe, so one call must copy everything. */
	ssize_t n = p->len ? tee((int)p->num, scratch[1], p->len, SPLICE_F_NONBLOCK) : 0;
	if (n < 0 || (uint64_t)n != p->len)
		cg_error("tee pipe '%s': copied %lld of %llu bytes: %s", cg_name(var), (long long)n,
			 (unsigned long long)p->len, n < 0 ? strerror(errno) : "short copy");
	char *buf = malloc(p->len ? p->len : 1);
	if (!buf || cg_read_full(scratch[0], buf, p->len))
		cg_error("read tee copy of '%s': %s", cg_name(var), strerror(errno));
	struct cg_val v = cg_bytes_of(buf, p->len);
	free(buf);
	close(scratch[0]);
	close(scratch[1]);
	return v;
}

/* put_pages on a vmsplice handle: closing both ends frees the pipe buffers and drops the page references. */
static void cg_pipe_close(int var)
{
	cg_require_kind(var, CG_PIPE, "a pipe");
	close((int)cg->v[var].num);
	close(cg->v[var].aux_fd);
	cg->v[var].kind = CG_UNSET;
}

#endif
