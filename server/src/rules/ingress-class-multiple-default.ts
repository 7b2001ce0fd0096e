// More than one IngressClass marked as the cluster default.

import { getIn, getPair, asMap } from '../syntax/ast';
import { relations } from '../model/relations';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-class-multiple-default',
  defaultSeverity: 'warning',
  kinds: ['IngressClass'],
  description: 'Several IngressClasses carry ingressclass.kubernetes.io/is-default-class: "true"; Ingresses without a class are then rejected by the admission plugin.',
  check(ctx) {
    const r = ctx.resource;
    const ann = asMap(getIn(r.node, ['metadata', 'annotations']));
    const pair = ann ? getPair(ann, 'ingressclass.kubernetes.io/is-default-class') : undefined;
    if (!pair || pair.value?.type !== 'scalar' || pair.value.value !== 'true') return;
    const defaults = relations(ctx.index).cluster.ingressClasses.filter((c) => c.isDefault).map((c) => c.name);
    const others = [...new Set(defaults)].filter((n) => n !== r.name);
    if (others.length === 0) return;
    ctx.report(pair.value, `IngressClass "${r.name}" and ${others.map((o) => `"${o}"`).join(', ')} are all marked default: new Ingresses without ingressClassName are refused while more than one default exists`);
  },
};
