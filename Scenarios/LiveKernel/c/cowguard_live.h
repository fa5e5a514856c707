/*
 * cowguard_live.h - support library for the C programs CowGuard's live-kernel backend generates from scenarios.
 *
 * A scenario is a sequential script in which several processes act in turn. The generated program reproduces that
 * with real processes: a driver (the program's first process) owns no scenario memory and only sequences; every
 * scenario process is an "agent" process that waits on its own command pipe, runs one step when told and answers on
 * a shared reply pipe. Only one agent runs at a time, so the order of operations is exactly the scenario's.
 * Variables (addresses, sizes, pipes, files, digests of bytes read) live in a MAP_SHARED table that every agent sees;
 * shared (shmem) pages are never COW-shared, so the table does not disturb what the scenario observes.
 *
 * Output protocol (read by LiveOutput.cs), one record per line:
 *   CG CHECK <n> PASS|FAIL <observed> | <expected>
 *   CG SKIP <reason>          the scenario needs something this kernel/machine does not offer; exit code 3
 *   CG ERROR <line>:<col> <message>   a step failed unexpectedly; exit code 2
 *   CG DONE                   all steps ran; exit code 0
 */
#ifndef COWGUARD_LIVE_H
#define COWGUARD_LIVE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* the guest compiler passes -D_GNU_SOURCE */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define CG_EXIT_OK 0
#define CG_EXIT_ERROR 2
#define CG_EXIT_SKIP 3

/* A header library: each generated program uses only the operations its scenario needs. */
#pragma GCC diagnostic ignored "-Wunused-function"

#include "cg_values.h"
#include "cg_report.h"
#include "cg_pagemap.h"
#include "cg_memory.h"
#include "cg_knobs.h"
#include "cg_files.h"
#include "cg_handover.h"
#include "cg_pipes.h"
#include "cg_iouring.h"
#include "cg_gup_pins.h"
#include "cg_uffd.h"
#include "cg_remote.h"
#include "cg_ksm.h"
#include "cg_agents.h"

#endif
