import { blankClassic1k } from '../nfc/virtual-card';
import type { ChipKeys } from './keys';
import { encodeCardRecord, sectorTrailers, type CitizenCardRecord } from './layout';

/** Chip memory of a card already personalised with `record` (for dev-panel presets, simulators and tests). */
export function personalisedBlocks(uid: Uint8Array, record: CitizenCardRecord, keys: ChipKeys): Uint8Array[] {
  const image = encodeCardRecord(record, keys);
  if (!image.ok) throw new Error(`cannot encode the record: ${image.error.message}`);
  const memory = blankClassic1k(uid);
  for (const [block, data] of [...image.value, ...sectorTrailers(keys)]) memory[block] = Uint8Array.from(data);
  return memory;
}
