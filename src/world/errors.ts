/** A machine, a guard, a `when` condition or a serialiser threw while the world took a step. */
export class ModelStepError extends Error {
  constructor(
    readonly process: string,
    readonly event: string,
    readonly detail: string,
  ) {
    super(`process ${process} failed on ${event}: ${detail}`);
  }
}

/** Stands in for the process name when a property, not a process, threw while judging a state. */
export const PROPERTY_PROCESS = '(property)';

/** The model itself is malformed (unknown process, bad partition, too many states for the encoding). */
export class ModelDefinitionError extends Error {}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? String(error);
  return String(error);
}
