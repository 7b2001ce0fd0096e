// The plain-language hover of a NetworkPolicy (which pods it applies to, what it isolates with the
// policyTypes Kubernetes infers, what it allows on which ports, what it therefore denies) and of one
// of its peers (the AND of one item's selectors, the OR of separate items).

import type { Cluster, PolicyInfo, PolicyPeerInfo, PolicyRuleInfo } from '../engine/types';
import type { LabelSelector } from '../engine/selector';
import {
  isEmptySelector,
  namespacesMatching,
  peerWorkloads,
  policyWorkloads,
  portText,
  ruleAllowsAnyPeer,
  ruleAllowsAnyPort,
  selectorText,
} from '../engine/policy-match';
import { plural } from './resource-refs';
import { cmpText, code, listText, text, workloadName } from './hover-explain-words';

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
