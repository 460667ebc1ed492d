import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceRef } from '../spec/property.js';

/** The postmortem the models are held to, as this repository's sibling `shared/` folder holds it. */
export const POSTMORTEM_FILE = join(import.meta.dirname, '..', '..', '..', 'shared', 'domain', 'aws-2011-ebs-rds-postmortem.md');

/** The postmortem's link from a docs page `depth` folders below docs/ (docs/x.md is 0). */
export const postmortemLink = (depth: number) => `${'../'.repeat(depth + 2)}shared/domain/aws-2011-ebs-rds-postmortem.md`;

interface Section {
  title: string;
  /** GitHub's anchor for the heading. */
  anchor: string;
  /** The section's text with runs of white space made one space and markdown emphasis removed. */
  text: string;
}

const flat = (text: string) => text.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
const anchorOf = (title: string) => title.toLowerCase().replace(/[^\w\s-]/g, '').trim().replace(/\s/g, '-');

let sections: Section[] | undefined;
/** The postmortem cut at its headings (read once). */
export function postmortemSections(): Section[] {
  if (sections) return sections;
  const out: Section[] = [];
  const lines = readFileSync(POSTMORTEM_FILE, 'utf8').split('\n');
  let anchor = '';
  lines.forEach((line, i) => {
    const heading = line.match(/^#+\s+(.*)$/);
    // A short line standing alone, without a full stop, is a subsection title (the RDS part has no heading markup):
    // it has no anchor of its own, so it links to its heading's.
    const sub = !heading && out.length && line.trim() && line.length < 80 && !/[.:,;]$/.test(line.trim()) && !lines[i - 1]?.trim() && !lines[i + 1]?.trim();
    if (heading) {
      anchor = anchorOf(flat(heading[1]!));
      out.push({ title: flat(heading[1]!), anchor, text: '' });
    } else if (sub) out.push({ title: flat(line), anchor, text: '' });
    else if (out.length) out[out.length - 1]!.text += `${line}\n`;
  });
  for (const s of out) s.text = flat(s.text);
  sections = out;
  return out;
}

/** Where a passage stands in the postmortem: the section holding its words verbatim, or none (a paraphrase). */
export interface Located {
  verbatim: boolean;
  /** The section that holds the words (when verbatim), else the one the passage names, if it exists. */
  section?: Section;
  /** The passage names another section than the one holding its words. */
  misattributed: boolean;
}

export function locate(ref: SourceRef): Located {
  const all = postmortemSections();
  const words = flat(ref.quote);
  const holding = all.find((s) => s.text.includes(words));
  const named = all.find((s) => s.title === flat(ref.section));
  if (holding) return { verbatim: true, section: holding, misattributed: holding !== named };
  return { verbatim: false, section: named, misattributed: false };
}

/**
 * A passage as the docs cite it: its exact words in quotation marks, linked to
 * the section of the postmortem that holds them; words not found verbatim are
 * marked as a paraphrase, never shown as a quote.
 */
export function citePassage(ref: SourceRef, depth: number): string {
  const where = locate(ref);
  const link = (s: Located['section'], title: string) => (s ? `[*${s.title}*](${postmortemLink(depth)}#${s.anchor})` : `*${title}*`);
  if (where.verbatim) return `${link(where.section, ref.section)}, quoted: “${ref.quote}”`;
  return `${link(where.section, ref.section)}, paraphrased (not the postmortem's words): ${ref.quote}`;
}

/** Ends a sentence that closes on a citation: no full stop after a quote that already ends with one. */
export const endSentence = (text: string) => (/[.!?]”?$/.test(text) ? text : `${text}.`);
