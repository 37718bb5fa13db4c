import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * scripts/setup.sh's Node.js/npm check, run with a PATH that holds only a few harmless tools and
 * fake `node`/`npm`/`dpkg-query`: it can never reach the real apt-get or npm.
 */
const harmlessTools = ['dirname', 'id', 'grep', 'mkdir'];

interface Fakes {
  readonly node?: string;
  readonly npm?: string;
}

describe('scripts/setup.sh', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function runSetup(fakes: Fakes): { status: number | null; stdout: string; stderr: string; npmCalls: string } {
    dir = mkdtempSync(join(tmpdir(), 'setup-sh-'));
    const bin = join(dir, 'bin');
    const npmLog = join(dir, 'npm-calls');
    spawnSync('mkdir', [bin]);
    for (const tool of harmlessTools) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
    const script = (name: string, body: string): void => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    // Every Debian package "installed", so the script never wants apt-get.
    script('dpkg-query', "printf 'install ok installed'");
    if (fakes.node) script('node', `echo ${fakes.node}`);
    // A fake npm that only answers --version and records anything else (npm ci must never be reached here).
    if (fakes.npm) script('npm', `if [ "$1" = --version ]; then echo ${fakes.npm}; else echo "$*" >> ${npmLog}; fi`);
    const result = spawnSync('/bin/bash', ['scripts/setup.sh'], { env: { PATH: bin, HOME: dir }, encoding: 'utf8', timeout: 10_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, npmCalls: existsSync(npmLog) ? readFileSync(npmLog, 'utf8') : '' };
  }

  it('without node and npm: says what to install (Node.js from NodeSource, npm 11) and stops before npm ci', () => {
    const run = runSetup({});
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('found Node.js (none), npm (none)');
    expect(run.stderr).toContain('curl -fsSL https://deb.nodesource.com/setup_22.x | bash -');
    expect(run.stderr).toContain('apt-get install -y nodejs');
    expect(run.stderr).toContain('npm install -g npm@11');
    expect(run.stdout).not.toContain('npm ci');
    expect(run.stdout).not.toContain('Debian packages');
  });

  it.each([
    ['v18.19.0', '9.2.0'],
    ['v20.18.1', '11.0.0'],
    ['v21.7.3', '11.0.0'],
    ['v22.11.0', '11.6.2'],
  ])('with Node.js %s (too old for vite 8): asks for Node.js 22 and exits 1', (node, npm) => {
    const run = runSetup({ node, npm });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`found Node.js ${node}, npm ${npm}`);
    expect(run.stderr).toContain('setup_22.x');
    expect(run.npmCalls).toBe('');
  });

  it('with a good Node.js but npm 10: asks only for npm 11 and exits 1', () => {
    const run = runSetup({ node: 'v20.19.0', npm: '10.8.2' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm install -g npm@11');
    expect(run.stderr).not.toContain('nodesource');
    expect(run.npmCalls).toBe('');
  });

  it.each([
    ['v20.19.0', '11.0.0'],
    ['v22.12.0', '11.19.1'],
    ['v24.1.0', '11.3.0'],
  ])('with Node.js %s and npm %s: goes on to the Debian packages and npm', (node, npm) => {
    const run = runSetup({ node, npm });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`setup: Node.js ${node}, npm ${npm}`);
    expect(run.stdout).toContain('setup: Debian packages already installed');
    expect(run.status).toBe(0);
  });
});
