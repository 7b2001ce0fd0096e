// ingressClassName naming an IngressClass the workspace does not define (when it defines any).

import { ingressModel } from '../model/ingress';
import { relations } from '../model/relations';
import { stringValue } from '../syntax/ast';
import type { Rule } from './types';
import { closest } from '../engine/edit-distance';
import { impossibleName } from './reference-name-invalid';

export const rule: Rule = {
  id: 'ingress-class-unknown',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'ingressClassName names an IngressClass that the workspace does not define, while it defines others.',
  check(ctx) {
    const node = ingressModel(ctx.resource).className;
    const name = stringValue(node);
    if (!node || !name || impossibleName('IngressClass', name)) return;
    const classes = [...new Set(relations(ctx.index).cluster.ingressClasses.map((c) => c.name))];
    if (classes.length === 0 || classes.includes(name)) return;
    const suggestion = closest(name, classes);
    ctx.report(
      node,
      `IngressClass "${name}" is not defined in this workspace (defined: ${classes.join(', ')})` +
        (suggestion ? `; did you mean "${suggestion}"?` : ''),
      {
        fixes:
          suggestion && node.style === 'plain'
            ? () => [
                {
                  title: `Change to "${suggestion}"`,
                  edits: [{ start: node.start, end: node.end, newText: suggestion }],
                  preferred: true,
                },
              ]
            : undefined,
      },
    );
  },
};
