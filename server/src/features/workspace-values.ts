// Completion of values the workspace defines: Service names and their ports in Ingress backends, TLS
// Secret names, IngressClass names, label keys and values in selectors, container port names in
// NetworkPolicy ports and Service targetPorts, namespaces. Each value says where it is defined (the
// language service turns the source offset into file:line). Same-namespace values sort first.

import type { AstNode, MapNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getIn, getValue, nodePathAt, scalarText, stringValue } from '../syntax/ast';
import type { ParsedDocument } from '../syntax/parse';
import type { Resource } from '../model/resource';
import { resourcesOf } from '../model/resource';
import { buildCluster } from '../model/cluster';
import type { ResourceIndex } from '../workspace/index';
import type { WorkloadInfo } from '../engine/types';
import { matchesMap } from '../engine/selector';
import type { Segment } from './yaml-path';
import { calicoSetSelectorValues, isCalicoRuleSelector } from './completion-calico';

export interface ValueSource {
  uri: string;
  offset: number;
}

export interface WorkspaceValue {
  label: string;
  /** What the value is (shown next to it), e.g. "Service web (shop), port 80". */
  detail: string;
  /** Where it is defined. */
  source?: ValueSource;
  /** 0 sorts first (same namespace), then 1. */
  group: number;
  /** Text inserted for a key completion (`app: `), else the label. */
  insertText?: string;
}

export interface ValueQuery {
  path: readonly Segment[];
  mode: 'key' | 'value';
  doc: ParsedDocument;
  offset: number;
  index: ResourceIndex;
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

const endsWith = (path: readonly Segment[], tail: readonly Segment[]) =>
  path.length >= tail.length && tail.every((s, i) => path[path.length - tail.length + i] === s);

function srcOf(uri: string, r: Resource, node: AstNode | undefined): ValueSource {
  return { uri, offset: r.doc.base + (node ?? r.nameNode ?? r.kindNode).start };
}

/** The maps around the cursor, innermost first (from the parse, which holds partial documents). */
function mapsAround(doc: ParsedDocument, offset: number): MapNode[] {
  if (!doc.root) return [];
  const chain = nodePathAt(doc.root, offset);
  const out: MapNode[] = [];
  for (let i = chain.length - 1; i >= 0; i--) {
    const n = chain[i];
    if ('type' in n && n.type === 'map') out.push(n);
  }
  return out;
}

function services(q: ValueQuery, ns: string): WorkspaceValue[] {
  const out: WorkspaceValue[] = [];
  const seen = new Set<string>();
  for (const { uri, resource: r } of q.index.ofKind('Service')) {
    const sns = q.index.namespaceOf(r);
    const key = `${sns}/${r.name}`;
    if (!r.name || seen.has(key)) continue;
    seen.add(key);
    const ports = (asSeq(getIn(r.node, ['spec', 'ports']))?.items ?? [])
      .map((p) => scalarText(getValue(p, 'name')) ?? scalarText(getValue(p, 'port')))
      .filter(Boolean);
    const same = sns === ns;
    out.push({
      label: r.name,
      group: same ? 0 : 1,
      detail: `Service in ${sns}${ports.length ? `, ports ${ports.join(', ')}` : ''}${same ? '' : ' (another namespace: an Ingress reaches only its own)'}`,
      source: srcOf(uri, r, r.nameNode),
    });
  }
  return out;
}

function servicePorts(
  q: ValueQuery,
  ns: string,
  serviceName: string | undefined,
  want: 'number' | 'name' | 'both',
): WorkspaceValue[] {
  if (!serviceName) return [];
  const found = q.index.find('Service', ns, serviceName)[0];
  if (!found) return [];
  const out: WorkspaceValue[] = [];
  for (const p of asSeq(getIn(found.resource.node, ['spec', 'ports']))?.items ?? []) {
    const num = asScalar(getValue(p, 'port'));
    const name = asScalar(getValue(p, 'name'));
    const target = scalarText(getValue(p, 'targetPort'));
    const what = `port of Service ${serviceName}${target ? ` → targetPort ${target}` : ''}`;
    if ((want === 'number' || want === 'both') && num && typeof num.value === 'number')
      out.push({
        label: String(num.value),
        group: 0,
        detail: `${what}${name?.value ? ` (named ${name.value})` : ''}`,
        source: srcOf(found.uri, found.resource, num),
      });
    if ((want === 'name' || want === 'both') && name && typeof name.value === 'string' && name.value)
      out.push({
        label: name.value,
        group: 0,
        detail: `${what} (port ${num?.value ?? '?'})`,
        source: srcOf(found.uri, found.resource, name),
      });
  }
  return out;
}

function secrets(q: ValueQuery, ns: string): WorkspaceValue[] {
  const out: WorkspaceValue[] = [];
  const names = new Set<string>();
  for (const { uri, resource: r } of q.index.ofKind('Secret', ns)) {
    if (!r.name) continue;
    names.add(r.name);
    const type = stringValue(getIn(r.node, ['type'])) ?? 'Opaque';
    out.push({
      label: r.name,
      group: type === 'kubernetes.io/tls' ? 0 : 1,
      detail: `Secret in ${ns}, type ${type}`,
      source: srcOf(uri, r, r.nameNode),
    });
  }
  // cert-manager Certificates create their Secret
  for (const { uri, resource: r } of q.index.ofKind('Certificate', ns)) {
    const s = asScalar(getIn(r.node, ['spec', 'secretName']));
    if (s && typeof s.value === 'string' && !names.has(s.value)) {
      names.add(s.value);
      out.push({
        label: s.value,
        group: 0,
        detail: `TLS Secret created by cert-manager Certificate ${r.name ?? ''}`,
        source: srcOf(uri, r, s),
      });
    }
  }
  return out;
}

function ingressClasses(q: ValueQuery): WorkspaceValue[] {
  return q.index
    .ofKind('IngressClass')
    .filter((e) => e.resource.name)
    .map(({ uri, resource: r }) => {
      const controller = stringValue(getIn(r.node, ['spec', 'controller']));
      const isDefault =
        stringValue(
          getIn(r.node, ['metadata', 'annotations', 'ingressclass.kubernetes.io/is-default-class']),
        ) === 'true';
      return {
        label: r.name!,
        group: 0,
        detail: `IngressClass${controller ? `, controller ${controller}` : ''}${isDefault ? ' (default)' : ''}`,
        source: srcOf(uri, r, r.nameNode),
      };
    });
}

function namespaces(q: ValueQuery): WorkspaceValue[] {
  const out = new Map<string, WorkspaceValue>();
  for (const { uri, resource: r } of q.index.ofKind('Namespace'))
    if (r.name && !out.has(r.name))
      out.set(r.name, { label: r.name, group: 0, detail: 'Namespace', source: srcOf(uri, r, r.nameNode) });
  for (const { uri, resource: r } of q.index.all()) {
    if (r.kind === 'Namespace' || !r.namespace || out.has(r.namespace)) continue;
    out.set(r.namespace, {
      label: r.namespace,
      group: 1,
      detail: `namespace used by ${r.kind} ${r.name ?? ''}`,
      source: srcOf(uri, r, undefined),
    });
  }
  return [...out.values()];
}

interface LabelSource {
  labels: Record<string, string>;
  what: string;
  source?: ValueSource;
  ns: string;
}

function podLabelSources(q: ValueQuery): LabelSource[] {
  const cluster = buildCluster(q.index);
  return cluster.workloads.map((w) => ({
    labels: w.podLabels,
    what: `pods of ${w.id.kind} ${w.id.name} (${w.id.namespace})`,
    source:
      (w.labelsSource ?? w.source)
        ? { uri: (w.labelsSource ?? w.source)!.uri, offset: (w.labelsSource ?? w.source)!.start }
        : undefined,
    ns: w.id.namespace,
  }));
}

function namespaceLabelSources(q: ValueQuery): LabelSource[] {
  const cluster = buildCluster(q.index);
  return cluster.namespaces.map((n) => ({
    labels: { [NAME_LABEL]: n.name, ...n.labels },
    what: `Namespace ${n.name}${n.implied ? ' (used, not defined)' : ''}`,
    source: n.source ? { uri: n.source.uri, offset: n.source.start } : undefined,
    ns: n.name,
  }));
}

function labelKeys(sources: LabelSource[], ns: string | undefined): WorkspaceValue[] {
  const out = new Map<string, WorkspaceValue>();
  for (const s of sources) {
    for (const [k, v] of Object.entries(s.labels)) {
      const group = ns === undefined || s.ns === ns ? 0 : 1;
      const prev = out.get(k);
      if (prev && prev.group <= group) continue;
      out.set(k, {
        label: k,
        insertText: `${k}: `,
        group,
        detail: `label on ${s.what} (${k}=${v})`,
        source: s.source,
      });
    }
  }
  return [...out.values()];
}

function labelValues(sources: LabelSource[], key: string, ns: string | undefined): WorkspaceValue[] {
  const out = new Map<string, WorkspaceValue>();
  for (const s of sources) {
    const v = s.labels[key];
    if (v === undefined) continue;
    const group = ns === undefined || s.ns === ns ? 0 : 1;
    const prev = out.get(v);
    if (prev && prev.group <= group) continue;
    out.set(v, { label: v, group, detail: `${key}=${v} on ${s.what}`, source: s.source });
  }
  return [...out.values()];
}

function containerPortNames(workloads: WorkloadInfo[], ns: string): WorkspaceValue[] {
  const out = new Map<string, WorkspaceValue>();
  for (const w of workloads) {
    for (const c of w.containers) {
      for (const p of c.ports) {
        if (!p.name) continue;
        const group = w.id.namespace === ns ? 0 : 1;
        const prev = out.get(p.name);
        if (prev && prev.group <= group) continue;
        const at = p.source ?? w.source;
        out.set(p.name, {
          label: p.name,
          group,
          detail: `container port ${p.containerPort}/${p.protocol} of ${c.name} in ${w.id.kind} ${w.id.name} (${w.id.namespace})`,
          source: at ? { uri: at.uri, offset: at.start } : undefined,
        });
      }
    }
  }
  return [...out.values()];
}

/** The workspace values that fit the cursor's position, or [] when it is not a reference. */
export function workspaceValues(q: ValueQuery): WorkspaceValue[] {
  const resource =
    resourcesOf(q.doc).find((r) => q.offset >= r.node.start && q.offset <= r.node.end) ??
    resourcesOf(q.doc)[0];
  const kind = resource?.kind;
  const ns = resource ? q.index.namespaceOf(resource) : q.index.defaultNamespace;
  const p = q.path;
  if (q.mode === 'value' && p.length === 2 && p[0] === 'metadata' && p[1] === 'namespace')
    return namespaces(q);
  if (kind === 'Ingress' && q.mode === 'value') {
    if (endsWith(p, ['spec', 'ingressClassName'])) return ingressClasses(q);
    if (endsWith(p, ['tls', '[]', 'secretName'])) return secrets(q, ns);
    if (endsWith(p, ['service', 'name']) || endsWith(p, ['serviceName'])) return services(q, ns);
    const around = mapsAround(q.doc, q.offset);
    if (endsWith(p, ['service', 'port', 'number']) || endsWith(p, ['service', 'port', 'name'])) {
      const service = around.find(
        (m) => getValue(m, 'port') !== undefined && getValue(m, 'name') !== undefined,
      );
      return servicePorts(
        q,
        ns,
        stringValue(getValue(service, 'name')),
        p[p.length - 1] === 'number' ? 'number' : 'name',
      );
    }
    if (endsWith(p, ['servicePort'])) {
      const backend = around.find((m) => getValue(m, 'serviceName') !== undefined);
      return servicePorts(q, ns, stringValue(getValue(backend, 'serviceName')), 'both');
    }
  }
  if (q.mode === 'value' && resource && isCalicoRuleSelector(resource, p))
    return calicoSetSelectorValues(resource, q.index);
  // selectors: a Service's spec.selector, every matchLabels, matchExpressions keys and values
  const inNamespaceSelector = p.includes('namespaceSelector');
  const selectorAt = (() => {
    if (kind === 'Service' && p[0] === 'spec' && p[1] === 'selector') return 2;
    const i = p.lastIndexOf('matchLabels');
    return i >= 0 ? i + 1 : -1;
  })();
  if (selectorAt >= 0) {
    const sources = inNamespaceSelector ? namespaceLabelSources(q) : podLabelSources(q);
    const scope = inNamespaceSelector ? undefined : ns;
    if (q.mode === 'key' && p.length === selectorAt) return labelKeys(sources, scope);
    if (q.mode === 'value' && p.length === selectorAt + 1)
      return labelValues(sources, String(p[selectorAt]), scope);
  }
  if (p.includes('matchExpressions') && q.mode === 'value') {
    const sources = inNamespaceSelector ? namespaceLabelSources(q) : podLabelSources(q);
    const scope = inNamespaceSelector ? undefined : ns;
    if (endsWith(p, ['matchExpressions', '[]', 'key']))
      return labelKeys(sources, scope).map((v) => ({ ...v, insertText: undefined }));
    if (
      endsWith(p, ['matchExpressions', '[]', 'values', '[]']) ||
      endsWith(p, ['matchExpressions', '[]', 'values'])
    ) {
      const expr = mapsAround(q.doc, q.offset).find((m) => getValue(m, 'key') !== undefined);
      const key = stringValue(getValue(expr, 'key'));
      return key ? labelValues(sources, key, scope) : [];
    }
  }
  if (q.mode === 'value' && kind === 'NetworkPolicy' && endsWith(p, ['ports', '[]', 'port'])) {
    const cluster = buildCluster(q.index);
    return containerPortNames(cluster.workloads, ns);
  }
  if (q.mode === 'value' && kind === 'Service' && endsWith(p, ['spec', 'ports', '[]', 'targetPort'])) {
    const cluster = buildCluster(q.index);
    const selector = asMap(getIn(resource!.node, ['spec', 'selector']));
    const labels: Record<string, string> = {};
    for (const pair of selector?.pairs ?? [])
      if (pair.keyText !== undefined) labels[pair.keyText] = scalarText(pair.value) ?? '';
    const inNs = cluster.workloads.filter((w) => w.id.namespace === ns);
    const selected = Object.keys(labels).length ? inNs.filter((w) => matchesMap(labels, w.podLabels)) : [];
    return containerPortNames(selected.length ? selected : inNs, ns);
  }
  return [];
}
