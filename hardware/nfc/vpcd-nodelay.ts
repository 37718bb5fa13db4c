import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vpcd sends each frame as two send() calls (2-byte length, then payload) on a socket with Nagle's
 * algorithm on. Against the card emulator's delayed ACK this costs ~40 ms per message (measured: 45 ms
 * between the length and the payload), i.e. ~2 s for one personalisation. This LD_PRELOAD shim, loaded
 * into our private pcscd only, sets TCP_NODELAY on every socket vpcd accepts or connects. pcscd and
 * vpcd are otherwise unchanged.
 *
 * vpcd has no card events: pcscd asks it for a card every 400 ms. The shim can shorten that sleep
 * (`VPCD_CARD_POLL_US`, `startPcscd({ cardPollMs })`), or end it the moment a card arrives or leaves
 * (`VPCD_CARD_EVENTS`, `startPcscd({ cardEvents: true })`): the virtual card connecting to or hanging up
 * on vpcd's port plays the part of a CCID reader's interrupt, on which pcscd waits for a real reader that
 * has one. Built once per machine with the C compiler that `npm ci` needs anyway; when there is none,
 * pcscd runs without it (slower, same behaviour).
 */
const source = `
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void nodelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* fails harmlessly on unix sockets */
}

static int is_tcp(int fd) {
  struct sockaddr_storage address;
  socklen_t length = sizeof address;
  if (getsockname(fd, (struct sockaddr *)&address, &length) != 0) return 0;
  return address.ss_family == AF_INET || address.ss_family == AF_INET6;
}

/* vpcd's sockets: the slots' listening sockets (a card arriving = a connection waiting there) and the
   connected cards (a card leaving = the peer hanging up). */
#define MAX_WATCHED 16
static pthread_mutex_t watched_lock = PTHREAD_MUTEX_INITIALIZER;
static int listening[MAX_WATCHED], connected[MAX_WATCHED];
static int listening_count, connected_count;

static void watch(int *fds, int *count, int fd) {
  pthread_mutex_lock(&watched_lock);
  if (*count < MAX_WATCHED) fds[(*count)++] = fd;
  pthread_mutex_unlock(&watched_lock);
}

static void unwatch(int *fds, int *count, int fd) {
  for (int i = 0; i < *count; i++) {
    if (fds[i] == fd) {
      fds[i] = fds[--(*count)];
      return;
    }
  }
}

static int snapshot(struct pollfd *fds) {
  int n = 0;
  pthread_mutex_lock(&watched_lock);
  for (int i = 0; i < listening_count; i++) fds[n++] = (struct pollfd){ listening[i], POLLIN, 0 };
  for (int i = 0; i < connected_count; i++) fds[n++] = (struct pollfd){ connected[i], POLLRDHUP, 0 };
  pthread_mutex_unlock(&watched_lock);
  return n;
}

/* VPCD_CARD_EVENTS: the poll sleep ends as soon as a card arrives or leaves, as pcscd's wait on a CCID
   reader's interrupt endpoint does (IFDHPolling). A wake-up that changed nothing (another slot's card,
   a socket vpcd has not closed yet) is followed by a short pause, so the poll can never spin. */
static int (*real_nanosleep)(const struct timespec *, struct timespec *);
static __thread int woke_early;
static const struct timespec pause_after_wake = { 0, 10 * 1000 * 1000 };

static int sleep_until_card_event(const struct timespec *request) {
  if (woke_early) real_nanosleep(&pause_after_wake, NULL);
  struct pollfd fds[2 * MAX_WATCHED];
  int n = snapshot(fds);
  int timeout_ms = (int)(request->tv_sec * 1000 + request->tv_nsec / 1000000);
  int ready = poll(fds, n, timeout_ms);
  woke_early = ready > 0;
  return 0;
}

/* pcscd polls readers without card events (vpcd) every PCSCLITE_STATUS_POLL_RATE = 400 ms;
   VPCD_CARD_POLL_US shortens that one sleep, VPCD_CARD_EVENTS ends it at a card event. */
int nanosleep(const struct timespec *request, struct timespec *remaining) {
  if (!real_nanosleep) real_nanosleep = dlsym(RTLD_NEXT, "nanosleep");
  if (request && request->tv_sec == 0 && request->tv_nsec == 400000000L) {
    struct timespec poll_sleep = *request;
    const char *poll_us = getenv("VPCD_CARD_POLL_US");
    if (poll_us) poll_sleep = (struct timespec){ atol(poll_us) / 1000000L, (atol(poll_us) % 1000000L) * 1000L };
    if (getenv("VPCD_CARD_EVENTS")) return sleep_until_card_event(&poll_sleep);
    return real_nanosleep(&poll_sleep, remaining);
  }
  return real_nanosleep(request, remaining);
}

int listen(int fd, int backlog) {
  static int (*real)(int, int);
  if (!real) real = dlsym(RTLD_NEXT, "listen");
  int result = real(fd, backlog);
  if (result == 0 && is_tcp(fd)) watch(listening, &listening_count, fd);
  return result;
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) {
  static int (*real)(int, struct sockaddr *, socklen_t *);
  if (!real) real = dlsym(RTLD_NEXT, "accept");
  int client = real(fd, addr, len);
  if (client >= 0 && is_tcp(client)) {
    nodelay(client);
    watch(connected, &connected_count, client);
  }
  return client;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  static int (*real)(int, const struct sockaddr *, socklen_t);
  if (!real) real = dlsym(RTLD_NEXT, "connect");
  int result = real(fd, addr, len);
  if (result == 0 && addr && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6)) nodelay(fd);
  return result;
}

/* A closed descriptor leaves the watch lists before its number can be reused. */
int close(int fd) {
  static int (*real)(int);
  if (!real) real = dlsym(RTLD_NEXT, "close");
  pthread_mutex_lock(&watched_lock);
  unwatch(listening, &listening_count, fd);
  unwatch(connected, &connected_count, fd);
  pthread_mutex_unlock(&watched_lock);
  return real(fd);
}
`;

/** Path of the compiled shim, or undefined when no C compiler is available. */
export function vpcdNoDelayShim(): string | undefined {
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'kiosk-vpcd-nodelay');
  const library = join(dir, `nodelay-${digest}.so`);
  if (existsSync(library)) return library;
  const unique = `${process.pid}-${Date.now()}`;
  const sourcePath = join(dir, `nodelay-${unique}.c`);
  const partial = join(dir, `nodelay-${unique}.so`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(sourcePath, source);
    execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', partial, sourcePath, '-ldl', '-lpthread'], { stdio: 'ignore' });
    renameSync(partial, library); // atomic: parallel test files never load a half-written library
    return library;
  } catch {
    return undefined;
  } finally {
    // Only the library is kept (the cache); the source and a failed build's output would pile up.
    rmSync(sourcePath, { force: true });
    rmSync(partial, { force: true });
  }
}
