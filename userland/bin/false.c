/*
 * false - do nothing, unsuccessfully (exit status 1), whatever the
 * arguments.
 */
int main(void)
{
	return 1;
}
