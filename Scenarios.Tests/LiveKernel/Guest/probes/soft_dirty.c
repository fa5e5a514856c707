/*
 * soft_dirty.c - does `echo 4 > /proc/self/clear_refs` write-protect (CONFIG_MEM_SOFT_DIRTY)? Writes a page, reads
 * its soft-dirty bit (pagemap bit 55), clears the bits, reads again, writes again, reads again.
 * Prints "soft-dirty: works" for 1 0 1, "soft-dirty: unsupported" when a freshly written page is not soft-dirty (the
 * kernel accepts clear_refs 4 without the option but tracks nothing), else "soft-dirty: broken A B C".
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static int soft_dirty(void *addr)
{
	uint64_t entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	pread(fd, &entry, sizeof(entry), (off_t)((uintptr_t)addr / (uintptr_t)sysconf(_SC_PAGESIZE)) * 8);
	close(fd);
	return (int)((entry >> 55) & 1);
}

static void clear_refs(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);
	write(fd, "4", 1);
	close(fd);
}

int main(void)
{
	size_t size = (size_t)sysconf(_SC_PAGESIZE);
	volatile char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mem[0] = 1;
	int a = soft_dirty((void *)mem);
	clear_refs();
	int b = soft_dirty((void *)mem);
	mem[0] = 2; /* faults if clear_refs write-protected the PTE; the fault sets soft-dirty again */
	int c = soft_dirty((void *)mem);
	if (a == 0)
		printf("soft-dirty: unsupported\n");
	else if (a == 1 && b == 0 && c == 1)
		printf("soft-dirty: works\n");
	else
		printf("soft-dirty: broken %d %d %d\n", a, b, c);
	return 0;
}
