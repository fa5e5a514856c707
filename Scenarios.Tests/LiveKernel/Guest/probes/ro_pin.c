/*
 * ro_pin.c MODE WALK - cow.c's "R/O GUP pin on R/O-mapped ... page" through /sys/kernel/debug/gup_test.
 * MODE: shared (a child still maps the page), exclusive (only we map it), or rw-on-ro (a R/W pin of a read-only
 * mapping, which check_vma_flags refuses). WALK: slow (pin_user_pages) or fast (pin_user_pages_fast).
 * Prints one line: "coherent" when the pinned page shows the write made after pinning (what AnonExclusive + unshare
 * promise since 5.19), "stale" when it does not, "pin: <errno name>" when the pin failed, "no gup_test: ..." (exit 3)
 * when the kernel lacks CONFIG_GUP_TEST.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "cg_guptest.h"

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	const char *mode = argv[1];
	int fast = strcmp(argv[2], "fast") == 0;
	size_t size = (size_t)sysconf(_SC_PAGESIZE);
	int fd = cg_gup_test_open();
	if (fd < 0) {
		printf("no gup_test: %s\n", strerror(-fd));
		return 3;
	}
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 2;
	madvise(mem, size, MADV_NOHUGEPAGE);
	memset(mem, 1, size);
	pid_t child = 0;
	if (strcmp(mode, "shared") == 0) {
		child = fork();
		if (child == 0) {
			pause(); /* keeps the page mapped (shared, COW) until killed */
			_exit(0);
		}
	}
	if (mprotect(mem, size, PROT_READ))
		return 2;
	int pinned = cg_gup_test_pin(fd, mem, size, strcmp(mode, "rw-on-ro") == 0, fast);
	if (pinned) {
		printf("pin: %s\n", pinned == -EFAULT ? "EFAULT" : strerror(-pinned));
	} else {
		/* The write after the pin: with a shared page it must not COW away from the pinned page. */
		mprotect(mem, size, PROT_READ | PROT_WRITE);
		memset(mem, 0xff, size);
		char *seen = malloc(size);
		if (cg_gup_test_read(fd, seen))
			return 2;
		printf("%s\n", memcmp(mem, seen, size) == 0 ? "coherent" : "stale");
		cg_gup_test_unpin(fd);
	}
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	return 0;
}
