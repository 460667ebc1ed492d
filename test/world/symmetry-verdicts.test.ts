import { describe, expect, it } from 'vitest';
import { checkExhaustive, instantiate } from '../../src/index.js';
import type { ElectionConfig } from '../../models/replica-election/world.js';
import { replicaElection } from '../../properties/replica-election.js';

// Apart from the other symmetry tests because it explores the whole election model
// twice per variant (half a minute): `npm run mutation` leaves it out, CI runs it.
describe('symmetry reduction on replica election, over the whole model', () => {
  const small: ElectionConfig = { replicas: 3, writes: 1, suspicions: 1, drops: 0, crashes: 0, partitions: 1, crashable: 'first' };
  const verdicts = (rows: ReturnType<typeof checkExhaustive>) => rows.map((r) => [r.property, r.verdict, r.traceLength]);

  it('changes no verdict and no fault coverage on either variant', () => {
    for (const variant of ['fixed', 'buggy']) {
      const build = (symmetry: boolean) => checkExhaustive(instantiate({ ...replicaElection, configs: { small } }, variant), { symmetry });
      const plain = build(false);
      const reduced = build(true);
      expect(verdicts(reduced)).toEqual(verdicts(plain));
      expect(reduced[0]!.coverage!.faults).toEqual(plain[0]!.coverage!.faults);
    }
  });
});
