import fc from 'fast-check';
import type { z } from 'zod';
import { readCommandBody } from '../../../kiosk/controller/api/command-body';
import { devCommandSchema, kioskCommandSchema } from '../../../shared/contract/kiosk-api';
import type { FuzzTarget } from '../target';

/**
 * The controller's command boundary (`POST /api/command`, `POST /api/dev`): the body text through
 * `readCommandBody`, the function the server calls. Fed every real command kind and its mutations
 * (wrong types, missing and unknown keys, `__proto__` and `constructor`, huge strings, deep nesting,
 * broken JSON) beside arbitrary JSON. Its promises: never a throw; an accepted command is one the schema
 * accepts, on a plain object, with no prototype touched; a refusal is a 400 that names the field it is
 * about and quotes none of the values (the samples carry an ID number and a PIN to see that).
 */

const idNumber = 'H223456789';
const pin = '271828';
const photo = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD';

/** One real command of every kind (checked below: a kind added to the contract without one fails at load). */
export const realCommands: readonly Record<string, unknown>[] = [
  { type: 'start-application' },
  { type: 'update-application', fields: { idNumber, name: 'NGUYEN THI LAN', nameZh: '阮氏蘭', birthDate: '1950-02-28', sex: 'F', district: '中壢區', indigenous: false, cardType: 'senior', scheme: 'ipass' } },
  { type: 'submit-application' },
  { type: 'capture-photo', jpegBase64: photo, source: 'camera' },
  { type: 'import-photo', jpegBase64: photo, reason: 'camera broken at the home' },
  { type: 'preview-photo', jpegBase64: photo },
  { type: 'override-photo', reason: 'cannot look up' },
  { type: 'retake-photo' },
  { type: 'confirm-print' },
  { type: 'retry', jobId: 'job-42' },
  { type: 'back' },
  { type: 'cancel' },
  { type: 'confirm-discard' },
  { type: 'keep-application' },
  { type: 'use-photo' },
  { type: 'cancel-job', jobId: 'job-42' },
  { type: 'finish', jobId: 'job-42' },
  { type: 'camera', live: true },
  { type: 'enter-pin', pin },
  { type: 'cancel-pin' },
  { type: 'sign-out' },
  { type: 'keep-alive' },
  { type: 'close-card-check' },
  { type: 'void-card', cardNumber: '1234567890123456', reason: 'misprint' },
  { type: 'clear-tamper' },
  { type: 'take-over-job', jobId: 'job-42' },
  { type: 'dismiss-card' },
  { type: 'open-session', site: '中壢 market', mode: 'market', blanks: { easycard: 100, ipass: 50 } },
  { type: 'load-blanks', scheme: 'easycard', count: 20 },
  { type: 'return-blanks', scheme: 'ipass', count: 5 },
  { type: 'close-session', counted: { easycard: 80, ipass: 45 }, note: 'two cards spoiled by the ribbon' },
  { type: 'import-batch', label: 'Sunrise home', source: 'nursing-home', format: 'csv', content: `room,id_number\n101,${idNumber}\n` },
  { type: 'import-batch-clean-rows' },
  { type: 'pick-batch-row', rowId: 'row-7' },
  { type: 'mark-second-visit', rowId: 'row-7', reason: 'asleep' },
  { type: 'override-photo-nursing-home', reason: 'bedridden' },
  { type: 'show-batch', batchId: 'batch-3' },
  { type: 'dismiss-batch-import' },
  { type: 'top-up-start' },
  { type: 'top-up-finish' },
  { type: 'top-up-cancel' },
  { type: 'settle-fee', method: 'cash' },
  { type: 'waive-fee', reason: 'low-income' },
  { type: 'set-applicant-language', language: 'vi' },
];

const realDevCommands: readonly Record<string, unknown>[] = [
  { type: 'feed-document', fixture: 'arc-td1' },
  { type: 'feed-taiwan-id', idNumber },
  { type: 'place-card', kind: 'citizen' },
  { type: 'remove-card' },
  { type: 'printer-fault', fault: 'jam', atStep: 'print-front' },
  { type: 'chip-fault' },
  { type: 'card-fault', fault: 'tear-wallet-write' },
  { type: 'cable', device: 'printer', plugged: false },
  { type: 'insert-note', amount: 500, counterfeit: false },
  { type: 'validator-fault', fault: 'jam-safe' },
  { type: 'door', open: true },
  { type: 'receipt-printer-fault', fault: 'paper-out' },
];

for (const [schema, samples] of [[kioskCommandSchema, realCommands], [devCommandSchema, realDevCommands]] as const) {
  const kinds = new Set(samples.map((sample) => sample['type']));
  for (const option of schema.options) {
    const kind = option.shape.type.value;
    if (!kinds.has(kind)) throw new Error(`api-command: no real sample of '${kind}': add one`);
  }
  for (const sample of samples) {
    if (!(schema as z.ZodType).safeParse(sample).success) throw new Error(`api-command: the sample ${JSON.stringify(sample)} is not valid`);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a mutation went: the key path it changed (for "the error names the field"). */
type Mutated = { readonly body: string; readonly path: readonly string[] | null; readonly dev: boolean };

const hostileKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' type', 'TYPE', 'type\u0000');
const nested = (depth: number, open: string, close: string): string => open.repeat(depth) + close.repeat(depth);
const wrongValue: fc.Arbitrary<Json | { raw: string }> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1, 0.5, '', ' ', '\u0000', 'A'.repeat(70_000), [], {}, [null], { __proto__: null } as unknown as Json),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => ({ raw: nested(depth, '[', ']') })),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => ({ raw: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` })),
  fc.constant({ raw: JSON.stringify({ polluted: 'yes' }) }),
);

/** A JSON text with `raw` fragments spliced in place (deep nesting is cheaper as text than as objects). */
function serialise(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && 'raw' in v && Object.keys(v).length === 1) {
      raws.push((v as { raw: string }).raw);
      return `\u0001RAW${raws.length - 1}\u0001`;
    }
    return v;
  });
  return text.replace(/"\u0001RAW(\d+)\u0001"/g, (_m, index: string) => raws[Number(index)] ?? 'null');
}

/** Sets `path` in a copy of `body` (own properties only: `__proto__` becomes a key, as JSON.parse makes it). */
function withValue(body: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(body)) Object.defineProperty(copy, key, { value: v, enumerable: true, writable: true, configurable: true });
  const [head, ...rest] = path;
  if (head === undefined) return copy;
  const inner = copy[head];
  const next = rest.length === 0 ? value : withValue(typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {}, rest, value);
  Object.defineProperty(copy, head, { value: next, enumerable: true, writable: true, configurable: true });
  return copy;
}

function without(body: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy = { ...body };
  if (head === undefined) return copy;
  if (rest.length === 0) delete copy[head];
  else if (typeof copy[head] === 'object' && copy[head] !== null) copy[head] = without(copy[head] as Record<string, unknown>, rest);
  return copy;
}

/** Every key path of a sample (one level into nested objects). */
function pathsOf(body: Record<string, unknown>): string[][] {
  const paths: string[][] = [];
  for (const [key, value] of Object.entries(body)) {
    paths.push([key]);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) for (const inner of Object.keys(value)) paths.push([key, inner]);
  }
  return paths;
}

const sample = fc.tuple(fc.boolean(), fc.nat()).map(([dev, index]) => {
  const list = dev && index % 5 === 0 ? realDevCommands : realCommands;
  return { dev: list === realDevCommands, body: list[index % list.length] as Record<string, unknown> };
});

const mutated: fc.Arbitrary<Mutated> = fc.oneof(
  // A field of the right name with a wrong value.
  fc.tuple(sample, fc.nat(), wrongValue).map(([{ dev, body }, at, value]) => {
    const paths = pathsOf(body);
    const path = paths[at % paths.length] ?? ['type'];
    return { dev, path, body: serialise(withValue(body, path, value)) };
  }),
  // A field left out.
  fc.tuple(sample, fc.nat()).map(([{ dev, body }, at]) => {
    const paths = pathsOf(body);
    const path = paths[at % paths.length] ?? ['type'];
    return { dev, path, body: JSON.stringify(without(body, path)) };
  }),
  // An unknown or hostile key, at the top or inside a nested object.
  fc.tuple(sample, fc.oneof(hostileKeys, fc.string({ maxLength: 12 })), wrongValue, fc.boolean()).map(([{ dev, body }, key, value, inside]) => {
    const nestedKey = Object.entries(body).find(([, v]) => typeof v === 'object' && v !== null)?.[0];
    const path = inside && nestedKey !== undefined ? [nestedKey, key] : [key];
    return { dev, path, body: serialise(withValue(body, path, value)) };
  }),
  // The text itself broken: cut, or a few characters changed.
  fc.tuple(sample, fc.nat(), fc.nat(4), fc.string({ maxLength: 4 })).map(([{ dev, body }, at, remove, text]) => {
    const json = JSON.stringify(body);
    const where = at % (json.length + 1);
    return { dev, path: null, body: json.slice(0, where) + text + json.slice(where + remove) };
  }),
);

const arbitrary: fc.Arbitrary<Mutated> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => ({ dev: false, path: null, body: JSON.stringify(value) ?? 'null' })),
  fc.string({ maxLength: 200 }).map((body) => ({ dev: false, path: null, body })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((body) => ({ dev: false, path: null, body })),
  fc.integer({ min: 1, max: 100_000 }).map((depth) => ({ dev: false, path: null, body: nested(depth, '[', ']') })),
  fc.integer({ min: 1, max: 50_000 }).map((depth) => ({ dev: true, path: null, body: `{"type":"door","open":${nested(depth, '[', ']')}}` })),
);

/** How long a refusal may be: every field of a command named, with room for the list of command kinds. */
const maxErrorChars = 12_000;

export const target: FuzzTarget<Mutated> = {
  name: 'api-command',
  subject: 'kiosk/controller/api/command-body.ts readCommandBody (kioskCommandSchema, devCommandSchema)',
  input: fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary }, { weight: 1, arbitrary: sample.map(({ dev, body }) => ({ dev, path: null, body: JSON.stringify(body) })) }),
  feed(input) {
    const schema: z.ZodType = input.dev ? devCommandSchema : kioskCommandSchema;
    const verdict = readCommandBody(input.body, schema);
    if (Object.keys(Object.prototype).length > 0 || ({} as Record<string, unknown>)['polluted'] !== undefined) {
      throw new Error('Object.prototype was polluted');
    }
    if (verdict.ok) {
      const value = verdict.value as Record<string, unknown>;
      if (Object.getPrototypeOf(value) !== Object.prototype) throw new Error(`accepted a command whose prototype is not Object's: ${input.body.slice(0, 200)}`);
      for (const inner of [value, ...Object.values(value).filter((v): v is object => typeof v === 'object' && v !== null)]) {
        if (Object.prototype.hasOwnProperty.call(inner, '__proto__')) throw new Error(`accepted a command that carries a __proto__ key: ${input.body.slice(0, 200)}`);
      }
      if (!schema.safeParse(value).success) throw new Error(`accepted a command the schema refuses: ${input.body.slice(0, 200)}`);
      return;
    }
    if (verdict.status !== 400 || verdict.code !== 'invalid-input') throw new Error(`refused with ${verdict.status} ${verdict.code}`);
    if (!/^(invalid command: .+|the request body is not valid JSON)$/s.test(verdict.error)) throw new Error(`an unclear refusal: ${verdict.error.slice(0, 200)}`);
    if (verdict.error.length > maxErrorChars) throw new Error(`a refusal of ${verdict.error.length} characters`);
    for (const secret of [idNumber, pin]) {
      if (verdict.error.includes(secret)) throw new Error(`the refusal quotes a value from the body: ${verdict.error.slice(0, 300)}`);
    }
    if (input.path !== null && verdict.error.startsWith('invalid command')) {
      const key = input.path[input.path.length - 1] ?? '';
      const whole = input.path.join('.');
      // The mutated field, or its discriminator when the kind itself is gone or wrong.
      const named = verdict.error.includes(whole) || (key !== '' && verdict.error.includes(`"${key}"`)) || (key === '' && verdict.error.includes('""')) || verdict.error.includes('type: ');
      if (!named) throw new Error(`the refusal of a body with ${whole || '(empty key)'} changed does not name it: ${verdict.error.slice(0, 300)}`);
    }
  },
};
