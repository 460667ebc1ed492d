/**
 * How stories, diagrams and pages show a model's worlds: never what is
 * checked. Field patterns are "process.field" (a top-level context field and
 * everything under it), with `*` for any process: "cp.threads", "*.clock".
 */
export interface StoryPresentation {
  /** Bookkeeping fields never shown (a per-tick send counter, a cache). */
  hide?: string[];
  /** For a view the world declares, the fields it summarises: stories show the view instead of them. */
  replaces?: Record<string, string[]>;
  /** Faults in the model's own words, per process: what its crash, its restart and its down state are. */
  faults?: Record<string, { crash?: string; restart?: string; down?: string }>;
}

/** Whether a context field of a process falls under one of the patterns. */
export function fieldMatches(patterns: readonly string[], process: string, path: string): boolean {
  const top = path.split(/[.[]/)[0]!;
  return patterns.some((p) => {
    const dot = p.indexOf('.');
    const who = p.slice(0, dot);
    return (who === '*' || who === process) && p.slice(dot + 1) === top;
  });
}
