/**
 * Deterministic randomness for seeding: the same seed gives the same rows, ids included.
 * sfc32 (a small, fast PRNG that passes PractRand) seeded through splitmix32.
 */

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An unsigned 32-bit integer. */
  uint32(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  float(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One value of `[value, weight]` pairs, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /** A key of `weights` ({ a: 3, b: 1 }), with probability proportional to its value. */
  weightedKey<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** `n` lowercase hex digits. */
  hex(n: number): string;
  /** An independent generator derived from this one (for a sub-task of variable length). */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const uint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  // Warm up: the first outputs of sfc32 correlate with the seed words.
  for (let i = 0; i < 12; i++) uint32();
  const next = (): number => uint32() / 4294967296;

  const rng: Rng = {
    next,
    uint32,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted<T>(entries: readonly (readonly [T, number])[]): T {
      let total = 0;
      for (const [, w] of entries) total += w;
      if (!(total > 0)) throw new RangeError('weighted pick needs a positive total weight');
      let r = next() * total;
      for (const [value, w] of entries) {
        r -= w;
        if (r < 0) return value;
      }
      return entries[entries.length - 1]![0];
    },
    weightedKey<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
      return rng.weighted(Object.entries(weights) as [K, number][]);
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    hex(n) {
      let s = '';
      while (s.length < n) s += uint32().toString(16).padStart(8, '0');
      return s.slice(0, n);
    },
    fork: () => createRng(uint32()),
  };
  return rng;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A UUIDv7 (RFC 9562) for the instant `timeMs` whose random bits come from `rng`: the same
 * seed and times give the same ids, and ids sort by time like the ones `newId()` makes.
 */
export function seededId(timeMs: number, rng: Rng): string {
  const ms = Math.max(0, Math.floor(timeMs));
  const hi = Math.floor(ms / 0x1000000); // top 24 of the 48 time bits
  const lo = ms % 0x1000000;
  const r1 = rng.uint32();
  const r2 = rng.uint32();
  const r3 = rng.uint32();
  const bytes = [
    (hi >>> 16) & 0xff,
    (hi >>> 8) & 0xff,
    hi & 0xff,
    (lo >>> 16) & 0xff,
    (lo >>> 8) & 0xff,
    lo & 0xff,
    0x70 | ((r1 >>> 8) & 0x0f),
    r1 & 0xff,
    0x80 | ((r1 >>> 16) & 0x3f),
    (r1 >>> 24) & 0xff,
    (r2 >>> 24) & 0xff,
    (r2 >>> 16) & 0xff,
    (r2 >>> 8) & 0xff,
    r2 & 0xff,
    (r3 >>> 8) & 0xff,
    r3 & 0xff,
  ];
  const h = bytes.map((b) => HEX[b]).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
