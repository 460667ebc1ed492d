import type { AnyStateMachine } from 'xstate';
import { canonicalJson } from './canonical-json.js';
import { ModelDefinitionError } from './errors.js';
import type { World } from './world.js';
import { initialChoices } from './initial-states.js';

/**
 * Above this many candidate renamings a state keeps the first one found: still
 * a member of its orbit (sound), perhaps not the canonical one (less reduction).
 */
const TIE_CANDIDATE_LIMIT = 120;
/** Masked-key slots assume fewer processes than this. */
const MAX_PROCESSES = 1024;

/** A permutation of process indices: `perm[p]` is the slot process p's state moves to (identity outside the groups). */
type Permutation = Int32Array;

/**
 * Symmetry reduction for the interchangeable processes a model declares
 * (`WorldSpec.symmetry`). `canonical(state)` maps a state to one member of its
 * orbit under renaming within the groups, the same member for every state of
 * the orbit:
 *
 * 1. Each member gets a signature that renaming cannot change: its own local
 *    state, and every local state, message and partition that mentions it, each
 *    written with its name as `@self` and the other members' names as `@g<k>`.
 * 2. Members are sorted by signature; the i-th gets the i-th name of the group.
 * 3. Members with equal signatures may still differ in how they refer to each
 *    other: unless the state is unchanged by swapping and rotating them, every
 *    renaming among them is tried and the least state string kept.
 *
 * Renaming rewrites whole string values and object keys equal to a member's
 * name, in contexts, durable parts and messages, and re-sorts lists of names
 * (the model keeps them sorted; see `WorldSpec.symmetry`).
 */
export class SymmetryReducer {
  /** Process indices per group, in declaration order: the names handed out after sorting. */
  readonly groups: number[][];
  /** Group of each process, -1 when it is not interchangeable. */
  private readonly groupOf: Int32Array;
  private readonly names: string[];
  private readonly memberByName = new Map<string, number>();
  private readonly partitionByShape = new Map<string, number>();
  private readonly partitionMembers: number[][];
  private readonly localMentionMemo = new Map<number, readonly number[]>();
  private readonly envelopeMentionMemo: Array<readonly number[] | undefined> = [];
  private readonly maskIds = new Map<string, number>();
  private readonly localMaskMemo = new Map<number, number>();
  private readonly envelopeMaskMemo = new Map<number, number>();
  private readonly partitionMaskMemo = new Map<number, number>();
  private readonly localRenameMemo = new Map<string, number>();
  /** Renamings seen so far, interned: the fast memo below is keyed by (renaming, process, local state). */
  private readonly permutationIds = new Map<string, number>();
  private readonly localRenameByPermutation = new Map<number, number>();
  private readonly maskRenameByPermutation = new Map<number, number>();
  private readonly envelopeRenameByPermutation = new Map<number, number>();
  private readonly envelopeRenameMemo = new Map<string, number>();
  /** States left at a non-canonical member of their orbit because too many renamings tied. */
  inexact = 0;

  constructor(private readonly world: World) {
    const P = world.processes.length;
    if (P >= MAX_PROCESSES) throw new ModelDefinitionError(`symmetry reduction supports fewer than ${MAX_PROCESSES} processes`);
    this.names = world.processNames;
    this.groupOf = new Int32Array(P).fill(-1);
    const seen = new Set<number>();
    const declared = (world.spec.symmetry ?? []).map((group, g) =>
      group.map((name) => {
        const p = world.indexOf(name, `symmetry group ${g + 1} (${group.join(', ')})`);
        if (seen.has(p)) throw new ModelDefinitionError(`process ${name} appears twice in the symmetry groups`);
        seen.add(p);
        return p;
      }),
    );
    // A group of one renames nothing.
    this.groups = declared.filter((group) => group.length > 1);
    this.groups.forEach((group, g) =>
      group.forEach((p) => {
        this.groupOf[p] = g;
        this.memberByName.set(this.names[p]!, p);
      }),
    );
    this.partitionMembers = (world.spec.partitions ?? []).map((partition) => partition.group.map((n) => world.indexOf(n, `partition ${partition.name}`)));
    this.partitionMembers.forEach((members, k) => this.partitionByShape.set(this.partitionShape(members, world.spec.partitions![k]!.networks), k));
    this.checkDeclaration();
  }

  /** The orbit's representative of a state. */
  canonical(state: string): string {
    const sigs = this.signatures(state);
    const perm = this.identity();
    const ties: number[][] = [];
    for (const group of this.groups) {
      const order = group.slice().sort((a, b) => compareSignatures(sigs[a]!, sigs[b]!) || a - b);
      order.forEach((member, i) => (perm[member] = group[i]!));
      let start = 0;
      for (let i = 1; i <= order.length; i++) {
        if (i < order.length && compareSignatures(sigs[order[i - 1]!]!, sigs[order[i]!]!) === 0) continue;
        if (i - start > 1) ties.push(group.slice(start, i));
        start = i;
      }
    }
    const first = isIdentity(perm) ? state : this.apply(state, perm);
    const entangled = ties.filter((tie) => !this.invariantUnder(first, tie));
    if (entangled.length === 0) return first;
    const candidates = entangled.reduce((n, tie) => n * factorial(tie.length), 1);
    if (candidates > TIE_CANDIDATE_LIMIT) {
      this.inexact++;
      return first;
    }
    let best = first;
    for (const renaming of this.renamingsWithin(entangled)) {
      const candidate = this.apply(first, renaming);
      if (candidate < best) best = candidate;
    }
    return best;
  }

  /** Adds to the world's fired faults every renamed image of those fired, so coverage does not miss a fault only its twin took. */
  closeFiredFaults(): void {
    const fired = this.world.environmentFired;
    for (const id of [...fired]) {
      const descriptor = JSON.parse(id) as { kind: string; process?: string; partition?: string };
      if (descriptor.process !== undefined) {
        const p = this.world.processIndex.get(descriptor.process)!;
        const group = this.groupOf[p]! >= 0 ? this.groups[this.groupOf[p]!]! : [];
        for (const q of group) fired.add(canonicalJson({ ...descriptor, process: this.names[q] }));
      } else if (descriptor.partition !== undefined) {
        const partitions = this.world.spec.partitions ?? [];
        const k = partitions.findIndex((pt) => pt.name === descriptor.partition);
        for (const image of this.partitionOrbit(k)) fired.add(canonicalJson({ ...descriptor, partition: partitions[image]!.name }));
      }
    }
  }

  // ---- signatures --------------------------------------------------------

  /** Per group member: its own masked local state, then the sorted ids of everything that mentions it. */
  private signatures(state: string): Array<number[] | undefined> {
    const world = this.world;
    const P = world.processes.length;
    const sigs: Array<number[] | undefined> = new Array(P);
    for (const group of this.groups) for (const p of group) sigs[p] = [this.localMask(p, state.charCodeAt(p), p)];
    for (let q = 0; q < P; q++) {
      const local = state.charCodeAt(q);
      for (const p of this.localMentions(q, local)) if (p !== q) sigs[p]!.push(this.localMask(q, local, p));
    }
    for (let i = world.networkOffset; i < state.length; i++) {
      const e = state.charCodeAt(i);
      for (const p of this.envelopeMentions(e)) sigs[p]!.push(this.envelopeMask(e, p));
    }
    const mask = state.charCodeAt(P);
    for (let k = 0; mask >> k; k++) {
      if (!(mask & (1 << k))) continue;
      for (const p of this.partitionMembers[k]!) if (this.groupOf[p]! >= 0) sigs[p]!.push(this.partitionMask(k, p));
    }
    for (const sig of sigs) if (sig && sig.length > 2) sortTail(sig);
    return sigs;
  }

  private maskId(text: string): number {
    let id = this.maskIds.get(text);
    if (id === undefined) this.maskIds.set(text, (id = this.maskIds.size));
    return id;
  }

  private label(p: number, self: number): string {
    if (p === self) return '@self';
    return this.groupOf[p]! >= 0 ? `@g${this.groupOf[p]}` : this.names[p]!;
  }

  private localMask(q: number, local: number, self: number): number {
    const key = (q * 0x10000 + local) * MAX_PROCESSES + self;
    let id = this.localMaskMemo.get(key);
    if (id === undefined) {
      const state = this.world.processes[q]!.locals[local]!;
      const body = state.crashed
        ? `crashed|${this.mask(state.durable, self)}`
        : `${canonicalJson(state.value)}|${state.snapshot.status}|${this.mask(state.context, self)}`;
      id = this.maskId(`${this.label(q, self)}|${body}`);
      this.localMaskMemo.set(key, id);
    }
    return id;
  }

  private envelopeMask(e: number, self: number): number {
    const key = e * MAX_PROCESSES + self;
    let id = this.envelopeMaskMemo.get(key);
    if (id === undefined) {
      const env = this.world.envelopes[e]!;
      id = this.maskId(`${this.label(env.from, self)}>${this.label(env.to, self)}:${this.mask(env.msg, self)}`);
      this.envelopeMaskMemo.set(key, id);
    }
    return id;
  }

  private partitionMask(k: number, self: number): number {
    const key = k * MAX_PROCESSES + self;
    let id = this.partitionMaskMemo.get(key);
    if (id === undefined) {
      const partition = this.world.spec.partitions![k]!;
      const members = partition.group.map((n) => this.label(this.world.processIndex.get(n)!, self)).sort();
      id = this.maskId(`partition|${members.join(',')}|${[...(partition.networks ?? ['*'])].sort().join(',')}`);
      this.partitionMaskMemo.set(key, id);
    }
    return id;
  }

  /** JSON with member names masked; lists of names and object entries sorted after masking, so renaming cannot change it. */
  private mask(value: unknown, self: number): string {
    if (typeof value === 'string') {
      const p = this.memberByName.get(value);
      return p === undefined ? JSON.stringify(value) : JSON.stringify(this.label(p, self));
    }
    if (Array.isArray(value)) {
      const items = value.map((v) => this.mask(v, self));
      if (this.isNameSet(value)) items.sort();
      return `[${items.join(',')}]`;
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${this.mask(k, self)}:${this.mask(v, self)}`)
        .sort();
      return `{${entries.join(',')}}`;
    }
    return canonicalJson(value ?? null);
  }

  // ---- mentions ----------------------------------------------------------

  private localMentions(q: number, local: number): readonly number[] {
    const key = q * 0x10000 + local;
    let mentions = this.localMentionMemo.get(key);
    if (!mentions) {
      const state = this.world.processes[q]!.locals[local]!;
      const found = new Set<number>();
      this.collectMentions(state.crashed ? state.durable : state.context, found, `${this.names[q]}'s ${state.crashed ? 'durable state' : 'context'}`);
      mentions = [...found].sort((a, b) => a - b);
      this.localMentionMemo.set(key, mentions);
    }
    return mentions;
  }

  private envelopeMentions(e: number): readonly number[] {
    let mentions = this.envelopeMentionMemo[e];
    if (!mentions) {
      const env = this.world.envelopes[e]!;
      const found = new Set<number>();
      if (this.groupOf[env.from]! >= 0) found.add(env.from);
      if (this.groupOf[env.to]! >= 0) found.add(env.to);
      this.collectMentions(env.msg, found, `message ${env.msg.type} from ${this.names[env.from]} to ${this.names[env.to]}`);
      mentions = [...found].sort((a, b) => a - b);
      this.envelopeMentionMemo[e] = mentions;
    }
    return mentions;
  }

  /** Finds the members a value names, and enforces that lists of names are kept sorted (they are renamed as sets). */
  private collectMentions(value: unknown, found: Set<number>, where: string): void {
    if (typeof value === 'string') {
      const p = this.memberByName.get(value);
      if (p !== undefined) found.add(p);
    } else if (Array.isArray(value)) {
      if (this.isNameSet(value) && !isSorted(value as string[])) {
        throw new ModelDefinitionError(
          `symmetry: ${where} holds the list ${JSON.stringify(value)}, which is not sorted; ` +
            'a list of names of interchangeable processes is treated as a set and must be kept sorted',
        );
      }
      for (const item of value) this.collectMentions(item, found, where);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        this.collectMentions(k, found, where);
        this.collectMentions(v, found, where);
      }
    }
  }

  private isNameSet(list: readonly unknown[]): boolean {
    return list.length > 0 && list.every((x) => typeof x === 'string') && list.some((x) => this.memberByName.has(x as string));
  }

  // ---- renaming ----------------------------------------------------------

  private identity(): Permutation {
    const perm = new Int32Array(this.world.processes.length);
    for (let p = 0; p < perm.length; p++) perm[p] = p;
    return perm;
  }

  /** The state with every member p renamed to perm[p]. */
  apply(state: string, perm: Permutation): string {
    const world = this.world;
    const P = world.processes.length;
    const head = world.headOf(state);
    const out = head.slice();
    const permKey = String.fromCharCode(...perm);
    let permId = this.permutationIds.get(permKey);
    if (permId === undefined) this.permutationIds.set(permKey, (permId = this.permutationIds.size));
    for (let q = 0; q < P; q++) {
      // Stryker disable next-line ArithmeticOperator: a memo key; the mutants (- head, / 0x10000 + head, permId * P - q) are one-to-one as well
      const key = (permId * P + q) * 0x10000 + head[q]!;
      let renamed = this.localRenameByPermutation.get(key);
      // Stryker disable next-line ConditionalExpression: a memo; renaming again gives the same local state id
      if (renamed === undefined) this.localRenameByPermutation.set(key, (renamed = this.renameLocal(q, head[q]!, perm)));
      out[perm[q]!] = renamed;
    }
    if (head[P]) {
      const key = permId * 0x10000 + head[P]!;
      let renamed = this.maskRenameByPermutation.get(key);
      if (renamed === undefined) this.maskRenameByPermutation.set(key, (renamed = this.renameMask(head[P]!, perm)));
      out[P] = renamed;
    }
    const network: number[] = [];
    for (let i = world.networkOffset; i < state.length; i++) {
      const e = state.charCodeAt(i);
      const key = permId * 0x10000 + e;
      let renamed = this.envelopeRenameByPermutation.get(key);
      if (renamed === undefined) this.envelopeRenameByPermutation.set(key, (renamed = this.renameEnvelope(e, perm)));
      network.push(renamed);
    }
    return world.encode(out, network);
  }

  private renameLocal(q: number, local: number, perm: Permutation): number {
    const mentions = this.localMentions(q, local);
    const target = perm[q]!;
    if (target === q && mentions.every((m) => perm[m] === m)) return local;
    const key = `${q}.${local}.${target}.${mentions.map((m) => perm[m]).join('.')}`;
    let id = this.localRenameMemo.get(key);
    if (id === undefined) {
      const source = this.world.processes[q]!.locals[local]!;
      const renaming = this.renaming(mentions, perm);
      id = this.world.processes[target]!.adopt(source, this.rename(source.crashed ? source.durable : source.context, renaming));
      this.localRenameMemo.set(key, id);
    }
    return id;
  }

  private renameEnvelope(e: number, perm: Permutation): number {
    const mentions = this.envelopeMentions(e);
    if (mentions.every((m) => perm[m] === m)) return e;
    const key = `${e}.${mentions.map((m) => perm[m]).join('.')}`;
    let id = this.envelopeRenameMemo.get(key);
    if (id === undefined) {
      const env = this.world.envelopes[e]!;
      const msg = this.rename(env.msg, this.renaming(mentions, perm)) as typeof env.msg;
      id = this.world.envelopeId(perm[env.from]!, perm[env.to]!, msg);
      this.envelopeRenameMemo.set(key, id);
    }
    return id;
  }

  private renameMask(mask: number, perm: Permutation): number {
    const partitions = this.world.spec.partitions ?? [];
    let out = 0;
    partitions.forEach((_, k) => {
      if (mask & (1 << k)) out |= 1 << this.partitionImage(k, perm)!;
    });
    return out;
  }

  private partitionImage(k: number, perm: Permutation): number | undefined {
    const partition = this.world.spec.partitions![k]!;
    return this.partitionByShape.get(this.partitionShape(this.partitionMembers[k]!.map((p) => perm[p]!), partition.networks));
  }

  /** A partition by what it cuts: its members and its networks (absent: all). */
  private partitionShape(members: number[], networks: readonly string[] | undefined): string {
    return `${[...members].sort((a, b) => a - b).join(',')}|${networks ? [...networks].sort().join(',') : '*'}`;
  }

  private renaming(mentions: readonly number[], perm: Permutation): Map<string, string> {
    return new Map(mentions.map((m) => [this.names[m]!, this.names[perm[m]!]!]));
  }

  /** A copy of a JSON value with names renamed; lists of names come out sorted again. */
  private rename(value: unknown, renaming: Map<string, string>): unknown {
    if (typeof value === 'string') return renaming.get(value) ?? value;
    if (Array.isArray(value)) {
      const items = value.map((v) => this.rename(v, renaming));
      return this.isNameSet(value) ? (items as string[]).sort() : items;
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[renaming.get(k) ?? k] = this.rename(v, renaming);
      return out;
    }
    return value;
  }

  // ---- ties ----------------------------------------------------------------

  /** Whether every renaming among these slots leaves the state unchanged: a swap and a rotation generate them all. */
  private invariantUnder(state: string, slots: number[]): boolean {
    const swap = this.identity();
    swap[slots[0]!] = slots[1]!;
    swap[slots[1]!] = slots[0]!;
    if (this.apply(state, swap) !== state) return false;
    if (slots.length === 2) return true;
    const rotate = this.identity();
    slots.forEach((s, i) => (rotate[s] = slots[(i + 1) % slots.length]!));
    return this.apply(state, rotate) === state;
  }

  /** Every combination of permutations within each set of slots. */
  private *renamingsWithin(ties: number[][]): Generator<Permutation> {
    const perm = this.identity();
    const fill = function* (t: number): Generator<Permutation> {
      if (t === ties.length) {
        yield perm;
        return;
      }
      for (const order of permutations(ties[t]!)) {
        ties[t]!.forEach((slot, i) => (perm[slot] = order[i]!));
        yield* fill(t + 1);
      }
    };
    yield* fill(0);
  }

  private partitionOrbit(k: number): number[] {
    const orbit = new Set([k]);
    const todo = [k];
    while (todo.length > 0) {
      const at = todo.pop()!;
      for (const swap of this.generators()) {
        const image = this.partitionImage(at, swap.perm);
        if (image !== undefined && !orbit.has(image)) orbit.add(image), todo.push(image);
      }
    }
    return [...orbit].sort((a, b) => a - b);
  }

  // ---- validation ----------------------------------------------------------

  /** The swaps of neighbours in each group: they generate every renaming. */
  private generators(): Array<{ a: number; b: number; perm: Permutation }> {
    return this.groups.flatMap((group) =>
      group.slice(1).map((b, i) => {
        const a = group[i]!;
        const perm = this.identity();
        perm[a] = b;
        perm[b] = a;
        return { a, b, perm };
      }),
    );
  }

  /** Rejects declarations the world can tell are not symmetries. */
  private checkDeclaration(): void {
    const world = this.world;
    for (const group of this.groups) {
      const [first, ...rest] = group.map((p) => ({ name: this.names[p]!, spec: world.processes[p]!.spec }));
      for (const other of rest) {
        const differs = (what: string) => {
          throw new ModelDefinitionError(`symmetry: ${first!.name} and ${other.name} cannot be interchangeable: their ${what} differ`);
        };
        if (other.spec.machine !== first!.spec.machine && machineOutline(other.spec.machine) !== machineOutline(first!.spec.machine)) differs('machines');
        if (other.spec.machine !== first!.spec.machine) {
          // Two machine objects may hold different closures behind the same shape: only one shared object is known to behave alike.
          throw new ModelDefinitionError(
            `symmetry: ${first!.name} and ${other.name} run different machine objects; interchangeable processes must share one: create the machine once (const machine = createReplica()) and give it to each, with what differs between them in input`,
          );
        }
        if (canonicalJson(other.spec.requests ?? []) !== canonicalJson(first!.spec.requests ?? [])) differs('requests');
        const timers = (s: typeof other.spec) => canonicalJson((s.timeouts ?? []).map((t) => ({ event: t.event, conditional: t.when !== undefined })));
        if (timers(other.spec) !== timers(first!.spec)) differs('timeouts');
        const steps = (s: typeof other.spec) => canonicalJson((s.internal ?? []).map((t) => ({ event: t.event, name: t.name ?? null, fairness: t.fairness ?? 'weak', conditional: t.when !== undefined })));
        if (steps(other.spec) !== steps(first!.spec)) differs('internal steps');
        if ((other.spec.crash === undefined) !== (first!.spec.crash === undefined)) differs('crash settings');
        if (other.spec.role !== first!.spec.role) differs('roles');
      }
    }
    const initials = world.initialStates();
    const initialSet = new Set(initials);
    const choices = initialChoices(world.spec);
    const choiceKeys = new Set(choices.map((c) => canonicalJson(c.inputs.map((v) => v ?? null))));
    for (const { a, b, perm } of this.generators()) {
      const swapped = `swapping ${this.names[a]} and ${this.names[b]}`;
      const swap = new Map([[this.names[a]!, this.names[b]!], [this.names[b]!, this.names[a]!]]);
      for (const choice of choices) {
        choice.inputs.forEach((input, q) => this.collectMentions(input ?? null, new Set(), `${world.processes[q]!.name}'s input`));
        // The renamed inputs, each moved to the process it now belongs to.
        // Stryker disable next-line ArrayDeclaration: every slot is assigned below, so the array's initial length changes nothing
        const renamed: unknown[] = new Array(choice.inputs.length);
        choice.inputs.forEach((input, q) => (renamed[perm[q]!] = this.rename(input ?? null, swap)));
        if (choiceKeys.has(canonicalJson(renamed.map((v) => v ?? null)))) continue;
        const moved = world.processes.findIndex((_, q) => canonicalJson(renamed[perm[q]!] ?? null) !== canonicalJson(choice.inputs[perm[q]!] ?? null));
        const q = Math.max(moved, 0);
        const where = choices.length > 1 ? ` in initial state "${choice.label}"` : '';
        throw new ModelDefinitionError(
          `symmetry: ${swapped} turns ${world.processes[q]!.name}'s input${where} into ${canonicalJson(renamed[perm[q]!] ?? null)}, which is not ${world.processes[perm[q]!]!.name}'s input in any initial state`,
        );
      }
      (world.spec.partitions ?? []).forEach((partition, k) => {
        if (this.partitionImage(k, perm) === undefined) throw new ModelDefinitionError(`symmetry: partition "${partition.name}" has no counterpart after ${swapped}`);
      });
      initials.forEach((initial, i) => {
        const image = this.apply(initial, perm);
        if (initialSet.has(image)) return;
        const changed = this.names.filter((_, q) => image.charCodeAt(q) !== initial.charCodeAt(q));
        const which = initials.length > 1 ? ` "${world.initialLabel(i)}"` : '';
        throw new ModelDefinitionError(
          `symmetry: ${swapped} changes the initial state${which} (${changed.length > 0 ? `of ${changed.join(', ')}` : 'messages in flight'}): the members of a group must start alike, and the set of initial states must be closed under renaming`,
        );
      });
    }
  }
}

/** A machine's id, state nodes and event types: enough to tell two machines apart, not to prove them alike. */
function machineOutline(machine: AnyStateMachine): string {
  const nodes = (node: { key: string; states: Record<string, unknown> }): unknown => [node.key, Object.values(node.states ?? {}).map((child) => nodes(child as never))];
  return canonicalJson({ id: machine.id, nodes: nodes(machine.root as never), events: [...machine.events].sort() });
}

function compareSignatures(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Sorts all but the first entry (the member's own state stays first); insertion sort, as signatures are short. */
function sortTail(sig: number[]): void {
  for (let i = 2; i < sig.length; i++) {
    const v = sig[i]!;
    let j = i - 1;
    while (j >= 1 && sig[j]! > v) sig[j + 1] = sig[j--]!;
    sig[j + 1] = v;
  }
}

function isIdentity(perm: Permutation): boolean {
  for (let p = 0; p < perm.length; p++) if (perm[p] !== p) return false;
  return true;
}

function isSorted(list: string[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! > list[i]!) return false;
  return true;
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

function* permutations(items: number[]): Generator<number[]> {
  if (items.length <= 1) {
    yield items.slice();
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const tail of permutations(rest)) yield [items[i]!, ...tail];
  }
}
