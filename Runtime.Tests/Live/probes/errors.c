/*
 * errors.c - the syscall-reachable rows of docs/fidelity.md's error table on this machine's kernel. Prints one line
 * "CASE RESULT" per case: an errno name (EFAULT, ENOMEM, EINVAL, ENOENT), a signal name (SIGSEGV, SIGBUS) for a CPU
 * access in a child, a byte count for a short vmsplice, "ok", or "skip" when the kernel refuses the feature itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define P 4096UL

static const char *name(int e)
{
	switch (e) {
	case EFAULT: return "EFAULT";
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EAGAIN: return "EAGAIN";
	case EPERM: return "EPERM";
	default: return strerror(e);
	}
}

static void result(const char *what, long ret)
{
	if (ret < 0)
		printf("%s %s\n", what, name(errno));
	else
		printf("%s ok\n", what);
}

static char *map(size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* An address no VMA covers: the middle of three pages (taken right before use: top-down placement reuses holes). */
static char *unmapped(void)
{
	char *m = map(3 * P, PROT_NONE);
	munmap(m + P, P);
	return m + P;
}

/* A read-write page between two PROT_NONE pages: a VMA of its own. */
static char *fenced(void)
{
	char *m = map(3 * P, PROT_NONE);
	mprotect(m + P, P, PROT_READ | PROT_WRITE);
	return m + P;
}

/* Four written pages whose last one is unmapped again. */
static char *three_then_hole(void)
{
	char *m = map(4 * P, PROT_READ | PROT_WRITE);
	memset(m, 1, 4 * P);
	munmap(m + 3 * P, P);
	return m;
}

static void access_in_child(const char *what, volatile char *addr, int write)
{
	pid_t child = fork();
	if (child == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);
	if (WIFSIGNALED(status))
		printf("%s %s\n", what, WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : WTERMSIG(status) == SIGBUS ? "SIGBUS" : "signal");
	else
		printf("%s ok\n", what);
}

static void io_uring_register(const char *what, void *addr, size_t len)
{
	struct io_uring_params params;
	memset(&params, 0, sizeof params);
	int ring = (int)syscall(__NR_io_uring_setup, 4, &params);
	if (ring < 0) {
		printf("%s skip\n", what);
		return;
	}
	struct iovec iov = { addr, len };
	result(what, syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS, &iov, 1));
	close(ring);
}

int main(void)
{
	int pipefd[2];
	pipe(pipefd);
	fcntl(pipefd[1], F_SETPIPE_SZ, 16 * P);

	struct iovec iov = { unmapped(), P };
	result("vmsplice-unmapped", vmsplice(pipefd[1], &iov, 1, 0));

	char *hole = three_then_hole();
	struct iovec partial = { hole + P - 100, 4 * P };
	long spliced = vmsplice(pipefd[1], &partial, 1, 0);
	if (spliced < 0)
		result("vmsplice-partial", spliced);
	else
		printf("vmsplice-partial %ld\n", spliced);

	io_uring_register("iouring-register-hole", three_then_hole(), 4 * P);
	char *ro = fenced();
	memset(ro, 1, P);
	mprotect(ro, P, PROT_READ);
	io_uring_register("iouring-register-readonly", ro, P);

	char *one = fenced();
	result("mremap-beyond-vma", (long)mremap(one, 2 * P, 4 * P, MREMAP_MAYMOVE) == -1 ? -1 : 0);
	result("munmap-unaligned", munmap(one + 1, P));
	result("mprotect-unmapped", mprotect(unmapped(), P, PROT_READ));
	result("madvise-unmapped", madvise(unmapped(), P, MADV_DONTNEED));
	result("madvise-unknown-advice", madvise(one, P, 12345));

	access_in_child("read-unmapped", unmapped(), 0);
	access_in_child("write-readonly", ro, 1);
	int memfd = memfd_create("errors", 0);
	ftruncate(memfd, P);
	char *file = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	access_in_child("memfd-beyond-eof", file + P, 1);

	int uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC);
	struct uffdio_api api = { .api = UFFD_API };
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		printf("uffd-wp-unregistered skip\n");
	} else {
		struct uffdio_writeprotect wp = { .range = { (unsigned long)one, P }, .mode = UFFDIO_WRITEPROTECT_MODE_WP };
		result("uffd-wp-unregistered", ioctl(uffd, UFFDIO_WRITEPROTECT, &wp));
	}
	return 0;
}
