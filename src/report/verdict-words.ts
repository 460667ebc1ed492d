import { match } from 'ts-pattern';
import type { Property } from '../spec/property.js';

/**
 * How a result's outcome is worded, by the kind of property it judged: an
 * example reaches, a liveness lasso never gets there, anything else breaks.
 * Exhaustive: a new kind of property fails to compile here until it has words.
 */
export function outcomeWords(kind: Property['kind']): { verb: 'Reached' | 'Never' | 'Broken'; found: 'reaches' | 'breaks' } {
  return match(kind)
    .with('sometimes', () => ({ verb: 'Reached', found: 'reaches' }) as const)
    .with('eventually', () => ({ verb: 'Never', found: 'breaks' }) as const)
    .with('always', 'deadlock-free', () => ({ verb: 'Broken', found: 'breaks' }) as const)
    .exhaustive();
}
