import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let seq = 0;

// Random bytes drawn 4 KiB at a time: one call per id costs more than the rest of the id.
const pool = Buffer.alloc(4096);
let used = pool.length;
const bytes = Buffer.alloc(16);

function fillRandom(target: Buffer, length: number): void {
  if (used + length > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  pool.copy(target, 0, used, used + length);
  used += length;
}

/**
 * A UUIDv7 (RFC 9562): time-ordered, so new rows land at the end of the primary key index,
 * and opaque in URLs. Within one millisecond a 12-bit counter keeps ids increasing.
 */
export function newId(now: number = Date.now()): string {
  if (now <= lastMs) {
    seq = (seq + 1) & 0xfff;
    if (seq === 0) lastMs += 1;
  } else {
    lastMs = now;
    fillRandom(bytes, 2);
    seq = bytes.readUInt16BE() & 0x3ff;
  }
  fillRandom(bytes, 16);
  const ms = lastMs;
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (seq >> 8);
  bytes[7] = seq & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export type IdGenerator = () => string;
