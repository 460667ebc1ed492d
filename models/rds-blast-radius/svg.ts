import type { BlastRadiusRow } from './report.js';

/** Hand-written SVG: fraction of single-AZ databases impaired against volumes per database. */
export function blastRadiusSvg(rows: BlastRadiusRow[], params: { p: number; rho: number; target: number; failoverMiss: number }): string {
  const W = 720;
  const H = 400;
  const left = 60;
  const right = 215;
  const top = 30;
  const bottom = 50;
  const kMax = rows[rows.length - 1]!.k;
  const x = (k: number) => left + ((k - 1) / (kMax - 1)) * (W - left - right);
  const y = (f: number) => top + (1 - f) * (H - top - bottom);
  const n = (v: number) => v.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${left}" y="18" font-size="14" font-weight="bold">Single-AZ RDS databases impaired when ${Math.round(params.p * 100)}% of the zone's volumes are stuck</text>`);
  // Grid and axes.
  for (let f = 0; f <= 1.0001; f += 0.1) {
    out.push(`<line x1="${left}" y1="${n(y(f))}" x2="${W - right}" y2="${n(y(f))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${left - 6}" y="${n(y(f) + 4)}" text-anchor="end">${Math.round(f * 100)}%</text>`);
  }
  for (const r of rows) out.push(`<text x="${n(x(r.k))}" y="${H - bottom + 16}" text-anchor="middle">${r.k}</text>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="black"/>`);
  out.push(`<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="black"/>`);
  out.push(`<text x="${(left + W - right) / 2}" y="${H - 12}" text-anchor="middle">EBS volumes per database (k)</text>`);
  // Reference lines: the postmortem's two figures.
  const reference = (f: number, colour: string, label: string) => {
    out.push(`<line x1="${left}" y1="${n(y(f))}" x2="${W - right}" y2="${n(y(f))}" stroke="${colour}" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${W - right + 6}" y="${n(y(f) + 4)}" fill="${colour}">${label}</text>`);
  };
  reference(params.target, '#c0392b', `${Math.round(params.target * 100)}% of instances (reported)`);
  reference(params.p, '#7f8c8d', `${Math.round(params.p * 100)}% of volumes stuck`);
  // Series: closed form as a line, simulation as points with 95% intervals.
  const series: Array<{ key: 'independent' | 'correlated'; colour: string; label: string }> = [
    { key: 'independent', colour: '#2471a3', label: 'independent' },
    { key: 'correlated', colour: '#d68910', label: `shared node, rho ${params.rho}` },
  ];
  for (const s of series) {
    const points = rows.map((r) => `${n(x(r.k))},${n(y(r[s.key].exact))}`).join(' ');
    out.push(`<polyline points="${points}" fill="none" stroke="${s.colour}" stroke-width="2"/>`);
    for (const r of rows) {
      const c = r[s.key];
      out.push(`<line x1="${n(x(r.k))}" y1="${n(y(c.low))}" x2="${n(x(r.k))}" y2="${n(y(c.high))}" stroke="${s.colour}" stroke-width="3"/>`);
      out.push(`<circle cx="${n(x(r.k))}" cy="${n(y(c.simulated))}" r="3" fill="white" stroke="${s.colour}"/>`);
    }
  }
  const multi = rows.map((r) => `${n(x(r.k))},${n(y(r.multiAz))}`).join(' ');
  out.push(`<polyline points="${multi}" fill="none" stroke="#1e8449" stroke-width="2" stroke-dasharray="2 3"/>`);
  // Legend.
  const legend = [
    ...series.map((s) => ({ colour: s.colour, label: s.label, dash: '' })),
    { colour: '#1e8449', label: `multi-AZ, ${params.failoverMiss * 100}% no failover`, dash: ' stroke-dasharray="2 3"' },
  ];
  legend.forEach((l, i) => {
    const ly = top + 10 + i * 18;
    out.push(`<line x1="${W - right + 6}" y1="${ly}" x2="${W - right + 26}" y2="${ly}" stroke="${l.colour}" stroke-width="2"${l.dash}/>`);
    out.push(`<text x="${W - right + 30}" y="${ly + 4}">${l.label}</text>`);
  });
  out.push(`<text x="${W - right + 6}" y="${top + 10 + legend.length * 18 + 6}" fill="#555">lines: exact; dots: simulated,</text>`);
  out.push(`<text x="${W - right + 6}" y="${top + 10 + legend.length * 18 + 20}" fill="#555">bars: Wilson 95% interval</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
