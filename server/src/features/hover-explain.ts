// Plain-language hovers over whole resources:
// - a NetworkPolicy (on its kind, metadata.name or the `spec` key): which pods it applies to (naming
//   the workloads), what it isolates (with the policyTypes Kubernetes infers when omitted), what it
//   allows and on which ports, and what it therefore denies;
// - a NetworkPolicy peer (`from`/`to` item): whether its selectors combine with AND (one item) or
//   OR (separate items);
// - an Ingress (on its kind, metadata.name or `spec`): for each host and path, which Service, port and
//   pods it reaches;
// - a Service (the same places): the Ingresses routing to it, the workloads it selects, where each port
//   lands, and the NetworkPolicies selecting its pods;
// - a workload (the same places): the Services in front of it, the Ingresses reaching it, the
//   NetworkPolicies selecting its pods.
// The words are built from the engine's plain values; field documentation is kept by the caller.

import { escapeMarkdown, printable } from '../protocol/escape';
import type { ParsedDocument } from '../syntax/parse';
import type { ResourceIndex } from '../workspace/index';
import type { Resource } from '../model/resource';
import { relations } from '../model/relations';
import type { Relations } from '../model/relations';
import { ingressInfo, policyInfo, serviceInfo, workloadInfo } from '../model/cluster';
import { WORKLOAD_KINDS } from '../model/resource';
import type {
  BackendInfo,
  Cluster,
  IngressInfo,
  PolicyInfo,
  PolicyPeerInfo,
  PolicyRuleInfo,
  ServiceInfo,
  WorkloadInfo,
} from '../engine/types';
import type { LabelSelector } from '../engine/selector';
import {
  isEmptySelector,
  namespacesMatching,
  peerWorkloads,
  policyWorkloads,
  portText,
  resolveTargetPort,
  ruleAllowsAnyPeer,
  ruleAllowsAnyPort,
  selectorText,
} from '../engine/policy-match';
import type { HoverResult } from './hover';
import { asMap } from '../syntax/ast';
import { inside, pairIn, plural, resourceAt } from './resource-refs';
import { peerAt } from './references';
import { isTierHoverResource, tierPolicyMarkdown } from './hover-tiers';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

const MAX_LISTED = 8;

/** A manifest string as inline code: no backtick can close the span, control and bidi characters are
 * shown as escapes. */
function code(s: string): string {
  return '`' + printable(s.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')) + '`';
}

/** A manifest string in plain Markdown text: it can never become a link, an image or HTML. */
const text = escapeMarkdown;

function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listText(items: string[]): string {
  if (items.length <= MAX_LISTED) return items.join(', ');
  return `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
}

function workloadName(w: WorkloadInfo, namespace: string): string {
  return `${w.id.kind} ${text(w.id.name)}${w.id.namespace !== namespace ? ` (namespace ${text(w.id.namespace)})` : ''}`;
}

// ---------------------------------------------------------------------------------------------------
// NetworkPolicy words

function podsWords(sel: LabelSelector | undefined): string {
  return isEmptySelector(sel) ? 'every pod' : `pods labelled ${code(selectorText(sel))}`;
}

function namespacesWords(sel: LabelSelector | undefined): string {
  return isEmptySelector(sel) ? 'every namespace' : `namespaces labelled ${code(selectorText(sel))}`;
}

/** A peer in words, e.g. "pods labelled `app=web` in namespaces labelled `team=shop`". */
export function peerWords(peer: PolicyPeerInfo, namespace: string): string {
  if (peer.ipBlock) {
    const except = peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.map(code).join(', ')}` : '';
    return `IP addresses in ${code(peer.ipBlock.cidr || '(no cidr)')}${except}`;
  }
  if (peer.namespaceSelector && peer.podSelector)
    return `${podsWords(peer.podSelector)} in ${namespacesWords(peer.namespaceSelector)}`;
  if (peer.namespaceSelector) return `every pod in ${namespacesWords(peer.namespaceSelector)}`;
  if (peer.podSelector) return `${podsWords(peer.podSelector)} in this policy's namespace ${code(namespace)}`;
  return 'nothing (a peer needs a podSelector, a namespaceSelector or an ipBlock)';
}

/** What a peer matches in the workspace: " (Deployment web; namespaces: shop)". */
function peerMatchText(cluster: Cluster, peer: PolicyPeerInfo, namespace: string): string {
  const workloads = peerWorkloads(cluster, namespace, peer);
  if (!workloads) return '';
  const parts: string[] = [];
  if (peer.namespaceSelector && !isEmptySelector(peer.namespaceSelector)) {
    const names = namespacesMatching(cluster, peer.namespaceSelector).map((n) => n.name);
    parts.push(
      names.length ? `namespaces: ${listText(names)}` : 'no namespace of the workspace has these labels',
    );
  }
  parts.push(
    workloads.length
      ? `workloads: ${listText(workloads.map((w) => workloadName(w, namespace)))}`
      : 'no workload of the workspace matches',
  );
  return ` (${parts.join('; ')})`;
}

function portsWords(rule: PolicyRuleInfo): string {
  return ruleAllowsAnyPort(rule)
    ? 'on every port'
    : `on ${rule.ports!.map((p) => text(portText(p))).join(', ')}`;
}

function directionSection(cluster: Cluster, info: PolicyInfo, direction: 'ingress' | 'egress'): string[] {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const traffic = direction === 'ingress' ? 'Incoming traffic' : 'Outgoing traffic';
  const traffics = direction === 'ingress' ? 'incoming' : 'outgoing';
  const fromTo = direction === 'ingress' ? 'from' : 'to';
  const ns = info.id.namespace;
  if (!info.policyTypes.includes(type)) {
    const ignored = info[direction].length
      ? ` Its ${plural(info[direction].length, `${direction} rule`)} therefore ${info[direction].length === 1 ? 'has' : 'have'} no effect.`
      : '';
    return [
      `**${traffic} (${direction})** is not restricted by this policy: its policyTypes do not include ${type}.${ignored}`,
    ];
  }
  const rules = info[direction];
  if (rules.length === 0) {
    const dns = direction === 'egress' ? ', DNS lookups included' : '';
    return [
      `**${traffic}: all denied.** The policy isolates these pods for ${direction} and has no ${direction} rule, so no ${traffics} connection is allowed${dns} (a default deny), unless another policy selecting the pods allows it.`,
    ];
  }
  const lines = [`**${traffic} allowed** (matching any one rule is enough):`];
  rules.forEach((rule, i) => {
    const peers = ruleAllowsAnyPeer(rule)
      ? `${fromTo} anywhere (every pod, every namespace, every address)`
      : `${fromTo} ${(rule.peers ?? []).map((p) => peerWords(p, ns) + peerMatchText(cluster, p, ns)).join(', **or** ')}`;
    lines.push(`- rule ${i + 1}: ${peers}, ${portsWords(rule)}`);
  });
  const open = rules.findIndex((r) => ruleAllowsAnyPeer(r) && ruleAllowsAnyPort(r));
  if (open >= 0)
    lines.push(
      `**Denied:** nothing ${traffics}: rule ${open + 1} allows every ${direction === 'ingress' ? 'source' : 'destination'} on every port.`,
    );
  else
    lines.push(
      `**Denied:** every other connection ${direction === 'ingress' ? 'to' : 'from'} these pods — ${fromTo} anything not listed above, or on a port its rule does not list — unless another policy selecting the pods allows it.`,
    );
  return lines;
}

function policyTypesText(info: PolicyInfo): string {
  if (info.policyTypesExplicit) return `policyTypes: ${info.policyTypes.join(', ')} (as written).`;
  const egressRules = info.egress.length;
  const base =
    '`policyTypes` is not set, so Kubernetes infers it: **Ingress** always, plus **Egress** only when the policy has egress rules.';
  if (info.policyTypes.includes('Egress'))
    return `${base} Here that gives **Ingress and Egress** (it has ${plural(egressRules, 'egress rule')}).`;
  return `${base} Here that gives **Ingress** only: there is no egress rule, so outgoing traffic stays open (list \`Egress\` in policyTypes to restrict it).`;
}

export function policyMarkdown(cluster: Cluster, info: PolicyInfo): string {
  const ns = info.id.namespace;
  const selected = policyWorkloads(cluster, info);
  const who = isEmptySelector(info.podSelector)
    ? `every pod in namespace ${code(ns)}`
    : `${podsWords(info.podSelector)} in namespace ${code(ns)}`;
  const whom = selected.length
    ? `: ${listText(selected.map((w) => workloadName(w, ns)))}.`
    : ' — no workload of the workspace has such pods, so today it applies to nothing.';
  const out = [
    `**NetworkPolicy ${code(`${ns}/${info.id.name}`)}** in plain words`,
    `**Applies to** ${who}${whom}`,
    policyTypesText(info),
  ];
  out.push(directionSection(cluster, info, 'ingress').join('\n'));
  out.push(directionSection(cluster, info, 'egress').join('\n'));
  const names = new Set(selected.map((w) => `${w.id.kind}/${w.id.name}`));
  const others = cluster.policies
    .filter(
      (p) =>
        p.id.namespace === ns &&
        p.id.name !== info.id.name &&
        policyWorkloads(cluster, p).some((w) => names.has(`${w.id.kind}/${w.id.name}`)),
    )
    .sort((a, b) => cmpText(a.id.name, b.id.name));
  if (others.length) {
    out.push(
      `Also selecting some of these pods: ${listText(others.map((p) => code(p.id.name)))}. Policies add up: a connection is allowed when any policy that isolates the pod allows it.`,
    );
  }
  return out.join('\n\n');
}

/** The AND/OR reading of one peer, and of the list it is in. */
export function peerMarkdown(
  cluster: Cluster,
  info: PolicyInfo,
  direction: 'ingress' | 'egress',
  ruleIndex: number,
  peerIndex: number,
): string | undefined {
  const rule = info[direction][ruleIndex];
  const peers = rule?.peers ?? [];
  const peer = peers[peerIndex];
  if (!peer) return undefined;
  const ns = info.id.namespace;
  const list = direction === 'ingress' ? 'from' : 'to';
  const verb = direction === 'ingress' ? 'admits traffic from' : 'allows traffic to';
  const out: string[] = [];
  if (peer.namespaceSelector && peer.podSelector) {
    out.push(
      `**One item, two selectors: AND.** This \`${list}\` item has both \`namespaceSelector\` and \`podSelector\`, so both must hold: it ${verb} ${podsWords(peer.podSelector)} **in** ${namespacesWords(peer.namespaceSelector)}${peerMatchText(cluster, peer, ns)}.`,
    );
    out.push(
      `Written as two separate items (a \`-\` before \`podSelector\`), they would mean OR instead: every pod in those namespaces, **or** ${podsWords(peer.podSelector)} in ${code(ns)}.`,
    );
  } else if (peers.length === 1) {
    if (peer.ipBlock) return undefined;
    out.push(
      `**A single peer.** This \`${list}\` item ${verb} ${peerWords(peer, ns)}${peerMatchText(cluster, peer, ns)}.`,
    );
    if (peer.podSelector && !peer.namespaceSelector)
      out.push(
        `A \`podSelector\` alone means this policy's own namespace (${code(ns)}); add a \`namespaceSelector\` to the same item to pick pods of other namespaces.`,
      );
  } else {
    out.push(
      `**Separate items: OR.** This \`${list}\` list has ${peers.length} items; each is an alternative, so the rule ${verb} whatever matches **any one** of them:`,
    );
    out.push(
      peers
        .map(
          (p, i) =>
            `- item ${i + 1}${i === peerIndex ? ' (this one)' : ''}: ${peerWords(p, ns)}${peerMatchText(cluster, p, ns)}`,
        )
        .join('\n'),
    );
    const podsOnly = peers.find((p) => p.podSelector && !p.namespaceSelector && !p.ipBlock);
    const nsOnly = peers.find((p) => p.namespaceSelector && !p.podSelector && !p.ipBlock);
    if (podsOnly && nsOnly && (peer === podsOnly || peer === nsOnly)) {
      out.push(
        `If you meant ${podsWords(podsOnly.podSelector)} **in** ${namespacesWords(nsOnly.namespaceSelector)} (AND), put both selectors in one item: delete the \`-\` before the second selector.`,
      );
    }
  }
  return out.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------
// Ingress words

function findService(cluster: Cluster, namespace: string, name: string): ServiceInfo | undefined {
  return cluster.services.find((s) => s.id.namespace === namespace && s.id.name === name);
}

/** Where one backend leads, in words: "Service `api` port 80 → Deployment api (container port 8080)". */
export function backendWords(
  cluster: Cluster,
  serviceWorkloads: Map<string, WorkloadInfo[]>,
  namespace: string,
  b: BackendInfo | undefined,
): string {
  if (!b) return '⚠ no backend';
  if (b.kind === 'resource')
    return `resource ${code(`${b.resourceKind} ${b.name}`)} (not a Service; not followed further)`;
  const svc = findService(cluster, namespace, b.service);
  if (!svc) return `⚠ Service ${code(b.service)}, which is not defined in namespace ${code(namespace)}`;
  if (svc.type === 'ExternalName')
    return `Service ${code(b.service)} (ExternalName: leaves the cluster for ${code(svc.externalName ?? '(no externalName)')})`;
  if (b.port === undefined) return `Service ${code(b.service)}, ⚠ but the backend names no port`;
  const sp =
    typeof b.port === 'number'
      ? svc.ports.find((p) => p.port === b.port)
      : svc.ports.find((p) => p.name === b.port);
  if (!sp)
    return `Service ${code(b.service)}, ⚠ which has no port ${typeof b.port === 'number' ? b.port : `named ${code(b.port)}`}`;
  const portWords = `port ${sp.name ? `${code(sp.name)} (${sp.port})` : sp.port}`;
  const head = `Service ${code(b.service)} ${portWords}`;
  if (!svc.selector || Object.keys(svc.selector).length === 0)
    return `${head} → endpoints managed outside these manifests (the Service has no selector)`;
  const workloads = serviceWorkloads.get(`${namespace}/${b.service}`) ?? [];
  if (!workloads.length) return `${head} → ⚠ no pods: its selector matches no workload`;
  const target = typeof sp.targetPort === 'string' ? ` → target port ${code(sp.targetPort)}` : '';
  const pods = workloads.map((w) => {
    const tp = resolveTargetPort(w, sp.targetPort, sp.protocol);
    const replicas = w.replicas !== undefined ? `${plural(w.replicas, 'replica')}, ` : '';
    const port = tp ? `container port ${tp.port}` : `⚠ declares no port named ${code(String(sp.targetPort))}`;
    return `${w.id.kind} ${text(w.id.name)} (${replicas}${port})`;
  });
  return `${head}${target} → ${listText(pods)}`;
}

export function ingressMarkdown(
  cluster: Cluster,
  serviceWorkloads: Map<string, WorkloadInfo[]>,
  info: IngressInfo,
): string {
  const ns = info.id.namespace;
  const cls = info.className ? ` — class ${code(info.className)}` : '';
  const out = [`**Ingress ${code(`${ns}/${info.id.name}`)}**${cls}: where each request goes`];
  const lines: string[] = [];
  for (const rule of info.rules) {
    const host = rule.host ?? '(every host)';
    if (rule.paths.length === 0) lines.push(`- ${code(host)}: no paths`);
    for (const p of rule.paths) {
      lines.push(
        `- ${code(`${rule.host ?? ''}${p.path ?? '/'}`)}${rule.host ? '' : ' on every host'} (${p.pathType}) → ${backendWords(cluster, serviceWorkloads, ns, p.backend)}`,
      );
    }
  }
  if (info.defaultBackend)
    lines.push(
      `- ${info.rules.length ? 'anything else' : 'every request'} (default backend) → ${backendWords(cluster, serviceWorkloads, ns, info.defaultBackend)}`,
    );
  out.push(lines.length ? lines.join('\n') : 'No rules and no default backend: this Ingress routes nothing.');
  for (const t of info.tls) {
    out.push(
      `TLS: ${t.hosts.length ? t.hosts.map(code).join(', ') : 'no hosts listed'} with ${t.secretName ? `Secret ${code(t.secretName)}` : "the controller's default certificate"}.`,
    );
  }
  return out.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------
// Service words

export function serviceMarkdown(rel: Relations, svc: ServiceInfo): string {
  const ns = svc.id.namespace;
  const key = `${ns}/${svc.id.name}`;
  const out = [`**Service ${code(key)}** (${text(svc.type)})`];
  const uses = [...(rel.serviceUsers.get(key) ?? [])].sort(
    (a, b) =>
      cmpText(a.ingress.id.name, b.ingress.id.name) ||
      cmpText(a.host ?? '', b.host ?? '') ||
      cmpText(a.path ?? '', b.path ?? ''),
  );
  out.push(
    uses.length
      ? `**Routed to by** ${listText(uses.map((u) => `Ingress ${code(u.ingress.id.name)} (${u.path === undefined && u.host === undefined ? 'default backend' : code(`${u.host ?? ''}${u.path ?? '/'}`)}, port ${text(String(u.backend.port ?? '?'))})`))}.`
      : 'No Ingress of the workspace routes here.',
  );
  if (svc.type === 'ExternalName') {
    out.push(
      `ExternalName: clients are sent to ${code(svc.externalName ?? '(no externalName)')}; no pods are involved.`,
    );
    return out.join('\n\n');
  }
  const workloads = rel.serviceWorkloads.get(key) ?? [];
  if (!svc.selector || Object.keys(svc.selector).length === 0)
    out.push('No selector: its endpoints are managed outside these manifests.');
  else {
    const sel = code(
      Object.entries(svc.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    );
    out.push(
      workloads.length
        ? `**Selects** ${sel}: ${listText(workloads.map((w) => `${w.id.kind} ${text(w.id.name)}${w.replicas !== undefined ? ` (${plural(w.replicas, 'replica')})` : ''}`))}.`
        : `**Selects** ${sel}: ⚠ no workload of the workspace has such pods, so nothing serves it.`,
    );
  }
  if (svc.ports.length && workloads.length) {
    out.push(
      svc.ports
        .map((p) => {
          const targets = workloads.map((w) => {
            const tp = resolveTargetPort(w, p.targetPort, p.protocol);
            return `${w.id.kind} ${text(w.id.name)}: ${tp ? tp.port : `⚠ no port named ${code(String(p.targetPort))}`}`;
          });
          return `- port ${p.name ? `${code(p.name)} ` : ''}${p.port}/${p.protocol} → target port ${typeof p.targetPort === 'string' ? code(p.targetPort) : p.targetPort} → ${listText(targets)}`;
        })
        .join('\n'),
    );
  }
  const policies = new Map<string, string>();
  for (const w of workloads)
    for (const p of rel.workloadPolicies.get(`${w.id.namespace}/${w.id.name}`) ?? [])
      policies.set(p.id.name, p.id.name);
  if (policies.size)
    out.push(`NetworkPolicies selecting these pods: ${listText([...policies.keys()].sort().map(code))}.`);
  return out.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------
// Workload words

export function workloadMarkdown(rel: Relations, w: WorkloadInfo): string {
  const ns = w.id.namespace;
  const key = `${ns}/${w.id.name}`;
  const labels = Object.entries(w.podLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const replicas = w.replicas !== undefined ? ` (${plural(w.replicas, 'replica')})` : '';
  const out = [`**${w.id.kind} ${code(key)}**${replicas}, pods labelled ${labels ? code(labels) : '(none)'}`];
  const services = [...(rel.workloadServices.get(key) ?? [])].sort((a, b) => cmpText(a.id.name, b.id.name));
  if (services.length) {
    out.push(
      `**Behind Services:** ${listText(
        services.map(
          (s) =>
            `${code(s.id.name)} (${
              s.ports
                .map((p) => {
                  const tp = resolveTargetPort(w, p.targetPort, p.protocol);
                  return `${p.name ? `${code(p.name)} ` : ''}${p.port} → ${tp ? tp.port : `⚠ no port named ${code(String(p.targetPort))}`}`;
                })
                .join(', ') || 'no ports'
            })`,
        ),
      )}.`,
    );
    const via = services.flatMap((s) =>
      (rel.serviceUsers.get(`${ns}/${s.id.name}`) ?? []).map(
        (u) =>
          `Ingress ${code(u.ingress.id.name)} (${u.path === undefined && u.host === undefined ? 'default backend' : code(`${u.host ?? ''}${u.path ?? '/'}`)})`,
      ),
    );
    out.push(
      via.length
        ? `**Reached from outside through** ${listText([...new Set(via)].sort())}.`
        : 'No Ingress routes to these Services.',
    );
  } else out.push('No Service of the workspace selects these pods.');
  const policies = [...(rel.workloadPolicies.get(key) ?? [])].sort((a, b) => cmpText(a.id.name, b.id.name));
  out.push(
    policies.length
      ? `**NetworkPolicies selecting its pods:** ${listText(policies.map((p) => `${code(p.id.name)} (isolates ${p.policyTypes.map((t) => t.toLowerCase()).join(' and ')})`))}.`
      : 'No NetworkPolicy selects its pods: all traffic to and from them is allowed.',
  );
  return out.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------

function wholeResourceSpan(r: Resource, offset: number) {
  for (const span of [r.kindNode, r.nameNode, pairIn(r.node, ['spec'])?.key])
    if (span && inside(span, offset)) return span;
  return undefined;
}

/** A plain-language explanation at a document-relative offset, or undefined. */
export function explainHover(
  doc: ParsedDocument,
  offset: number,
  uri: string,
  index: ResourceIndex,
): HoverResult | undefined {
  try {
    return explain(doc, offset, uri, index);
  } catch {
    // Half-typed YAML must never cost the user the field documentation.
    return undefined;
  }
}

function explain(
  doc: ParsedDocument,
  offset: number,
  uri: string,
  index: ResourceIndex,
): HoverResult | undefined {
  const r = resourceAt(doc, offset);
  if (!r) return undefined;
  const tierMd = isTierHoverResource(r) ? wholeResourceSpan(r, offset) : undefined;
  if (tierMd) {
    const md = tierPolicyMarkdown(r, index);
    return md ? { markdown: md, start: tierMd.start, end: tierMd.end } : undefined;
  }
  if (r.kind === 'NetworkPolicy' && isK8sNetworkPolicy(r)) {
    const rel = relations(index);
    // On the keys of a peer item (podSelector, namespaceSelector, ipBlock): the AND/OR reading.
    const at = peerAt(r, offset);
    if (at && asMap(at.node)?.pairs.some((p) => inside(p.key, offset))) {
      const md = peerMarkdown(rel.cluster, policyInfo(uri, r, index), at.direction, at.rule, at.peer);
      return md ? { markdown: md, start: at.node.start, end: at.node.end } : undefined;
    }
    const span = wholeResourceSpan(r, offset);
    if (!span) return undefined;
    return {
      markdown: policyMarkdown(rel.cluster, policyInfo(uri, r, index)),
      start: span.start,
      end: span.end,
    };
  }
  if (r.kind === 'Service' && r.apiVersion === 'v1') {
    const span = wholeResourceSpan(r, offset);
    if (!span) return undefined;
    return {
      markdown: serviceMarkdown(relations(index), serviceInfo(uri, r, index)),
      start: span.start,
      end: span.end,
    };
  }
  if (WORKLOAD_KINDS.has(r.kind) && r.name) {
    const span = wholeResourceSpan(r, offset);
    if (!span) return undefined;
    const w = workloadInfo(uri, r, index);
    return w
      ? { markdown: workloadMarkdown(relations(index), w), start: span.start, end: span.end }
      : undefined;
  }
  if (r.kind === 'Ingress') {
    const span = wholeResourceSpan(r, offset);
    if (!span) return undefined;
    const rel = relations(index);
    return {
      markdown: ingressMarkdown(rel.cluster, rel.serviceWorkloads, ingressInfo(uri, r, index)),
      start: span.start,
      end: span.end,
    };
  }
  return undefined;
}

/** The explanation first, then the field documentation (never lost), over the field's span. */
export function withExplanation(
  explanation: HoverResult | undefined,
  field: HoverResult | undefined,
): HoverResult | undefined {
  if (!explanation) return field;
  if (!field) return explanation;
  return {
    markdown: `${explanation.markdown}\n\n---\n\n${field.markdown}`,
    start: field.start,
    end: field.end,
  };
}
