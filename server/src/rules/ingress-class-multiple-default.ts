// More than one IngressClass marked as the cluster default.

import { getIn, getPair, asMap } from '../syntax/ast';
import { relations } from '../model/relations';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-class-multiple-default',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['IngressClass'],
  description:
    'Several IngressClasses carry ingressclass.kubernetes.io/is-default-class: "true"; Ingresses without a class are then rejected by the admission plugin.',
  check(ctx) {
    const r = ctx.resource;
    const ann = asMap(getIn(r.node, ['metadata', 'annotations']));
    const pair = ann ? getPair(ann, 'ingressclass.kubernetes.io/is-default-class') : undefined;
    if (!pair || pair.value?.type !== 'scalar' || pair.value.value !== 'true') return;
    const defaults = relations(ctx.index).cluster.ingressClasses.filter(
      (c) => c.isDefault && c.name !== r.name,
    );
    const others = [...new Set(defaults.map((c) => c.name))];
    if (others.length === 0) return;
    const names = others.map((o) => `"${o}"`);
    const list =
      names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    ctx.report(
      pair.value,
      `IngressClass "${r.name}" and ${list} are ${others.length === 1 ? 'both' : 'all'} marked default: while more than one default exists, the API server refuses new Ingresses that set no ingressClassName`,
      {
        related: defaults.flatMap((c) =>
          c.source ? [{ ...c.source, message: `IngressClass "${c.name}" is also marked default` }] : [],
        ),
      },
    );
  },
};
