import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { inject } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';

const uiConfig = fileURLToPath(new URL('../../kiosk/ui/vite.config.ts', import.meta.url));
/** A build takes a few seconds alone; under a full run's load, much longer. */
const buildTimeoutMs = 180_000;

let built: Promise<string> | undefined;

/**
 * The kiosk UI built once per test run (test/global-setup.ts gives the run its folder) and served
 * read-only by every test that needs it: about twenty test files serve the UI, and each used to build
 * its own. The first test process to ask builds it; the others wait for the finished folder. Never
 * kiosk/ui/dist, which a test may rebuild meanwhile.
 */
export function sharedUiBuild(): Promise<string> {
  built ??= buildOnce(inject('testRunDir'));
  return built;
}

async function buildOnce(runDir: string): Promise<string> {
  const uiDir = join(runDir, 'ui');
  const failed = join(runDir, 'ui-build-failed');
  let claimed = true;
  try {
    mkdirSync(join(runDir, 'ui-build-claimed'));
  } catch {
    claimed = false;
  }
  if (!claimed) {
    await waitFor(() => existsSync(uiDir) || existsSync(failed), buildTimeoutMs, 'another test process never finished building the UI');
    if (existsSync(failed)) throw new Error(`the UI build failed in another test process: ${readFileSync(failed, 'utf8')}`);
    return uiDir;
  }
  // Built aside and renamed: a waiting process sees the whole folder or none of it.
  const buildDir = join(runDir, `ui-building-${process.pid}`);
  try {
    await build({ configFile: uiConfig, logLevel: 'silent', build: { outDir: buildDir, emptyOutDir: true } });
    renameSync(buildDir, uiDir);
  } catch (error) {
    writeFileSync(failed, error instanceof Error ? error.message : String(error));
    throw error;
  }
  return uiDir;
}
