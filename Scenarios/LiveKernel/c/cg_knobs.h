/*
 * cg_knobs.h - the machine settings a scenario asks for: per-size THP 'enabled' knobs and hugetlb pools. The
 * program puts back what it changed when it ends (cg_restore_knobs, after its processes are gone); the C# host
 * also snapshots every knob before the run and restores it afterwards, which covers a program killed on timeout.
 */
#ifndef CG_KNOBS_H
#define CG_KNOBS_H

static int cg_read_knob(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	return ok ? 0 : -1;
}

#define CG_MAX_KNOBS 32

static struct cg_knob {
	char path[192];
	char value[64];
} cg_knobs_changed[CG_MAX_KNOBS];
static int cg_knob_count;

static void cg_write_knob(const char *path, const char *value)
{
	char old[256];
	int known = 0;
	for (int i = 0; i < cg_knob_count; i++)
		known |= !strcmp(cg_knobs_changed[i].path, path);
	if (!known && cg_knob_count < CG_MAX_KNOBS && !cg_read_knob(path, old, sizeof(old))) {
		/* "always [madvise] never" -> "madvise"; "4\n" -> "4" */
		char *open = strchr(old, '['), *close = open ? strchr(open, ']') : NULL;
		char *value_start = open && close ? open + 1 : old;
		if (open && close)
			*close = 0;
		value_start[strcspn(value_start, "\n")] = 0;
		struct cg_knob *k = &cg_knobs_changed[cg_knob_count++];
		snprintf(k->path, sizeof(k->path), "%s", path);
		snprintf(k->value, sizeof(k->value), "%s", value_start);
	}
	FILE *f = fopen(path, "w");
	if (!f || fputs(value, f) < 0 || fclose(f) != 0)
		cg_skip("cannot set %s to %s: %s (needs root)", path, value, strerror(errno));
}

/* Puts back every knob this program changed, newest first; best effort (the C# host checks again). */
static void cg_restore_knobs(void)
{
	for (int i = cg_knob_count - 1; i >= 0; i--) {
		FILE *f = fopen(cg_knobs_changed[i].path, "w");
		if (f) {
			fputs(cg_knobs_changed[i].value, f);
			fclose(f);
		}
	}
	cg_knob_count = 0;
}

/*
 * thp_enabled SIZE never|madvise|always: /sys/kernel/mm/transparent_hugepage/hugepages-<kB>kB/enabled (6.8+, mTHP).
 * Before 6.8 only the PMD size exists and the top-level 'enabled' knob is its setting (hpage_pmd_size says which
 * size that is); any other size is absent there.
 */
static void cg_thp_enabled(uint64_t size, const char *setting)
{
	char path[128], now[256], want[32], pmd[32];
	snprintf(path, sizeof(path), "/sys/kernel/mm/transparent_hugepage/hugepages-%llukB/enabled", (unsigned long long)(size >> 10));
	if (cg_read_knob(path, now, sizeof(now))) {
		if (cg_read_knob("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", pmd, sizeof(pmd)) || strtoull(pmd, NULL, 10) != size)
			cg_skip("this kernel has no THP size of %llu kB (%s)", (unsigned long long)(size >> 10), path);
		snprintf(path, sizeof(path), "/sys/kernel/mm/transparent_hugepage/enabled");
		if (cg_read_knob(path, now, sizeof(now)))
			cg_skip("this kernel has no THP (%s)", path);
	}
	snprintf(want, sizeof(want), "[%s]", setting);
	if (!strstr(now, want))
		cg_write_knob(path, setting);
}

/*
 * nr_hugepages SIZE N: exactly N free pages of SIZE, like the model's pool of N (B12 relies on an exhausted pool).
 * Pages other users hold stay theirs: the pool is resized to (in use) + N.
 */
static void cg_nr_hugepages(uint64_t size, uint64_t count)
{
	char dir[128], path[192], now[64];
	snprintf(dir, sizeof(dir), "/sys/kernel/mm/hugepages/hugepages-%llukB", (unsigned long long)(size >> 10));
	snprintf(path, sizeof(path), "%s/free_hugepages", dir);
	if (cg_read_knob(path, now, sizeof(now)))
		cg_skip("this kernel has no hugetlb page size of %llu kB", (unsigned long long)(size >> 10));
	uint64_t free_pages = strtoull(now, NULL, 10);
	if (free_pages == count)
		return;
	snprintf(path, sizeof(path), "%s/nr_hugepages", dir);
	if (cg_read_knob(path, now, sizeof(now)))
		cg_error("read %s: %s", path, strerror(errno));
	char value[32];
	snprintf(value, sizeof(value), "%llu", (unsigned long long)(strtoull(now, NULL, 10) - free_pages + count));
	cg_write_knob(path, value);
	snprintf(path, sizeof(path), "%s/free_hugepages", dir);
	if (cg_read_knob(path, now, sizeof(now)) || strtoull(now, NULL, 10) != count)
		cg_skip("could make only %s hugetlb pages of %llu kB free, need exactly %llu", now,
			(unsigned long long)(size >> 10), (unsigned long long)count);
}

#endif
