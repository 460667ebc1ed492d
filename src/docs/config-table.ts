import type { ModelDefinition } from '../spec/model.js';
import { show } from '../report/describe.js';

/** A model's configurations as one short table: a column per setting, a row per configuration, and what each is for. */
export function configTable(model: ModelDefinition<any>, checkedByDefault: ReadonlySet<string>): string[] {
  const configs = Object.entries(model.configs as Record<string, unknown>);
  const keys = [...new Set(configs.flatMap(([, c]) => (c && typeof c === 'object' ? Object.keys(c) : [])))];
  const cell = (v: unknown) => (v === undefined ? '–' : show(v).replace(/\|/g, '\\|'));
  const out = [`| configuration | checked | ${keys.join(' | ')} |`, `|---|---|${keys.map(() => '---').join('|')}|`];
  for (const [name, c] of configs) {
    const values = keys.map((k) => cell((c as Record<string, unknown>)[k]));
    out.push(`| \`${name}\` | ${checkedByDefault.has(name) ? 'by `npm run check`' : 'on request'} | ${values.join(' | ')} |`);
  }
  out.push('');
  for (const [name] of configs) {
    const note = model.configNotes?.[name];
    out.push(`- \`${name}\`: ${note ?? ''}${checkedByDefault.has(name) ? '' : ` Run with \`npm run check -- --model ${model.name} --config ${name}\`.`}`.replace(/: $/, ''));
  }
  return out;
}
