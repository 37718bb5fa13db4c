import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder for this test run only: test/helpers/shared-ui.ts builds the UI there once for every test. */
    testRunDir: string;
  }
}

/** Makes this run's folder (cheap: nothing is built until a test asks) and removes it when the run ends. */
export default function setup(project: TestProject): () => void {
  const testRunDir = mkdtempSync(join(tmpdir(), 'kiosk-test-run-'));
  project.provide('testRunDir', testRunDir);
  return () => rmSync(testRunDir, { recursive: true, force: true });
}
