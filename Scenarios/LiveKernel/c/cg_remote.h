/*
 * cg_remote.h - get_user_pages_remote / pin_user_pages_remote through the system calls that use them, called by
 * an "accessor" agent that maps no scenario memory, so the access is remote (FOLL_REMOTE, another mm):
 *   process_vm_readv / process_vm_writev: pin_user_pages_remote(FOLL_WRITE only for writev), copy, unpin
 *     (mm/process_vm_access.c, process_vm_rw_single_vec);
 *   pread / pwrite of /proc/PID/mem: get_user_pages_remote(FOLL_FORCE [| FOLL_WRITE]) one page at a time, copy,
 *     put_page (fs/proc/base.c mem_rw -> access_remote_vm; FOLL_FORCE as proc_mem_force_override allows).
 * Both hold the reference only while they copy, so a scenario's remote handle is translated only when it is taken,
 * used by exactly one device_read or device_write and released, with nothing in between (CProgramTranslator).
 */
#ifndef CG_REMOTE_H
#define CG_REMOTE_H

enum cg_remote_via { CG_VIA_PROCESS_VM, CG_VIA_PROC_MEM };

static int cg_process_slot(int var);

static void cg_remote_copy(int process_var, uint64_t addr, char *buf, uint64_t len, int write, int via)
{
	pid_t pid = cg->pids[cg_process_slot(process_var)];
	uint64_t done = 0;
	if (via == CG_VIA_PROCESS_VM) {
		const char *call = write ? "process_vm_writev" : "process_vm_readv";
		while (done < len) {
			struct iovec local = { .iov_base = buf + done, .iov_len = len - done };
			struct iovec remote = { .iov_base = (void *)(addr + done), .iov_len = len - done };
			ssize_t n = write ? process_vm_writev(pid, &local, 1, &remote, 1, 0) : process_vm_readv(pid, &local, 1, &remote, 1, 0);
			if (n <= 0)
				cg_error("%s(%d, 0x%llx, %llu): %s", call, (int)pid, (unsigned long long)(addr + done),
					 (unsigned long long)(len - done), n ? strerror(errno) : "nothing copied");
			done += (uint64_t)n;
		}
		return;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	int fd = open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		cg_error("open %s: %s", path, strerror(errno));
	while (done < len) {
		ssize_t n = write ? pwrite(fd, buf + done, len - done, (off_t)(addr + done)) : pread(fd, buf + done, len - done, (off_t)(addr + done));
		if (n <= 0)
			cg_error("%s %s at 0x%llx: %s", write ? "pwrite" : "pread", path, (unsigned long long)(addr + done),
				 n ? strerror(errno) : "nothing copied");
		done += (uint64_t)n;
	}
	close(fd);
}

/* device_read through a remote reference: what the pages of 'process_var' hold, copied out by the accessor. */
static struct cg_val cg_remote_read(int process_var, uint64_t addr, uint64_t len, int via)
{
	char *buf = calloc(1, len ? len : 1);
	if (!buf)
		cg_error("out of memory reading %llu bytes", (unsigned long long)len);
	cg_remote_copy(process_var, addr, buf, len, 0, via);
	struct cg_val v = cg_bytes_of(buf, len);
	free(buf);
	return v;
}

/* device_write through a remote reference: the accessor writes BYTE into every byte of the pages. */
static void cg_remote_write(int process_var, uint64_t addr, uint64_t len, uint64_t byte, int via)
{
	char *buf = malloc(len ? len : 1);
	if (!buf)
		cg_error("out of memory writing %llu bytes", (unsigned long long)len);
	memset(buf, (int)(byte & 0xff), len);
	cg_remote_copy(process_var, addr, buf, len, 1, via);
	free(buf);
}

#endif
