// A controller's selector must select the pods of its own template.

import { asMap, getIn, getPair, toPlain } from '../syntax/ast';
import { podTemplateOf } from '../model/workload';
import { matchesSelector, toLabels, toLabelSelector } from '../engine/selector';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'workload-selector-mismatch',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
  description:
    'A Deployment, StatefulSet, DaemonSet or ReplicaSet whose spec.selector does not match its pod template labels (the API server rejects it).',
  check(ctx) {
    const r = ctx.resource;
    const spec = asMap(getIn(r.node, ['spec']));
    const selPair = spec ? getPair(spec, 'selector') : undefined;
    const tpl = podTemplateOf(r);
    if (!selPair || !asMap(selPair.value) || !tpl) return;
    const selector = toLabelSelector(toPlain(selPair.value));
    if (!selector) return;
    const labels = toLabels(toPlain(getIn(tpl, ['metadata', 'labels'])));
    const empty = !selector.matchLabels && !selector.matchExpressions;
    if (
      empty ||
      Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0
    ) {
      ctx.report(selPair.key, `${r.kind} selector is empty: it must select the pod template's labels`);
      return;
    }
    if (!matchesSelector(selector, labels)) {
      const shown =
        Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ') || 'none';
      ctx.report(
        selPair.key,
        `${r.kind} selector does not match its pod template labels (${shown}): the API server rejects it`,
      );
    }
  },
};
