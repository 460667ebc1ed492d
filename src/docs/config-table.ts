import type { ModelDefinition } from '../spec/model.js';
import { show } from '../report/describe.js';

/** A model's configurations as one short table: a column per setting, a row per configuration, and what each is for. */
export function configTable(model: ModelDefinition<any>, checkedByDefault: ReadonlySet<string>): string[] {
  const isRecord = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  const configs = Object.entries(model.configs as Record<string, unknown>);
  // A configuration made of one part per world (control-plane's exhaustion and brownout) is a row per part.
  const parted = configs.every(([, c]) => isRecord(c) && Object.values(c).every(isRecord));
  const rows = configs.flatMap(([name, c]) =>
    parted ? Object.entries(c as Record<string, Record<string, unknown>>).map(([part, v]) => ({ name, label: `\`${name}\` (${part})`, values: v })) : [{ name, label: `\`${name}\``, values: (isRecord(c) ? c : { value: c }) as Record<string, unknown> }],
  );
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const cell = (v: unknown) => (v === undefined ? '–' : show(v).replace(/\|/g, '\\|'));
  const out = [`| configuration | checked | ${keys.join(' | ')} |`, `|---|---|${keys.map(() => '---').join('|')}|`];
  for (const r of rows) out.push(`| ${r.label} | ${checkedByDefault.has(r.name) ? 'by `npm run check`' : 'on request'} | ${keys.map((k) => cell(r.values[k])).join(' | ')} |`);
  out.push('');
  for (const [name] of configs) {
    const note = model.configNotes?.[name];
    const run = checkedByDefault.has(name) ? '' : ` Run with \`npm run check -- --model ${model.name} --config ${name}\`.`;
    out.push(`- \`${name}\`:${note ? ` ${note}` : ''}${run}`);
  }
  return out;
}
