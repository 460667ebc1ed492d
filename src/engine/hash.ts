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
