// Where the port fields of the covered kinds live, for the port rules.

import type { AstNode, ScalarNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getIn, getValue } from '../syntax/ast';
import type { Resource } from '../model/resource';
import { podTemplateOf } from '../model/workload';
import { ingressModel } from '../model/ingress';

export type PortKind =
  | 'number' // must be a number 1-65535
  | 'number-or-iana' // number 1-65535 or an IANA port name
  | 'iana-name' // a port name (IANA service name)
  | 'dns-label-name'; // Service port names

export interface PortField {
  node: ScalarNode;
  kind: PortKind;
  what: string;
}

function add(out: PortField[], node: AstNode | null | undefined, kind: PortKind, what: string): void {
  const s = asScalar(node);
  if (s && s.value !== null) out.push({ node: s, kind, what });
}

export function portFields(r: Resource): PortField[] {
  const out: PortField[] = [];
  if (r.kind === 'Service') {
    for (const p of asSeq(getIn(r.node, ['spec', 'ports']))?.items ?? []) {
      add(out, getValue(p, 'port'), 'number', 'port');
      add(out, getValue(p, 'targetPort'), 'number-or-iana', 'targetPort');
      add(out, getValue(p, 'name'), 'dns-label-name', 'Service port name');
    }
  }
  const tpl = podTemplateOf(r);
  if (tpl) {
    const spec = asMap(getValue(tpl, 'spec'));
    for (const list of ['containers', 'initContainers']) {
      for (const c of asSeq(getValue(spec, list))?.items ?? []) {
        for (const p of asSeq(getValue(c, 'ports'))?.items ?? []) {
          add(out, getValue(p, 'containerPort'), 'number', 'containerPort');
          add(out, getValue(p, 'hostPort'), 'number', 'hostPort');
          add(out, getValue(p, 'name'), 'iana-name', 'container port name');
        }
      }
    }
  }
  if (r.kind === 'Ingress') {
    const m = ingressModel(r);
    const backends = [m.defaultBackend, ...m.rules.flatMap((x) => x.paths.map((p) => p.backend))];
    for (const b of backends) {
      if (!b) continue;
      if (m.legacy) add(out, b.servicePort, 'number-or-iana', 'servicePort');
      else {
        const port = getIn(b.node, ['service', 'port']);
        add(out, getValue(port, 'number'), 'number', 'service port number');
        add(out, getValue(port, 'name'), 'iana-name', 'service port name');
      }
    }
  }
  if (r.kind === 'NetworkPolicy') {
    for (const dir of ['ingress', 'egress']) {
      for (const ruleNode of asSeq(getIn(r.node, ['spec', dir]))?.items ?? []) {
        for (const p of asSeq(getValue(ruleNode, 'ports'))?.items ?? []) {
          add(out, getValue(p, 'port'), 'number-or-iana', 'port');
          add(out, getValue(p, 'endPort'), 'number', 'endPort');
        }
      }
    }
  }
  return out;
}
