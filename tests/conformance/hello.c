#include <stdio.h>
#include <xous.h>
int main(void)
{
	printf("hello from pid %u tid %u\n", xous_process_id(), xous_thread_id());
	return 0;
}
