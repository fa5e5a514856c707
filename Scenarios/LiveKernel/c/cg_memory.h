/* cg_memory.h - the memory operations of a scenario as ordinary system calls, run inside the acting agent. */
#ifndef CG_MEMORY_H
#define CG_MEMORY_H

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

enum cg_prot { CG_PROT_NONE, CG_PROT_READ, CG_PROT_RW };

static int cg_prot_bits(int prot)
{
	return prot == CG_PROT_RW ? PROT_READ | PROT_WRITE : prot == CG_PROT_READ ? PROT_READ : PROT_NONE;
}

static int cg_log2(uint64_t n)
{
	int l = 0;
	while ((1ULL << l) < n)
		l++;
	return l;
}

static int cg_file_fd(int var);

/*
 * mmap(): anonymous private unless told. align>0 maps len+align and trims both ends so the VMA is exactly len long
 * at an aligned address (cow.c maps twice the THP size and aligns; trimming keeps a larger folio order from fitting).
 * A hugetlb mapping that fails with ENOMEM means the pool has no free page of that size: a skip, not an error.
 */
static uint64_t cg_mmap(uint64_t len, int prot, int shared, int file_var, uint64_t hugetlb, uint64_t align)
{
	int flags = shared ? MAP_SHARED : MAP_PRIVATE;
	int fd = -1;
	if (file_var >= 0)
		fd = cg_file_fd(file_var);
	else
		flags |= MAP_ANONYMOUS;
	if (hugetlb && fd < 0)
		flags |= MAP_HUGETLB | (cg_log2(hugetlb) << MAP_HUGE_SHIFT);
	if (hugetlb && align < hugetlb)
		align = 0; /* the kernel aligns hugetlb mappings itself */
	uint64_t span = len + align;
	char *p = mmap(NULL, span, cg_prot_bits(prot), flags, fd, 0);
	if (p == MAP_FAILED) {
		if (hugetlb && (errno == ENOMEM || errno == EINVAL))
			cg_skip("no free hugetlb page of %llu kB for a %llu-byte mapping (mmap: %s)",
				(unsigned long long)(hugetlb >> 10), (unsigned long long)len, strerror(errno));
		cg_error("mmap(%llu bytes): %s", (unsigned long long)span, strerror(errno));
	}
	if (!align)
		return (uint64_t)p;
	uint64_t start = ((uint64_t)p + align - 1) & ~(align - 1);
	if (start > (uint64_t)p)
		munmap(p, start - (uint64_t)p);
	if ((uint64_t)p + span > start + len)
		munmap((void *)(start + len), (uint64_t)p + span - (start + len));
	return start;
}

static void cg_munmap(uint64_t addr, uint64_t len)
{
	if (munmap((void *)addr, len))
		cg_error("munmap(0x%llx, %llu): %s", (unsigned long long)addr, (unsigned long long)len, strerror(errno));
}

static void cg_mprotect(uint64_t addr, uint64_t len, int prot)
{
	if (mprotect((void *)addr, len, cg_prot_bits(prot)))
		cg_error("mprotect(0x%llx, %llu): %s", (unsigned long long)addr, (unsigned long long)len, strerror(errno));
}

/*
 * madvise(); MADV_COLLAPSE may legitimately fail (no THP available, cow.c skips then), so that is a skip.
 * in_backing: the call prepares a backing, which must be what it claims (cow.c checks a swapped-out backing
 * really is swapped out and skips otherwise); in a scenario's own steps the kernel's choice is what is observed.
 */
static void cg_madvise(uint64_t addr, uint64_t len, int advice, const char *name, int in_backing)
{
	if (madvise((void *)addr, len, advice) == 0) {
		/* cow.c insists that MADV_PAGEOUT really swapped every page out, and skips otherwise (no swap, no luck). */
		if (advice == MADV_PAGEOUT && in_backing)
			for (uint64_t a = addr; a < addr + len; a += (uint64_t)sysconf(_SC_PAGESIZE))
				if (!cg_pagemap_bit(a, CG_PM_SWAPPED))
					cg_skip("MADV_PAGEOUT left 0x%llx in memory (is swap active?)", (unsigned long long)a);
		return;
	}
	if (advice == MADV_COLLAPSE)
		cg_skip("MADV_COLLAPSE failed: %s", strerror(errno));
	cg_error("madvise(0x%llx, %llu, %s): %s", (unsigned long long)addr, (unsigned long long)len, name, strerror(errno));
}

static uint64_t cg_mremap(uint64_t addr, uint64_t old_len, uint64_t new_len, int fixed, uint64_t to)
{
	void *p = fixed ? mremap((void *)addr, old_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)to)
			: mremap((void *)addr, old_len, new_len, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		cg_error("mremap(0x%llx, %llu, %llu): %s", (unsigned long long)addr, (unsigned long long)old_len,
			 (unsigned long long)new_len, strerror(errno));
	return (uint64_t)p;
}

/* A fault the scenario did not expect (SIGSEGV/SIGBUS) is reported with the step's location, not as a crash. */
static void cg_fault_handler(int sig)
{
	if (cg_trying)
		cg_try_fail(sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
	cg_error("%s while accessing memory", sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
}

static void cg_fill(uint64_t addr, uint64_t len, uint64_t byte)
{
	memset((void *)addr, (int)(byte & 0xff), len);
}

static struct cg_val cg_read(uint64_t addr, uint64_t len)
{
	return cg_bytes_of((const void *)addr, len);
}

/* swap_in: touch (read) every page, which runs do_swap_page for swapped ones. */
static void cg_swap_in(uint64_t addr, uint64_t len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	for (uint64_t a = addr; a < addr + len; a += page)
		(void)*(volatile unsigned char *)a;
}

/* echo 4 > /proc/self/clear_refs (clear_refs_write, CLEAR_REFS_SOFT_DIRTY). */
static void cg_clear_refs(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "4", 1) != 1)
		cg_error("write 4 to /proc/self/clear_refs: %s", strerror(errno));
	close(fd);
}

#endif
