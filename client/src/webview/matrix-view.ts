// The reachability matrix view: port, protocol and namespace controls, the table of allowed/denied cells,
// a cell's explanation in the side pane, and the Markdown export.

import { PreviewMethod } from '../../../server/src/protocol/preview';
import type { ExplainCellResult, Protocol, ReachMatrixResult } from '../../../server/src/protocol/preview';
import { escapeMarkdown, showHiddenCharacters } from '../../../server/src/protocol/escape';
import { el, icon, linkButton, selectField } from './dom';
import type { Preview } from './state';
import { fitToolbar } from './toolbar';

/** Ask for the matrix of the current scope, port and protocol, and draw it (unless a newer refresh began). */
export async function loadMatrix(p: Preview, gen: number): Promise<void> {
  const { state, shell } = p;
  const s = state.saved;
  const port: number | string = /^\d+$/.test(s.port) ? Number(s.port) : s.port;
  p.renderToolbar();
  renderMatrixControls(p);
  try {
    state.matrix = await p.rpc.request(PreviewMethod.reachMatrix, {
      scope: s.scope,
      ...(s.uri ? { uri: s.uri } : {}),
      port,
      protocol: s.protocol,
      ...(s.matrixNamespace ? { namespace: s.matrixNamespace } : {}),
    });
  } catch (e) {
    if (gen === state.generation) {
      shell.main.replaceChildren(el('p', { class: 'empty' }, (e as Error).message));
      shell.setStatus((e as Error).message, 'bad');
    }
    return;
  }
  if (gen !== state.generation) return;
  renderMatrixControls(p);
  renderMatrix(p);
}

function renderMatrixControls(p: Preview): void {
  const { state, shell } = p;
  const s = state.saved;
  for (const old of Array.from(document.querySelectorAll('[data-matrix-controls]'))) old.remove();
  const form = el('form', { class: 'matrix-controls', 'data-matrix-controls': '', 'data-overflow': '1' });
  const port = el('input', {
    id: 'port',
    type: 'text',
    'aria-label': 'Port (number or name)',
    size: '8',
    spellcheck: 'false',
  });
  port.value = s.port;
  const proto = el('select', { id: 'protocol', 'aria-label': 'Protocol' });
  for (const pr of ['TCP', 'UDP', 'SCTP']) proto.append(el('option', { value: pr }, pr));
  proto.value = s.protocol;
  form.append(
    el('label', { class: 'field' }, el('span', {}, 'Port'), port),
    el('label', { class: 'field' }, el('span', {}, 'Protocol'), proto),
  );
  const namespace = selectField(
    'matrix-namespace',
    'Namespace',
    state.matrix?.namespaces ?? [],
    s.matrixNamespace,
    'all',
    (v) => {
      s.matrixNamespace = v;
      p.save();
      p.refresh();
    },
  );
  namespace.dataset.matrixControls = '';
  namespace.dataset.overflow = '8';
  const apply = el('button', { type: 'submit', id: 'apply-port' }, 'Apply');
  const md = el(
    'button',
    { type: 'button', id: 'export-md', title: 'Save the matrix as a Markdown table' },
    icon('export'),
    'Export Markdown',
  );
  md.addEventListener('click', () =>
    p.rpc.post({ type: 'export', format: 'markdown', content: matrixMarkdown(state.matrix) }),
  );
  form.append(apply);
  const submit = () => {
    s.port = port.value.trim();
    s.protocol = proto.value as Protocol;
    p.save();
    p.refresh();
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit();
  });
  proto.addEventListener('change', submit);
  shell.toolbar.append(
    form,
    namespace,
    el('span', { class: 'group', 'data-matrix-controls': '', 'data-overflow': '6' }, md),
  );
  fitToolbar(shell);
}

function renderMatrix(p: Preview): void {
  const { state, shell } = p;
  const m = state.matrix!;
  const table = el('table', { class: 'matrix', id: 'matrix' });
  table.append(
    el(
      'caption',
      {},
      `May the row reach the column on ${m.port}/${m.protocol}? Click a cell for the policies and rules that decide it.${m.hairpin?.some((s) => s !== null) ? ' On the diagonal: a pod reaching itself through its own Service (service hairpin).' : ''}`,
    ),
  );
  const head = el('tr', {}, el('th', { scope: 'col' }, 'from \\ to'));
  for (const w of m.workloads)
    head.append(el('th', { scope: 'col' }, linkButton(w.name, w.location, p.reveal)));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  m.workloads.forEach((from, i) => {
    const tr = el('tr', {}, el('th', { scope: 'row' }, linkButton(from.name, from.location, p.reveal)));
    m.workloads.forEach((to, j) => {
      const v = m.allowed[i]?.[j];
      if (v === null || v === undefined) {
        tr.append(el('td', { class: 'self' }, '—'));
        return;
      }
      const tier = m.tiers?.[i]?.[j] ?? undefined;
      const verdict = (v ? 'allowed' : 'denied') + (tier ? ` (decided in tier ${tier})` : '');
      // the diagonal: through the row's own Service (service hairpin)
      const service = i === j ? (m.hairpin?.[i] ?? undefined) : undefined;
      const target = service !== undefined ? `itself through Service ${service} (service hairpin)` : to.name;
      const b = el(
        'button',
        {
          type: 'button',
          class: `cell ${v ? 'allow' : 'deny'}${service !== undefined ? ' hairpin' : ''}`,
          'data-from': from.name,
          'data-to': to.name,
          ...(service !== undefined ? { 'data-service': service } : {}),
          ...(tier ? { 'data-tier': tier } : {}),
          'aria-label': `${from.name} to ${target}: ${verdict}`,
          title: `${from.name} → ${target}: ${verdict}`,
        },
        icon(v ? 'check' : 'close'),
      );
      if (service !== undefined) b.append(el('span', { class: 'tier-badge', 'aria-hidden': 'true' }, '↻'));
      // the deciding tier as a badge when it is not the plain NetworkPolicy answer
      if (tier && tier !== 'NetworkPolicy' && tier !== 'Default')
        b.append(
          el(
            'span',
            { class: 'tier-badge', 'aria-hidden': 'true' },
            tier.startsWith('calico:') ? 'C' : tier[0],
          ),
        );
      b.addEventListener('click', () => void explain(p, from.name, to.name, b, service));
      tr.append(el('td', {}, b));
    });
    body.append(tr);
  });
  table.append(body);
  const wrap = el('div', { class: 'matrix-wrap' }, table);
  shell.main.replaceChildren(wrap, shell.details);
  shell.detailsBody.replaceChildren(
    el('p', { class: 'hint' }, 'Click a cell (or Tab to it and press Enter) to see why.'),
  );
  if (!m.workloads.length) wrap.append(el('p', { class: 'empty' }, 'No Pods or workloads in scope.'));
  document.body.dataset.rendered = String(state.generation);
  const cells = m.allowed.flat();
  shell.setStatus(
    `${m.workloads.length} workloads, port ${m.port}/${m.protocol}: ${cells.filter((x) => x === true).length} allowed, ${cells.filter((x) => x === false).length} denied.`,
  );
}

/** Show why `from` may or may not reach `to`: the reasons, and every policy that isolates either side. */
async function explain(
  p: Preview,
  from: string,
  to: string,
  cell: HTMLElement,
  service?: string,
): Promise<void> {
  for (const x of Array.from(document.querySelectorAll('button.cell.selected')))
    x.classList.remove('selected');
  cell.classList.add('selected');
  const m = p.state.matrix!;
  let r: ExplainCellResult;
  try {
    r = await p.rpc.request(PreviewMethod.explainCell, {
      from,
      to,
      port: m.port,
      protocol: m.protocol,
      ...(service !== undefined ? { service } : {}),
    });
  } catch (e) {
    p.shell.setStatus((e as Error).message, 'bad');
    return;
  }
  const sec = el('section', { id: 'explanation', class: r.allowed ? 'ok' : 'bad' });
  sec.append(
    el(
      'h2',
      {},
      icon(r.allowed ? 'pass' : 'error'),
      `${r.from} → ${r.service !== undefined && r.from === r.to ? `itself through Service ${r.service}` : r.to}: ${r.allowed ? 'allowed' : 'denied'}`,
    ),
    el('p', {}, `port ${r.port}/${r.protocol}${r.tier ? ` · decided in tier ${r.tier}` : ''}`),
  );
  if (r.error) sec.append(el('p', { class: 'problem error' }, r.error));
  const ul = el('ul', { class: 'reasons' });
  for (const reason of r.reasons) {
    const li = el(
      'li',
      { class: `reason ${reason.side}` },
      el('strong', {}, `${reason.side}: `),
      reason.message,
    );
    if (reason.location)
      li.append(
        ' ',
        linkButton(
          reason.rule ? `${reason.policy} ${reason.rule}` : (reason.policy ?? 'show'),
          reason.location,
          p.reveal,
        ),
      );
    if (reason.details.length) {
      const dl = el('ul');
      for (const d of reason.details) dl.append(el('li', {}, d));
      li.append(dl);
    }
    ul.append(li);
  }
  sec.append(ul);
  if (r.chain?.length) {
    const cl = el('ol', { class: 'chain', 'aria-label': 'Policies consulted' });
    for (const c of r.chain) cl.append(el('li', {}, c));
    sec.append(el('h3', {}, icon('list-ordered'), 'Consulted, in order'), cl);
  }
  if (r.policies.length) {
    const pl = el('ul', { class: 'policies', 'aria-label': 'Policies' });
    for (const pol of r.policies)
      pl.append(el('li', {}, linkButton(`${pol.name} (${pol.side})`, pol.location, p.reveal)));
    sec.append(el('h3', {}, icon('shield'), 'Policies'), pl);
  }
  p.shell.detailsBody.replaceChildren(sec);
}

/** The matrix as a Markdown table: hidden characters in names as their marks (⟨U+202E⟩), then escaped as
 * Markdown (never a link, an image, HTML or an extra column; shared with the CLI). */
export function matrixMarkdown(m: ReachMatrixResult | undefined): string {
  if (!m) return '';
  const esc = (s: string) => escapeMarkdown(showHiddenCharacters(s));
  const lines = [
    `Reachability on ${m.port}/${m.protocol}${m.namespace ? ` in namespace ${esc(m.namespace)}` : ''} (row → column):`,
    '',
  ];
  lines.push(`| from \\ to | ${m.workloads.map((w) => esc(w.name)).join(' | ')} |`);
  lines.push(`|---|${m.workloads.map(() => ':-:').join('|')}|`);
  m.workloads.forEach((w, i) =>
    lines.push(
      `| ${esc(w.name)} | ${m.workloads.map((_, j) => (m.allowed[i][j] === null ? '—' : (m.allowed[i][j] ? '✅ allow' : '❌ deny') + (i === j ? ' (hairpin)' : ''))).join(' | ')} |`,
    ),
  );
  return lines.join('\n') + '\n';
}
