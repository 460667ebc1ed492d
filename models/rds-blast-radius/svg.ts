import type { BlastRadiusRow } from './report.js';

export interface PlotParameters {
  p: number;
  pAtMost: number;
  rho: number;
  target: number;
  failoverMiss: number;
  shares: readonly number[];
}

/** One panel: its frame, in SVG units, and the title that states its question. */
interface Panel {
  top: number;
  height: number;
  title: string;
}

const W = 760;
const LEFT = 70;
const RIGHT = 230;
const PANEL_HEIGHT = 230;
const GAP = 70;
const COLOURS = { independent: '#2471a3', correlated: '#d68910', target: '#c0392b', volumes: '#7f8c8d', multi: ['#1e8449', '#6c3483', '#935116'] } as const;
const n = (v: number) => v.toFixed(1);
const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;

/**
 * Hand-written SVG, one panel per question: (1) the fraction of single-AZ
 * databases impaired against volumes per database, with the 13%-18% band and
 * the simulation's 95% intervals; (2) simulation minus closed form, in
 * percentage points, where those intervals are wide enough to see; (3) on a
 * log scale, the share of stuck multi-AZ primaries that did not fail over, as
 * the region-wide 2.5% implies it.
 */
export function blastRadiusSvg(rows: BlastRadiusRow[], params: PlotParameters): string {
  const panels: Panel[] = [
    { top: 62, height: PANEL_HEIGHT, title: `1. Which k makes ${pct(params.target)} of single-AZ databases follow from ${pct(params.p)} to ${pct(params.pAtMost)} of volumes stuck?` },
    { top: 62 + PANEL_HEIGHT + GAP, height: PANEL_HEIGHT * 0.7, title: '2. Does the simulation agree with the closed form? (simulated − exact, with 95% intervals)' },
    { top: 62 + PANEL_HEIGHT * 1.7 + 2 * GAP, height: PANEL_HEIGHT, title: `3. Multi-AZ: of the instances whose primary was stuck, how many did not fail over? (log scale)` },
  ];
  const H = Math.round(panels[2]!.top + panels[2]!.height + 50);
  const kMax = rows[rows.length - 1]!.k;
  const x = (k: number) => LEFT + ((k - 0.5) / kMax) * (W - LEFT - RIGHT);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${LEFT}" y="22" font-size="15" font-weight="bold">RDS blast radius in the affected zone: single-AZ and multi-AZ databases</text>`);
  const frame = (panel: Panel, ticks: Array<{ at: number; label: string }>) => {
    out.push(`<g id="panel-${panels.indexOf(panel) + 1}" data-top="${n(panel.top)}" data-height="${n(panel.height)}">`);
    out.push(`<text x="${LEFT}" y="${panel.top - 12}" font-size="13" font-weight="bold">${escapeXml(panel.title)}</text>`);
    for (const t of ticks) {
      out.push(`<line x1="${LEFT}" y1="${n(t.at)}" x2="${W - RIGHT}" y2="${n(t.at)}" stroke="#e5e5e5"/>`);
      out.push(`<text x="${LEFT - 6}" y="${n(t.at + 4)}" text-anchor="end">${t.label}</text>`);
    }
    const bottom = panel.top + panel.height;
    out.push(`<line x1="${LEFT}" y1="${panel.top}" x2="${LEFT}" y2="${bottom}" stroke="black"/>`);
    out.push(`<line x1="${LEFT}" y1="${bottom}" x2="${W - RIGHT}" y2="${bottom}" stroke="black"/>`);
    for (const r of rows) out.push(`<text x="${n(x(r.k))}" y="${bottom + 15}" text-anchor="middle">${r.k}</text>`);
    out.push(`<text x="${(LEFT + W - RIGHT) / 2}" y="${bottom + 32}" text-anchor="middle">EBS volumes per database (k)</text>`);
  };
  const legend = (panel: Panel, entries: Array<{ colour: string; label: string; dash?: string; band?: boolean }>, notes: string[] = []) => {
    entries.forEach((l, i) => {
      const ly = panel.top + 8 + i * 18;
      if (l.band) out.push(`<rect x="${W - RIGHT + 10}" y="${ly - 5}" width="20" height="10" fill="${l.colour}" fill-opacity="0.18"/>`);
      else out.push(`<line x1="${W - RIGHT + 10}" y1="${ly}" x2="${W - RIGHT + 30}" y2="${ly}" stroke="${l.colour}" stroke-width="2"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`);
      out.push(`<text x="${W - RIGHT + 34}" y="${ly + 4}">${escapeXml(l.label)}</text>`);
    });
    notes.forEach((t, i) => out.push(`<text x="${W - RIGHT + 10}" y="${panel.top + 14 + (entries.length + i) * 18}" fill="#555">${escapeXml(t)}</text>`));
  };
  /** A 95% interval as a bar with caps, wide enough to see. */
  const errorBar = (cx: number, y1: number, y2: number, colour: string) => {
    out.push(`<line class="interval" x1="${n(cx)}" y1="${n(y1)}" x2="${n(cx)}" y2="${n(y2)}" stroke="${colour}" stroke-width="1.5"/>`);
    for (const yy of [y1, y2]) out.push(`<line x1="${n(cx - 4)}" y1="${n(yy)}" x2="${n(cx + 4)}" y2="${n(yy)}" stroke="${colour}" stroke-width="1.5"/>`);
  };
  const series = [
    { key: 'independent', atMost: 'independentAtMost', colour: COLOURS.independent, label: 'independent', offset: -7 },
    { key: 'correlated', atMost: 'correlatedAtMost', colour: COLOURS.correlated, label: `shared node, rho ${params.rho}`, offset: 7 },
  ] as const;

  // Panel 1: fractions, 0 to 100%.
  {
    const panel = panels[0]!;
    const y = (f: number) => panel.top + (1 - f) * panel.height;
    frame(panel, Array.from({ length: 6 }, (_, i) => ({ at: y(i / 5), label: `${i * 20}%` })));
    for (const s of series) {
      // The band between 13% and 18% of volumes stuck.
      const upper = rows.map((r) => `${n(x(r.k))},${n(y(r[s.atMost]))}`);
      const lower = rows.map((r) => `${n(x(r.k))},${n(y(r[s.key].exact))}`).reverse();
      out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.colour}" fill-opacity="0.18" stroke="none"/>`);
      out.push(`<polyline points="${rows.map((r) => `${n(x(r.k))},${n(y(r[s.key].exact))}`).join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"/>`);
      for (const r of rows) {
        const e = r[s.key];
        // Beside the line, not on it, so the interval is not hidden under the curve.
        errorBar(x(r.k) + s.offset, y(e.low), y(e.high), s.colour);
        out.push(`<circle cx="${n(x(r.k) + s.offset)}" cy="${n(y(e.simulated))}" r="2.5" fill="white" stroke="${s.colour}"/>`);
      }
    }
    const reference = (f: number, colour: string) => out.push(`<line x1="${LEFT}" y1="${n(y(f))}" x2="${W - RIGHT}" y2="${n(y(f))}" stroke="${colour}" stroke-dasharray="6 4"/>`);
    reference(params.target, COLOURS.target);
    reference(params.p, COLOURS.volumes);
    legend(
      panel,
      [
        ...series.map((s) => ({ colour: s.colour, label: `${s.label}, ${pct(params.p)} stuck` })),
        ...series.map((s) => ({ colour: s.colour, label: `${s.label}, up to ${pct(params.pAtMost)}`, band: true })),
        { colour: COLOURS.target, label: `${pct(params.target)} of single-AZ (reported)`, dash: '6 4' },
        { colour: COLOURS.volumes, label: `${pct(params.p)} of volumes stuck`, dash: '6 4' },
      ],
      ['dots beside each k: simulated,', 'bars: Wilson 95% interval'],
    );
  }

  out.push('</g>');

  // Panel 2: simulated minus exact, in percentage points, symmetric around 0.
  {
    const panel = panels[1]!;
    const reach = Math.max(0.5, ...rows.flatMap((r) => series.map((s) => Math.max(Math.abs(r[s.key].high - r[s.key].exact), Math.abs(r[s.key].low - r[s.key].exact)) * 100)));
    const limit = Math.ceil(reach * 2) / 2;
    const y = (pp: number) => panel.top + ((limit - pp) / (2 * limit)) * panel.height;
    const steps = [-limit, -limit / 2, 0, limit / 2, limit];
    frame(panel, steps.map((v) => ({ at: y(v), label: `${v > 0 ? '+' : ''}${v.toFixed(2)} pp` })));
    out.push(`<line x1="${LEFT}" y1="${n(y(0))}" x2="${W - RIGHT}" y2="${n(y(0))}" stroke="black" stroke-dasharray="3 3"/>`);
    for (const s of series) {
      for (const r of rows) {
        const e = r[s.key];
        const cx = x(r.k) + s.offset;
        errorBar(cx, y((e.low - e.exact) * 100), y((e.high - e.exact) * 100), s.colour);
        out.push(`<circle cx="${n(cx)}" cy="${n(y((e.simulated - e.exact) * 100))}" r="2.5" fill="white" stroke="${s.colour}"/>`);
      }
    }
    legend(panel, series.map((s) => ({ colour: s.colour, label: s.label })), ['0: the closed form;', 'an interval crossing 0 agrees']);
  }

  out.push('</g>');

  // Panel 3: multi-AZ, log scale from 1% to 100%.
  {
    const panel = panels[2]!;
    // 100% at the top, 1% at the bottom.
    const y = (f: number) => panel.top + (Math.log10(Math.max(f, 0.01)) / -2) * panel.height;
    frame(panel, [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1].map((f) => ({ at: y(f), label: pct(f) })));
    params.shares.forEach((z, i) => {
      const colour = COLOURS.multi[i % COLOURS.multi.length]!;
      out.push(`<polyline class="multi-az" data-share="${z}" points="${rows.map((r) => `${n(x(r.k))},${n(y(r.multiAzMissed[i]!))}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
      for (const r of rows) out.push(`<circle cx="${n(x(r.k))}" cy="${n(y(r.multiAzMissed[i]!))}" r="2.5" fill="${colour}"/>`);
    });
    out.push(`<line x1="${LEFT}" y1="${n(y(params.failoverMiss))}" x2="${W - RIGHT}" y2="${n(y(params.failoverMiss))}" stroke="${COLOURS.target}" stroke-dasharray="6 4"/>`);
    legend(
      panel,
      [
        ...params.shares.map((z, i) => ({ colour: COLOURS.multi[i % COLOURS.multi.length]!, label: z === 1 ? 'z = 1 (the least)' : `z = 1/${Math.round(1 / z)}` })),
        { colour: COLOURS.target, label: `${pct(params.failoverMiss)}: of the whole region`, dash: '6 4' },
      ],
      ['z: share of the region\'s multi-AZ', 'primaries in the affected zone', '(not stated in the postmortem)', `line: ${pct(params.failoverMiss)} / (z × f(k))`],
    );
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
