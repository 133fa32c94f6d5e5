/* The experiment of the seeds, printed on serial as the kernel runs. */
#include "kernel.h"

void demo_run(void)
{
	ser_printf("xpt oracle kernel: demo\n");
}
