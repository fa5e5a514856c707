/* cg_values.h - the shared variable table and the values a scenario computes (numbers and digests of bytes). */
#ifndef CG_VALUES_H
#define CG_VALUES_H

#define CG_MAX_VARS 256
#define CG_MAX_AGENTS 64

enum cg_kind { CG_UNSET, CG_NUM, CG_BYTES, CG_PROCESS, CG_PIPE, CG_FILE, CG_BUFFER, CG_TEXT, CG_PIN };

/*
 * One scenario variable. Bytes are kept as a digest (length, 64-bit hash, "all bytes equal" flag and first byte)
 * rather than copied: a 1 GiB hugetlb read stays cheap and the digest is all an 'expect' needs.
 */
struct cg_val {
	int kind;
	uint64_t num;       /* NUM: value; PROCESS: agent slot; FILE: driver fd */
	uint64_t len;       /* BYTES/PIPE/FILE/BUFFER/PIN: length in bytes */
	uint64_t addr;      /* BUFFER/PIN: user address registered or pinned */
	uint64_t hash;      /* BYTES */
	int uniform;        /* BYTES: every byte equals first */
	unsigned char first;
	char text[16];      /* TEXT: "ok" or a fault name from 'try' (SIGSEGV, SIGBUS, ENOMEM ...) */
};

struct cg_shared {
	struct cg_val v[CG_MAX_VARS];
	pid_t pids[CG_MAX_AGENTS];
	pid_t driver;
	int status;         /* reply status of the last step: CG_EXIT_OK, CG_EXIT_ERROR or CG_EXIT_SKIP */
	unsigned userfaults; /* uffd-wp faults the driver has resolved (cg_uffd.h), counted so the faulting step learns of them */
	char message[1024];
};

static struct cg_shared *cg;
static int cg_self = -1;            /* -1 in the driver, the agent slot in an agent */
static int cg_line, cg_col;          /* scenario location of the step being run, for error messages */
static const char *cg_var_names[CG_MAX_VARS];

/* A 64-bit digest over words (fast enough for 1 GiB), mixed like splitmix64 so byte order matters. */
static uint64_t cg_hash_bytes(const unsigned char *p, uint64_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
	uint64_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h ^= w;
		h *= 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	for (; i < len; i++) {
		h ^= p[i];
		h *= 0x94d049bb133111ebULL;
		h ^= h >> 29;
	}
	return h;
}

/* Digest of memory as a CPU load sees it (reading faults pages in, exactly like the model's 'read'). */
static struct cg_val cg_bytes_of(const void *mem, uint64_t len)
{
	struct cg_val v = { .kind = CG_BYTES, .len = len };
	const unsigned char *p = mem;
	v.hash = cg_hash_bytes(p, len);
	v.first = len ? p[0] : 0;
	v.uniform = len == 0 || memcmp(p, p + 1, len - 1) == 0;
	return v;
}

static struct cg_val cg_text(const char *text)
{
	struct cg_val v = { .kind = CG_TEXT };
	snprintf(v.text, sizeof(v.text), "%s", text);
	return v;
}

static struct cg_val cg_number(uint64_t n)
{
	struct cg_val v = { .kind = CG_NUM, .num = n };
	return v;
}

#endif
