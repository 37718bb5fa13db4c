import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startProcess, waitFor, type ManagedProcess } from '../../../hardware/host/child-processes';
import { descendantsOf, isAlive, killIfAlive, readProcess, type ProcessEntry } from './proc-table';

const parentScript = 'test/hardware/host/parent-process.ts';
/** How long the kernel may take to deliver the parent-death signal and the child to die. */
const deathDeadlineMs = 2_000;
const readyTimeoutMs = 20_000;

describe('startProcess', () => {
  let parent: ChildProcess | undefined;
  let seen: ProcessEntry[] = [];
  let managed: ManagedProcess | undefined;

  afterEach(async () => {
    if (parent?.pid !== undefined && parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    killIfAlive(seen);
    seen = [];
    await managed?.stop();
    managed = undefined;
  });

  /** Starts parent-process.ts with `helper`, waits until it says ready, returns its pid. */
  async function startParent(helper: 'sleep' | 'pcscd'): Promise<number> {
    const child = spawn(process.execPath, ['--import', 'tsx', parentScript, helper], { stdio: ['ignore', 'pipe', 'pipe'] });
    parent = child;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await waitFor(() => output.includes('ready') || child.exitCode !== null, readyTimeoutMs, `${helper} parent never got ready: ${output}`);
    expect(child.exitCode, output).toBeNull();
    return child.pid!;
  }

  /** The helper named `comm` under `parentPid`, once it has exec'd (setpriv and sh come first). */
  async function helperOf(parentPid: number, comm: string): Promise<ProcessEntry> {
    let helper: ProcessEntry | undefined;
    await waitFor(
      () => (helper = descendantsOf(parentPid).find((entry) => entry.comm === comm)) !== undefined,
      readyTimeoutMs,
      `no ${comm} under the parent`,
    );
    seen.push(helper!);
    return helper!;
  }

  /** SIGKILLs a parent that started `helper` (no exit handler of it runs): the helper must die with it. */
  async function expectHelperDiesWithParent(helper: 'sleep' | 'pcscd'): Promise<void> {
    const parentPid = await startParent(helper);
    const entry = await helperOf(parentPid, helper);
    // setpriv, sh (and unshare for pcscd) exec into the helper without forking: the parent-death setting is still in place.
    expect(entry.ppid).toBe(parentPid);

    parent!.kill('SIGKILL');
    await waitFor(() => !isAlive(entry), deathDeadlineMs, `${helper} (pid ${entry.pid}) outlived its SIGKILLed parent`);
  }

  it('kills its child when the parent is SIGKILLed (no exit handler runs)', () => expectHelperDiesWithParent('sleep'));

  it('kills pcscd, started under unshare, when the parent is SIGKILLed', () => expectHelperDiesWithParent('pcscd'));

  it('stops the command itself: stop() sends SIGTERM to it, not to a wrapper', async () => {
    managed = startProcess('sleep', ['600']);
    const entry = await helperOf(process.pid, 'sleep');
    expect(entry.pid).toBe(managed.child.pid);
    await managed.stop();
    expect(managed.child.signalCode).toBe('SIGTERM');
    expect(readProcess(entry.pid)?.comm === 'sleep' && isAlive(entry)).toBe(false);
  });

  it('runs the command in a process group of its own: a terminal\'s Ctrl-C to ours reaches only us, who stop it in turn', async () => {
    managed = startProcess('sleep', ['600']);
    const entry = await helperOf(process.pid, 'sleep');
    const groupOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
    expect(groupOf(entry.pid)).toBe(entry.pid);
    expect(groupOf(entry.pid)).not.toBe(groupOf(process.pid));
  });

  it('passes arguments through unchanged and reports a missing command in its output', async () => {
    managed = startProcess('printf', ['%s|', 'a b', '$HOME', '"q"']);
    // 'exit' can come before the last output is read: wait for the pipes to end too.
    const finished = (p: ManagedProcess) => () => p.child.exitCode !== null && p.child.stdout?.readableEnded !== false && p.child.stderr?.readableEnded !== false;
    await waitFor(finished(managed), 5_000, 'printf did not finish');
    expect(managed.output()).toBe('a b|$HOME|"q"|');

    const missing = startProcess('no-such-command-kiosk', []);
    await waitFor(finished(missing), 5_000, 'the missing command did not fail');
    expect(missing.child.exitCode).not.toBe(0);
    expect(missing.output()).toMatch(/no-such-command-kiosk/);
  });
});
