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

/** Where a container's probes and lifecycle hooks name a port: httpGet and tcpSocket take a number
 * or the name of one of the container's ports, grpc a number. */
export const PROBE_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOK_FIELDS = ['postStart', 'preStop'] as const;

export interface ProbePort {
  node: AstNode;
  kind: PortKind;
  /** As messages name it: "readinessProbe httpGet port". */
  what: string;
}

export function probePorts(container: AstNode | null | undefined): ProbePort[] {
  const out: ProbePort[] = [];
  const handlers: [string, AstNode | null | undefined][] = [
    ...PROBE_FIELDS.map((f) => [f, getValue(container, f)] as [string, AstNode | null | undefined]),
    ...HOOK_FIELDS.map(
      (f) => [`lifecycle ${f}`, getIn(container, ['lifecycle', f])] as [string, AstNode | null | undefined],
    ),
  ];
  for (const [where, handler] of handlers) {
    if (!asMap(handler)) continue;
    for (const action of ['httpGet', 'tcpSocket'] as const) {
      const node = getIn(handler, [action, 'port']);
      if (node) out.push({ node, kind: 'number-or-iana', what: `${where} ${action} port` });
    }
    const grpc = getIn(handler, ['grpc', 'port']);
    if (grpc) out.push({ node: grpc, kind: 'number', what: `${where} grpc port` });
  }
  return out;
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
        for (const at of probePorts(c)) add(out, at.node, at.kind, at.what);
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
