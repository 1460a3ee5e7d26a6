/*
 * true - do nothing, successfully (exit status 0), whatever the arguments.
 */
int main(void)
{
	return 0;
}
