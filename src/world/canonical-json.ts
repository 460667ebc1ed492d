/**
 * Canonical JSON: object keys sorted, so two contexts built along different code
 * paths get the same key. Anything JSON cannot carry faithfully (functions, Maps,
 * class instances, undefined inside arrays, non-finite numbers) is rejected with
 * the path to the offending value, because a state that cannot be serialised
 * cannot be deduplicated or replayed.
 */
export class NotSerialisableError extends Error {}

export function canonicalJson(value: unknown): string {
  const out = encode(value);
  if (out === undefined) throw new NotSerialisableError(whyNotSerialisable(value, '$')!);
  return out;
}

/**
 * The encoding, or undefined when some value cannot be carried. It keeps no
 * path: this runs for every event and context the explorer meets, and paths
 * are worked out only for the error (see `whyNotSerialisable`).
 */
function encode(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item = value[i];
          const encoded = item === undefined ? undefined : encode(item);
          if (encoded === undefined) return undefined;
          out += encoded;
        }
        return out + ']';
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return undefined;
      const keys = Object.keys(value).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) continue;
        const encoded = encode(v);
        if (encoded === undefined) return undefined;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(k) + ':' + encoded;
      }
      return out + '}';
    }
    case 'undefined':
      return 'null';
    default:
      return undefined;
  }
}

/** Where and why a value cannot be encoded, walking the same way `encode` does; undefined if it can. */
function whyNotSerialisable(value: unknown, path: string): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot hold`;
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (value[i] === undefined) return `${path}[${i}] is undefined`;
          const why = whyNotSerialisable(value[i], `${path}[${i}]`);
          if (why) return why;
        }
        return undefined;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const kind = (value as object).constructor?.name ?? 'object';
        return `${path} is a ${kind}; use plain objects and arrays`;
      }
      for (const k of Object.keys(value).sort()) {
        const why = whyNotSerialisable((value as Record<string, unknown>)[k], `${path}.${k}`);
        if (why) return why;
      }
      return undefined;
    }
    default:
      return `${path} is a ${typeof value}, which JSON cannot hold`;
  }
}
