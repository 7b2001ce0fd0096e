// An admin-tier policy (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) whose
// subject selects no workload of the workspace, or a namespaces/pods peer that matches none: the policy
// (or the rule) does nothing for these manifests. Only when the workspace defines workloads at all: a
// folder of cluster policies alone says nothing about the pods they will meet.

import { asSeq, getIn, getPair, asMap, getValue } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import { isAdminPolicy } from '../model/policy-kinds';
import { namespaceLabels } from '../engine/policy-match';
import type { Rule } from './types';
import { adminSelected, labelHint } from './tier-shared';

export const rule: Rule = {
  id: 'anp-selects-nothing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
  description:
    'An admin-tier policy whose subject selects no workload, or a namespaces/pods peer that matches no workload of the workspace (with a did-you-mean on labels).',
  check(ctx) {
    const r = ctx.resource;
    if (!isAdminPolicy(r)) return;
    const cluster = buildCluster(ctx.index);
    if (cluster.workloads.length === 0) return;
    const me = (cluster.adminPolicies ?? []).find((p) => p.kind === r.kind && p.name === r.name);
    if (!me) return;
    const scope = [
      ...cluster.workloads.map((w) => w.podLabels),
      ...cluster.namespaces.map((n) => namespaceLabels(cluster, n.name)),
    ];
    const spec = asMap(getValue(r.node, 'spec'));
    const subjectPair = spec && getPair(spec, 'subject');
    if (
      subjectPair &&
      (me.subject.namespaces || me.subject.pods) &&
      adminSelected(cluster, me.subject).length === 0
    ) {
      const sel = me.subject.pods
        ? {
            matchLabels: {
              ...me.subject.pods.namespaceSelector.matchLabels,
              ...me.subject.pods.podSelector.matchLabels,
            },
          }
        : me.subject.namespaces;
      ctx.report(
        subjectPair.key,
        `The subject of ${r.kind} ${r.name} selects no workload of the workspace: the policy applies to nothing here${labelHint(sel, scope)}`,
      );
    }
    for (const [dir, peersKey] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const) {
      const rules = dir === 'ingress' ? me.ingress : me.egress;
      (asSeq(getIn(r.node, ['spec', dir]))?.items ?? []).forEach((ruleNode, i) => {
        const info = rules.find((x) => x.source?.start === r.doc.base + ruleNode.start);
        (asSeq(getValue(ruleNode, peersKey))?.items ?? []).forEach((peerNode, j) => {
          const peer = info?.peers[j];
          if (
            !peer ||
            (!peer.namespaces && !peer.pods) ||
            [peer.namespaces, peer.pods, peer.nodes, peer.networks, peer.domainNames].filter(
              (x) => x !== undefined,
            ).length !== 1
          )
            return;
          if (adminSelected(cluster, peer).length > 0) return;
          const key = peer.pods ? 'pods' : 'namespaces';
          const pair = asMap(peerNode) && getPair(asMap(peerNode)!, key);
          const sel = peer.pods
            ? {
                matchLabels: {
                  ...peer.pods.namespaceSelector.matchLabels,
                  ...peer.pods.podSelector.matchLabels,
                },
              }
            : peer.namespaces;
          ctx.report(
            pair ? pair.key : peerNode,
            `${dir}[${i}].${peersKey}[${j}] ${key} matches no workload of the workspace: the rule never applies to these manifests${labelHint(sel, scope)}`,
          );
        });
      });
    }
  },
};
