// Container ports of one pod that collide. All containers of a pod share one network namespace, so
// two of them cannot both listen on the same port and protocol: the second fails to bind when it
// starts. Within one container the same port declared twice is redundant, and with host ports it
// can be ambiguous which host address and port forward to it. The API server accepts all of these
// and answers with a warning (warningsForPodSpecAndMeta in kubernetes pkg/api/pod/warnings.go:
// "duplicate", "overlapping" and "dangerously ambiguous" port definitions, and a hostIP without a
// hostPort). Init containers count only as sidecars (restartPolicy Always): a plain one has ended
// before the containers start. A port declared twice in one container under two names is left
// alone: the second name is an alias a Service can target. (Two ports of one container with the
// same name are an error of the API server's validation: port-name-invalid.)

import type { AstNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getValue, scalarText } from '../syntax/ast';
import { podTemplateOf } from '../model/workload';
import type { Rule, RuleContext } from './types';

interface PortDecl {
  /** Where it is, as the messages name it: containers[0] "web" ports[1]. */
  where: string;
  container: string;
  containerIndex: string;
  node: AstNode;
  port: number;
  protocol: string;
  hostPort: number;
  hostIP: string;
  /** Its name ('' when unnamed). */
  name: string;
  /** Its container runs beside the others: a container, or a sidecar (an init container with
   * restartPolicy Always); a plain init container has ended before they start. */
  alongside: boolean;
}

function intOf(node: AstNode | null | undefined): number | undefined {
  const s = asScalar(node);
  if (!s || s.value === null) return undefined;
  const n = typeof s.value === 'number' ? s.value : /^\d+$/.test(String(s.value)) ? Number(s.value) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

function declarations(ctx: RuleContext): PortDecl[] {
  const tpl = podTemplateOf(ctx.resource);
  const spec = asMap(getValue(tpl, 'spec'));
  // (on the node's network an unset hostPort is defaulted to the containerPort)
  const hostNetwork = asScalar(getValue(spec, 'hostNetwork'))?.value === true;
  const out: PortDecl[] = [];
  // (the API server's order: init containers, then containers)
  for (const list of ['initContainers', 'containers']) {
    (asSeq(getValue(spec, list))?.items ?? []).forEach((c, ci) => {
      const name = scalarText(getValue(c, 'name')) ?? '';
      const alongside = list === 'containers' || scalarText(getValue(c, 'restartPolicy')) === 'Always';
      (asSeq(getValue(c, 'ports'))?.items ?? []).forEach((p, pi) => {
        const where = `${list}[${ci}]${name ? ` "${name}"` : ''} ports[${pi}]`;
        const port = intOf(getValue(p, 'containerPort'));
        if (port === undefined) return;
        out.push({
          where,
          container: name,
          containerIndex: `${list}[${ci}]`,
          node: getValue(p, 'containerPort') ?? p,
          port,
          protocol: scalarText(getValue(p, 'protocol')) || 'TCP',
          hostPort: intOf(getValue(p, 'hostPort')) || (hostNetwork ? port : 0),
          hostIP: scalarText(getValue(p, 'hostIP')) ?? '',
          name: scalarText(getValue(p, 'name')) ?? '',
          alongside,
        });
        const hostIP = asScalar(getValue(p, 'hostIP'));
        if (hostIP && scalarText(hostIP) && !intOf(getValue(p, 'hostPort')))
          ctx.report(
            hostIP,
            `hostIP ${scalarText(hostIP)} does nothing without a hostPort: it only says on which node address a host port listens (the API server warns "hostIP set without hostPort"). Add hostPort, or remove hostIP`,
          );
      });
    });
  }
  return out;
}

export const rule: Rule = {
  id: 'container-port-conflict',
  scope: 'file',
  defaultSeverity: 'warning',
  description:
    "Container ports of one pod that collide: the same port and protocol in two containers (they share the pod's network, so the second cannot listen on it), the same port declared twice in one container, host ports that overlap ambiguously, a hostIP without a hostPort. The API server accepts them with a warning.",
  check(ctx) {
    const seen = new Map<string, PortDecl[]>();
    for (const d of declarations(ctx)) {
      const key = `${d.port}/${d.protocol}`;
      const others = seen.get(key) ?? [];
      for (const o of others) {
        const message = conflict(d, o);
        if (message) {
          ctx.report(d.node, message);
          break;
        }
      }
      others.push(d);
      seen.set(key, others);
    }
  },
};

/** How the API server names the clash of two declarations of one port and protocol, if it warns. */
function apiWarning(d: PortDecl, o: PortDecl): string | undefined {
  // (the same host port twice is refused outright: pod-network-invalid)
  if (d.hostPort !== 0 && d.hostIP === o.hostIP && d.hostPort === o.hostPort) return undefined;
  if (d.hostIP === o.hostIP && d.hostPort === o.hostPort) return 'duplicate port definition';
  if (d.hostPort === 0 || o.hostPort === 0) return 'overlapping port definition';
  if (d.hostPort === o.hostPort && (d.hostIP === '') !== (o.hostIP === ''))
    return 'dangerously ambiguous port definition';
  return undefined;
}

/** What is wrong with declaration `d` given an earlier one `o` of the same port and protocol. */
function conflict(d: PortDecl, o: PortDecl): string | undefined {
  const warning = apiWarning(d, o);
  if (!warning) return undefined;
  const what = `containerPort ${d.port}/${d.protocol}`;
  if (d.containerIndex !== o.containerIndex) {
    // (a plain init container has ended before the next starts: no clash at run time)
    if (!d.alongside || !o.alongside) return undefined;
    return `${what} is also declared by ${o.where}: the containers of a pod share its network, so only one of them can listen on port ${d.port}, and the other fails to bind when it starts (the API server warns "${warning}"). Move one container to another port`;
  }
  const also = `ports${o.where.slice(o.where.lastIndexOf(' ports') + 6)}`;
  // (a second name for a port of the same container is an alias a Service's targetPort can use, as
  // ingress-nginx's manifests do for TLS terminated at the load balancer: deliberate, not noise)
  if (d.name && o.name && d.name !== o.name && d.hostPort === o.hostPort) return undefined;
  if (warning === 'duplicate port definition')
    return `${what} is declared twice in this container (also ${also}): the second declaration adds nothing (the API server warns "${warning}"). Remove one of them`;
  if (warning === 'overlapping port definition') {
    const hp = d.hostPort || o.hostPort;
    return `${what} is declared twice in this container, once with hostPort ${hp} and once without (also ${also}): the one without adds nothing (the API server warns "${warning}"). Keep one declaration of the port`;
  }
  return `${what} has hostPort ${d.hostPort} twice in this container, once on every node address and once on hostIP ${d.hostIP || o.hostIP} (also ${also}): which of them receives a connection to that address is undefined (the API server warns "${warning}"). Keep one host port declaration, or use distinct host ports`;
}
