/**
 * Time for the implementation. Nodes only ever ask for timers through
 * `Timers`, so the same code runs on a virtual clock (seeded runs, thousands a
 * second) or under a test that fires each timer by hand.
 */
export interface Timers {
  /** Arms (or re-arms) the node's timer `name` to call `fire` after `ms` milliseconds. */
  set(name: string, ms: number, fire: () => void): void;
  clear(name: string): void;
  /** Cancels every timer of the node (it crashed). */
  clearAll(): void;
}

interface Task {
  at: number;
  order: number;
  run: () => void;
}

/** A discrete-event clock: tasks run in time order (ties in the order they were scheduled); time only moves when a task runs. */
export class VirtualClock {
  private tasks: Task[] = [];
  private order = 0;
  now = 0;

  schedule(ms: number, run: () => void): () => void {
    const task: Task = { at: this.now + Math.max(0, ms), order: this.order++, run };
    // Kept sorted; inserting from the end is cheap because most tasks are scheduled in the near future.
    let i = this.tasks.length;
    while (i > 0 && (this.tasks[i - 1]!.at > task.at || (this.tasks[i - 1]!.at === task.at && this.tasks[i - 1]!.order > task.order))) i--;
    this.tasks.splice(i, 0, task);
    return () => {
      const k = this.tasks.indexOf(task);
      if (k >= 0) this.tasks.splice(k, 1);
    };
  }

  /** A promise that resolves `ms` later on this clock. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.schedule(ms, resolve));
  }

  /** Runs tasks until none is left or the time limit passes; after each, lets the promises it settled run on. */
  async run(until = Infinity): Promise<void> {
    while (this.tasks.length && this.tasks[0]!.at <= until) {
      const task = this.tasks.shift()!;
      this.now = task.at;
      task.run();
      await settled();
    }
  }

  /** One node's timers on this clock. */
  timersFor(): Timers {
    const armed = new Map<string, () => void>();
    return {
      set: (name, ms, fire) => {
        armed.get(name)?.();
        const cancel = this.schedule(ms, () => {
          armed.delete(name);
          fire();
        });
        armed.set(name, cancel);
      },
      clear: (name) => {
        armed.get(name)?.();
        armed.delete(name);
      },
      clearAll: () => {
        for (const cancel of armed.values()) cancel();
        armed.clear();
      },
    };
  }
}

/** Timers a test fires by hand: `fire(name)` runs the armed timer now. */
export class ManualTimers implements Timers {
  private readonly armed = new Map<string, () => void>();

  set(name: string, _ms: number, fire: () => void): void {
    this.armed.set(name, fire);
  }

  clear(name: string): void {
    this.armed.delete(name);
  }

  clearAll(): void {
    this.armed.clear();
  }

  isArmed(name: string): boolean {
    return this.armed.has(name);
  }

  fire(name: string): boolean {
    const fire = this.armed.get(name);
    if (!fire) return false;
    this.armed.delete(name);
    fire();
    return true;
  }
}

/** Lets every promise already settled run its continuations (several rounds, for chains of awaits). */
export async function settled(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A small seeded generator (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
