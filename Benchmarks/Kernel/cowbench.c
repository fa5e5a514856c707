/*
 * cowbench: the live-kernel twins of the VmModel benchmarks (Benchmarks/Model), timed the same way: one
 * iteration = the same system-level operation on N touched (or untouched) 4 KiB anonymous pages.
 *
 *   fork     fork() of a process with N touched pages, child _exit(0), waitpid()   (copy_page_range)
 *   cow      fork(), parent writes one byte to every page while the child lives   (do_wp_page -> wp_page_copy)
 *   zero     mmap, read one byte of every page, munmap                              (do_anonymous_page, zero page)
 *   iouring  IORING_REGISTER_BUFFERS + UNREGISTER of the N pages                   (pin_user_pages FOLL_LONGTERM|FOLL_WRITE)
 *   vmsplice vmsplice the N pages into a 256-buffer pipe in chunks, drain with read (get_user_pages_fast, FOLL_GET)
 *
 * usage: cowbench MODE PAGES ITERATIONS       prints: MODE PAGES median_ns min_ns ITERATIONS
 * Regions get MADV_NOHUGEPAGE so THP never changes the page count (the model does the same by not using THP).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define PIPE_PAGES 256

static void die(const char *what)
{
	fprintf(stderr, "cowbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static char *map_pages(size_t pages, int touch)
{
	char *mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	if (madvise(mem, pages * PAGE, MADV_NOHUGEPAGE))
		die("madvise(MADV_NOHUGEPAGE)");
	if (touch)
		memset(mem, 0x5a, pages * PAGE);
	return mem;
}

static void run_fork(char *mem, size_t pages)
{
	(void)mem;
	(void)pages;
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, NULL, 0) != pid)
		die("waitpid");
}

static void run_cow(char *mem, size_t pages)
{
	static unsigned char value;
	int release[2];
	if (pipe(release))
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char c;
		close(release[1]);
		/* Keep the child alive (and its PTEs mapped) until the parent has written every page. */
		if (read(release[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(release[0]);
	value++;
	for (size_t i = 0; i < pages; i++)
		((volatile char *)mem)[i * PAGE] = (char)value;
	if (write(release[1], "x", 1) != 1)
		die("write(release)");
	close(release[1]);
	if (waitpid(pid, NULL, 0) != pid)
		die("waitpid");
}

static volatile unsigned sink;

static void run_zero(char *unused, size_t pages)
{
	(void)unused;
	char *mem = map_pages(pages, 0);
	unsigned sum = 0;
	for (size_t i = 0; i < pages; i++)
		sum += ((volatile char *)mem)[i * PAGE];
	sink = sum;
	if (munmap(mem, pages * PAGE))
		die("munmap");
}

static int ring_fd = -1;

static void run_iouring(char *mem, size_t pages)
{
	struct iovec iov = { .iov_base = mem, .iov_len = pages * PAGE };
	if (syscall(__NR_io_uring_register, ring_fd, IORING_REGISTER_BUFFERS, &iov, 1))
		die("IORING_REGISTER_BUFFERS");
	if (syscall(__NR_io_uring_register, ring_fd, IORING_UNREGISTER_BUFFERS, NULL, 0))
		die("IORING_UNREGISTER_BUFFERS");
}

static int splice_pipe[2];
static char drain[PIPE_PAGES * PAGE];

static void run_vmsplice(char *mem, size_t pages)
{
	for (size_t done = 0; done < pages; done += PIPE_PAGES) {
		size_t chunk = pages - done < PIPE_PAGES ? pages - done : PIPE_PAGES;
		struct iovec iov = { .iov_base = mem + done * PAGE, .iov_len = chunk * PAGE };
		ssize_t moved = vmsplice(splice_pipe[1], &iov, 1, 0);
		if (moved < 0)
			die("vmsplice");
		while (moved > 0) {
			ssize_t got = read(splice_pipe[0], drain, sizeof(drain));
			if (got <= 0)
				die("read(pipe)");
			moved -= got;
		}
	}
}

static int compare(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: cowbench fork|cow|zero|iouring|vmsplice PAGES ITERATIONS\n");
		return 2;
	}
	const char *mode = argv[1];
	long pages = atol(argv[2]), iterations = atol(argv[3]);
	if (pages <= 0 || iterations <= 0) {
		fprintf(stderr, "cowbench: PAGES and ITERATIONS must be positive (got '%s', '%s')\n", argv[2], argv[3]);
		return 2;
	}

	void (*run)(char *, size_t);
	if (!strcmp(mode, "fork"))
		run = run_fork;
	else if (!strcmp(mode, "cow"))
		run = run_cow;
	else if (!strcmp(mode, "zero"))
		run = run_zero;
	else if (!strcmp(mode, "iouring"))
		run = run_iouring;
	else if (!strcmp(mode, "vmsplice"))
		run = run_vmsplice;
	else {
		fprintf(stderr, "cowbench: unknown mode '%s'\n", mode);
		return 2;
	}

	char *mem = !strcmp(mode, "zero") ? NULL : map_pages((size_t)pages, 1);
	if (run == run_iouring) {
		struct io_uring_params params = { 0 };
		ring_fd = (int)syscall(__NR_io_uring_setup, 1, &params);
		if (ring_fd < 0)
			die("io_uring_setup");
	}
	if (run == run_vmsplice) {
		if (pipe(splice_pipe))
			die("pipe");
		if (fcntl(splice_pipe[1], F_SETPIPE_SZ, PIPE_PAGES * PAGE) < 0)
			die("F_SETPIPE_SZ");
	}

	uint64_t *samples = calloc((size_t)iterations, sizeof(*samples));
	if (!samples)
		die("calloc");
	run(mem, (size_t)pages); /* warm-up: page tables, pipe buffers, ring allocated once */
	for (long i = 0; i < iterations; i++) {
		uint64_t start = now_ns();
		run(mem, (size_t)pages);
		samples[i] = now_ns() - start;
	}
	qsort(samples, (size_t)iterations, sizeof(*samples), compare);
	printf("%s %ld %llu %llu %ld\n", mode, pages, (unsigned long long)samples[iterations / 2],
	       (unsigned long long)samples[0], iterations);
	return 0;
}
