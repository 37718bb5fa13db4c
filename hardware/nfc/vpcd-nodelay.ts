import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vpcd sends each frame as two send() calls (2-byte length, then payload) on a socket with Nagle's
 * algorithm on. Against the card emulator's delayed ACK this costs ~40 ms per message (measured: 45 ms
 * between the length and the payload), i.e. ~2 s for one personalisation. This LD_PRELOAD shim, loaded
 * into our private pcscd only, sets TCP_NODELAY on every socket vpcd accepts or connects. pcscd and
 * vpcd are otherwise unchanged. It can also shorten pcscd's 400 ms card-presence poll of vpcd
 * (`VPCD_CARD_POLL_US`, see `startPcscd({ cardPollMs })`). Built once per machine with the C compiler that `npm ci` needs anyway;
 * when there is none, pcscd runs without it (slower, same behaviour).
 */
const source = `
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

static void nodelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* fails harmlessly on unix sockets */
}

/* pcscd polls readers without card events (vpcd) every PCSCLITE_STATUS_POLL_RATE = 400 ms; when
   VPCD_CARD_POLL_US is set, that one sleep is shortened (a real reader signals cards by interrupt). */
int nanosleep(const struct timespec *request, struct timespec *remaining) {
  static int (*real)(const struct timespec *, struct timespec *);
  if (!real) real = dlsym(RTLD_NEXT, "nanosleep");
  const char *poll = getenv("VPCD_CARD_POLL_US");
  if (poll && request && request->tv_sec == 0 && request->tv_nsec == 400000000L) {
    struct timespec shorter = { 0, atol(poll) * 1000L };
    return real(&shorter, remaining);
  }
  return real(request, remaining);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) {
  static int (*real)(int, struct sockaddr *, socklen_t *);
  if (!real) real = dlsym(RTLD_NEXT, "accept");
  int client = real(fd, addr, len);
  if (client >= 0) nodelay(client);
  return client;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  static int (*real)(int, const struct sockaddr *, socklen_t);
  if (!real) real = dlsym(RTLD_NEXT, "connect");
  int result = real(fd, addr, len);
  if (result == 0 && addr && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6)) nodelay(fd);
  return result;
}
`;

/** Path of the compiled shim, or undefined when no C compiler is available. */
export function vpcdNoDelayShim(): string | undefined {
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'kiosk-vpcd-nodelay');
  const library = join(dir, `nodelay-${digest}.so`);
  if (existsSync(library)) return library;
  try {
    mkdirSync(dir, { recursive: true });
    const unique = `${process.pid}-${Date.now()}`;
    const sourcePath = join(dir, `nodelay-${unique}.c`);
    const partial = join(dir, `nodelay-${unique}.so`);
    writeFileSync(sourcePath, source);
    execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', partial, sourcePath, '-ldl'], { stdio: 'ignore' });
    renameSync(partial, library); // atomic: parallel test files never load a half-written library
    return library;
  } catch {
    return undefined;
  }
}
