import type { StateCheck } from '../engine/bfs.js';
import { variantKindLabel, type ModelDefinition } from '../spec/model.js';
import { toWitness, type Property, type Witness } from '../spec/property.js';
import type { WorldAction } from '../world/actions.js';
import type { Mode } from './result.js';
import { ModelDefinitionError, ModelStepError, PROPERTY_PROCESS, describeError } from '../world/errors.js';
import { World, type WorldOptions } from '../world/world.js';
import { WorldView } from '../world/world-view.js';
import { LocalFactTable } from '../world/local-facts.js';

/** One model, variant and configuration, compiled and ready to explore. */
export interface ModelInstance {
  model: ModelDefinition<any>;
  variant: string;
  config: string;
  world: World;
  properties: Property[];
}

export function instantiate(model: ModelDefinition<any>, variant: string, config?: string, options: WorldOptions = {}): ModelInstance {
  const variantDef = model.variants[variant];
  if (!variantDef) throw new ModelDefinitionError(`model ${model.name} has no variant '${variant}' (variants: ${Object.keys(model.variants).join(', ')})`);
  const configName = config ?? Object.keys(model.configs)[0]!;
  if (!(configName in model.configs)) {
    throw new ModelDefinitionError(`model ${model.name} has no configuration '${configName}' (configurations: ${Object.keys(model.configs).join(', ')})`);
  }
  const world = new World(model.build(variant, model.configs[configName]), options);
  const properties = model.properties.filter((p) => p.name in variantDef.expect);
  return { model, variant, config: configName, world, properties };
}

/**
 * Evaluates a property on one state; a property that throws is reported as a
 * step error, naming it. Deadlock needs the enabled actions: pass them when
 * already computed, else they are computed here.
 */
export function evaluate(property: Property, world: World, state: string, actions?: readonly WorldAction[]): Witness | undefined {
  const view = new WorldView(world, state);
  try {
    switch (property.kind) {
      case 'always': {
        const result = property.check(view);
        return result === undefined ? undefined : toWitness(result);
      }
      case 'sometimes':
        return property.reached(view) ? { message: `${property.name} reached` } : undefined;
      case 'eventually':
        return undefined;
      case 'deadlock-free': {
        if (world.hasProtocolAction(actions ?? world.actions(state)) || property.terminal(view)) return undefined;
        return { message: describeDeadlock(view) };
      }
    }
  } catch (error) {
    if (error instanceof ModelStepError) throw error;
    throw new ModelStepError(PROPERTY_PROCESS, property.name, describeError(error));
  }
}

function describeDeadlock(view: WorldView): string {
  const states = view
    .processes()
    .map((p) => `${p.name} ${p.crashed ? 'crashed' : JSON.stringify(p.value)}`)
    .join(', ');
  return `nothing can happen any more and this is not a terminal state (${states})`;
}

/**
 * The properties as checks for the generic explorers. A property that declares
 * `localFacts` also judges packed states from its tables, and asks its own
 * function (for the witness) only where the facts say it would find something.
 */
export function stateChecks(instance: ModelInstance): StateCheck<string, WorldAction>[] {
  const world = instance.world;
  return instance.properties.filter((p) => p.kind !== 'eventually').map((property) => {
    const test = (state: string, actions?: readonly WorldAction[]) => evaluate(property, world, state, actions);
    const check: StateCheck<string, WorldAction> = {
      name: property.name,
      kind: property.kind === 'always' ? 'always' : property.kind === 'sometimes' ? 'sometimes' : 'deadlock',
      test,
    };
    if (!property.localFacts || (property.kind !== 'always' && property.kind !== 'sometimes')) return check;
    const table = new LocalFactTable(world, property.localFacts);
    const unpack = (data: Uint16Array, start: number, end: number) => String.fromCharCode.apply(null, data.subarray(start, end) as unknown as number[]);
    return {
      ...check,
      testPacked(data: Uint16Array, start: number, end: number) {
        let finds: boolean;
        try {
          finds = table.finds(data, start);
        } catch {
          // A fact that throws: the property's own function reports it (or judges without it).
          finds = true;
        }
        return finds ? test(unpack(data, start, end)) : undefined;
      },
    };
  });
}

/** The fields every result row about this instance and property starts with. */
export function rowIdentity<M extends Mode>(instance: ModelInstance, property: Property, mode: M) {
  return {
    model: instance.model.name,
    variant: instance.variant,
    variantKind: variantKindLabel(instance.model, instance.variant),
    config: instance.config,
    property: property.name,
    kind: property.kind,
    mode,
    expected: instance.model.variants[instance.variant]!.expect[property.name]!,
  };
}
