/* TLB probes. */
#include "kernel.h"

void run_probes(struct xpt_case_results *res)
{
	(void)res;
}
