/* cg_report.h - how a step reports an error or a skip: the message goes to the shared table and the program stops. */
#ifndef CG_REPORT_H
#define CG_REPORT_H

static void cg_agent_reply(int status);
static void cg_driver_stop(int status);

#include <setjmp.h>

/*
 * 'r = try OPERATION': while an operation runs under try, a fault (SIGSEGV/SIGBUS) or a failing system call does
 * not stop the scenario; the step jumps back and the value becomes the fault's name. A uffd-wp fault the driver
 * resolved during the operation makes the value "userfault".
 */
static sigjmp_buf cg_try_jump;
static volatile sig_atomic_t cg_trying;
static char cg_try_fault[16];
static unsigned cg_userfaults_seen; /* in an agent: cg->userfaults when its current step began */

/* Did the driver resolve a uffd-wp fault of ours since the step (or the last look) began? (cg_uffd.h) */
static int cg_took_userfault(void)
{
	unsigned now = __atomic_load_n(&cg->userfaults, __ATOMIC_SEQ_CST);
	int took = now != cg_userfaults_seen;
	cg_userfaults_seen = now;
	return took;
}

static void cg_try_fail(const char *fault)
{
	snprintf(cg_try_fault, sizeof(cg_try_fault), "%s", fault);
	cg_trying = 0;
	siglongjmp(cg_try_jump, 1);
}

#define CG_TRY(into, code)                                             \
	do {                                                           \
		if (sigsetjmp(cg_try_jump, 1) == 0) {                  \
			cg_trying = 1;                                 \
			code;                                          \
			cg_trying = 0;                                 \
			cg->v[into] = cg_text(cg_took_userfault()      \
					      ? "userfault" : "ok");   \
		} else {                                               \
			cg->v[into] = cg_text(cg_try_fault);           \
		}                                                      \
	} while (0)

static void cg_vstop(int status, const char *fmt, va_list ap)
{
	vsnprintf(cg->message, sizeof(cg->message), fmt, ap);
	for (char *c = cg->message; *c; c++)
		if (*c == '\n')
			*c = ' ';
	cg->status = status;
	if (cg_self < 0)
		cg_driver_stop(status);
	cg_agent_reply(status);
	_exit(status);
}

/* Something that should have worked failed: a translation or environment fault, never a verdict. */
static void __attribute__((noreturn, format(printf, 1, 2))) cg_error(const char *fmt, ...)
{
	if (cg_trying && errno && strerrorname_np(errno))
		cg_try_fail(strerrorname_np(errno));
	va_list ap;
	va_start(ap, fmt);
	cg_vstop(CG_EXIT_ERROR, fmt, ap);
	va_end(ap);
	_exit(CG_EXIT_ERROR);
}

/* The kernel or machine lacks something the scenario needs (huge pages, io_uring ...): not a pass, not a fail. */
static void __attribute__((noreturn, format(printf, 1, 2))) cg_skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cg_vstop(CG_EXIT_SKIP, fmt, ap);
	va_end(ap);
	_exit(CG_EXIT_SKIP);
}

static const char *cg_name(int var)
{
	return cg_var_names[var] ? cg_var_names[var] : "?";
}

static uint64_t cg_num(int var)
{
	if (cg->v[var].kind != CG_NUM)
		cg_error("'%s' does not hold a number", cg_name(var));
	return cg->v[var].num;
}

static uint64_t cg_div(uint64_t a, uint64_t b)
{
	if (b == 0)
		cg_error("division by zero");
	return a / b;
}

static void cg_require_kind(int var, int kind, const char *what)
{
	if (cg->v[var].kind != kind)
		cg_error("'%s' does not hold %s", cg_name(var), what);
}

#endif
