import { execFile } from 'node:child_process';
import { err, ok, type Result } from '../../shared/result';

/**
 * The readers pcscd sees right now, as `pcsc_scan -r` lists them (pcsc-tools, installed by
 * scripts/setup.sh). A short-lived tool rather than libpcsclite in this process: the library binds
 * one pcscd socket per process and lists readers only through its event loop.
 */
export type ReaderListError =
  | { readonly kind: 'no_daemon'; readonly message: string }
  | { readonly kind: 'no_tool'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

/** pcsc_scan answers at once; past this it is stuck (a hung daemon). */
const listTimeoutMs = 5_000;
const readerLine = /^\s*\d+: (.+?)\s*$/;

/** `env` chooses the daemon like the kiosk does (PCSCLITE_CSOCK_NAME, else /run/pcscd/pcscd.comm). */
export function listPcscReaders(env: NodeJS.ProcessEnv = process.env): Promise<Result<readonly string[], ReaderListError>> {
  return new Promise((resolve) => {
    execFile('pcsc_scan', ['-r'], { env, timeout: listTimeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const text = `${stdout}\n${stderr}`;
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        resolve(err({ kind: 'no_tool', message: 'pcsc_scan is not installed (Debian package pcsc-tools; run scripts/setup.sh)' }));
      } else if (/SCardEstablishContext|Service not available/i.test(text)) {
        resolve(err({ kind: 'no_daemon', message: 'pcscd is not running' }));
      } else if (/No reader found/i.test(text)) {
        resolve(ok([]));
      } else if (error?.killed) {
        resolve(err({ kind: 'failed', message: `pcsc_scan did not answer within ${listTimeoutMs / 1000} s: pcscd may be hung (systemctl restart pcscd, then try again)` }));
      } else if (error) {
        resolve(err({ kind: 'failed', message: `pcsc_scan failed: ${error.message.trim()}` }));
      } else {
        resolve(ok(stdout.split('\n').flatMap((line) => readerLine.exec(line)?.[1] ?? [])));
      }
    });
  });
}
