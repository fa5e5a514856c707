/*
 * facts.c - what the guest offers, read where KernelFacts.Detect reads it on a host, one "key=value" line each, so
 * a test can hold GuestFacts (derived from the build's .config and init.sh) against the running guest.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static void line(const char *key, const char *path)
{
	char buf[256] = "absent";
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			strcpy(buf, "");
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
	printf("%s=%s\n", key, buf);
}

static void exists(const char *key, const char *path)
{
	printf("%s=%d\n", key, access(path, F_OK) == 0);
}

int main(void)
{
	struct utsname u;
	uname(&u);
	printf("release=%s\n", u.release);
	line("thp", "/sys/kernel/mm/transparent_hugepage/enabled");
	line("nr_hugepages", "/proc/sys/vm/nr_hugepages");
	int swaps = -1;
	char buf[512];
	FILE *f = fopen("/proc/swaps", "r");
	while (f && fgets(buf, sizeof(buf), f))
		swaps++;
	if (f)
		fclose(f);
	printf("swap_devices=%d\n", swaps);
	line("io_uring_disabled", "/proc/sys/kernel/io_uring_disabled");
	exists("gup_test", "/sys/kernel/debug/gup_test");
	exists("ksm", "/sys/kernel/mm/ksm/run");
	exists("userfaultfd", "/proc/sys/vm/unprivileged_userfaultfd");
	line("unprivileged_userfaultfd", "/proc/sys/vm/unprivileged_userfaultfd");
	exists("yama", "/proc/sys/kernel/yama/ptrace_scope");
	return 0;
}
