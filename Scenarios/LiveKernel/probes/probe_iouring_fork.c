/*
 * Probe: cow.c "fork() with an iouring fixed buffer": register (R/W longterm pin), fork, parent writes, the device
 * (IORING_OP_WRITE_FIXED to a tmpfile) must see the parent's new data. Also device_write/device_read round trip.
 * argv[1] = base | thp | hugetlb2m. Expected on 6.18: PASS everywhere (folio_try_dup_anon_rmap -EBUSY copies for the child).
 */
#include "../c/cowguard_live.h"
#include "cow_backings.h"

enum { P, C, MEM, SIZE, BUF, FILEV, NOW, DEV, DEVR, AFTER, FF, SEVEN };
static const char *backing;

static void steps(int step)
{
	uint64_t size;
	switch (step) {
	case 0:
		if (!strcmp(backing, "base"))
			cg->v[MEM] = cg_number(backing_base(&size));
		else if (!strcmp(backing, "thp"))
			cg->v[MEM] = cg_number(backing_thp(&size));
		else
			cg->v[MEM] = cg_number(backing_hugetlb(&size, 2UL << 20));
		cg->v[SIZE] = cg_number(size);
		break;
	case 1: cg->v[BUF] = cg_uring_register(BUF, cg_num(MEM), cg_num(SIZE)); break;
	case 2: cg_fork_here(C, 1); break;
	case 3: cg_fill(cg_num(MEM), cg_num(SIZE), 0xff); break;
	case 4: cg_uring_write_fixed(BUF, FILEV); break;
	case 5: cg->v[NOW] = cg_read(cg_num(MEM), cg_num(SIZE)); break;
	case 6: cg_uring_device_write(BUF, 7); break;
	case 7: cg->v[AFTER] = cg_read(cg_num(MEM), cg_num(SIZE)); cg->v[DEVR] = cg_uring_device_read(BUF); break;
	case 8: cg_uring_unregister(BUF); break;
	}
}

int main(int argc, char **argv)
{
	backing = argc > 1 ? argv[1] : "base";
	cg_init(2, steps);
	cg->v[FF] = cg_number(0xff);
	cg->v[SEVEN] = cg_number(7);
	cg->v[FILEV] = cg_tmpfile(2UL << 20);
	cg_new_process(P, 0);
	cg_run(0, 0);
	cg_run(0, 1);
	cg_run(0, 2);
	cg_forked(1);
	cg_run(0, 3);
	cg_run(cg_owner(BUF), 4);
	cg_run(0, 5);
	cg->v[DEV] = cg_file_read(FILEV, cg_num(SIZE));
	cg_check(0, DEV, 0, NOW);
	cg_check(1, DEV, 0, FF);
	cg_run(cg_owner(BUF), 6);
	cg_run(0, 7);
	cg_check(2, AFTER, 0, SEVEN);
	cg_check(3, DEVR, 0, SEVEN);
	cg_run(0, 8);
	cg_exit_process(C);
	cg_finish();
}
