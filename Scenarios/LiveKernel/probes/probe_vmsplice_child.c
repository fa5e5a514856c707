/*
 * Probe: cow.c "vmsplice() + unmap in child" (CVE-2020-29374) through the agent machinery the generated programs
 * use. argv[1] = base | thp | thp_pte | thp_single_pte | thp_mremap | thp_partially_shared | hugetlb2m | swapped_base.
 * Expected on 6.18 (live-kernel.md): PASS except hugetlb (leak: hugetlb reuse is still mapcount-based).
 */
#include "../c/cowguard_live.h"
#include "cow_backings.h"

enum { P, C, MEM, SIZE, PIPE, OLD, NEW, ONE };
static const char *backing;

static void steps(int step)
{
	uint64_t size;
	switch (step) {
	case 0:
		if (!strcmp(backing, "base"))
			cg->v[MEM] = cg_number(backing_base(&size));
		else if (!strcmp(backing, "swapped_base")) {
			cg->v[MEM] = cg_number(backing_base(&size));
			swap_out_all(cg->v[MEM].num, size);
		} else if (!strcmp(backing, "thp"))
			cg->v[MEM] = cg_number(backing_thp(&size));
		else if (!strcmp(backing, "thp_pte"))
			cg->v[MEM] = cg_number(backing_thp_pte(&size));
		else if (!strcmp(backing, "thp_single_pte"))
			cg->v[MEM] = cg_number(backing_thp_single_pte(&size));
		else if (!strcmp(backing, "thp_mremap"))
			cg->v[MEM] = cg_number(backing_thp_mremap(&size));
		else if (!strcmp(backing, "thp_partially_shared"))
			cg->v[MEM] = cg_number(backing_thp_partially_shared(&size));
		else if (!strcmp(backing, "hugetlb2m"))
			cg->v[MEM] = cg_number(backing_hugetlb(&size, 2UL << 20));
		else
			cg_error("unknown backing %s", backing);
		cg->v[SIZE] = cg_number(size);
		break;
	case 1: cg_fork_here(C, 1); break;
	case 2: cg->v[OLD] = cg_read(cg_num(MEM), cg_num(SIZE)); break;
	case 3: cg->v[PIPE] = cg_vmsplice(PIPE, cg_num(MEM), cg_num(SIZE)); break;
	case 4: cg_munmap(cg_num(MEM), cg_num(SIZE)); break;
	case 5: cg_fill(cg_num(MEM), cg_num(SIZE), 0xff); break;
	case 6: cg->v[NEW] = cg_pipe_bytes(PIPE, 1); break;
	}
}

int main(int argc, char **argv)
{
	backing = argc > 1 ? argv[1] : "base";
	cg_init(2, steps);
	cg_new_process(P, 0);
	cg_run(cg_process_slot(P), 0);
	cg_run(cg_process_slot(P), 1);
	cg_forked(1);
	cg_run(cg_process_slot(C), 2);
	cg_run(cg_process_slot(C), 3);
	cg_run(cg_process_slot(C), 4);
	cg_run(cg_process_slot(P), 5);
	cg_run(cg_owner(PIPE), 6);
	cg_check(0, NEW, 0, OLD);
	cg_finish();
}
