import { crc32, deflateSync } from 'node:zlib';

/**
 * An 8-bit RGB image as PNG, synchronously (the simulator's printed card, made when someone asks
 * for it): filter 0 on every row, deflated at level 1 — a quick, lossless snapshot, not a small file.
 */
export function encodeRgbPng(width: number, height: number, rgb: Uint8Array): Buffer {
  const rowBytes = width * 3;
  if (rgb.length !== rowBytes * height) throw new Error(`${width} × ${height} RGB is ${rowBytes * height} bytes, got ${rgb.length}`);
  const filtered = Buffer.alloc((rowBytes + 1) * height);
  for (let row = 0; row < height; row++) filtered.set(rgb.subarray(row * rowBytes, (row + 1) * rowBytes), row * (rowBytes + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // colour type: RGB
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(filtered, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
