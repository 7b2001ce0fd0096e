// Where the port fields of the covered kinds live, for the port rules.

import type { AstNode, ScalarNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getIn, getValue } from '../syntax/ast';
import type { Resource } from '../model/resource';
import { podTemplateOf } from '../model/workload';
import { ingressModel } from '../model/ingress';
import { isUnsetValue } from '../model/api-defaults';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

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

function add(
  out: PortField[],
  node: AstNode | null | undefined,
  kind: PortKind,
  what: string,
  zeroIsUnset = false,
): void {
  const s = asScalar(node);
  if (!s || s.value === null) return;
  // fields the API reads as "not set" when 0 or "" (model/api-defaults.ts): nothing to check
  if (zeroIsUnset && isUnsetValue(s)) return;
  out.push({ node: s, kind, what });
}

export function portFields(r: Resource): PortField[] {
  const out: PortField[] = [];
  if (r.kind === 'Service') {
    for (const p of asSeq(getIn(r.node, ['spec', 'ports']))?.items ?? []) {
      add(out, getValue(p, 'port'), 'number', 'port');
      // targetPort 0 or "" is defaulted to the port; a lone port may have an empty name
      add(out, getValue(p, 'targetPort'), 'number-or-iana', 'targetPort', true);
      add(out, getValue(p, 'name'), 'dns-label-name', 'Service port name', true);
    }
  }
  const tpl = podTemplateOf(r);
  if (tpl) {
    const spec = asMap(getValue(tpl, 'spec'));
    for (const list of ['containers', 'initContainers']) {
      for (const c of asSeq(getValue(spec, list))?.items ?? []) {
        for (const p of asSeq(getValue(c, 'ports'))?.items ?? []) {
          add(out, getValue(p, 'containerPort'), 'number', 'containerPort');
          // hostPort 0 means no host port; an empty name means an unnamed port
          add(out, getValue(p, 'hostPort'), 'number', 'hostPort', true);
          add(out, getValue(p, 'name'), 'iana-name', 'container port name', true);
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
        // number 0 and name "" mean "not set" when the other one is given (ingress-backend-invalid
        // reports a port with neither)
        const port = getIn(b.node, ['service', 'port']);
        const number = getValue(port, 'number');
        const name = getValue(port, 'name');
        const other = (n: typeof number) => !isUnsetValue(n);
        add(out, number, 'number', 'service port number', other(name));
        add(out, name, 'iana-name', 'service port name', other(number));
      }
    }
  }
  if (isK8sNetworkPolicy(r)) {
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
