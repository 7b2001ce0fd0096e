// The side pane of the route graph: the URL test's verdict, the selected node's details and problems, or
// the legend when nothing is selected.

import type { GraphNode } from '../../../server/src/protocol/preview';
import { el, icon, linkButton, problemList } from './dom';
import type { Preview } from './state';

/** The codicon of each node kind, used in the details pane and the legend. */
const KIND_ICON: Record<GraphNode['kind'], string> = {
  host: 'globe',
  entry: 'radio-tower',
  path: 'link',
  default: 'link',
  gateway: 'cloud',
  listener: 'plug',
  rule: 'list-filter',
  service: 'server',
  missing: 'error',
  workload: 'package',
};

/** What the shapes and colours of the graph mean. */
function legend(): HTMLElement {
  // a <details>: open beside a wide graph, closed (one line) when the details sit under a narrow one
  const sec = el('details', { class: 'legend', id: 'legend' }, el('summary', {}, el('h2', {}, 'Legend')));
  sec.open = !matchMedia('(max-width: 899px)').matches;
  const ul = el('ul');
  const kinds: [GraphNode['kind'], string][] = [
    ['host', 'Host (entry point of an Ingress)'],
    ['entry', 'NodePort, LoadBalancer or externalIPs Service'],
    ['path', 'Path with its pathType, or default backend'],
    ['gateway', 'Gateway (Gateway API)'],
    ['listener', 'Listener: protocol, port, hostname, attached routes'],
    ['rule', 'Route rule: its matches and route'],
    ['service', 'Service and port'],
    ['workload', 'Workload with replicas and container ports'],
    ['missing', 'Referenced but not defined'],
  ];
  for (const [kind, text] of kinds)
    ul.append(
      el(
        'li',
        { class: `kind-${kind}` },
        el('span', { class: 'swatch', 'aria-hidden': 'true' }),
        icon(KIND_ICON[kind]),
        text,
      ),
    );
  ul.append(
    el(
      'li',
      { class: 'refused' },
      el('span', { class: 'swatch', 'aria-hidden': 'true' }),
      'A refused attachment (hover it for the reason)',
    ),
    el('li', { class: 'tls secure' }, icon('lock'), 'TLS covers the host'),
    el(
      'li',
      { class: 'tls warning' },
      icon('warning'),
      'TLS Secret missing, wrong type, or a certificate finding',
    ),
    el(
      'li',
      { class: 'problem error' },
      el('span', { class: 'sev' }, icon('error')),
      'A problem from the language server (hover the node)',
    ),
    el(
      'li',
      { class: 'marks' },
      el('span', { class: 'char-mark' }, '⟨U+202E⟩'),
      'An invisible or direction-changing character in a name, shown by its code',
    ),
  );
  sec.append(ul);
  return sec;
}

function urlResultBox(p: Preview): HTMLElement | undefined {
  const r = p.state.urlResult;
  if (!r) return undefined;
  const reveal = p.reveal;
  const box = el('section', { class: `url-result ${r.matched ? 'ok' : 'bad'}`, id: 'url-result' });
  const kind =
    r.gateway !== undefined
      ? r.matched
        ? `HTTP ${r.status ?? 200}`
        : 'No match (404)'
      : r.matchKind === 'exact'
        ? 'Exact match'
        : r.matchKind === 'prefix'
          ? 'Longest Prefix match'
          : r.matchKind === 'regex'
            ? 'Regular expression match'
            : r.matchKind === 'default-backend'
              ? 'Default backend'
              : 'No match';
  box.append(
    el('h2', {}, icon(r.matched ? 'pass' : 'error'), kind),
    el('p', { id: 'url-summary' }, r.summary),
  );
  if (r.location) box.append(linkButton('Show the matching rule', r.location, reveal));
  if (r.gateway !== undefined && r.route) {
    const steps = el('ul', { id: 'url-steps' });
    steps.append(
      el('li', {}, `Gateway ${r.gateway}, listener ${r.listener ?? '?'}`),
      el('li', {}, `${r.route} rule ${r.rule ?? 0}`),
    );
    for (const f of r.filters ?? []) steps.append(el('li', { class: 'filter' }, f));
    for (const b of r.backends ?? [])
      steps.append(
        el(
          'li',
          { class: b.invalid ? 'problem error' : '' },
          `${b.namespace}/${b.service}${b.port !== null ? `:${b.port}` : ''} weight ${b.weight}${b.invalid ? `: ${b.reason ?? 'invalid'}` : ''}`,
        ),
      );
    box.append(steps);
  }
  if (r.nearest)
    box.append(
      el(
        'p',
        {},
        'Nearest rule: ',
        linkButton(
          `${r.nearest.host ?? '(any host)'} ${r.nearest.pathType ?? ''} ${r.nearest.path ?? ''}`.trim(),
          r.nearest.location,
          reveal,
        ),
      ),
    );
  if (r.problems.length) box.append(problemList(r.problems, reveal));
  for (const note of r.notes) box.append(el('p', { class: 'note' }, note));
  return box;
}

export function renderDetails(p: Preview): void {
  const { state, shell } = p;
  const details = shell.detailsBody;
  details.replaceChildren();
  const box = urlResultBox(p);
  if (box) details.append(box);
  const n = state.graph?.nodes.find((x) => x.id === state.saved.selected);
  if (!n) {
    if (!box)
      details.append(
        el('p', { class: 'hint' }, 'Select a node (click, or Tab and Enter) to see its details.'),
      );
    details.append(legend());
    return;
  }
  const sec = el('section', { id: 'node-details' });
  sec.append(el('h2', {}, icon(KIND_ICON[n.kind] ?? 'circle'), n.label), el('p', { class: 'kind' }, n.kind));
  const ul = el('ul');
  for (const d of n.details) ul.append(el('li', {}, d));
  sec.append(ul);
  if (n.tls)
    sec.append(
      el(
        'p',
        { class: `tls ${n.tls.state}` },
        icon(n.tls.state === 'secure' ? 'lock' : 'warning'),
        `TLS: ${n.tls.message}`,
      ),
    );
  if (n.location) sec.append(linkButton('Show in the editor', n.location, p.reveal));
  if (n.problems.length) sec.append(problemList(n.problems, p.reveal));
  const edgeProblems = (state.graph?.edges ?? []).filter(
    (e) => (e.from === n.id || e.to === n.id) && e.problems.length,
  );
  for (const e of edgeProblems)
    sec.append(
      el('h3', {}, `${e.from === n.id ? '→' : '←'} ${e.refused ? 'refused' : (e.label ?? '')}`),
      problemList(e.problems, p.reveal),
    );
  const filtered = (state.graph?.edges ?? []).filter((e) => e.from === n.id && e.filters?.length);
  for (const e of filtered)
    sec.append(
      el('h3', {}, `→ filters`),
      el('ul', { class: 'filters' }, ...e.filters!.map((f) => el('li', {}, f))),
    );
  details.append(sec);
}
