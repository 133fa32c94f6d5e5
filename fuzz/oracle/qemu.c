/*
 * Boot the oracle kernel with a batch and read its results back.
 *
 * Guest RAM is a shared memory-backend file, so after QEMU exits the host
 * reads the mailbox and the results straight from the file: nothing goes
 * through the serial port (about 3 us a byte under TCG).  A guest that
 * does not exit in time is killed and reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include "oracle.h"

#define MIB (UINT64_C(1) << 20)

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* tmpfs when there is one: the RAM file is written at memory speed. */
const char *oq_tmp_dir(void)
{
	const char *d = getenv("XPT_ORACLE_TMP");
	if (d)
		return d;
	return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
}

static int tmp_file(char *path, size_t n, const char *what)
{
	snprintf(path, n, "%s/xpt-%s-XXXXXX", oq_tmp_dir(), what);
	int fd = mkstemp(path);
	if (fd < 0)
		fprintf(stderr, "xpt-oracle: %s: %s\n", path, strerror(errno));
	return fd;
}

char *oq_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t len = 0, cap = 0, got;
	char buf[4096];
	if (!f)
		return strdup("");
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (len + got + 1 > cap) {
			cap = (len + got + 1) * 2;
			s = realloc(s, cap);
		}
		memcpy(s + len, buf, got);
		len += got;
	}
	fclose(f);
	if (!s)
		return strdup("");
	s[len] = 0;
	return s;
}

/* Guest RAM: kernel at 16 MiB, then the batch, the allocator's metadata
 * and the results from a 2 MiB boundary; slack for the BIOS's own. */
uint64_t oq_ram_for(const struct ob *b)
{
	uint64_t need = XPT_CASE_KERNEL_PA + 2 * MIB + b->len + b->res_bytes + 8 * MIB;
	need = (need + 2 * MIB - 1) & ~(2 * MIB - 1);
	return need < 64 * MIB ? 64 * MIB : need;
}

const char *oq_default_bios(void)
{
	static const char *const paths[] = { "/usr/share/qemu/qboot.rom", "/usr/share/seabios/qboot.rom" };
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], R_OK) == 0)
			return paths[i];
	return NULL;
}

bool oq_kvm_usable(void)
{
	int fd = open("/dev/kvm", O_RDWR);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void build_argv(const struct oq_opts *o, const char *ram_path, uint64_t ram,
                       const char *batch_path, const char *serial_path, char **argv, char *buf,
                       size_t bufsz)
{
	int n = 0;
	char *p = buf;
#define ARG(...)                                                        \
	do {                                                            \
		argv[n++] = p;                                          \
		p += snprintf(p, bufsz - (size_t)(p - buf), __VA_ARGS__) + 1; \
	} while (0)
	ARG("%s", o->qemu);
	ARG("-nodefaults");
	ARG("-no-user-config");
	ARG("-display");
	ARG("none");
	ARG("-no-reboot");
	if (o->bios && o->bios[0]) {
		ARG("-bios");
		ARG("%s", o->bios);
	}
	ARG("-accel");
	ARG("%s", o->accel);
	ARG("-machine");
	ARG("pc,memory-backend=mem");
	ARG("-object");
	ARG("memory-backend-file,id=mem,size=%llu,mem-path=%s,share=on", (unsigned long long)ram,
	    ram_path);
	ARG("-m");
	ARG("%lluM", (unsigned long long)(ram / MIB));
	ARG("-cpu");
	if (o->la57 && !strstr(o->cpu, "la57"))
		ARG("%s,+la57", o->cpu);
	else
		ARG("%s", o->cpu);
	ARG("-serial");
	if (o->serial_stdout)
		ARG("stdio");
	else
		ARG("file:%s", serial_path);
	ARG("-device");
	ARG("isa-debug-exit,iobase=0xf4,iosize=0x04");
	ARG("-kernel");
	ARG("%s", o->kernel);
	if (batch_path) {
		ARG("-initrd");
		ARG("%s", batch_path);
	}
	ARG("-append");
	ARG("%s%s", o->append ? o->append : "batch", o->la57 ? " la57" : "");
	argv[n] = NULL;
#undef ARG
}

static pid_t spawn(char **argv, const char *err_path, bool serial_stdout)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	int in = open("/dev/null", O_RDONLY), err = open(err_path, O_WRONLY);
	dup2(in, 0);
	dup2(err, 2);
	if (!serial_stdout)
		dup2(in >= 0 ? open("/dev/null", O_WRONLY) : 1, 1);
	execvp(argv[0], argv);
	fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Wait for QEMU; kill it once the timeout has passed. */
static enum oq_end wait_for(pid_t pid, double timeout, int *status, struct rusage *ru)
{
	double end = now() + timeout;
	struct timespec nap = { 0, 200000 };
	for (;;) {
		pid_t got = wait4(pid, status, WNOHANG, ru);
		if (got == pid)
			return OQ_EXITED;
		if (got < 0)
			return OQ_CRASHED;
		if (now() > end) {
			kill(pid, SIGKILL);
			wait4(pid, status, 0, ru);
			return OQ_TIMEOUT;
		}
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 5000000)
			nap.tv_nsec += 100000;
	}
}

enum oq_end oq_wait(pid_t pid, double timeout, int *status, double *cpu_s)
{
	struct rusage ru = { 0 };
	enum oq_end e = wait_for(pid, timeout, status, &ru);
	*cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	         ru.ru_stime.tv_usec * 1e-6;
	return e;
}

/* Bytes the results of the first `done` cases take. */
uint64_t oq_res_bytes_of(const struct ob *b, uint32_t done)
{
	const uint8_t *p = b->buf + sizeof(struct xpt_case_batch);
	uint64_t n = 0;
	for (uint32_t i = 0; i < done && i < b->ncases; i++) {
		const struct xpt_case *c = (const void *)p;
		n += xpt_case_res_bytes(c->nops, c->naccs);
		p += xpt_case_bytes(c->nops, c->naccs);
	}
	return n;
}

static void read_results(int fd, const struct ob *b, struct oq_run *r)
{
	if (pread(fd, &r->hdr, sizeof(r->hdr), XPT_CASE_MAILBOX_PA) != (ssize_t)sizeof(r->hdr) ||
	    r->hdr.magic != XPT_CASE_RMAGIC)
		return;
	r->have_hdr = true;
	if (!b || r->hdr.res_pa == 0)
		return;
	r->res_len = oq_res_bytes_of(b, r->hdr.ncases_done);
	if (r->hdr.res_pa + r->res_len > r->ram_bytes)
		r->res_len = 0;
	r->res = malloc(r->res_len + 1);
	if (pread(fd, r->res, r->res_len, (off_t)r->hdr.res_pa) != (ssize_t)r->res_len)
		r->res_len = 0;
}

int oq_run(const struct oq_opts *o, const struct ob *b, struct oq_run *r)
{
	char ram_path[256], batch_path[256], serial_path[256], err_path[256];
	char *argv[40], argbuf[8192];
	int ram_fd, batch_fd = -1, ser_fd, err_fd, status = 0;
	uint64_t tsc0, tsc1;
	double t0, t1, timeout;
	struct rusage ru = { 0 };

	*r = (struct oq_run){ .guest_code = -1, .e9_match = -1 };
	r->ram_bytes = b ? oq_ram_for(b) : 64 * MIB;
	ram_fd = tmp_file(ram_path, sizeof(ram_path), "ram");
	ser_fd = tmp_file(serial_path, sizeof(serial_path), "serial");
	err_fd = tmp_file(err_path, sizeof(err_path), "qemu-err");
	if (b)
		batch_fd = tmp_file(batch_path, sizeof(batch_path), "batch");
	if (ram_fd < 0 || ser_fd < 0 || err_fd < 0 || (b && batch_fd < 0))
		return -1;
	if (ftruncate(ram_fd, (off_t)r->ram_bytes) != 0 ||
	    (b && write(batch_fd, b->buf, b->len) != (ssize_t)b->len)) {
		perror("xpt-oracle: temporary files");
		return -1;
	}
	build_argv(o, ram_path, r->ram_bytes, b ? batch_path : NULL, serial_path, argv, argbuf,
	           sizeof(argbuf));
	timeout = o->timeout > 0 ? o->timeout : 10.0 + (b ? b->ncases * 200e-6 : 0);

	t0 = now();
	tsc0 = __rdtsc();
	pid_t pid = spawn(argv, err_path, o->serial_stdout);
	r->end = pid < 0 ? OQ_NO_START : wait_for(pid, timeout, &status, &ru);
	tsc1 = __rdtsc();
	t1 = now();
	r->wall_s = t1 - t0;
	r->tsc_hz = (double)(tsc1 - tsc0) / r->wall_s;
	r->qemu_status = status;
	r->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	           ru.ru_stime.tv_usec * 1e-6;
	if (r->end == OQ_EXITED && WIFEXITED(status)) {
		int code = WEXITSTATUS(status);
		r->guest_code = (code & 1) ? code >> 1 : -1;
		if (code == 127)
			r->end = OQ_NO_START;
	} else if (r->end == OQ_EXITED) {
		r->end = OQ_CRASHED;
	}
	read_results(ram_fd, b, r);
	r->serial = oq_slurp(serial_path);
	r->qemu_err = oq_slurp(err_path);
	if (o->keep_ram)
		r->ram_fd = ram_fd; /* unlinked below, readable until oq_free */
	else
		close(ram_fd);
	close(ser_fd), close(err_fd);
	unlink(ram_path), unlink(serial_path), unlink(err_path);
	if (b) {
		close(batch_fd);
		unlink(batch_path);
	}
	return 0;
}

void oq_free(struct oq_run *r)
{
	free(r->res);
	free(r->serial);
	free(r->qemu_err);
	if (r->ram_fd > 0)
		close(r->ram_fd);
	*r = (struct oq_run){ 0 };
}

double oq_boot_s(const struct oq_run *r)
{
	if (!r->have_hdr || r->hdr.tsc_exit <= r->hdr.tsc_entry)
		return -1;
	return r->wall_s - (double)(r->hdr.tsc_exit - r->hdr.tsc_entry) / r->tsc_hz;
}

double oq_cases_s(const struct oq_run *r)
{
	if (!r->have_hdr || r->hdr.tsc_end <= r->hdr.tsc_start)
		return -1;
	return (double)(r->hdr.tsc_end - r->hdr.tsc_start) / r->tsc_hz;
}

const char *oq_status_name(uint32_t status)
{
	static const char *const names[] = {
		"ok", "no batch", "bad magic", "bad version", "truncated", "too many",
		"bad op", "bad access", "results full", "no memory", "panic", "boot failed",
		"bad paging mode",
	};
	return status < sizeof(names) / sizeof(names[0]) ? names[status] : "unknown status";
}
