import { build } from 'esbuild';

/**
 * Bundles the Electron shell to CommonJS (kiosk/electron/dist/): Electron loads a sandboxed preload
 * only as a plain script. Run by `npm run build:electron` before starting Electron.
 */
const shared = {
  bundle: true,
  platform: 'node' as const,
  format: 'cjs' as const,
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning' as const,
};

await build({
  ...shared,
  entryPoints: ['kiosk/electron/main.ts'],
  outfile: 'kiosk/electron/dist/main.cjs',
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...shared, entryPoints: ['kiosk/electron/preload.ts'], outfile: 'kiosk/electron/dist/preload.cjs' });
process.stdout.write('built kiosk/electron/dist/main.cjs and preload.cjs\n');
