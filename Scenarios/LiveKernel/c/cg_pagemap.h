/*
 * cg_pagemap.h - /proc/self/pagemap bits (Documentation/admin-guide/mm/pagemap.rst): 63 present, 62 swapped,
 * 56 "page exclusively mapped" (mapcount == 1, not PageAnonExclusive), 55 soft-dirty, 0-54 the page frame number
 * (shown only to CAP_SYS_ADMIN, zero otherwise).
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

/* pfn P A: the page frame number mapped at addr. Only equality with another pfn means anything (the model numbers its own). */
static uint64_t cg_pfn(uint64_t addr)
{
	uint64_t entry = cg_pagemap_entry(addr);
	if (!(entry & CG_PM_PRESENT))
		cg_error("'pfn' needs a present page, but nothing is mapped at 0x%llx", (unsigned long long)addr);
	uint64_t pfn = entry & ((1ULL << 55) - 1);
	if (!pfn)
		cg_skip("/proc/self/pagemap hides page frame numbers (needs CAP_SYS_ADMIN)");
	return pfn;
}

#endif
