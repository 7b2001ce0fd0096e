// A Service without a selector gets its backends from Endpoints of the same name or EndpointSlices
// labelled kubernetes.io/service-name with its name (written by hand: an external database, servers
// outside the cluster). kube-proxy pairs each Service port with the endpoint ports of the same name
// and protocol (an unnamed Service port with unnamed endpoint ports); the Service's targetPort plays no
// part. A Service port that no endpoint port of the workspace's Endpoints or EndpointSlices answers to
// gets no backend: connections to it are refused. Reported only when the workspace holds endpoints
// for the Service (without any, they are created elsewhere, or by a controller).

import type { AstNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getIn, getPair, getValue, stringValue } from '../syntax/ast';
import type { CrossFileRule } from './types';
import type { Resource } from '../model/resource';
import type { ResourceIndex } from '../workspace/index';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface EndpointPort {
  name: string;
  protocol: string;
  port?: number;
}

function portsOf(list: AstNode | null | undefined): EndpointPort[] {
  return (asSeq(list)?.items ?? []).map((p) => {
    const port = asScalar(getValue(p, 'port'))?.value;
    return {
      name: stringValue(getValue(p, 'name')) ?? '',
      protocol: stringValue(getValue(p, 'protocol')) || 'TCP',
      port: typeof port === 'number' ? port : undefined,
    };
  });
}

const SLICES = 'service-endpoints-port-mismatch:slices';
const SLICE_KINDS = ['EndpointSlice'];

/** The EndpointSlices of each namespace by the Service they name (their kubernetes.io/service-name
 * label), each slice once, as the copy the index lists first (in a view, the copy nearest to the file
 * being checked), in workspace order of their first copies; once per revision of the EndpointSlices.
 * (Each Service looked at every EndpointSlice of its namespace: 3,000 Services without a selector and
 * their 3,000 slices took most of a second per check, growing with the square of the namespace.) */
function slicesByService(index: ResourceIndex): Map<string, Map<string, Resource[]>> {
  return index.memoKinds(SLICE_KINDS, SLICES, () => {
    const out = new Map<string, Map<string, Resource[]>>();
    const seen = new Map<string, Set<string>>();
    for (const { resource: any } of index.ofKind('EndpointSlice')) {
      if (!any.name) continue;
      const ns = index.namespaceOf(any);
      let names = seen.get(ns);
      if (!names) seen.set(ns, (names = new Set()));
      if (names.has(any.name)) continue;
      names.add(any.name);
      const s = index.find('EndpointSlice', ns, any.name)[0]?.resource ?? any;
      const service = stringValue(getIn(s.node, ['metadata', 'labels', SERVICE_NAME_LABEL]));
      if (service === undefined) continue;
      let byService = out.get(ns);
      if (!byService) out.set(ns, (byService = new Map()));
      const list = byService.get(service);
      if (list) list.push(s);
      else byService.set(service, [s]);
    }
    return out;
  });
}

function describe(p: EndpointPort): string {
  return `${p.name ? `"${p.name}"` : 'unnamed'} ${p.port ?? '?'}/${p.protocol}`;
}

export const rule: CrossFileRule = {
  id: 'service-endpoints-port-mismatch',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Service'],
  description:
    'A Service without a selector whose port has no endpoint port of the same name and protocol in the Endpoints or EndpointSlices the workspace holds for it: kube-proxy pairs them by name, so that port gets no backend.',
  check(ctx) {
    const r = ctx.resource;
    const spec = asMap(getValue(r.node, 'spec'));
    if (!spec || !r.name) return;
    if (getPair(spec, 'selector') || (stringValue(getValue(spec, 'type')) ?? 'ClusterIP') === 'ExternalName')
      return;
    const ns = ctx.index.namespaceOf(r);
    const sources: { what: string; ports: EndpointPort[] }[] = [];
    // (an object defined twice counts once: the copy nearest to this file)
    const endpoints = ctx.index.find('Endpoints', ns, r.name)[0]?.resource;
    if (endpoints) {
      const subsets = asSeq(getValue(endpoints.node, 'subsets'))?.items ?? [];
      sources.push({
        what: `Endpoints ${r.name}`,
        ports: subsets.flatMap((s) => portsOf(getValue(s, 'ports'))),
      });
    }
    // (each slice once, as the copy nearest to this file when a folder defines it several times:
    // the index view lists that copy first)
    for (const s of slicesByService(ctx.index).get(ns)?.get(r.name) ?? [])
      sources.push({ what: `EndpointSlice ${s.name}`, ports: portsOf(getValue(s.node, 'ports')) });
    if (sources.length === 0) return;
    const available = sources.flatMap((x) => x.ports);
    for (const p of asSeq(getValue(spec, 'ports'))?.items ?? []) {
      const nameNode = asScalar(getValue(p, 'name'));
      const name = nameNode ? (stringValue(nameNode) ?? '') : '';
      const protocol = stringValue(getValue(p, 'protocol')) || 'TCP';
      if (available.some((e) => e.name === name && e.protocol === protocol)) continue;
      const at: AstNode = nameNode ?? asMap(p)?.pairs[0]?.key ?? p;
      const theirs = [...new Set(available.map(describe))].join(', ') || 'none';
      // (the endpoint port meant for it: same protocol, and the number of its targetPort or port)
      const numbers = [asScalar(getValue(p, 'targetPort'))?.value, asScalar(getValue(p, 'port'))?.value];
      const same = available.find(
        (e) => e.protocol === protocol && e.port !== undefined && numbers.includes(e.port),
      );
      const hint = same
        ? name
          ? ` Name the endpoint port "${name}"${same.name ? ` (it is "${same.name}")` : ''}, or rename this port`
          : ` Name this Service port "${same.name}", as the endpoint port is named`
        : ` Add an endpoint port${name ? ` named "${name}"` : ' without a name'} for it`;
      ctx.report(
        at,
        `Service port ${name ? `"${name}"` : '(unnamed)'} ${protocol} has no endpoint port of the same name and protocol in ${sources
          .map((x) => x.what)
          .join(
            ', ',
          )} (their ports: ${theirs}): kube-proxy pairs a Service port with endpoint ports by name and protocol, so connections to this port find no backend.${hint}`,
      );
    }
  },
};
