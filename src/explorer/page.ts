/**
 * The explorer's one page: plain HTML, CSS and a script, no external assets
 * (it must work offline, on localhost). All it knows comes from the JSON API;
 * the URL holds the whole walk (model, variant, config, init, path), so a
 * copied URL reopens the same state. Text goes in through textContent only.
 */
export const EXPLORER_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>outage-checker explorer</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
  header { padding: 8px 12px; background: #f3f3f3; border-bottom: 1px solid #ddd; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0 12px 0 0; }
  main { display: grid; grid-template-columns: minmax(220px, 1fr) minmax(320px, 2fr) minmax(260px, 1.3fr); gap: 12px; padding: 12px; }
  section { border: 1px solid #e2e2e2; border-radius: 6px; padding: 8px 10px; overflow: auto; }
  h2 { font-size: 14px; margin: 4px 0 8px; }
  ol, ul { margin: 0; padding-left: 22px; }
  li { margin: 2px 0; }
  button.action { display: block; width: 100%; text-align: left; margin: 3px 0; padding: 4px 6px; border: 1px solid #c8c8c8; border-radius: 4px; background: #fff; cursor: pointer; }
  button.action.fault { border-color: #e0a0a0; background: #fff6f6; }
  button.action:hover { background: #eef4ff; }
  .step { cursor: pointer; }
  .step:hover { text-decoration: underline; }
  table { border-collapse: collapse; width: 100%; }
  td, th { border: 1px solid #e6e6e6; padding: 2px 6px; vertical-align: top; text-align: left; }
  .broken { color: #b00020; font-weight: 600; }
  .changed { background: #fff3c4; }
  .ok { color: #26734d; }
  .muted { color: #777; }
  #error { color: #b00020; padding: 0 12px; white-space: pre-wrap; }
  #diagram td { font-size: 12px; }
  #diagram td.acts { background: #eef4ff; }
  #diagram td.sends { background: #f7f7f7; }
</style>
</head>
<body>
<header>
  <h1>outage-checker explorer</h1>
  <label>model <select id="model"></select></label>
  <label>variant <select id="variant"></select></label>
  <label>config <select id="config"></select></label>
  <label id="init-label" hidden>initial state <select id="init"></select></label>
  <button id="back" type="button">◀ step back</button>
  <button id="restart" type="button">⟲ initial state</button>
  <label>filter fields <input id="filter" placeholder="e.g. epoch"></label>
  <label><input id="hide-constant" type="checkbox"> hide fields constant along the path</label>
</header>
<div id="error" role="alert"></div>
<main>
  <section><h2>Steps</h2><ol id="steps"></ol><h2>Recorded counterexamples</h2><ul id="recorded"></ul></section>
  <section><h2>State after step <span id="depth">0</span></h2><div id="state"></div></section>
  <section><h2>Enabled actions</h2><div id="enabled"></div><h2>Properties here</h2><ul id="properties"></ul></section>
</main>
<section style="margin: 0 12px 12px"><h2>Sequence (one lane per process)</h2><table id="diagram"></table></section>
<script>
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  let catalog = [];
  let current = null;

  function walkFromUrl() {
    const q = new URLSearchParams(location.search);
    const model = catalog.find((m) => m.name === q.get('model')) || catalog[0];
    const variant = model.variants.find((v) => v.name === q.get('variant')) || model.variants[0];
    const config = model.configs.includes(q.get('config')) ? q.get('config') : variant.defaultConfig;
    const path = q.get('path') ? q.get('path').split('.').map(Number) : [];
    return { model: model.name, variant: variant.name, config, init: Number(q.get('init') || 0), path };
  }
  function urlOf(w) {
    const q = new URLSearchParams({ model: w.model, variant: w.variant, config: w.config });
    if (w.init) q.set('init', String(w.init));
    if (w.path.length) q.set('path', w.path.join('.'));
    return '?' + q.toString();
  }
  function go(w) { history.pushState(null, '', urlOf(w)); load(); }

  function fillSelect(select, options, value) {
    select.replaceChildren(...options.map(([v, label]) => { const o = el('option', label); o.value = v; o.selected = v === value; return o; }));
  }

  async function load() {
    const w = walkFromUrl();
    const model = catalog.find((m) => m.name === w.model);
    fillSelect($('model'), catalog.map((m) => [m.name, m.name]), w.model);
    fillSelect($('variant'), model.variants.map((v) => [v.name, v.name + ' (' + v.kind + ')']), w.variant);
    fillSelect($('config'), model.configs.map((c) => [c, c]), w.config);
    const response = await fetch('/api/page' + urlOf(w));
    const page = await response.json();
    if (!response.ok) { $('error').textContent = page.error; return; }
    $('error').textContent = '';
    current = page;
    render(page);
    loadRecorded(w.model);
  }

  function render(page) {
    $('depth').textContent = String(page.steps.length);
    $('init-label').hidden = page.initialStates < 2;
    fillSelect($('init'), page.initialLabels.map((label, i) => [String(i), label]), String(page.walk.init));
    $('steps').replaceChildren(...page.steps.map((s, i) => {
      const li = el('li', s.description, 'step');
      li.title = 'go back to the state after this step';
      li.addEventListener('click', () => go({ ...page.walk, path: page.walk.path.slice(0, i + 1) }));
      return li;
    }));
    const filter = $('filter').value.trim().toLowerCase();
    const table = el('table');
    const head = el('tr'); ['process', 'state', 'fields'].forEach((h) => head.append(el('th', h))); table.append(head);
    for (const p of page.processes) {
      const tr = el('tr');
      tr.dataset.process = p.name;
      tr.append(el('td', p.name), el('td', p.state, (p.crashed ? 'broken' : '') + (p.changed.includes('state') ? ' changed' : '')));
      const fields = el('td');
      const hideConstant = $('hide-constant').checked;
      for (const [k, v] of Object.entries(p.context)) {
        if (filter && !k.toLowerCase().includes(filter)) continue;
        if (hideConstant && p.constant.includes(k)) continue;
        const field = el('div', k + ': ' + v, p.changed.includes(k) ? 'changed' : undefined);
        field.dataset.field = k;
        fields.append(field);
      }
      tr.append(fields);
      table.append(tr);
    }
    const extra = el('div');
    extra.append(el('h2', 'Messages in flight'));
    const msgs = el('ul'); msgs.id = 'messages';
    if (page.messages.length === 0) msgs.append(el('li', 'none', 'muted'));
    for (const m of page.messages) msgs.append(el('li', m.from + ' → ' + m.to + ': ' + m.message));
    extra.append(msgs);
    extra.append(el('p', 'partitions in force: ' + (page.partitions.join(', ') || 'none')));
    extra.append(el('p', 'budgets left: ' + (Object.entries(page.budgets).map(([k, v]) => k + ' ' + v).join(', ') || 'none'), 'muted'));
    $('state').replaceChildren(table, extra);
    $('enabled').replaceChildren(...(page.enabled.length ? page.enabled.map((a) => {
      const b = el('button', a.index + ': ' + a.description, 'action' + (a.fair ? '' : ' fault'));
      b.type = 'button';
      b.dataset.index = String(a.index);
      b.addEventListener('click', () => go({ ...page.walk, path: [...page.walk.path, a.index] }));
      return b;
    }) : [el('p', 'nothing is enabled: the world stays here forever', 'muted')]));
    $('properties').replaceChildren(...page.properties.map((p) => {
      const li = el('li', p.name + ': ' + p.status + (p.message ? ' — ' + p.message : ''), p.status === 'broken here' ? 'broken' : p.status === 'holds here' ? 'ok' : 'muted');
      li.dataset.property = p.name;
      li.dataset.status = p.status;
      if (p.status === 'holds here' || p.status === 'not reached here') {
        const b = el('button', p.kind === 'sometimes' ? 'shortest walk to it' : 'shortest walk to a violation', 'find');
        b.type = 'button';
        b.dataset.find = p.name;
        b.addEventListener('click', async () => {
          const response = await fetch('/api/shortest' + urlOf({ ...page.walk, path: [] }) + '&property=' + encodeURIComponent(p.name));
          const found = await response.json();
          if (!response.ok) { $('error').textContent = found.error; return; }
          if (found.missing) { $('error').textContent = found.missing; return; }
          go(found);
        });
        li.append(' ', b);
      }
      return li;
    }));
    renderDiagram(page);
  }

  function renderDiagram(page) {
    const head = el('tr'); head.append(el('th', '#')); page.processNames.forEach((n) => head.append(el('th', n)));
    const rows = page.steps.map((s, i) => {
      const tr = el('tr'); tr.append(el('td', String(i + 1)));
      for (const n of page.processNames) {
        if (n === s.process) tr.append(el('td', s.description, 'acts'));
        else if (n === s.from) tr.append(el('td', '→ ' + s.process, 'sends'));
        else tr.append(el('td', ''));
      }
      if (!page.processNames.includes(s.process)) tr.firstChild.textContent += ' ' + s.description;
      return tr;
    });
    $('diagram').replaceChildren(head, ...rows);
  }

  async function loadRecorded(model) {
    const list = $('recorded');
    const response = await fetch('/api/recorded?model=' + encodeURIComponent(model));
    const recorded = await response.json();
    if (!response.ok) { list.replaceChildren(el('li', recorded.error, 'broken')); return; }
    list.replaceChildren(...(recorded.length ? recorded.map((r) => {
      const li = el('li');
      if (!r.path) { li.append(el('span', r.file + ': ' + r.error, 'muted')); return li; }
      const a = el('a', r.variant + ' — ' + r.property + ' (' + r.config + ', ' + r.path.length + ' steps)');
      a.href = urlOf({ model, variant: r.variant, config: r.config, init: r.init, path: r.path });
      a.dataset.file = r.file;
      a.addEventListener('click', (e) => { e.preventDefault(); go({ model, variant: r.variant, config: r.config, init: r.init, path: r.path }); });
      li.append(a);
      return li;
    }) : [el('li', 'none recorded', 'muted')]));
  }

  $('model').addEventListener('change', () => { const m = catalog.find((x) => x.name === $('model').value); go({ model: m.name, variant: m.variants[0].name, config: m.variants[0].defaultConfig, init: 0, path: [] }); });
  $('variant').addEventListener('change', () => { const w = walkFromUrl(); go({ ...w, variant: $('variant').value, path: [] }); });
  $('config').addEventListener('change', () => { const w = walkFromUrl(); go({ ...w, config: $('config').value, init: 0, path: [] }); });
  $('init').addEventListener('change', () => { const w = walkFromUrl(); go({ ...w, init: Number($('init').value), path: [] }); });
  $('back').addEventListener('click', () => { const w = walkFromUrl(); if (w.path.length) go({ ...w, path: w.path.slice(0, -1) }); });
  $('restart').addEventListener('click', () => { const w = walkFromUrl(); go({ ...w, path: [] }); });
  $('filter').addEventListener('input', () => current && render(current));
  $('hide-constant').addEventListener('change', () => current && render(current));
  window.addEventListener('popstate', load);

  fetch('/api/catalog').then((r) => r.json()).then((c) => { catalog = c; return load(); }).catch((e) => { $('error').textContent = String(e); });
})();
</script>
</body>
</html>
`;
