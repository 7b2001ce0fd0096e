// A named port in a NetworkPolicy rule that the destination pods do not declare: a named port
// matches only a container port of that name (and protocol), so the entry admits nothing.
//
// The destination is the policy's own pods for ingress rules, the peers' pods for egress rules. The
// rule speaks only when the workspace holds those pods: a policy that selects nothing here, an egress
// rule to every destination or to an ipBlock says nothing. Different pods may give the same name to
// different numbers, so one declaring pod is enough.
//
// Severity (docs/rules.md): an error when the destination pods are the workspace's own (the policy's
// pods, or peers in the policy's namespace): the workspace holds them and none declares the port, so
// the entry certainly admits nothing for them, as a named targetPort no selected pod declares.
// Information when the peers are chosen by namespaceSelector: pods of other namespaces may be deployed
// from elsewhere and declare it.

import { asMap, asScalar, getValue } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import { peerWorkloads, policyWorkloads, workloadText } from '../engine/policy-match';
import type { WorkloadInfo } from '../engine/types';
import type { QuickFix, Rule } from './types';
import { closest } from '../engine/edit-distance';
import { policyNodes, selectorMalformed } from './netpol-shared';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

function listed(ws: WorkloadInfo[]): string {
  return `${ws.slice(0, 3).map(workloadText).join(', ')}${ws.length > 3 ? ', ...' : ''}`;
}

export const rule: Rule = {
  id: 'netpol-named-port-unknown',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    'A named port in a NetworkPolicy rule that no destination pod declares (ingress: the pods the policy selects; egress: the peer pods, when the workspace holds them), or declares with another protocol: the entry admits nothing.',
  check(ctx) {
    const policy = policyNodes(ctx.resource, ctx.index);
    if (policy.podSelectorPair && selectorMalformed(policy.podSelectorPair.value)) return;
    const cluster = buildCluster(ctx.index);
    const ns = policy.info.id.namespace;
    let own: WorkloadInfo[] | undefined;
    for (const r of policy.rules) {
      // the destination pods are looked up only for rules that name a port
      if (!r.ports.some((n) => typeof asScalar(getValue(asMap(n), 'port'))?.value === 'string')) continue;
      let pods: WorkloadInfo[];
      let elsewhere = false;
      if (r.direction === 'ingress') pods = own ??= policyWorkloads(cluster, policy.info);
      else {
        const peers = r.info.peers ?? [];
        if (peers.length === 0 || peers.some((p) => p.ipBlock || (!p.podSelector && !p.namespaceSelector)))
          continue;
        if (
          r.peers.some(
            (p) =>
              p.node.type === 'map' &&
              (selectorMalformed(getValue(p.node, 'podSelector')) ||
                selectorMalformed(getValue(p.node, 'namespaceSelector'))),
          )
        )
          continue;
        pods = [...new Set(peers.flatMap((p) => peerWorkloads(cluster, ns, p) ?? []))];
        // pods of other namespaces may live outside the workspace
        elsewhere = peers.some((p) => p.namespaceSelector);
      }
      if (pods.length === 0) continue;
      r.ports.forEach((portNode, i) => {
        const m = asMap(portNode);
        const node = asScalar(getValue(m, 'port'));
        if (!m || !node || typeof node.value !== 'string' || getValue(m, 'endPort') !== undefined) return;
        const name = node.value;
        const protocol = r.info.ports?.[i]?.protocol ?? 'TCP';
        const declared = pods.flatMap((w) =>
          w.containers.flatMap((c) => c.ports.filter((p) => p.name === name).map((p) => ({ w, p }))),
        );
        const whose =
          r.direction === 'ingress' ? 'the pods this policy selects' : 'the pods this rule sends to';
        if (declared.length === 0) {
          const names = [
            ...new Set(
              pods.flatMap((w) =>
                w.containers.flatMap((c) => c.ports.map((p) => p.name).filter((n): n is string => !!n)),
              ),
            ),
          ];
          const near = closest(name, names);
          let message = `Port "${name}" is not declared by ${whose} (${listed(pods)}): a named port matches only a container port of that name, so this entry admits nothing`;
          if (near) message += `; did you mean "${near}"?`;
          else if (names.length)
            message += `; they declare ${names
              .slice(0, 5)
              .map((n) => `"${n}"`)
              .join(', ')}`;
          else message += '; they declare no named port';
          const fixes: (() => QuickFix[]) | undefined =
            near && node.style === 'plain'
              ? () => [
                  {
                    title: `Change to "${near}"`,
                    edits: [{ start: node.start, end: node.end, newText: near }],
                    preferred: true,
                  },
                ]
              : undefined;
          ctx.report(node, message, { severity: elsewhere ? 'information' : 'error', fixes });
          return;
        }
        if (declared.some((d) => d.p.protocol === protocol)) return;
        const d = declared[0];
        const omitted = getValue(m, 'protocol') === undefined;
        ctx.report(
          node,
          `Port "${name}" of ${workloadText(d.w)} is ${d.p.protocol}, but this entry admits ${protocol}${omitted ? ' (the default when protocol is omitted)' : ''}: it matches nothing. Set protocol: ${d.p.protocol}`,
          { severity: elsewhere ? 'information' : 'error' },
        );
      });
    }
  },
};
