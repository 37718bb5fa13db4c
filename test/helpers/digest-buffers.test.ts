import { describe, expect, it } from 'vitest';
import { digestBuffers } from './digest-buffers';

describe('digestBuffers', () => {
  const panel = (data: Buffer) => [{ name: 'y', levels: 32, data }, { name: 'o', levels: 2, data: Buffer.alloc(4) }];

  it('gives equal values for equal bytes, and keeps every other field', () => {
    expect(digestBuffers(panel(Buffer.from([1, 2, 3])))).toEqual(digestBuffers(panel(Buffer.from([1, 2, 3]))));
    expect(digestBuffers({ job: { front: { panels: panel(Buffer.alloc(2)) } }, ribbon: 'ymcko' })).toMatchObject({ ribbon: 'ymcko', job: { front: { panels: [{ name: 'y', levels: 32 }, { name: 'o', levels: 2 }] } } });
  });

  it('tells apart one byte changed, a length changed, and any other field changed', () => {
    const base = digestBuffers(panel(Buffer.from([1, 2, 3])));
    expect(digestBuffers(panel(Buffer.from([1, 2, 4])))).not.toEqual(base);
    expect(digestBuffers(panel(Buffer.from([1, 2, 3, 0])))).not.toEqual(base);
    expect(digestBuffers([{ name: 'y', levels: 2, data: Buffer.from([1, 2, 3]) }, panel(Buffer.alloc(0))[1]])).not.toEqual(base);
    expect(digestBuffers(panel(Buffer.from([1, 2, 3])).slice(0, 1))).not.toEqual(base);
  });
});
