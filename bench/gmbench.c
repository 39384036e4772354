/*
 * gmbench: a small libgearman load generator for comparing Gearman job servers.
 *
 * Build:  gcc -O2 -o bench/target/gmbench bench/gmbench.c -lgearman
 *
 * Modes:
 *   gmbench worker HOST PORT FUNC
 *       Echo worker: every job's result is its own workload. Runs until it is
 *       killed, or until its parent process goes away, or until it could not
 *       reach the server for about 10 seconds in a row.
 *
 *   gmbench client HOST PORT FUNC N BATCH SIZE [bg]
 *       Submits N jobs of SIZE bytes, BATCH at a time: BATCH x add_task (or
 *       add_task_background with "bg"), then one gearman_client_run_tasks().
 *       Foreground: a batch ends when every job has completed (WORK_COMPLETE
 *       with a result of SIZE bytes). Background: a batch ends when every job
 *       has been acknowledged (JOB_CREATED); nothing waits for execution, so
 *       with no worker running this measures the pure submit rate.
 *       Prints exactly one line on stdout:
 *           jobs=N seconds=S jobs_per_s=R
 *       Exit status 0 only if all N jobs succeeded.
 *
 *   gmbench drain HOST PORT FUNC [TIMEOUT_S]
 *       Polls the text admin command "status" until the TOTAL column of FUNC
 *       is 0 (queued + running). Prints "drained seconds=S polls=K".
 *       Exit 0 when drained, 2 on timeout (default 120 s).
 *
 *   gmbench wait-workers HOST PORT FUNC COUNT [TIMEOUT_S]
 *       Polls "status" until FUNC has at least COUNT available workers.
 *       Exit 0 when reached, 2 on timeout (default 30 s).
 *
 *   gmbench admin HOST PORT COMMAND...
 *       Sends one text admin command and prints the reply (multi-line replies
 *       end at a line with a single "."). Times out after 5 s.
 *
 * Every job gets its own short unique id ("<pid>-<seq>") so that no server
 * coalesces jobs.
 */
#define _GNU_SOURCE
#include <libgearman/gearman.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define CLIENT_IO_TIMEOUT_MS 60000
#define WORKER_IDLE_TIMEOUT_MS 1000
#define WORKER_MAX_CONSECUTIVE_ERRORS 100 /* x 100 ms sleep = ~10 s */
#define ADMIN_IO_TIMEOUT_MS 5000
#define MAX_BATCH 100000
#define MAX_SIZE (64u * 1024u * 1024u)

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void) {
  fprintf(stderr,
          "usage:\n"
          "  gmbench worker HOST PORT FUNC\n"
          "  gmbench client HOST PORT FUNC N BATCH SIZE [bg]\n"
          "  gmbench drain HOST PORT FUNC [TIMEOUT_S]\n"
          "  gmbench wait-workers HOST PORT FUNC COUNT [TIMEOUT_S]\n"
          "  gmbench admin HOST PORT COMMAND...\n");
  exit(64);
}

static long parse_long(const char *s, const char *what, long min, long max) {
  char *end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end != '\0' || v < min || v > max) {
    fprintf(stderr, "gmbench: bad %s '%s' (expected %ld..%ld)\n", what, s, min, max);
    exit(64);
  }
  return v;
}

/* ------------------------------------------------------------------ worker */

static void *echo_fn(gearman_job_st *job, void *context, size_t *result_size,
                     gearman_return_t *ret_ptr) {
  (void)context;
  size_t n = gearman_job_workload_size(job);
  void *out = malloc(n ? n : 1);
  if (out == NULL) {
    *result_size = 0;
    *ret_ptr = GEARMAN_WORK_FAIL;
    return NULL;
  }
  if (n) memcpy(out, gearman_job_workload(job), n);
  *result_size = n;
  *ret_ptr = GEARMAN_SUCCESS;
  return out; /* libgearman frees it after sending WORK_COMPLETE */
}

static int run_worker(const char *host, in_port_t port, const char *func) {
  pid_t parent = getppid();
  gearman_worker_st *w = gearman_worker_create(NULL);
  if (w == NULL) {
    fprintf(stderr, "gmbench worker: gearman_worker_create failed\n");
    return 1;
  }
  if (gearman_failed(gearman_worker_add_server(w, host, port))) {
    fprintf(stderr, "gmbench worker: add_server: %s\n", gearman_worker_error(w));
    return 1;
  }
  gearman_worker_set_timeout(w, WORKER_IDLE_TIMEOUT_MS);
  if (gearman_failed(gearman_worker_add_function(w, func, 0, echo_fn, NULL))) {
    fprintf(stderr, "gmbench worker: add_function: %s\n", gearman_worker_error(w));
    return 1;
  }
  int errors = 0;
  unsigned long done = 0;
  for (;;) {
    if (getppid() != parent) break; /* orphaned: the driver went away */
    gearman_return_t rc = gearman_worker_work(w);
    if (rc == GEARMAN_SUCCESS) {
      done++;
      errors = 0;
    } else if (rc == GEARMAN_TIMEOUT || rc == GEARMAN_IO_WAIT || rc == GEARMAN_NO_JOBS) {
      errors = 0;
    } else {
      if (++errors >= WORKER_MAX_CONSECUTIVE_ERRORS) {
        fprintf(stderr, "gmbench worker: giving up after %d errors: %s\n", errors,
                gearman_worker_error(w));
        break;
      }
      usleep(100 * 1000);
    }
  }
  gearman_worker_free(w);
  return 0;
}

/* ------------------------------------------------------------------ client */

struct counters {
  unsigned long created;
  unsigned long completed;
  unsigned long failed;
  unsigned long bad_size;
  size_t expect_size;
};

static struct counters g_counters;

static gearman_return_t on_created(gearman_task_st *task) {
  (void)task;
  g_counters.created++;
  return GEARMAN_SUCCESS;
}

static gearman_return_t on_complete(gearman_task_st *task) {
  g_counters.completed++;
  if (gearman_task_data_size(task) != g_counters.expect_size) g_counters.bad_size++;
  return GEARMAN_SUCCESS;
}

static gearman_return_t on_fail(gearman_task_st *task) {
  (void)task;
  g_counters.failed++;
  return GEARMAN_SUCCESS;
}

static gearman_return_t on_exception(gearman_task_st *task) {
  (void)task;
  g_counters.failed++;
  return GEARMAN_SUCCESS;
}

static int run_client(const char *host, in_port_t port, const char *func, long n, long batch,
                      long size, int background) {
  char *payload = malloc((size_t)size + 1);
  if (payload == NULL) {
    fprintf(stderr, "gmbench client: out of memory\n");
    return 1;
  }
  for (long i = 0; i < size; i++) payload[i] = (char)('a' + (i % 26));
  payload[size] = '\0';
  g_counters.expect_size = (size_t)size;

  gearman_client_st *c = gearman_client_create(NULL);
  if (c == NULL) {
    fprintf(stderr, "gmbench client: gearman_client_create failed\n");
    return 1;
  }
  if (gearman_failed(gearman_client_add_server(c, host, port))) {
    fprintf(stderr, "gmbench client: add_server: %s\n", gearman_client_error(c));
    return 1;
  }
  gearman_client_set_timeout(c, CLIENT_IO_TIMEOUT_MS);
  gearman_client_set_created_fn(c, on_created);
  gearman_client_set_complete_fn(c, on_complete);
  gearman_client_set_fail_fn(c, on_fail);
  gearman_client_set_exception_fn(c, on_exception);

  const int pid = (int)getpid();
  char unique[64];
  unsigned long seq = 0;
  long sent = 0;
  int rc_exit = 0;

  double t0 = now_s();
  while (sent < n) {
    long this_batch = (n - sent < batch) ? (n - sent) : batch;
    for (long i = 0; i < this_batch; i++) {
      gearman_return_t ret;
      snprintf(unique, sizeof unique, "%d-%lu", pid, seq++);
      gearman_task_st *t;
      if (background)
        t = gearman_client_add_task_background(c, NULL, NULL, func, unique, payload,
                                               (size_t)size, &ret);
      else
        t = gearman_client_add_task(c, NULL, NULL, func, unique, payload, (size_t)size, &ret);
      if (t == NULL || gearman_failed(ret)) {
        fprintf(stderr, "gmbench client: add_task: %s\n", gearman_client_error(c));
        rc_exit = 1;
        goto out;
      }
    }
    gearman_return_t ret = gearman_client_run_tasks(c);
    if (gearman_failed(ret)) {
      fprintf(stderr, "gmbench client: run_tasks: %s (%s)\n", gearman_strerror(ret),
              gearman_client_error(c));
      rc_exit = 1;
      goto out;
    }
    gearman_client_task_free_all(c);
    sent += this_batch;
  }
out:;
  double secs = now_s() - t0;

  unsigned long ok = background ? g_counters.created : g_counters.completed - g_counters.bad_size;
  if (rc_exit == 0 && (ok != (unsigned long)n || g_counters.failed || g_counters.bad_size)) {
    fprintf(stderr,
            "gmbench client: expected %ld jobs: created=%lu completed=%lu failed=%lu "
            "bad_size=%lu\n",
            n, g_counters.created, g_counters.completed, g_counters.failed,
            g_counters.bad_size);
    rc_exit = 1;
  }
  if (secs <= 0) secs = 1e-9;
  printf("jobs=%lu seconds=%.6f jobs_per_s=%.1f\n", ok, secs, (double)ok / secs);
  fflush(stdout);
  gearman_client_free(c);
  free(payload);
  return rc_exit;
}

/* ------------------------------------------------------------- text admin */

struct admin_conn {
  int fd;
  char buf[1 << 16];
  size_t len;
};

static int admin_connect(struct admin_conn *a, const char *host, const char *port) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int e = getaddrinfo(host, port, &hints, &res);
  if (e != 0) {
    fprintf(stderr, "gmbench: getaddrinfo %s:%s: %s\n", host, port, gai_strerror(e));
    return -1;
  }
  int fd = -1;
  for (struct addrinfo *p = res; p; p = p->ai_next) {
    fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, p->ai_addr, p->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) {
    fprintf(stderr, "gmbench: cannot connect to %s:%s: %s\n", host, port, strerror(errno));
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  a->fd = fd;
  a->len = 0;
  return 0;
}

/* Sends CMD + "\n"; reads the reply into a->buf (NUL-terminated).
 * multi: the reply ends with a line ".", else it is one line. */
static int admin_cmd(struct admin_conn *a, const char *cmd, int multi) {
  char line[1024];
  int l = snprintf(line, sizeof line, "%s\n", cmd);
  if (l <= 0 || (size_t)l >= sizeof line) return -1;
  for (int off = 0; off < l;) {
    ssize_t w = send(a->fd, line + off, (size_t)(l - off), MSG_NOSIGNAL);
    if (w <= 0) return -1;
    off += (int)w;
  }
  a->len = 0;
  double deadline = now_s() + ADMIN_IO_TIMEOUT_MS / 1000.0;
  for (;;) {
    a->buf[a->len] = '\0';
    if (multi) {
      /* complete when the buffer is "." + EOL, or ends with "\n.\n" / "\n.\r\n" */
      if (strcmp(a->buf, ".\n") == 0 || strcmp(a->buf, ".\r\n") == 0) return 0;
      if (a->len >= 3 && (strcmp(a->buf + a->len - 3, "\n.\n") == 0)) return 0;
      if (a->len >= 4 && (strcmp(a->buf + a->len - 4, "\n.\r\n") == 0)) return 0;
    } else if (memchr(a->buf, '\n', a->len)) {
      return 0;
    }
    if (a->len + 1 >= sizeof a->buf) return -1;
    int left_ms = (int)((deadline - now_s()) * 1000);
    if (left_ms <= 0) return -1;
    struct pollfd pfd = {.fd = a->fd, .events = POLLIN};
    int pr = poll(&pfd, 1, left_ms);
    if (pr <= 0) return -1;
    ssize_t r = recv(a->fd, a->buf + a->len, sizeof a->buf - 1 - a->len, 0);
    if (r <= 0) return -1;
    a->len += (size_t)r;
  }
}

/* Finds FUNC in a "status" reply. Returns 1 if found (fills total, avail). */
static int status_lookup(const char *reply, const char *func, long *total, long *avail) {
  size_t flen = strlen(func);
  const char *p = reply;
  while (*p) {
    const char *eol = strchr(p, '\n');
    if (eol == NULL) eol = p + strlen(p);
    if ((size_t)(eol - p) > flen && strncmp(p, func, flen) == 0 &&
        (p[flen] == '\t' || p[flen] == ' ')) {
      long t = 0, r = 0, w = 0;
      if (sscanf(p + flen, "%ld %ld %ld", &t, &r, &w) >= 1) {
        *total = t;
        *avail = w;
        return 1;
      }
    }
    p = (*eol) ? eol + 1 : eol;
  }
  return 0;
}

static int run_drain(const char *host, const char *port, const char *func, long timeout_s) {
  struct admin_conn *a = calloc(1, sizeof *a);
  if (a == NULL || admin_connect(a, host, port) != 0) return 1;
  double t0 = now_s();
  double deadline = t0 + (double)timeout_s;
  unsigned long polls = 0;
  long total = -1, avail = 0;
  for (;;) {
    if (admin_cmd(a, "status", 1) != 0) {
      fprintf(stderr, "gmbench drain: status command failed\n");
      return 1;
    }
    polls++;
    if (!status_lookup(a->buf, func, &total, &avail)) total = 0; /* unknown = nothing queued */
    if (total == 0) break;
    if (now_s() >= deadline) {
      fprintf(stderr, "gmbench drain: timeout after %ld s, %ld jobs left\n", timeout_s, total);
      printf("drained=no seconds=%.6f polls=%lu left=%ld\n", now_s() - t0, polls, total);
      return 2;
    }
    usleep(2000);
  }
  printf("drained seconds=%.6f polls=%lu\n", now_s() - t0, polls);
  close(a->fd);
  free(a);
  return 0;
}

static int run_wait_workers(const char *host, const char *port, const char *func, long count,
                            long timeout_s) {
  struct admin_conn *a = calloc(1, sizeof *a);
  if (a == NULL || admin_connect(a, host, port) != 0) return 1;
  double deadline = now_s() + (double)timeout_s;
  long total = 0, avail = -1;
  for (;;) {
    if (admin_cmd(a, "status", 1) != 0) {
      fprintf(stderr, "gmbench wait-workers: status command failed\n");
      return 1;
    }
    if (!status_lookup(a->buf, func, &total, &avail)) avail = 0;
    if (avail >= count) break;
    if (now_s() >= deadline) {
      fprintf(stderr, "gmbench wait-workers: only %ld of %ld workers after %ld s\n", avail,
              count, timeout_s);
      return 2;
    }
    usleep(20000);
  }
  printf("workers=%ld\n", avail);
  close(a->fd);
  free(a);
  return 0;
}

static int run_admin(const char *host, const char *port, int argc, char **argv) {
  char cmd[900];
  size_t off = 0;
  for (int i = 0; i < argc; i++) {
    int l = snprintf(cmd + off, sizeof cmd - off, "%s%s", i ? " " : "", argv[i]);
    if (l < 0 || (size_t)l >= sizeof cmd - off) {
      fprintf(stderr, "gmbench admin: command too long\n");
      return 64;
    }
    off += (size_t)l;
  }
  /* Replies that are lists end with "."; everything else is one line. */
  const char *multi_cmds[] = {"status", "workers", "prioritystatus", "show", NULL};
  int multi = 0;
  for (int i = 0; multi_cmds[i]; i++)
    if (strncasecmp(cmd, multi_cmds[i], strlen(multi_cmds[i])) == 0) multi = 1;
  struct admin_conn *a = calloc(1, sizeof *a);
  if (a == NULL || admin_connect(a, host, port) != 0) return 1;
  if (admin_cmd(a, cmd, multi) != 0) {
    fprintf(stderr, "gmbench admin: no complete reply to '%s'\n", cmd);
    return 1;
  }
  fputs(a->buf, stdout);
  close(a->fd);
  free(a);
  return 0;
}

/* -------------------------------------------------------------------- main */

int main(int argc, char **argv) {
  if (argc < 2) usage();
  const char *mode = argv[1];
  if (strcmp(mode, "worker") == 0) {
    if (argc != 5) usage();
    in_port_t port = (in_port_t)parse_long(argv[3], "port", 1, 65535);
    return run_worker(argv[2], port, argv[4]);
  }
  if (strcmp(mode, "client") == 0) {
    if (argc != 8 && argc != 9) usage();
    in_port_t port = (in_port_t)parse_long(argv[3], "port", 1, 65535);
    long n = parse_long(argv[5], "N", 1, 1000000000L);
    long batch = parse_long(argv[6], "BATCH", 1, MAX_BATCH);
    long size = parse_long(argv[7], "SIZE", 0, MAX_SIZE);
    int bg = 0;
    if (argc == 9) {
      if (strcmp(argv[8], "bg") != 0) usage();
      bg = 1;
    }
    return run_client(argv[2], port, argv[4], n, batch, size, bg);
  }
  if (strcmp(mode, "drain") == 0) {
    if (argc != 5 && argc != 6) usage();
    parse_long(argv[3], "port", 1, 65535);
    long t = argc == 6 ? parse_long(argv[5], "TIMEOUT_S", 1, 86400) : 120;
    return run_drain(argv[2], argv[3], argv[4], t);
  }
  if (strcmp(mode, "wait-workers") == 0) {
    if (argc != 6 && argc != 7) usage();
    parse_long(argv[3], "port", 1, 65535);
    long count = parse_long(argv[5], "COUNT", 0, 100000);
    long t = argc == 7 ? parse_long(argv[6], "TIMEOUT_S", 1, 86400) : 30;
    return run_wait_workers(argv[2], argv[3], argv[4], count, t);
  }
  if (strcmp(mode, "admin") == 0) {
    if (argc < 5) usage();
    parse_long(argv[3], "port", 1, 65535);
    return run_admin(argv[2], argv[3], argc - 4, argv + 4);
  }
  usage();
  return 64;
}
