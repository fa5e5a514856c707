/*
 * cg_pipes.h - vmsplice(): the pipe holds FOLL_GET references to the user pages (vmsplice_to_pipe ->
 * iov_iter_get_pages2, a R/O GUP that never unshares), the canonical unprivileged "wrong-side COW" probe.
 *
 * cow.c compares only what one vmsplice() call transferred (64 KiB with a default pipe). To compare every byte
 * like the model does, a scenario pipe is a set of pipes, each grown to fs.pipe-max-size, filled in order.
 * The agent that splices hands the read ends to the driver (cg_handover.h) and closes its descriptors, so the
 * pipe_buffers and their page references stay until put_pages, even after that process exits; pipe_read and
 * device_read run in the driver.
 */
#ifndef CG_PIPES_H
#define CG_PIPES_H

struct cg_pipeset {
	int count;
	int rd[CG_MAX_PIPES];
	uint64_t len[CG_MAX_PIPES];
};

static struct cg_pipeset cg_pipesets[CG_MAX_VARS]; /* in the driver: the pipes behind each PIPE variable */

static uint64_t cg_pipe_max_size(void)
{
	unsigned long max = 1UL << 20;
	FILE *f = fopen("/proc/sys/fs/pipe-max-size", "r");
	if (f) {
		if (fscanf(f, "%lu", &max) != 1)
			max = 1UL << 20;
		fclose(f);
	}
	return max;
}

/* Agent side: splice [addr, addr+len) into pipes and hand their read ends to the driver. */
static struct cg_val cg_vmsplice(int var, uint64_t addr, uint64_t len, int partial)
{
	struct cg_handover h = { .kind = CG_HAND_PIPES, .var = var };
	int rd[CG_MAX_PIPES];
	uint64_t chunk = cg_pipe_max_size(), done = 0;
	int stopped = 0;
	while (done < len && !stopped) {
		if (h.count == CG_MAX_PIPES)
			cg_skip("vmsplice of %llu bytes needs more than %d pipes of %llu bytes", (unsigned long long)len,
				CG_MAX_PIPES, (unsigned long long)chunk);
		int fds[2];
		if (pipe(fds))
			cg_error("pipe: %s", strerror(errno));
		uint64_t want = len - done < chunk ? len - done : chunk;
		if (want > 65536 && fcntl(fds[1], F_SETPIPE_SZ, (int)want) < 0)
			cg_error("grow a pipe to %llu bytes: %s", (unsigned long long)want, strerror(errno));
		uint64_t in_pipe = 0;
		while (in_pipe < want) {
			struct iovec iov = { .iov_base = (void *)(addr + done), .iov_len = want - in_pipe };
			ssize_t n = vmsplice(fds[1], &iov, 1, SPLICE_F_NONBLOCK);
			if (n <= 0 && in_pipe > 0 && errno == EAGAIN)
				break; /* this pipe is full (page-granular slots); continue in the next one */
			if (n < 0 && partial && done > 0 && errno == EFAULT) {
				/* A partial GUP keeps the pages before the one it could not take (__get_user_pages: i ? i : ret). */
				stopped = 1;
				break;
			}
			if (n <= 0)
				cg_error("vmsplice at +%llu of %llu bytes: %s", (unsigned long long)done, (unsigned long long)len,
					 n ? strerror(errno) : "nothing transferred");
			in_pipe += (uint64_t)n;
			done += (uint64_t)n;
		}
		close(fds[1]); /* the reader sees the queued buffers, then end-of-file */
		if (in_pipe == 0) {
			close(fds[0]);
			break;
		}
		rd[h.count] = fds[0];
		h.pipe_len[h.count++] = in_pipe;
	}
	cg_hand_over(&h, rd);
	struct cg_val v = { .kind = CG_PIPE, .len = done };
	return v;
}

/* Driver side: the read ends an agent handed over. */
static void cg_adopt_pipes(const struct cg_handover *h, const int *fds)
{
	struct cg_pipeset *set = &cg_pipesets[h->var];
	set->count = h->count;
	for (int i = 0; i < h->count; i++) {
		set->rd[i] = fds[i];
		set->len[i] = h->pipe_len[i];
	}
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

/*
 * pipe_read (consume) or a device_read through a vmsplice handle (peek: tee() into a scratch pipe first, which
 * duplicates the pipe buffers without consuming them). Either way the bytes are copied out of the referenced pages now.
 */
static struct cg_val cg_pipe_bytes(int var, int consume)
{
	cg_require_kind(var, CG_PIPE, "a pipe");
	struct cg_pipeset *set = &cg_pipesets[var];
	uint64_t total = cg->v[var].len, off = 0;
	char *buf = calloc(1, total ? total : 1);
	if (!buf)
		cg_error("out of memory reading %llu bytes", (unsigned long long)total);
	for (int i = 0; i < set->count; i++) {
		int from = set->rd[i], scratch[2] = { -1, -1 };
		if (!consume) {
			if (pipe(scratch))
				cg_error("pipe: %s", strerror(errno));
			if (set->len[i] > 65536 && fcntl(scratch[1], F_SETPIPE_SZ, (int)set->len[i]) < 0)
				cg_error("grow a pipe: %s", strerror(errno));
			/* tee() always starts at the head of the input pipe, so one call must copy everything. */
			ssize_t n = tee(from, scratch[1], set->len[i], SPLICE_F_NONBLOCK);
			if (n < 0 || (uint64_t)n != set->len[i])
				cg_error("tee pipe '%s': %s", cg_name(var), n < 0 ? strerror(errno) : "short copy");
			from = scratch[0];
		}
		if (cg_read_full(from, buf + off, set->len[i]))
			cg_error("read pipe '%s': %s", cg_name(var), strerror(errno));
		off += set->len[i];
		if (!consume) {
			close(scratch[0]);
			close(scratch[1]);
		} else {
			set->len[i] = 0;
		}
	}
	struct cg_val v = cg_bytes_of(buf, off);
	free(buf);
	if (consume)
		cg->v[var].len = 0; /* drained */
	return v;
}

/* put_pages on a vmsplice handle: closing the last descriptor frees the pipe buffers and drops the page references. */
static void cg_pipe_close(int var)
{
	cg_require_kind(var, CG_PIPE, "a pipe");
	struct cg_pipeset *set = &cg_pipesets[var];
	for (int i = 0; i < set->count; i++)
		close(set->rd[i]);
	set->count = 0;
	cg->v[var].kind = CG_UNSET;
}

#endif
