import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentedMachines } from '../kiosk/controller/machines';
import { generatedMarker, machineDocs, machineDocsDir } from './lib/machine-docs';

/**
 * `npm run machines` writes the Mermaid diagram of every machine in `kiosk/controller/machines.ts` to
 * `docs/machines/<name>.md`, and removes the diagrams of machines no longer listed.
 * `test/scripts/machines.test.ts` fails while a committed diagram differs from what this writes.
 */
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', machineDocsDir);
mkdirSync(dir, { recursive: true });
const docs = machineDocs(documentedMachines);
for (const doc of docs) {
  writeFileSync(join(dir, doc.file), doc.content);
  process.stdout.write(`wrote ${machineDocsDir}/${doc.file}\n`);
}
const kept = new Set(docs.map((doc) => doc.file));
for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && !kept.has(f)).sort()) {
  // Only what this script wrote is removed; a hand-written page stays.
  if (readFileSync(join(dir, file), 'utf8').includes(generatedMarker)) {
    rmSync(join(dir, file));
    process.stdout.write(`removed ${machineDocsDir}/${file} (no such machine)\n`);
  }
}
