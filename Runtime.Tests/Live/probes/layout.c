/*
 * layout.c OP... - runs mmap/munmap/mremap steps and prints where the kernel put each mapping, for
 * AddressLayoutLiveTests. Built statically, so the only mappings near mmap_base are [vvar] and [vdso]: printed first
 * as "vma START END" lines (every mapping above 0x7000_0000_0000 except the stack and vsyscall).
 * Steps: "m LEN" (private anonymous), "s LEN" (shared anonymous), "u I OFF LEN" (munmap part of mapping I),
 * "r I NEWLEN" (mremap mapping I, one page long, to NEWLEN with MREMAP_MAYMOVE). Prints "at ADDR" per mapping step.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	char line[512];
	FILE *maps = fopen("/proc/self/maps", "r");
	while (fgets(line, sizeof line, maps)) {
		unsigned long start, end;
		if (sscanf(line, "%lx-%lx", &start, &end) == 2 && start >= 0x700000000000UL && !strstr(line, "[stack]") && !strstr(line, "[vsyscall]"))
			printf("vma %lx %lx\n", start, end);
	}
	fclose(maps);
	char *at[64];
	int n = 0;
	for (int i = 1; i < argc; i++) {
		char *p;
		if (!strcmp(argv[i], "m") || !strcmp(argv[i], "s")) {
			int shared = argv[i][0] == 's';
			size_t len = strtoul(argv[++i], NULL, 0);
			p = mmap(NULL, len, PROT_READ | PROT_WRITE, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
		} else if (!strcmp(argv[i], "u")) {
			int which = atoi(argv[++i]);
			size_t off = strtoul(argv[++i], NULL, 0), len = strtoul(argv[++i], NULL, 0);
			if (munmap(at[which] + off, len))
				return 2;
			continue;
		} else if (!strcmp(argv[i], "r")) {
			int which = atoi(argv[++i]);
			size_t len = strtoul(argv[++i], NULL, 0);
			p = mremap(at[which], 4096, len, MREMAP_MAYMOVE);
		} else {
			return 2;
		}
		if (p == MAP_FAILED)
			return 2;
		at[n++] = p;
		printf("at %lx\n", (unsigned long)p);
	}
	return 0;
}
