/*
 * cg_ksm.h - ksm_merge: one KSM pass over the MADV_MERGEABLE areas. ksmd merges in its own time, so the driver runs
 * it (run = 1, pages_to_scan large, 1 ms sleeps, smart_scan = 0 so that no page is skipped for having failed to
 * merge before) until full_scans has grown by three, then stops it (run = 0 keeps merged pages merged). A page
 * enters the unstable tree only when its checksum is unchanged since the previous pass (cmp_and_merge_page), so
 * two passes over an area are needed; the third covers a pass that was already under way. The wait is bounded:
 * a ksmd that does not get there within CG_KSM_WAIT_SECONDS makes the scenario skip. cg_restore_knobs puts every
 * knob back when the program ends (and the C# host checks again).
 */
#ifndef CG_KSM_H
#define CG_KSM_H

#include <time.h>

#define CG_KSM "/sys/kernel/mm/ksm/"
#define CG_KSM_WAIT_SECONDS 20

static uint64_t cg_ksm_full_scans(void)
{
	char buf[64];
	if (cg_read_knob(CG_KSM "full_scans", buf, sizeof(buf)))
		cg_skip("this kernel has no KSM (" CG_KSM "full_scans: %s)", strerror(errno));
	return strtoull(buf, NULL, 10);
}

/* smart_scan (6.7) and use_zero_pages (4.14) exist only on some kernels. */
static void cg_ksm_knob_if_present(const char *path, const char *value)
{
	if (access(path, F_OK) == 0)
		cg_write_knob(path, value);
}

static double cg_seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void cg_ksm_merge(void)
{
	uint64_t start = cg_ksm_full_scans();
	cg_ksm_knob_if_present(CG_KSM "smart_scan", "0");
	cg_ksm_knob_if_present(CG_KSM "use_zero_pages", "0"); /* the model merges zero-filled pages like any others */
	cg_write_knob(CG_KSM "pages_to_scan", "10000");
	cg_write_knob(CG_KSM "sleep_millisecs", "1");
	cg_write_knob(CG_KSM "run", "1");
	struct timespec began;
	clock_gettime(CLOCK_MONOTONIC, &began);
	uint64_t scans;
	while ((scans = cg_ksm_full_scans()) < start + 3) {
		if (cg_seconds_since(&began) > CG_KSM_WAIT_SECONDS) {
			cg_write_knob(CG_KSM "run", "0");
			cg_skip("ksmd made %llu of 3 full scans in %d s (machine too busy?)", (unsigned long long)(scans - start),
				CG_KSM_WAIT_SECONDS);
		}
		usleep(2000);
	}
	cg_write_knob(CG_KSM "run", "0");
}

#endif
