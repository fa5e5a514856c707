/* batch.c MODE - the runner's own checks: "print" (stdout, stderr, exit 3), "segv", "hang", "uname". */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "print") == 0) {
		printf("out: %s|%s\n@@cg:exit:0:0:0\n", argc > 2 ? argv[2] : "", argc > 3 ? argv[3] : "");
		fprintf(stderr, "err line\n");
		return 3;
	}
	if (strcmp(mode, "segv") == 0)
		raise(SIGSEGV);
	if (strcmp(mode, "hang") == 0)
		for (;;)
			pause();
	if (strcmp(mode, "uname") == 0) {
		struct utsname u;
		uname(&u);
		printf("%s\n", u.release);
		return 0;
	}
	return 1;
}
