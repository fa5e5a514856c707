/*
 * cg_pagemap.h - /proc/self/pagemap bits (Documentation/admin-guide/mm/pagemap.rst): 63 present, 62 swapped,
 * 56 "page exclusively mapped" (mapcount == 1, not PageAnonExclusive), 55 soft-dirty.
 */
#ifndef CG_PAGEMAP_H
#define CG_PAGEMAP_H

#define CG_PM_PRESENT (1ULL << 63)
#define CG_PM_SWAPPED (1ULL << 62)
#define CG_PM_EXCLUSIVE (1ULL << 56)
#define CG_PM_SOFT_DIRTY (1ULL << 55)

static uint64_t cg_pagemap_entry(uint64_t addr)
{
	uint64_t entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		cg_error("open /proc/self/pagemap: %s", strerror(errno));
	off_t off = (off_t)(addr / (uint64_t)sysconf(_SC_PAGESIZE)) * 8;
	if (pread(fd, &entry, sizeof(entry), off) != sizeof(entry))
		cg_error("read /proc/self/pagemap at 0x%llx: %s", (unsigned long long)addr, strerror(errno));
	close(fd);
	return entry;
}

static int cg_pagemap_bit(uint64_t addr, uint64_t bit)
{
	return (cg_pagemap_entry(addr) & bit) != 0;
}

#endif
