import { setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { models } from '../../properties/index.js';
import { always, checkExhaustive, checkedConfigs, defineModel, eventually, instantiate, sometimes, type ModelDefinition, type VariantDefinition } from '../../src/index.js';
import { checkRandom } from '../../src/check/random.js';
import { asExpected } from '../../src/check/result.js';
import { plan, runChecks } from '../../src/cli/run-checks.js';
import { parseArgs } from '../../src/cli/args.js';

/** A switch that a request may flip on, and that a guarded request may flip back only from `on`. */
const toggle = setup({ guards: { allowed: () => true } }).createMachine({
  id: 'toggle',
  initial: 'off',
  states: { off: { on: { FLIP: 'on' } }, on: { on: { BACK: { guard: 'allowed', target: 'off' } } } },
});
const passage = { section: 'Primary Outage', quote: 'a network change was performed' };
const flipped = always({ name: 'never-on', statement: 'The switch is never on.', check: (w) => (w.process('s').is('on') ? 'it is on' : undefined) });
const fine = always({ name: 'fine', statement: 'Nothing is wrong.', check: () => undefined });

function model(variants: Record<string, VariantDefinition>, extra: Partial<ModelDefinition<{ back: boolean }>> = {}) {
  return defineModel<{ back: boolean }>({
    name: 'switch',
    summary: 'One switch.',
    incident: '2011',
    configs: { small: { back: false }, back: { back: true } },
    properties: [flipped, fine],
    build: (_, config) => ({ processes: { s: { machine: toggle, requests: config.back ? [{ type: 'FLIP' }, { type: 'BACK' }] : [{ type: 'FLIP' }] } }, network: 'bag', budgets: {} }),
    variants,
    ...extra,
  });
}

describe('model declarations', () => {
  it('refuse a variant of an incident model without a kind', () => {
    expect(() => model({ v: { summary: 's', expect: { fine: 'holds' } } })).toThrow(/labels every variant with its kind/);
  });

  it('refuse an as-it-happened or without-safeguard variant that breaks nothing, and one without a passage', () => {
    expect(() => model({ v: { kind: 'as-it-happened', passage, summary: 's', expect: { fine: 'holds' } } })).toThrow(/must be expected to break some property/);
    expect(() => model({ v: { kind: 'without-safeguard', summary: 's', expect: { 'never-on': 'violated' } } })).toThrow(/must cite the passage/);
  });

  it('refuse a fixed variant expected to break something or silent on whose remedy it is', () => {
    expect(() => model({ f: { kind: 'fixed', remedy: 'own', passage, summary: 's', expect: { 'never-on': 'violated' } } })).toThrow(/must hold every property/);
    expect(() => model({ f: { kind: 'fixed', passage, summary: 's', expect: { fine: 'holds' } } })).toThrow(/promised by the source or the project's own/);
  });

  it('tie each safeguard to an ablation of that fix, and each ablation to a safeguard', () => {
    const fixed = (ablation: string): VariantDefinition => ({ kind: 'fixed', remedy: 'own', passage, summary: 's', expect: { fine: 'holds' }, safeguards: { guard: { statement: 'A guard.', ablation } } });
    expect(() => model({ f: fixed('nope') })).toThrow(/names 'nope', which is not an ablation of f/);
    expect(() => model({ f: fixed('a'), a: { kind: 'ablation', of: 'f', summary: 's', expect: { fine: 'holds' } } })).toThrow(/must be expected to break/);
    expect(() => model({ f: { ...fixed('a'), safeguards: {} }, a: { kind: 'ablation', of: 'f', summary: 's', expect: { 'never-on': 'violated' } } })).toThrow(/removes no safeguard that f declares/);
    expect(() => model({ f: fixed('a'), a: { kind: 'ablation', of: 'f', summary: 's', expect: { 'never-on': 'violated' } } })).not.toThrow();
  });

  it('refuse checked configurations that are not declared', () => {
    expect(() => model({ v: { kind: 'partial', summary: 's', expect: { fine: 'holds' }, configs: ['huge'] } })).toThrow(/must name the fixed variant|undeclared configuration 'huge'/);
    expect(() => model({}, { checked: ['huge'] })).toThrow(/checked configuration 'huge' is not declared/);
  });

  it('label every variant of every built-in outage model', () => {
    for (const m of models.filter((m) => m.incident)) for (const [name, v] of Object.entries(m.variants)) expect(v.kind, `${m.name}/${name}`).toBeDefined();
  });
});

describe('checked configurations', () => {
  const m = model(
    {
      f: { kind: 'fixed', remedy: 'own', passage, summary: 's', expect: { fine: 'holds' }, configs: ['small', 'back'] },
      g: { kind: 'as-it-happened', passage, summary: 's', expect: { 'never-on': 'violated' } },
    },
    { checked: ['back'] },
  );

  it('are the variant’s own, else the model’s, else the first', () => {
    expect(checkedConfigs(m, 'f')).toEqual(['small', 'back']);
    expect(checkedConfigs(m, 'g')).toEqual(['back']);
  });

  it('are what `npm run check` plans, unless --config names one', () => {
    expect(plan([m], parseArgs([])).map((p) => `${p.variant}@${p.config}`)).toEqual(['f@small', 'f@back', 'g@back']);
    expect(plan([m], parseArgs(['--config', 'small'])).map((p) => `${p.variant}@${p.config}`)).toEqual(['f@small', 'g@small']);
  });

  it('--config checks only the models that declare it, and refuses a name no model has', () => {
    const other = defineModel({ ...m, name: 'other', configs: { tiny: { back: false } }, checked: undefined, variants: { g: { ...m.variants.g!, configs: undefined } } });
    expect(plan([m, other], parseArgs(['--config', 'back'])).map((p) => p.model!.name)).toEqual(['switch', 'switch']);
    expect(() => plan([m, other], parseArgs(['--config', 'nowhere']))).toThrow(/no model has a configuration 'nowhere'/);
    expect(() => plan([m, other], parseArgs(['--config', 'back', '--model', 'other']))).toThrow(/model other has no configuration 'back'/);
  });
});

describe('configurations whose exhaustive search runs on request', () => {
  const variants: Record<string, VariantDefinition> = {
    f: { kind: 'fixed', remedy: 'own', passage, summary: 's', expect: { fine: 'holds' }, configs: ['small', 'back'] },
    g: { kind: 'as-it-happened', passage, summary: 's', expect: { 'never-on': 'violated' }, configs: ['back'] },
  };
  const m = model(variants, { exhaustiveOnRequest: { back: 'stopped at 9 states' } });

  it('must be declared, checked by default, and say how far a search got', () => {
    expect(() => model(variants, { exhaustiveOnRequest: { huge: 'far' } })).toThrow(/exhaustiveOnRequest names undeclared configuration 'huge'/);
    expect(() => model(variants, { exhaustiveOnRequest: { back: ' ' } })).toThrow(/must say how far an exhaustive search got/);
    expect(() => model({ f: { ...variants.f!, configs: ['small'] } }, { exhaustiveOnRequest: { back: 'far' } })).toThrow(/which no variant is checked on by default/);
  });

  it('are searched by random search only by default, and in every mode asked for with --config', async () => {
    const rows = await runChecks(plan([m], parseArgs([])), parseArgs([]));
    expect(rows.map((r) => `${r.variant}@${r.config} ${r.mode}`).filter((x, i, all) => all.indexOf(x) === i)).toEqual(['f@small exhaustive', 'f@small random', 'f@back random', 'g@back random']);
    const asked = await runChecks(plan([m], parseArgs(['--config', 'back'])), parseArgs(['--config', 'back']));
    expect(asked.filter((r) => r.variant === 'g').map((r) => `${r.mode} ${r.verdict}`)).toEqual(['exhaustive violated', 'random violated']);
  });
});

describe('vacuity of a fix', () => {
  const fixed = (transition: string): VariantDefinition => ({
    kind: 'fixed',
    remedy: 'own',
    passage,
    summary: 's',
    expect: { fine: 'holds' },
    safeguards: { 'way-back': { statement: 'The switch can be turned back.', ablation: 'a', transitions: [{ machine: 'toggle', transition }] } },
  });
  const ablation: VariantDefinition = { kind: 'ablation', of: 'f', summary: 's', expect: { 'never-on': 'violated' } };

  it('a fixed variant whose safeguard transition is never taken is vacuous, in both modes', () => {
    const m = model({ f: fixed('on on BACK'), a: ablation });
    for (const rows of [checkExhaustive(instantiate(m, 'f', 'small')), checkRandom(instantiate(m, 'f', 'small'), { seed: 3, runs: 50 })]) {
      expect(rows[0]).toMatchObject({ property: 'fine', verdict: 'vacuous' });
      expect(rows[0]!.note).toContain("safeguard way-back: toggle never took 'on on BACK'");
    }
    expect(checkExhaustive(instantiate(m, 'f', 'back'))[0]).toMatchObject({ property: 'fine', verdict: 'holds' });
  });

  it('a transition owed only by some configurations is judged on those alone, and must name configurations the fix is checked on', () => {
    const owedBy = (configs: string[]): VariantDefinition => {
      const f = fixed('on on BACK');
      return { ...f, configs: ['small', 'back'], safeguards: { 'way-back': { ...f.safeguards!['way-back']!, transitions: [{ machine: 'toggle', transition: 'on on BACK', configs }] } } };
    };
    const onBack = model({ f: owedBy(['back']), a: ablation });
    expect(checkExhaustive(instantiate(onBack, 'f', 'small'))[0]).toMatchObject({ property: 'fine', verdict: 'holds' });
    expect(checkExhaustive(instantiate(onBack, 'f', 'back'))[0]).toMatchObject({ property: 'fine', verdict: 'holds' });
    // Owed by the configuration that cannot take it, it is still vacuous there.
    expect(checkExhaustive(instantiate(model({ f: owedBy(['small']), a: ablation }), 'f', 'small'))[0]).toMatchObject({ verdict: 'vacuous' });
    expect(() => model({ f: owedBy(['elsewhere']), a: ablation })).toThrow(/owed by configuration 'elsewhere', on which f is not checked/);
  });

  it('a safeguard transition the machine does not declare is never taken, and says so', () => {
    const m = model({ f: fixed('on on BAKC'), a: ablation });
    expect(checkExhaustive(instantiate(m, 'f', 'back'))[0]!.note).toContain("machine toggle declares no transition 'on on BAKC'");
  });

  it('a liveness property whose trigger is never reached is vacuous', () => {
    const m = defineModel({
      ...model({}),
      properties: [eventually({ name: 'back-off', statement: 'Once on, the switch is eventually off.', trigger: (w) => w.process('s').is('on'), goal: (w) => w.process('s').is('off') }), sometimes({ name: 'starts', statement: 'The switch starts off.', reached: (w) => w.process('s').is('off') })],
      build: () => ({ processes: { s: { machine: toggle } }, network: 'bag', budgets: {} }),
      variants: { f: { kind: 'fixed', remedy: 'own', passage, summary: 's', expect: { 'back-off': 'holds', starts: 'holds' } } },
    });
    expect(checkExhaustive(instantiate(m, 'f')).find((r) => r.property === 'back-off')).toMatchObject({ verdict: 'vacuous', note: 'vacuous: the trigger never holds in any reachable state' });
    expect(checkRandom(instantiate(m, 'f'), { seed: 1, runs: 20 }).find((r) => r.property === 'back-off')).toMatchObject({ verdict: 'vacuous', note: 'vacuous: the trigger never held in 20 random runs (mix, then novelty walks until the one state they could reach was reached)' });
  });
});

describe('declared random-search gaps', () => {
  it('are refused for a property the variant is not expected to violate', () => {
    const idle = setup({}).createMachine({});
    const p = always({ name: 'p', statement: 'Fine.', check: () => undefined });
    expect(() =>
      defineModel({ name: 'g', summary: 's', configs: { c: {} }, properties: [p], variants: { v: { summary: 's', expect: { p: 'holds' }, randomSearchGaps: { p: 'because' } } }, build: () => ({ processes: { a: { machine: idle } }, network: 'bag', budgets: {} }) }),
    ).toThrow(/declares a random-search gap for 'p', which it is not expected to violate/);
  });

  it('turn a random miss into a known gap, neither as expected nor a failure, and leave a found violation alone', () => {
    // Broken only after a request the random search may take: with zero runs it is always missed.
    const flipper = setup({ types: {} as { events: { type: 'FLIP' } } }).createMachine({ initial: 'off', states: { off: { on: { FLIP: 'on' } }, on: {} } });
    const p = always({ name: 'never-on', statement: 'Never on.', check: (w) => (w.process('a').value === 'on' ? 'on' : undefined) });
    const m = defineModel({ name: 'g', summary: 's', configs: { c: {} }, properties: [p], variants: { v: { summary: 's', expect: { 'never-on': 'violated' }, randomSearchGaps: { 'never-on': 'measured: never' } } }, build: () => ({ processes: { a: { machine: flipper, requests: [{ type: 'FLIP' }] } }, network: 'bag', budgets: {} }) });
    const [missed] = checkRandom(instantiate(m, 'v'), { seed: 1, runs: 0 });
    expect(missed).toMatchObject({ verdict: 'holds', knownGap: 'measured: never' });
    expect(asExpected(missed!)).toBe(false);
    const [found] = checkRandom(instantiate(m, 'v'), { seed: 1, runs: 50 });
    expect(found!.verdict).toBe('violated');
    expect(found!.knownGap).toBeUndefined();
    expect(asExpected(found!)).toBe(true);
  });

  it('on a configuration checked on request, a declared share makes a miss "found or missed"; a default configuration cannot be named', () => {
    const flipper = setup({ types: {} as { events: { type: 'FLIP' } } }).createMachine({ initial: 'off', states: { off: { on: { FLIP: 'on' } }, on: {} } });
    const p = always({ name: 'never-on', statement: 'Never on.', check: (w) => (w.process('a').value === 'on' ? 'on' : undefined) });
    const declare = (randomOnRequest: Record<string, string>) =>
      defineModel({ name: 'g', summary: 's', configs: { c: {}, big: {} }, randomOnRequest, properties: [p], variants: { v: { summary: 's', expect: { 'never-on': 'violated' } } }, build: () => ({ processes: { a: { machine: flipper, requests: [{ type: 'FLIP' }] } }, network: 'bag', budgets: {} }) });
    const m = declare({ big: 'found on 7 of 10 seeds' });
    const [onRequest] = checkRandom(instantiate(m, 'v', 'big'), { seed: 1, runs: 0 });
    expect(onRequest).toMatchObject({ verdict: 'holds', knownGap: 'found or missed on configuration big, checked on request: found on 7 of 10 seeds' });
    // The default configuration keeps its promise: a miss there is a failure.
    const [byDefault] = checkRandom(instantiate(m, 'v', 'c'), { seed: 1, runs: 0 });
    expect(byDefault!.knownGap).toBeUndefined();
    expect(asExpected(byDefault!)).toBe(false);
    expect(() => declare({ c: 'sometimes' })).toThrow(/randomOnRequest names 'c', which npm run check checks by default \(variant v\)/);
    expect(() => declare({ huge: 'x' })).toThrow(/randomOnRequest names undeclared configuration 'huge'/);
  });
});
