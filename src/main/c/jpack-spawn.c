/*
 * jpack-spawn: starts jpack's local tasks for it and reports how they end.
 *
 * Why: a JVM pays more per process start than a small C program does (the vfork runs in a big
 * process, and each start and end wakes several JVM threads). So jpack hands the starts to this
 * helper, and may queue the next task of a slot here, to start the moment the slot's task ends,
 * without a round trip through the JVM. jpack works without it (ProcessBuilder), only slower.
 *
 * Usage: jpack-spawn [-g GRACE] SOCKET [NAME=VALUE...]
 *   jpack listens on the Unix socket SOCKET and the helper connects. The variables are added to
 *   the tasks' environment only (not to the helper's own, which jpack's watchdog reads). GRACE:
 *   seconds between TERM and KILL when jpack is killed (see the end, below; default 5).
 *
 * The helper's stdin, stdout and stderr are what the tasks get when nothing else is asked for.
 * It starts each task as GNU xargs does: vfork and execvp (PATH search, a script without #! runs
 * under /bin/sh), with the signal dispositions and mask the helper itself was started with. The
 * PATH search is done once per command name.
 *
 * Requests (jpack to helper), each field ends with a NUL byte:
 *   S id slot out err dir argc arg... envc NAME=VALUE...
 *       start a task on the slot, or when the slot's running task has ended (queued requests of
 *       a slot start in order); out, err: a file to append to, or empty to inherit (the
 *       helper keeps the file open for later tasks: a name must always mean the same file);
 *       dir: the task's working directory (chdir in the child; a failure is an F), or empty
 *       for the helper's;
 *       env: added to the helper's environment or replacing a variable of the same name
 *   K id signal
 *       a running task gets the signal; a queued one is dropped (event N)
 *   C id
 *       a queued task is dropped (event N); a running one goes on
 *   G
 *       queued tasks may start again (see below)
 *   E
 *       jpack ends normally (the socket closes next)
 * After a task fails (cannot start, exits non-zero or is killed) nothing starts until jpack, having seen its
 * end, sends G: that end may stop the run (xargs stops at an exit 255, --halt at failures), and
 * jpack may have asked for a start before it knew; it then takes back what it does not want.
 * Events (helper to jpack), one line each; times are CLOCK_MONOTONIC nanoseconds; the first line
 * is "V 4", the protocol's version:
 *   P id pid time      started                   F id errno text   could not be started
 *   X id status time maxrss utime stime
 *                      ended: the raw wait status (bit 16: it left processes, see reap), and
 *                      what wait4 tells of the task and the descendants it waited for: the
 *                      peak resident set of the largest single one of them (KB, not a sum),
 *                      user and system CPU time (microseconds)
 *   N id               dropped before it started
 *
 * The helper is its tasks' subreaper (PR_SET_CHILD_SUBREAPER): a process whose parent exits
 * becomes the helper's child, not init's, and is reaped here. That is how it finds what jpack's
 * watchdog cannot: processes that dropped the run's mark (env -u JPACK_RUN, env -i) and so
 * escape the watchdog's look for it. When the socket closes (jpack ended, or was killed) the
 * helper stays while it has children: each child without the run's mark gets TERM when first
 * seen and KILL the grace later (1 s after a normal end, when only leftovers of finished tasks
 * remain); children with the mark are the watchdog's, which sends them TERM and KILL itself, and
 * get KILL here only should they outlive that by some seconds. It exits when it has no child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The signals the helper ignores (jpack decides what tasks get), restored in every task. */
static const int quiet[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE};
#define NQUIET (sizeof quiet / sizeof quiet[0])
static struct sigaction quiet_was[NQUIET];
static struct sigaction chld_was;
static sigset_t mask_was;

static int wake[2]; /* SIGCHLD writes a byte here */
static int sock;
static long long grace_nanos = 5000000000LL; /* -g */
static int ending;                           /* E: jpack ends normally */

static void drain(void) __attribute__((noreturn));

/* A start request, parsed; its strings point into data. */
struct req {
  struct req *next;
  char *data;
  long long id;
  long slot;
  char *out, *err;
  char *dir;
  char **argv;
  char **add;
  long nadd;
};

/* A slot: its running task (pid 0: none) and the requests queued behind it. */
struct slot {
  long long id;
  pid_t pid;
  struct req *head, *tail;
};
static struct slot *slots;
static size_t nslots, capslots;
static int held; /* a task failed: queued tasks wait for G */

/*
 * Events wait here a little (HOLD_NANOS at most) while every slot still has a task queued
 * behind its running one: jpack then wakes for several at once. An event jpack must act on
 * soon (a slot about to run dry, a failure) goes at once (urgent).
 */
static char *out;
static size_t outlen, outcap;
static long long held_since;
static int urgent;
#define HOLD_NANOS 2000000LL

static void die(const char *what) {
  fprintf(stderr, "jpack-spawn: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void *grow(void *p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) {
    return p;
  }
  size_t n = *cap ? *cap : 64;
  while (n < need) {
    n *= 2;
  }
  p = realloc(p, n * size);
  if (p == NULL) {
    die("out of memory");
  }
  *cap = n;
  return p;
}

static long long now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* An event line: kind, id and two numbers (0 and absent: none). */
static long long now(void);

static void emit(char kind, long long id, long long a, long long b) {
  if (outlen == 0) {
    held_since = now();
  }
  out = grow(out, &outcap, outlen + 80, 1);
  if (kind == 'N') {
    outlen += (size_t)snprintf(out + outlen, 80, "N %lld\n", id);
  } else {
    outlen += (size_t)snprintf(out + outlen, 80, "%c %lld %lld %lld\n", kind, id, a, b);
  }
}

static long long micros(struct timeval tv) {
  return (long long)tv.tv_sec * 1000000LL + tv.tv_usec;
}

/* A task's end: X with its wait status (and flags), time and resource usage. */
static void ended(long long id, int status, long long t, const struct rusage *ru) {
  if (outlen == 0) {
    held_since = now();
  }
  out = grow(out, &outcap, outlen + 160, 1);
  outlen += (size_t)snprintf(out + outlen, 160, "X %lld %d %lld %ld %lld %lld\n", id, status, t,
      ru->ru_maxrss, micros(ru->ru_utime), micros(ru->ru_stime));
}

static void failure(long long id, int err) {
  if (outlen == 0) {
    held_since = now();
  }
  urgent = 1;
  const char *text = strerror(err);
  size_t room = 64 + strlen(text);
  out = grow(out, &outcap, outlen + room, 1);
  outlen += (size_t)snprintf(out + outlen, room, "F %lld %d %s\n", id, err, text);
}

static void flush(void) {
  size_t done = 0;
  while (done < outlen) {
    ssize_t n = write(sock, out + done, outlen - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      drain(); /* jpack is gone */
    }
    done += (size_t)n;
  }
  outlen = 0;
  urgent = 0;
}

static void on_chld(int sig) {
  (void)sig;
  int saved = errno;
  char b = 0;
  (void)!write(wake[1], &b, 1);
  errno = saved;
}

/*
 * The files tasks append to, kept open: a slot's tasks write the same few spool files in turn,
 * and opening two by name for every task costs more than the rest of the start. jpack never
 * gives a name here for another file later (a spool file that moves aside is renamed away and
 * its slot's files get new names). At most max_kept stay open (MAX_KEPT, fewer under a low
 * limit on open files: a task's child holds them too until its exec); past that the oldest is
 * closed, and all but the one in use when an open finds the limit reached.
 */
struct kept {
  char *path;
  int fd;
};
#define MAX_KEPT 64
static struct kept kept[MAX_KEPT];
static size_t nkept, nextkept, max_kept = MAX_KEPT;

/* Closes the kept files but pin's. */
static void drop_kept(int pin) {
  size_t n = 0;
  for (size_t i = 0; i < nkept; i++) {
    if (kept[i].fd == pin) {
      kept[n++] = kept[i];
    } else {
      close(kept[i].fd);
      free(kept[i].path);
    }
  }
  nkept = n;
  nextkept = 0;
}

/* The open file for path, or -1 (empty path: inherit; or it cannot be opened here). The kept
 * file pin (the other stream's of the same task) is not the one closed to make room. */
static int kept_fd(const char *path, int pin) {
  if (path[0] == '\0' || max_kept < 2) {
    return -1;
  }
  for (size_t i = 0; i < nkept; i++) {
    if (strcmp(kept[i].path, path) == 0) {
      return kept[i].fd;
    }
  }
  char *copy = strdup(path);
  if (copy == NULL) {
    return -1;
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd < 0 && (errno == EMFILE || errno == ENFILE) && nkept > 0) {
    drop_kept(pin);
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  }
  if (fd < 0) {
    free(copy); /* the task opens it itself and fails there, as before */
    return -1;
  }
  size_t i;
  if (nkept < max_kept) {
    i = nkept++;
  } else {
    if (kept[nextkept].fd == pin) {
      nextkept = (nextkept + 1) % max_kept;
    }
    i = nextkept;
    nextkept = (nextkept + 1) % max_kept;
    close(kept[i].fd);
    free(kept[i].path);
  }
  kept[i].path = copy;
  kept[i].fd = fd;
  return fd;
}

/* What a task's oom_score_adj is raised to (-1000..1000; the JVM and this helper keep 0). */
#define OOM_SCORE_ADJ "500"

/*
 * In the child, between vfork and exec: only system calls, no allocation. The task's fd is the
 * kept file (dup2 clears its close-on-exec), else the file opened by name, else inherited.
 */
static int redirect(int keptfd, const char *path, int fd) {
  if (keptfd >= 0) {
    return dup2(keptfd, fd) < 0 ? -1 : 0;
  }
  if (path[0] == '\0') {
    return 0;
  }
  int f = open(path, O_WRONLY | O_CREAT | O_APPEND, 0666);
  if (f < 0) {
    return -1;
  }
  if (f != fd) {
    if (dup2(f, fd) < 0) {
      return -1;
    }
    close(f);
  }
  return 0;
}

/* The environment of a task: the helper's, with NAME=VALUE entries added or replaced. */
static char **task_env(char **add, long nadd) {
  size_t n = 0;
  while (environ[n] != NULL) {
    n++;
  }
  char **env = malloc((n + (size_t)nadd + 1) * sizeof *env);
  if (env == NULL) {
    die("out of memory");
  }
  memcpy(env, environ, n * sizeof *env);
  for (long i = 0; i < nadd; i++) {
    size_t len = strcspn(add[i], "=");
    size_t j = 0;
    while (j < n && !(strncmp(env[j], add[i], len) == 0 && env[j][len] == '=')) {
      j++;
    }
    env[j] = add[i];
    if (j == n) {
      n++;
    }
  }
  env[n] = NULL;
  return env;
}

static struct slot *slot_of(long n) {
  if ((size_t)n >= nslots) {
    slots = grow(slots, &capslots, (size_t)n + 1, sizeof *slots);
    memset(slots + nslots, 0, ((size_t)n + 1 - nslots) * sizeof *slots);
    nslots = (size_t)n + 1;
  }
  return &slots[n];
}

/*
 * Where PATH finds a command: the first executable regular file. Looked up once per command
 * name (execvp would try every directory before it again for every task); a task whose
 * command is gone from there searches PATH itself.
 */
struct found {
  char *name, *path;
};
static struct found *found;
static size_t nfound, capfound;

__attribute__((noinline)) static const char *resolve(const char *name) {
  if (strchr(name, '/') != NULL || name[0] == '\0') {
    return NULL;
  }
  for (size_t i = 0; i < nfound; i++) {
    if (strcmp(found[i].name, name) == 0) {
      return found[i].path;
    }
  }
  const char *path = getenv("PATH");
  if (path == NULL) {
    return NULL;
  }
  size_t nlen = strlen(name);
  char *hit = NULL;
  for (const char *d = path;; d++) {
    const char *colon = strchr(d, ':');
    size_t dlen = colon ? (size_t)(colon - d) : strlen(d);
    char *cand = malloc(dlen + nlen + 3);
    if (cand == NULL) {
      die("out of memory");
    }
    if (dlen == 0) {
      strcpy(cand, "./"); /* an empty entry is the current directory */
    } else {
      memcpy(cand, d, dlen);
      cand[dlen] = '/';
      cand[dlen + 1] = '\0';
    }
    strcat(cand, name);
    struct stat st;
    if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
      hit = cand;
      break;
    }
    free(cand);
    if (colon == NULL) {
      break;
    }
    d = colon;
  }
  if (hit == NULL) {
    return NULL; /* execvp tells why */
  }
  found = grow(found, &capfound, nfound + 1, sizeof *found);
  found[nfound].name = strdup(name);
  found[nfound].path = hit;
  if (found[nfound].name == NULL) {
    die("out of memory");
  }
  return found[nfound++].path;
}

/* Starts the request on its (free) slot; returns whether it runs. */
static int start(struct req *r) {
  char **env = task_env(r->add, r->nadd);
  /* in another directory a relative PATH entry would mean another file: execvp searches */
  const char *where = r->dir[0] == '\0' ? resolve(r->argv[0]) : NULL;
  int ofd = kept_fd(r->out, -1);
  int efd = kept_fd(r->err, ofd);
  for (int attempt = 0;; attempt++) {
    volatile int failed = 0;
    pid_t pid = vfork();
    if (pid == 0) {
      if (redirect(ofd, r->out, 1) < 0 || redirect(efd, r->err, 2) < 0
          || (r->dir[0] != '\0' && chdir(r->dir) < 0)) {
        failed = errno;
        _exit(127);
      }
      /* The task, not jpack, is the OOM killer's pick in a pack that runs out of memory:
       * raised (unprivileged; a lower value than the one inherited is refused, and kept) */
      int adj = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
      if (adj >= 0) {
        if (write(adj, OOM_SCORE_ADJ, sizeof OOM_SCORE_ADJ - 1) < 0) {
          /* already higher, or not Linux: as it is */
        }
        close(adj);
      }
      for (size_t i = 0; i < NQUIET; i++) {
        sigaction(quiet[i], &quiet_was[i], NULL);
      }
      sigaction(SIGCHLD, &chld_was, NULL);
      sigprocmask(SIG_SETMASK, &mask_was, NULL);
      if (where != NULL) {
        execvpe(where, r->argv, env); /* a path: no search, a script without #! under sh */
        if (errno != ENOENT && errno != ENOTDIR && errno != EACCES) {
          failed = errno;
          _exit(127);
        }
      }
      execvpe(r->argv[0], r->argv, env);
      failed = errno;
      _exit(127);
    }
    if (pid < 0 && (errno == EAGAIN || errno == ENOMEM) && attempt < 50) {
      struct timespec ts = {0, 20000000L * (attempt + 1)}; /* a system out of processes for now */
      nanosleep(&ts, NULL);
      continue;
    }
    int err = pid < 0 ? errno : failed;
    free(env);
    if (pid > 0 && err != 0) {
      while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
      }
    }
    if (err != 0) {
      failure(r->id, err);
      held = 1; /* xargs stops when a command cannot run */
      return 0;
    }
    struct slot *s = slot_of(r->slot);
    s->id = r->id;
    s->pid = pid;
    emit('P', r->id, pid, now());
    return 1;
  }
}

/* Starts the slot's queued requests, in order, until one runs. */
static void start_queued(struct slot *s) {
  while (s->pid == 0 && !held && s->head != NULL) {
    struct req *r = s->head;
    s->head = r->next;
    if (s->head == NULL) {
      s->tail = NULL;
    }
    start(r);
    free(r->data);
    free(r->argv);
    free(r);
  }
}

/*
 * How many of the helper's children are not its running tasks: orphans of tasks, adopted as
 * their subreaper (a task's children are re-parented before its own end can be reaped). -1
 * when the kernel does not say (no /proc/PID/task/TID/children).
 */
static long adopted(void) {
  static char path[64];
  if (path[0] == '\0') {
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return -1;
  }
  static char buf[1 << 16];
  ssize_t len = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (len < 0) {
    return -1;
  }
  buf[len] = '\0';
  long n = 0;
  for (char *p = buf; *p != '\0';) {
    char *end;
    long pid = strtol(p, &end, 10);
    if (end == p) {
      break;
    }
    p = end;
    int task = 0;
    for (size_t i = 0; i < nslots && !task; i++) {
      task = slots[i].pid == (pid_t)pid;
    }
    n += !task;
  }
  return n;
}

static long orphans; /* adopted children seen at the last task's end */

/*
 * Reaps what ended. wait4 is waitpid with the child's rusage (the same system call: glibc's
 * waitpid is wait4 without it), so a task's peak memory and CPU time cost nothing to learn. The
 * kernel counts in it the task and the descendants it waited for itself; orphans it left (this
 * helper reaps them as their subreaper) are not counted. Its ru_maxrss is at least this
 * helper's own resident set: vfork'd, the child runs in the helper's memory until its exec.
 */
static void reap(void) {
  char b[64];
  while (read(wake[0], b, sizeof b) > 0) {
  }
  for (;;) {
    int status;
    struct rusage ru;
    pid_t pid = wait4(-1, &status, WNOHANG, &ru);
    if (pid <= 0) {
      return;
    }
    long long t = now();
    int task = 0;
    for (size_t i = 0; i < nslots; i++) {
      if (slots[i].pid == pid) {
        task = 1;
        slots[i].pid = 0;
        /* Did it leave processes behind (they may write to its output files later)? Then
         * bit 16 of the status says so, and jpack gives the slot new files. */
        long now_adopted = adopted();
        int left = now_adopted < 0 || now_adopted > orphans;
        orphans = now_adopted < 0 ? 0 : now_adopted;
        ended(slots[i].id, status | (left << 16), t, &ru);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
          held = 1; /* until jpack has seen it */
        }
        start_queued(&slots[i]);
        if (held || slots[i].head == NULL || slots[i].head->next == NULL) {
          urgent = 1; /* at most one more to start here: jpack should send the next ones */
        }
        break;
      }
    }
    if (!task && orphans > 0) {
      orphans--; /* an adopted orphan ended */
    }
  }
}

/* Signals the task (sig > 0) if it runs; drops it if it waits for its slot. */
static void signal_task(long long id, int sig) {
  for (size_t i = 0; i < nslots; i++) {
    struct slot *s = &slots[i];
    if (s->pid != 0 && s->id == id) {
      if (sig > 0) {
        kill(s->pid, sig);
      }
      return;
    }
    for (struct req **at = &s->head, *prev = NULL; *at != NULL; prev = *at, at = &(*at)->next) {
      struct req *r = *at;
      if (r->id == id) {
        *at = r->next;
        if (s->tail == r) {
          s->tail = prev;
        }
        emit('N', id, 0, 0);
        urgent = 1;
        free(r->data);
        free(r->argv);
        free(r);
        return;
      }
    }
  }
}

/* The next NUL-terminated field at *at, or NULL when the buffer ends first. */
static char *field(char **at, char *end) {
  char *f = *at;
  char *nul = memchr(f, '\0', (size_t)(end - f));
  if (nul == NULL) {
    return NULL;
  }
  *at = nul + 1;
  return f;
}

/*
 * Parses a start request from buf (after its "S" field); its pointers go into buf. Returns the
 * end of the request, or NULL when it is not all there yet. r->argv and r->add are allocated
 * (one block).
 */
static char *parse(char *at, char *end, struct req *r) {
  char *id = field(&at, end);
  char *slot = id ? field(&at, end) : NULL;
  char *o = slot ? field(&at, end) : NULL;
  char *e = o ? field(&at, end) : NULL;
  char *d = e ? field(&at, end) : NULL;
  char *argc = d ? field(&at, end) : NULL;
  if (argc == NULL) {
    return NULL;
  }
  long nargs = atol(argc);
  char **vec = malloc(((size_t)nargs + 1) * sizeof *vec);
  if (vec == NULL) {
    die("out of memory");
  }
  for (long i = 0; i < nargs; i++) {
    if ((vec[i] = field(&at, end)) == NULL) {
      free(vec);
      return NULL;
    }
  }
  vec[nargs] = NULL;
  char *envc = field(&at, end);
  if (envc == NULL) {
    free(vec);
    return NULL;
  }
  long nenv = atol(envc);
  vec = realloc(vec, ((size_t)nargs + 1 + (size_t)nenv) * sizeof *vec);
  if (vec == NULL) {
    die("out of memory");
  }
  for (long i = 0; i < nenv; i++) {
    if ((vec[nargs + 1 + i] = field(&at, end)) == NULL) {
      free(vec);
      return NULL;
    }
  }
  r->id = atoll(id);
  r->slot = atol(slot);
  r->out = o;
  r->err = e;
  r->dir = d;
  r->argv = vec;
  r->add = vec + nargs + 1;
  r->nadd = nenv;
  return at;
}

/* Handles one whole request at buf; returns its length, or 0 when it is not all there yet. */
static size_t request(char *buf, char *end) {
  char *at = buf;
  char *kind = field(&at, end);
  if (kind == NULL) {
    return 0;
  }
  if (kind[0] == 'K') {
    char *id = field(&at, end);
    char *sig = id ? field(&at, end) : NULL;
    if (sig == NULL) {
      return 0;
    }
    signal_task(atoll(id), atoi(sig));
    return (size_t)(at - buf);
  }
  if (kind[0] == 'C') {
    char *id = field(&at, end);
    if (id == NULL) {
      return 0;
    }
    signal_task(atoll(id), 0);
    return (size_t)(at - buf);
  }
  if (kind[0] == 'E') {
    ending = 1;
    return (size_t)(at - buf);
  }
  if (kind[0] == 'G') {
    held = 0;
    for (size_t i = 0; i < nslots; i++) {
      start_queued(&slots[i]);
    }
    return (size_t)(at - buf);
  }
  struct req r;
  char *stop = parse(at, end, &r);
  if (stop == NULL) {
    return 0;
  }
  size_t len = (size_t)(stop - buf);
  if (r.slot < 0) {
    r.slot = 0;
  }
  struct slot *s = slot_of(r.slot);
  if (s->pid == 0 && s->head == NULL && !held) {
    start(&r);
    free(r.argv);
    return len;
  }
  /* The slot is busy: keep a copy of the request until the slot's task ends. */
  struct req *q = malloc(sizeof *q);
  char *data = malloc(len);
  if (q == NULL || data == NULL) {
    die("out of memory");
  }
  memcpy(data, buf, len);
  free(r.argv);
  parse(data + (at - buf), data + len, q);
  q->data = data;
  q->next = NULL;
  if (s->tail != NULL) {
    s->tail->next = q;
  } else {
    s->head = q;
  }
  s->tail = q;
  return len;
}

/* ---- the end: what the tasks left behind (see the top) ---------------------------------- */

/* Whether the process carries this run's mark: its JPACK_RUN list has ours as an element. */
static int marked(pid_t pid, const char *mark) {
  if (mark == NULL || mark[0] == '\0') {
    return 0;
  }
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return 0;
  }
  static char env[1 << 16];
  size_t len = 0;
  ssize_t n;
  while (len < sizeof env - 1 && (n = read(fd, env + len, sizeof env - 1 - len)) > 0) {
    len += (size_t)n;
  }
  close(fd);
  env[len] = '\0';
  size_t mlen = strlen(mark);
  for (char *v = env; v < env + len; v += strlen(v) + 1) {
    if (strncmp(v, "JPACK_RUN=", 10) != 0) {
      continue;
    }
    for (char *e = v + 10; *e != '\0';) {
      size_t elen = strcspn(e, ",");
      if (elen == mlen && strncmp(e, mark, mlen) == 0) {
        return 1;
      }
      e += elen;
      if (*e == ',') {
        e++;
      }
    }
  }
  return 0;
}

/* The helper's children now (zombies reaped first): their pids into *kids, the count. */
static size_t children(pid_t **kids, size_t *cap) {
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  size_t n = 0;
  DIR *d = opendir("/proc");
  if (d == NULL) {
    return 0;
  }
  pid_t self = getpid();
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') {
      continue;
    }
    char path[300], stat[512];
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    ssize_t len = read(fd, stat, sizeof stat - 1);
    close(fd);
    if (len <= 0) {
      continue;
    }
    stat[len] = '\0';
    char *end = strrchr(stat, ')'); /* the name may hold anything, ')' too */
    int ppid;
    if (end == NULL || sscanf(end + 1, " %*c %d", &ppid) != 1 || ppid != (int)self) {
      continue;
    }
    *kids = grow(*kids, cap, n + 1, sizeof **kids);
    (*kids)[n++] = (pid_t)atoi(e->d_name);
  }
  closedir(d);
  return n;
}

/*
 * jpack is gone: stay while there are children. One without the mark gets TERM when first seen
 * and KILL the grace later; one with it is the watchdog's, and is killed here only once the
 * watchdog has had the grace and some seconds more. Never returns.
 */
static void drain(void) {
  close(sock);
  int null = open("/dev/null", O_RDWR);
  if (null >= 0) { /* jpack's stdout and stderr (a pipe to a reader) are not held open here */
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    if (null > 2) {
      close(null);
    }
  }
  drop_kept(-1);
  long long grace = ending ? 1000000000LL : grace_nanos;
  long long start = now();
  long long last_word = start + grace + 5000000000LL; /* past the watchdog's KILL */
  const char *run = getenv("JPACK_RUN");
  const char *mark = run == NULL ? NULL : strrchr(run, ',') ? strrchr(run, ',') + 1 : run;
  struct termed {
    pid_t pid;
    long long at;
  } *termed = NULL;
  size_t nterm = 0, capterm = 0;
  pid_t *kids = NULL;
  size_t capkids = 0;
  for (;;) {
    size_t n = children(&kids, &capkids);
    if (n == 0) {
      exit(0);
    }
    long long t = now();
    for (size_t i = 0; i < n; i++) {
      pid_t k = kids[i];
      if (t >= last_word) {
        kill(k, SIGKILL);
        continue;
      }
      size_t j = 0;
      while (j < nterm && termed[j].pid != k) {
        j++;
      }
      if (j < nterm) {
        if (t - termed[j].at >= grace) {
          kill(k, SIGKILL);
        }
      } else if (!marked(k, mark)) {
        kill(k, SIGTERM);
        termed = grow(termed, &capterm, nterm + 1, sizeof *termed);
        termed[nterm].pid = k;
        termed[nterm++].at = t;
      }
    }
    if (t >= last_word + 10000000000LL) {
      exit(0); /* a fork bomb that outruns KILL: give up */
    }
    struct timespec ts = {0, 20000000L};
    nanosleep(&ts, NULL);
  }
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "-g") == 0) {
    grace_nanos = (long long)(atof(argv[2]) * 1e9);
    argv[2] = argv[0];
    argv += 2;
    argc -= 2;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: jpack-spawn [-g GRACE] SOCKET [NAME=VALUE...] (started by jpack)\n");
    return 2;
  }
  for (int i = 2; i < argc; i++) {
    putenv(argv[i]);
  }
  (void)prctl(PR_SET_CHILD_SUBREAPER, 1); /* Linux 3.4 and later; without it, as before */
  sigprocmask(SIG_SETMASK, NULL, &mask_was);
  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
      && files.rlim_cur < 2 * MAX_KEPT + 32) {
    max_kept = files.rlim_cur > 32 ? (size_t)(files.rlim_cur - 32) / 2 : 0;
  }
  struct sigaction ign;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  for (size_t i = 0; i < NQUIET; i++) {
    sigaction(quiet[i], &ign, &quiet_was[i]);
  }
  if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0) {
    die("pipe");
  }
  struct sigaction chld;
  memset(&chld, 0, sizeof chld);
  chld.sa_handler = on_chld;
  chld.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &chld, &chld_was);

  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(argv[1]) >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    die(argv[1]);
  }
  strcpy(addr.sun_path, argv[1]);
  sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0) {
    return 1; /* jpack is gone already, or stopped waiting */
  }

  const char hello[] = "V 4\n";
  if (write(sock, hello, sizeof hello - 1) != (ssize_t)(sizeof hello - 1)) {
    return 1;
  }
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  if (buf == NULL) {
    die("out of memory");
  }
  struct pollfd fds[2] = {{sock, POLLIN, 0}, {wake[0], POLLIN, 0}};
  for (;;) {
    int timeout = -1;
    if (outlen > 0) {
      long long left = HOLD_NANOS - (now() - held_since);
      timeout = left <= 0 ? 0 : (int)((left + 999999) / 1000000);
    }
    if (timeout == 0) {
      flush();
      continue;
    }
    if (poll(fds, 2, timeout) < 0) {
      if (errno == EINTR) {
        continue;
      }
      die("poll");
    }
    if (fds[1].revents) {
      reap();
    }
    if (fds[0].revents) {
      if (len == cap) {
        cap *= 2;
        if ((buf = realloc(buf, cap)) == NULL) {
          die("out of memory");
        }
      }
      ssize_t n = read(sock, buf + len, cap - len);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        drain(); /* jpack closed the socket, or is gone */
      }
      len += (size_t)n;
      size_t used = 0, one;
      while ((one = request(buf + used, buf + len)) > 0) {
        used += one;
      }
      memmove(buf, buf + used, len - used);
      len -= used;
      reap(); /* a task that ended at once */
    }
    if (urgent || (outlen > 0 && now() - held_since >= HOLD_NANOS)) {
      flush();
    }
  }
}
