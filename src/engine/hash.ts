/** FNV-1a over UTF-16 code units, as 8 hex digits: deterministic, dependency-free fingerprints. */
export function fnv1a(text: string, seed = 0x811c9dc5): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Two independent FNV-1a passes give a 64-bit fingerprint: collisions between model versions are then negligible. */
export function fingerprint64(text: string): string {
  return fnv1a(text) + fnv1a(text, 0x050c5d1f);
}

/**
 * A 64-bit fingerprint of a string as two 32-bit halves written into `out`
 * (`out[0]` high, `out[1]` low), without allocating: the visited-state table
 * calls it once per successor. Two multiplicative lanes over the UTF-16 code
 * units, each finished with MurmurHash3's avalanche and crossed with the other,
 * so that every bit of both halves depends on every unit. The low half picks a
 * slot of the table, so it must be well mixed on its own.
 */
export function fingerprintInto(text: string, out: Uint32Array): void {
  let a = 0x811c9dc5 ^ text.length;
  let b = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul((b << 5) | (b >>> 27), 0x85ebca77) ^ c;
  }
  crossInto(a, b, out);
}

/** Finishes the two lanes, each crossed with the other, into `out`: shared by the string and the vector fingerprints, which must agree. */
function crossInto(a: number, b: number, out: Uint32Array): void {
  const low = avalanche(a ^ Math.imul(b, 0xc2b2ae35));
  out[0] = low;
  out[1] = avalanche(b ^ low);
}

/** MurmurHash3's 32-bit finaliser: every input bit flips about half the output bits. */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * `fingerprintInto` over a vector of 16-bit integers, `data[start, end)`: the
 * same two halves as for the string of those code units, so a packed search
 * keeps the fingerprints (and so the collisions) of the string search.
 */
export function fingerprintVectorInto(data: Uint16Array, start: number, end: number, out: Uint32Array): void {
  let a = 0x811c9dc5 ^ (end - start);
  let b = 0x9e3779b9;
  for (let i = start; i < end; i++) {
    const c = data[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul((b << 5) | (b >>> 27), 0x85ebca77) ^ c;
  }
  crossInto(a, b, out);
}

/** A 32-bit hash of `data[start, end)` for the exact packed store's table: one multiplicative lane, finished by the avalanche. */
export function hashVector(data: Uint16Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  for (let i = start; i < end; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
  return avalanche(h);
}
