/**
 * Canonical JSON: object keys sorted, so two contexts built along different code
 * paths get the same key. Anything JSON cannot carry faithfully (functions, Maps,
 * class instances, undefined inside arrays, non-finite numbers) is rejected with
 * the path to the offending value, because a state that cannot be serialised
 * cannot be deduplicated or replayed.
 */
export class NotSerialisableError extends Error {}

export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new NotSerialisableError(`${path} is ${value}, which JSON cannot hold`);
      return String(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item = value[i];
          if (item === undefined) throw new NotSerialisableError(`${path}[${i}] is undefined`);
          out += encode(item, `${path}[${i}]`);
        }
        return out + ']';
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const kind = (value as object).constructor?.name ?? 'object';
        throw new NotSerialisableError(`${path} is a ${kind}; use plain objects and arrays`);
      }
      const keys = Object.keys(value).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(k) + ':' + encode(v, `${path}.${k}`);
      }
      return out + '}';
    }
    case 'undefined':
      return 'null';
    default:
      throw new NotSerialisableError(`${path} is a ${typeof value}, which JSON cannot hold`);
  }
}
