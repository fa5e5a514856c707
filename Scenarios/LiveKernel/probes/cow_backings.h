/*
 * cow_backings.h - the memory backings of tools/testing/selftests/mm/cow.c (run_anon_test_case) built with plain
 * system calls, for the hand-written probes that check the live-kernel primitives. Each returns the address the
 * test runs on and sets *size; a backing the machine cannot provide ends the probe with "CG SKIP".
 */
#ifndef COW_BACKINGS_H
#define COW_BACKINGS_H

#define PMD_SIZE (2UL << 20)

static uint64_t backing_base(uint64_t *size)
{
	*size = 4096;
	uint64_t mem = cg_mmap(*size, CG_PROT_RW, 0, -1, 0, 0);
	cg_madvise(mem, *size, MADV_NOHUGEPAGE, "nohugepage", 1);
	cg_fill(mem, *size, 1);
	return mem;
}

/* PMD THP: aligned 2 MiB, MADV_HUGEPAGE, touch; cow.c then requires the last subpage populated by that one fault. */
static uint64_t backing_thp(uint64_t *size)
{
	*size = PMD_SIZE;
	uint64_t mem = cg_mmap(*size, CG_PROT_RW, 0, -1, 0, PMD_SIZE);
	cg_madvise(mem, *size, MADV_HUGEPAGE, "hugepage", 1);
	*(volatile char *)mem = 1;
	if (!cg_pagemap_bit(mem + *size - 4096, CG_PM_PRESENT))
		cg_skip("no PMD THP after MADV_HUGEPAGE (THP disabled?)");
	cg_fill(mem, *size, 1);
	return mem;
}

/* PTE-mapped THP: mprotect() one subpage R/O and back, which splits the PMD mapping (not the folio). */
static uint64_t backing_thp_pte(uint64_t *size)
{
	uint64_t mem = backing_thp(size);
	cg_mprotect(mem + 4096, 4096, CG_PROT_READ);
	cg_mprotect(mem + 4096, 4096, CG_PROT_RW);
	return mem;
}

static uint64_t backing_thp_single_pte(uint64_t *size)
{
	uint64_t mem = backing_thp_pte(size);
	cg_madvise(mem + 4096, *size - 4096, MADV_DONTNEED, "dontneed", 1);
	*size = 4096;
	return mem;
}

/* Partially mremap()'ed THP: move the upper half away (MREMAP_FIXED onto a placeholder); test the lower half. */
static uint64_t backing_thp_mremap(uint64_t *size)
{
	uint64_t mem = backing_thp_pte(size);
	uint64_t half = *size / 2;
	uint64_t to = cg_mmap(half, CG_PROT_NONE, 0, -1, 0, 0);
	cg_mremap(mem + half, half, half, 1, to);
	*size = half;
	return mem;
}

/* Partially shared THP: DONTFORK all but the first subpage, fork a child that exits at once, DOFORK. */
static uint64_t backing_thp_partially_shared(uint64_t *size)
{
	uint64_t mem = backing_thp_pte(size);
	cg_madvise(mem + 4096, *size - 4096, MADV_DONTFORK, "dontfork", 1);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	cg_madvise(mem + 4096, *size - 4096, MADV_DOFORK, "dofork", 1);
	return mem;
}

/* Swapped-out variants: MADV_PAGEOUT and require every page swapped (needs active swap). */
static void swap_out_all(uint64_t mem, uint64_t size)
{
	cg_madvise(mem, size, MADV_PAGEOUT, "pageout", 1);
	for (uint64_t a = mem; a < mem + size; a += 4096)
		if (!cg_pagemap_bit(a, CG_PM_SWAPPED))
			cg_skip("MADV_PAGEOUT did not swap out 0x%llx (no active swap?)", (unsigned long long)a);
}

static uint64_t backing_hugetlb(uint64_t *size, uint64_t hsize)
{
	*size = hsize;
	uint64_t mem = cg_mmap(hsize, CG_PROT_RW, 0, -1, hsize, 0);
	cg_fill(mem, hsize, 1);
	/* cow.c: a second huge page must be free for the COW copy, else the owner steals the page (SIGBUS). */
	uint64_t spare = cg_mmap(hsize, CG_PROT_RW, 0, -1, hsize, 0);
	cg_munmap(spare, hsize);
	return mem;
}

#endif
