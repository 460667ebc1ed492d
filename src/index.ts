/**
 * The public API: everything a model needs to be declared and checked. The
 * outage models in `models/` and `properties/` import only from here.
 */
export type { WorldSpec, ProcessSpec, PartitionSpec, Budgets, NetworkKind, DeliveryPolicy, TimeoutSpec, InternalStepSpec, ViewSpec } from './world/model-spec.js';
export { send, type SendEvent } from './spec/send.js';
export type { WorldView, ProcessView, MessageView, Contexts, ContextsOf } from './world/world-view.js';
export type { ActionDescriptor } from './world/actions.js';
export { always, sometimes, eventually, deadlockFree, type Property, type EventuallyProperty, type AlwaysProperty, type SometimesProperty, type DeadlockFreeProperty, type Witness, type SourceRef, type Fact, type Explanation } from './spec/property.js';
export { defineModel, checkedConfigs, exhaustiveOnlyOnRequest, variantKindLabel, VARIANT_KINDS, type ModelDefinition, type VariantDefinition, type VariantKind, type EnvironmentFault, type Safeguard, type ProtectionsMatrix, type Verdict, type ExternalSuite } from './spec/model.js';
export { instantiate, type ModelInstance } from './check/instance.js';
export { checkExhaustive, type ExhaustiveOptions } from './check/exhaustive.js';
export type { CheckResult, Mode } from './check/result.js';
export { checkRandom, STRATEGIES, type RandomOptions, type StrategyName } from './check/random.js';
export { replay, type ReplayOutcome } from './check/replay.js';
export { renderStory } from './report/story.js';
export { renderSequenceDiagram } from './report/sequence-diagram.js';
export { describeAction } from './report/describe.js';
export { asExpected } from './check/result.js';
export { checkLinearizable, registerSpec, type Operation, type SequentialSpec, type LinearizabilityResult } from './spec/linearizability.js';
