import fc from 'fast-check';
import { kioskSnapshotSchema } from '../../../shared/contract/kiosk-api';
import { createSnapshotFeed } from '../../../kiosk/ui/src/reading/snapshot-feed';
import type { Unreadable } from '../../../kiosk/ui/src/reading/unreadable';
import { goodSnapshot } from '../../../test/kiosk/ui/reading/snapshot-fixture';
import type { FuzzTarget } from '../target';

/**
 * The WebSocket's messages as the UI reads them (`kiosk/ui/src/reading/snapshot-feed.ts`): every push
 * the controller might send, real snapshots mutated at any depth, garbage, a binary frame as the browser
 * hands it over (`[object Blob]`), lone surrogates (what invalid UTF-8 decodes to), megabyte frames.
 * Its promises: `receive` never throws; an unreadable push leaves the last good snapshot on screen with
 * the notice up, and is reported by path and code only (never a value: a snapshot carries ID numbers);
 * a readable one fits the contract and never takes the screen back to an older version. The server's
 * side (frames the UI must not send) is tested against the real server in
 * test/kiosk/controller/api/hostile-input.test.ts.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const good = goodSnapshot as unknown as Json;
/** Values of the fixture a report must never quote. */
const personal = ['A123456789', 'CHEN MEI-LING', '1956-04-17'];

/** Every path into the fixture (objects and arrays), to mutate at any depth. */
const paths: (string | number)[][] = [];
(function walk(value: Json, path: (string | number)[]): void {
  paths.push(path);
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
})(good, []);

function changed(path: readonly (string | number)[], change: (parent: Record<string | number, Json>, key: string | number) => void): string {
  const copy = structuredClone(good) as Record<string, Json>;
  let parent: Record<string | number, Json> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (last !== undefined) change(parent, last);
  return JSON.stringify(copy);
}

const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, 0, -1, 1.5, 1e308, '', 'lottery', [], {}, [null], 'A'.repeat(100_000)),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.string({ maxLength: 20 }),
);

const mutatedSnapshot: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.nat(), wrongValue).map(([at, value]) => changed(paths[at % paths.length] ?? [], (parent, key) => void (parent[key] = value))),
  fc.nat().map((at) => changed(paths[at % paths.length] ?? [], (parent, key) => void delete parent[key])),
  fc.tuple(fc.nat(), fc.constantFrom('__proto__', 'constructor', 'birthday', 'idNumber'), wrongValue).map(([at, key, value]) =>
    changed([...(paths[at % paths.length] ?? []), key], (parent, k) => {
      if (typeof parent === 'object' && parent !== null) Object.defineProperty(parent, k, { value, enumerable: true, configurable: true, writable: true });
    }),
  ),
  // A readable push with another version: older ones must not take the screen back.
  fc.integer({ min: -5, max: 1_000_000 }).map((version) => JSON.stringify({ ...goodSnapshot, version })),
  fc.tuple(fc.nat(), fc.nat(3), fc.string({ maxLength: 3 })).map(([at, remove, text]) => {
    const json = JSON.stringify(good);
    const where = at % (json.length + 1);
    return json.slice(0, where) + text + json.slice(where + remove);
  }),
);

const garbage: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('[object Blob]', '[object ArrayBuffer]', '', ' ', 'null', '0', '"snapshot"', '{}', '[]', '\uD800', '{"version":"\uDFFF"}', '\u0000') },
  { weight: 3, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)) },
  // A megabyte frame: rare, each costs milliseconds to read.
  { weight: 1, arbitrary: fc.constantFrom('screen', 'version', 'mode').map((key) => JSON.stringify({ ...goodSnapshot, [key]: 'x'.repeat(1024 * 1024) })) },
);

export const target: FuzzTarget<string> = {
  name: 'websocket',
  subject: 'kiosk/ui/src/reading/snapshot-feed.ts receive (the WebSocket push, kioskSnapshotSchema)',
  input: fc.oneof({ weight: 5, arbitrary: mutatedSnapshot }, { weight: 2, arbitrary: garbage }),
  feed(text) {
    const reports: Unreadable[] = [];
    const feed = createSnapshotFeed((unreadable) => reports.push(unreadable));
    feed.receive(JSON.stringify(goodSnapshot));
    const before = feed.current().snapshot;
    if (before === null) throw new Error('the fixture snapshot is not readable');
    feed.receive(text);
    const after = feed.current();
    if (reports.length > 0) {
      if (!after.unreadable || after.snapshot !== before) throw new Error('an unreadable push changed the screen or hid the notice');
      const issues = reports.flatMap((report) => report.issues);
      if (issues.length === 0) throw new Error(`refused ${text.slice(0, 120)} without saying where`);
      for (const issue of issues) {
        if (!/^.+: \S+/.test(issue)) throw new Error(`an issue that names no path: ${issue}`);
        const leaked = personal.find((value) => issue.includes(value));
        if (leaked !== undefined) throw new Error(`the report quotes a value of the snapshot: ${issue}`);
      }
      return;
    }
    if (after.unreadable || after.snapshot === null) throw new Error('a readable push left the notice up');
    if (!kioskSnapshotSchema.safeParse(after.snapshot).success) throw new Error('a push the contract refuses reached the screen');
    if (after.snapshot.version < before.version) throw new Error(`the screen went back from version ${before.version} to ${after.snapshot.version}`);
  },
};
