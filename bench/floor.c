/*
 * The floor for goal (b): runs "CMD 1" .. "CMD N", P at a time, with vfork and execvp and
 * nothing else (no output handling, no accounting, no process of its own to start). What any
 * runner of N separate processes pays at least on this machine. Usage: floor N P CMD
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: floor N P CMD\n");
    return 2;
  }
  long n = atol(argv[1]), p = atol(argv[2]), next = 1, running = 0;
  char arg[32];
  while (next <= n || running > 0) {
    while (running < p && next <= n) {
      snprintf(arg, sizeof arg, "%ld", next++);
      char *child[] = {argv[3], arg, NULL};
      pid_t pid = vfork();
      if (pid == 0) {
        execvp(child[0], child);
        _exit(127);
      }
      if (pid > 0) {
        running++;
      }
    }
    if (wait(NULL) > 0) {
      running--;
    }
  }
  return 0;
}
