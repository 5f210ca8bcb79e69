/*
 * A test fixture for jpack's per-task usage (built by the tests with cc, -O0):
 *   usage-fixture mem N [MS] touches N MiB (malloc, memset, then reads every page), holds it MS
 *                            milliseconds (a task of a pack that overlaps the others), exits
 *   usage-fixture burn S     spins until its own CPU clock reads S seconds, and exits
 * So the truth is known: N MiB resident at the peak (plus the program's own megabyte or so), and
 * S seconds of CPU, almost all user time (the CPU clock is read once per some milliseconds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
  if ((argc == 3 || argc == 4) && strcmp(argv[1], "mem") == 0) {
    size_t n = (size_t)atol(argv[2]) << 20;
    if (n == 0) {
      return 0;
    }
    unsigned char *p = malloc(n);
    if (p == NULL) {
      return 2;
    }
    memset(p, 1, n);
    volatile unsigned long sum = 0;
    for (size_t i = 0; i < n; i += 4096) {
      sum += p[i];
    }
    if (argc == 4) {
      long ms = atol(argv[3]);
      struct timespec hold = {ms / 1000, (ms % 1000) * 1000000L};
      nanosleep(&hold, NULL);
    }
    return sum == n / 4096 ? 0 : 3;
  }
  if (argc == 3 && strcmp(argv[1], "burn") == 0) {
    double target = atof(argv[2]);
    volatile unsigned long x = 0;
    for (;;) {
      for (int i = 0; i < 1000000; i++) {
        x += (unsigned long)i * 2654435761UL;
      }
      struct timespec t;
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
      if (t.tv_sec + t.tv_nsec / 1e9 >= target) {
        return 0;
      }
    }
  }
  fprintf(stderr, "usage: usage-fixture mem MIB [MS] | burn SECONDS\n");
  return 2;
}
