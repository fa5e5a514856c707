/*
 * cg_files.h - memfd and tmpfile files. Files belong to the scenario, not to a process, so the driver creates them
 * and agents reach them through /proc/<driver>/fd/<n> (a fresh open of the same inode), cached per agent.
 */
#ifndef CG_FILES_H
#define CG_FILES_H

#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif

static int cg_agent_fds[CG_MAX_VARS];

static void cg_populate_file(int fd, uint64_t len, const char *what)
{
	if (ftruncate(fd, (off_t)len))
		cg_error("ftruncate %s to %llu: %s", what, (unsigned long long)len, strerror(errno));
	/* cow.c allocates the page-cache pages up front (fallocate) so the mappings see real pages, not holes. */
	if (fallocate(fd, 0, 0, (off_t)len)) {
		if (errno == ENOSPC || errno == ENOMEM)
			cg_skip("cannot allocate %llu bytes for %s: %s", (unsigned long long)len, what, strerror(errno));
		cg_error("fallocate %s: %s", what, strerror(errno));
	}
}

static struct cg_val cg_memfd(uint64_t len, uint64_t hugetlb)
{
	unsigned flags = MFD_CLOEXEC;
	if (hugetlb)
		flags |= MFD_HUGETLB | ((unsigned)cg_log2(hugetlb) << MAP_HUGE_SHIFT);
	int fd = memfd_create("cowguard", flags);
	if (fd < 0) {
		if (hugetlb)
			cg_skip("memfd_create(MFD_HUGETLB %llu kB): %s", (unsigned long long)(hugetlb >> 10), strerror(errno));
		cg_error("memfd_create: %s", strerror(errno));
	}
	cg_populate_file(fd, len, hugetlb ? "a hugetlb memfd" : "a memfd");
	struct cg_val v = { .kind = CG_FILE, .num = (uint64_t)fd, .len = len };
	return v;
}

/* tmpfile(): an unnamed regular file in the temporary directory (O_TMPFILE), like cow.c's tmpfile(). */
static struct cg_val cg_tmpfile(uint64_t len)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		cg_error("open(%s, O_TMPFILE): %s", dir, strerror(errno));
	cg_populate_file(fd, len, "a tmpfile");
	struct cg_val v = { .kind = CG_FILE, .num = (uint64_t)fd, .len = len };
	return v;
}

static int cg_file_fd(int var)
{
	cg_require_kind(var, CG_FILE, "a file");
	if (cg_self < 0)
		return (int)cg->v[var].num;
	if (cg_agent_fds[var] > 0)
		return cg_agent_fds[var] - 1;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)cg->driver, (int)cg->v[var].num);
	int fd = open(path, O_RDWR);
	if (fd < 0)
		cg_error("reopen file '%s' via %s: %s", cg_name(var), path, strerror(errno));
	cg_agent_fds[var] = fd + 1;
	return fd;
}

/* file_read: pread() from offset 0. */
static struct cg_val cg_file_read(int var, uint64_t len)
{
	int fd = cg_file_fd(var);
	char *buf = calloc(1, len ? len : 1);
	if (!buf)
		cg_error("out of memory reading %llu bytes", (unsigned long long)len);
	uint64_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, (off_t)done);
		if (n <= 0)
			cg_error("pread '%s' at %llu: %s", cg_name(var), (unsigned long long)done, n ? strerror(errno) : "end of file");
		done += (uint64_t)n;
	}
	struct cg_val v = cg_bytes_of(buf, len);
	free(buf);
	return v;
}

#endif
