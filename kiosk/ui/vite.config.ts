import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { readFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import type { Plugin } from 'vite';

// The touch UI is a static bundle that the controller serves on loopback; report.html is the page the
// controller prints a session's report from (kiosk/controller/reports/pdf.ts). The spoken prompts are
// synthesised into it by espeak-ng at build time (scripts/build-prompts.ts).
const page = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/**
 * Every build of the UI (npm run build:ui, npm test, npm start, the e2e tests' own builds) carries the
 * spoken prompts, made (or taken from the cache) by scripts/build-prompts.ts. Loaded with tsx when the
 * bundle is written, so the config itself imports no TypeScript of the project.
 */
function spokenPrompts(): Plugin {
  return {
    name: 'spoken-prompts',
    apply: 'build',
    async generateBundle() {
      const builder = (await tsImport('../../scripts/build-prompts.ts', import.meta.url)) as typeof import('../../scripts/build-prompts');
      for (const prompt of builder.buildPrompts().prompts) {
        this.emitFile({ type: 'asset', fileName: prompt.fileName, source: readFileSync(prompt.file) });
      }
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react(), spokenPrompts()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000, rollupOptions: { input: { main: page('index.html'), report: page('report.html') } } },
});
