/* A C program built with pkg-config against liblcs.so. */
#include <lcs/lcs.h>
#include <stdio.h>
int main(void) {
  lcs_runtime_t rt = NULL;
  lcs_status_t s = lcs_runtime_create("", &rt);
  printf("lcs %s (C): %s\n", lcs_version(),
         s == LCS_SUCCESS ? "runtime created" : lcs_last_error());
  if (rt)
    lcs_runtime_destroy(rt);
  return s == LCS_SUCCESS || s == LCS_ERROR_NO_DRIVER ? 0 : 1;
}
