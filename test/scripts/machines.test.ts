import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { documentedMachines } from '../../kiosk/controller/machines';
import { generatedMarker, machineDocs, machineDocsDir } from '../../scripts/lib/machine-docs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, machineDocsDir);
const fix = 'run npm run machines and commit docs/machines/';

describe('the committed machine diagrams', () => {
  const expected = machineDocs(documentedMachines);

  it.each(expected.map((doc) => [doc.file, doc.content]))('%s is what the machine gives today', (file, content) => {
    const path = join(dir, file);
    expect(existsSync(path), `${machineDocsDir}/${file} is missing: ${fix}`).toBe(true);
    expect(readFileSync(path, 'utf8'), `${machineDocsDir}/${file} is stale: ${fix}`).toBe(content);
  });

  it('has no diagram of a machine that is no longer listed', () => {
    const wanted = new Set(expected.map((doc) => doc.file));
    const orphans = readdirSync(dir)
      .filter((file) => file.endsWith('.md') && !wanted.has(file))
      .filter((file) => readFileSync(join(dir, file), 'utf8').includes(generatedMarker));
    expect(orphans, `diagrams of machines not in kiosk/controller/machines.ts: ${fix}`).toEqual([]);
  });

  it('are each linked from the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const unlinked = expected.map((doc) => `${machineDocsDir}/${doc.file}`).filter((path) => !readme.includes(`](${path})`));
    expect(unlinked, 'link each diagram from the "State machines" section of README.md').toEqual([]);
  });
});

describe('machineDocs', () => {
  it('refuses a name that is no kebab-case file name, and a name used twice', () => {
    const machine = documentedMachines[0]?.machine;
    if (machine === undefined) throw new Error('no machine is listed');
    expect(() => machineDocs([{ name: '../issuance', about: '', machine }])).toThrow(/kebab-case/);
    expect(() => machineDocs([{ name: 'a', about: '', machine }, { name: 'a', about: '', machine }])).toThrow(/two machines/);
  });
});
