/*
 * cg_agents.h - the driver and the agent processes. The driver runs the scenario's steps in order; each step that
 * acts in a process is sent to that process's agent, which runs it and answers before the driver goes on.
 */
#ifndef CG_AGENTS_H
#define CG_AGENTS_H

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

typedef void (*cg_step_fn)(int step);

static int cg_cmd[CG_MAX_AGENTS][2];
static int cg_reply[2];
static int cg_pidfds[CG_MAX_AGENTS];
static int cg_agent_count;
static cg_step_fn cg_steps;

#define CG_CMD_EXIT (-1)

static void cg_agent_reply(int status)
{
	if (write(cg_reply[1], &status, sizeof(status)) != sizeof(status))
		_exit(CG_EXIT_ERROR);
}

/* The agent's loop: run the steps the driver sends; a forked child leaves the parent's step and starts its own loop. */
static void __attribute__((noreturn)) cg_agent_loop(void)
{
	for (;;) {
		int step;
		if (read(cg_cmd[cg_self][0], &step, sizeof(step)) != sizeof(step))
			_exit(CG_EXIT_ERROR); /* the driver is gone */
		if (step == CG_CMD_EXIT)
			_exit(CG_EXIT_OK);
		cg_close_deferred();
		int me = cg_self;
		cg_userfaults_seen = __atomic_load_n(&cg->userfaults, __ATOMIC_SEQ_CST);
		cg_steps(step);
		if (cg_self != me)
			continue; /* a forked child: its parent answers for this step */
		if (cg_took_userfault())
			cg_error("write to a uffd write-protected page (handle_userfault, resolved by the driver)");
		cg_agent_reply(CG_EXIT_OK);
	}
}

static void cg_become_agent(int slot)
{
	cg_self = slot;
	/*
	 * Only the driver keeps write ends of the command pipes: when it dies (killed on timeout) every agent reads
	 * end-of-file and exits, wherever it sits in the process tree. Agents keep every read end for future children.
	 */
	for (int i = 0; i < cg_agent_count; i++)
		if (cg_cmd[i][1] >= 0) {
			close(cg_cmd[i][1]);
			cg_cmd[i][1] = -1;
		}
	/* The driver's ends: a forked agent's parent already closed them (-1), so nothing unrelated is closed twice. */
	if (cg_reply[0] >= 0)
		close(cg_reply[0]);
	if (cg_hand[0] >= 0)
		close(cg_hand[0]);
	cg_reply[0] = cg_hand[0] = -1;
	cg_uffd_forget();
	/* Yama (ptrace_scope 1) lets only ancestors attach; the remote accessor (cg_remote.h) is a sibling. */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cg_fault_handler;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

static void cg_stop_agents(int kill_them);

static void cg_driver_stop(int status)
{
	if (status == CG_EXIT_SKIP)
		printf("CG SKIP %s\n", cg->message);
	else
		printf("CG ERROR %d:%d %s\n", cg_line, cg_col, cg->message);
	fflush(stdout);
	cg_stop_agents(1);
	exit(status);
}

/*
 * The model is one CPU: one lru_add batch, which the write fault's lru_add_drain() empties before
 * wp_can_reuse_anon_folio looks at the refcount. The kernel's batches are per CPU and the fault drains only its
 * own, so a fresh page batched on another CPU keeps an extra reference and is copied instead of reused (measured:
 * about 1 in 300 runs of a reuse check on this 2-CPU machine). Every process of the scenario (forked from the
 * driver, so they inherit the affinity) therefore runs on the CPU the driver started on.
 */
static void cg_one_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (cpu < 0 || sched_setaffinity(0, sizeof(set), &set))
		cg_error("run on one CPU (sched_setaffinity): %s", strerror(errno));
}

static void cg_init(int agents, cg_step_fn steps)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	cg = mmap(NULL, sizeof(*cg), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cg == MAP_FAILED) {
		printf("CG ERROR 0:0 mmap shared table: %s\n", strerror(errno));
		exit(CG_EXIT_ERROR);
	}
	cg->driver = getpid();
	cg_one_cpu();
	cg_steps = steps;
	cg_agent_count = agents;
	if (agents > CG_MAX_AGENTS)
		cg_error("%d processes, at most %d supported", agents, CG_MAX_AGENTS);
	for (int i = 0; i < agents; i++)
		if (pipe2(cg_cmd[i], O_CLOEXEC))
			cg_error("pipe: %s", strerror(errno));
	if (pipe2(cg_reply, O_CLOEXEC))
		cg_error("pipe: %s", strerror(errno));
	cg_handover_init();
}

static void cg_watch(int slot)
{
	cg_pidfds[slot] = (int)syscall(__NR_pidfd_open, cg->pids[slot], 0);
	if (cg_pidfds[slot] < 0)
		cg_error("pidfd_open(%d): %s", (int)cg->pids[slot], strerror(errno));
}

static void cg_at(int line, int col)
{
	cg_line = line;
	cg_col = col;
}

/*
 * Wait for the agent's answer; an agent that died without answering is an error (it crashed or was killed).
 * Meanwhile the driver is the userfaultfd handler of every agent (cg_uffd.h). Then it takes the descriptors the
 * step handed over (cg_handover.h).
 */
static void cg_wait_reply(int slot)
{
	for (;;) {
		struct pollfd fds[2 + CG_MAX_AGENTS] = { { .fd = cg_reply[0], .events = POLLIN }, { .fd = cg_pidfds[slot], .events = POLLIN } };
		int watched[CG_MAX_AGENTS], count = 2;
		for (int i = 0; i < CG_MAX_AGENTS; i++)
			if (cg_uffds[i] > 0) {
				watched[count - 2] = i;
				fds[count++] = (struct pollfd){ .fd = cg_uffds[i] - 1, .events = POLLIN };
			}
		if (poll(fds, (nfds_t)count, -1) < 0 && errno != EINTR)
			cg_error("poll: %s", strerror(errno));
		for (int i = 2; i < count; i++)
			if (fds[i].revents & POLLIN)
				cg_uffd_service(watched[i - 2]);
		if (fds[0].revents & POLLIN)
			break;
		if (fds[1].revents & POLLIN) {
			snprintf(cg->message, sizeof(cg->message), "process slot %d died without answering", slot);
			cg_driver_stop(CG_EXIT_ERROR);
		}
	}
	int status;
	if (read(cg_reply[0], &status, sizeof(status)) != sizeof(status))
		cg_error("read reply: %s", strerror(errno));
	if (status != CG_EXIT_OK)
		cg_driver_stop(status);
	cg_receive_handovers(cg_pidfds[slot]);
}

/* 'p = process': a fresh agent forked from the driver (it has no scenario memory). */
static void cg_new_process(int var, int slot)
{
	pid_t pid = fork();
	if (pid < 0)
		cg_error("fork: %s", strerror(errno));
	if (pid == 0) {
		cg_become_agent(slot);
		cg_agent_loop();
	}
	cg->pids[slot] = pid;
	cg_watch(slot);
	cg->v[var] = (struct cg_val){ .kind = CG_PROCESS, .num = (uint64_t)slot };
}

static int cg_process_slot(int var)
{
	cg_require_kind(var, CG_PROCESS, "a process");
	int slot = (int)cg->v[var].num;
	if (cg->pids[slot] <= 0)
		cg_error("process '%s' has exited", cg_name(var));
	return slot;
}

/* Run step 'step' in the agent at 'slot' and wait until it is done. */
static void cg_run(int slot, int step)
{
	if (write(cg_cmd[slot][1], &step, sizeof(step)) != sizeof(step))
		cg_error("send step to process slot %d: %s", slot, strerror(errno));
	cg_wait_reply(slot);
}

/* 'c = fork p', the part inside the parent agent: fork(); the child takes 'child_slot' and starts its loop. */
static void cg_fork_here(int var, int child_slot)
{
	pid_t pid = fork();
	if (pid < 0)
		cg_error("fork: %s", strerror(errno));
	if (pid == 0) {
		cg_become_agent(child_slot);
		cg_agent_loop();
	}
	cg->pids[child_slot] = pid;
	cg->v[var] = (struct cg_val){ .kind = CG_PROCESS, .num = (uint64_t)child_slot };
}

/* The driver's part of a fork step: watch the new child. */
static void cg_forked(int child_slot)
{
	cg_watch(child_slot);
}

/* 'exit p': the agent exits; wait until the kernel has torn its mm down (pidfd readable after exit_mm/exit_notify). */
static void cg_exit_process(int var)
{
	int slot = cg_process_slot(var);
	int cmd = CG_CMD_EXIT;
	if (write(cg_cmd[slot][1], &cmd, sizeof(cmd)) != sizeof(cmd))
		cg_error("send exit: %s", strerror(errno));
	struct pollfd fd = { .fd = cg_pidfds[slot], .events = POLLIN };
	while (poll(&fd, 1, -1) < 0 && errno == EINTR)
		;
	cg->pids[slot] = 0;
}

/* Format a value for a CHECK line: num:N or bytes:LEN:u:BYTE / bytes:LEN:m:HASH. */
static void cg_print_value(const struct cg_val *v)
{
	if (v->kind == CG_BYTES && v->uniform)
		printf("bytes:%llu:u:%u", (unsigned long long)v->len, v->first);
	else if (v->kind == CG_BYTES)
		printf("bytes:%llu:m:%016llx", (unsigned long long)v->len, (unsigned long long)v->hash);
	else if (v->kind == CG_NUM)
		printf("num:%llu", (unsigned long long)v->num);
	else if (v->kind == CG_TEXT)
		printf("text:%s", v->text);
	else
		printf("other:%d:%llu", v->kind, (unsigned long long)v->num);
}

/* The comparison rules of 'expect': bytes vs a number means "every byte equals that number". */
static int cg_equal(const struct cg_val *a, const struct cg_val *b)
{
	if (a->kind == CG_BYTES && b->kind == CG_BYTES)
		return a->len == b->len && a->hash == b->hash && a->uniform == b->uniform && a->first == b->first;
	if (a->kind == CG_BYTES && b->kind == CG_NUM)
		return a->len > 0 && a->uniform && a->first == b->num;
	if (a->kind == CG_NUM && b->kind == CG_BYTES)
		return cg_equal(b, a);
	if (a->kind == CG_TEXT && b->kind == CG_TEXT)
		return strcmp(a->text, b->text) == 0;
	return a->kind == b->kind && a->num == b->num;
}

static void cg_check(int index, int left, int not_equal, int right)
{
	int ok = cg_equal(&cg->v[left], &cg->v[right]) != not_equal;
	printf("CG CHECK %d %s ", index, ok ? "PASS" : "FAIL");
	cg_print_value(&cg->v[left]);
	printf(" | ");
	cg_print_value(&cg->v[right]);
	printf("\n");
}

/*
 * Ends every agent still alive (an exit command, or SIGKILL after a failure) and waits until each is gone, so the
 * hugetlb pages they map are free again before the knobs are put back.
 */
static void cg_stop_agents(int kill_them)
{
	for (int i = 0; i < cg_agent_count; i++) {
		if (cg->pids[i] <= 0)
			continue;
		int cmd = CG_CMD_EXIT;
		if (kill_them || write(cg_cmd[i][1], &cmd, sizeof(cmd)) != sizeof(cmd))
			kill(cg->pids[i], SIGKILL);
	}
	for (int i = 0; i < cg_agent_count; i++) {
		if (cg->pids[i] <= 0 || cg_pidfds[i] <= 0)
			continue;
		struct pollfd fd = { .fd = cg_pidfds[i], .events = POLLIN };
		while (poll(&fd, 1, 10000) < 0 && errno == EINTR)
			;
		cg->pids[i] = 0;
	}
	cg_restore_knobs();
}

static void cg_finish(void)
{
	cg_stop_agents(0);
	printf("CG DONE\n");
	exit(CG_EXIT_OK);
}

#endif
