/* One access, as the MMU sees it, and what to do with an unexpected trap. */
#include "kernel.h"

static unsigned acc_mode(unsigned access, unsigned flags)
{
	unsigned m = (access & XPT_ACC_FETCH)   ? ACC_FETCH
	             : !(access & XPT_ACC_WRITE) ? ACC_READ
	             : (flags & XPT_CASE_ACCF_RMW) ? ACC_RMW : ACC_WRITE;
	return (access & XPT_ACC_USER) ? m | ACC_USER : m;
}

static void (*const user_stub[4])(void) = {
	[ACC_READ] = user_read_stub, [ACC_WRITE] = user_write_stub,
	[ACC_FETCH] = user_fetch_stub, [ACC_RMW] = user_rmw_stub,
};

void acc_run(uint64_t va, unsigned access, unsigned flags, bool ac, struct xpt_case_acc_res *r)
{
	unsigned mode = acc_mode(access, flags);
	bool user = mode & ACC_USER;
	uint64_t rip = user ? mm_user_rip(user_stub[mode & 3u]) : 0;
	uint64_t v;

	if (ac && !user)
		cpu_stac();
	acc_exec(va, mode, rip);
	if (ac && !user)
		cpu_clac();
	v = acc_rec.vector;
	r->vector = (uint8_t)v;
	r->error_code = (uint32_t)acc_rec.error;
	r->cr2 = acc_rec.cr2;
	r->value = acc_rec.rax;
	if (v == 0xff || v == VEC_DONE || (v == 3 && (access & XPT_ACC_FETCH)))
		r->outcome = XPT_CASE_DONE;
	else if (v == 14)
		r->outcome = XPT_CASE_PF;
	else if (v == 13)
		r->outcome = XPT_CASE_GP;
	else
		r->outcome = XPT_CASE_OTHER;
}

void trap_panic(struct trap_frame *f)
{
	struct xpt_case_results *res = main_results();
	uint64_t cr2;
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	ser_printf("\nPANIC: vector %lu error %lx at rip %lx cs %lx rsp %lx cr2 %lx\n", f->vector,
	           f->error, f->rip, f->cs, f->rsp, cr2);
	ser_printf("  rax %lx rbx %lx rcx %lx rdx %lx rsi %lx rdi %lx\n", f->rax, f->rbx, f->rcx,
	           f->rdx, f->rsi, f->rdi);
	if (res) {
		res->status = XPT_CASE_S_PANIC;
		ser_snprintf(res->msg, sizeof(res->msg), "kernel panic: vector %lu error %lx rip %lx cr2 %lx",
		             f->vector, f->error, f->rip, cr2);
	}
	cpu_exit(XPT_CASE_EXIT_PANIC);
}
