// The cluster and the route graph are brought up to date after an edit (the cluster's parts from the
// files that changed, the route graph namespace by namespace, kept across revisions while their inputs
// are the same): after every step of seeded random edit sequences (ports, names, namespaces,
// selectors, backends, tls entries, Secret types, duplicated objects, a default IngressClass, files
// added and removed, documents moved by a document above them that grows), the workspace edited step by
// step gives the same cluster, the same route graph (entries, Services, tls coverage, problems in
// order) and the same diagnostics in every file as a workspace loaded from scratch with the same texts.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import { buildCluster } from '../server/src/model/cluster';
import { routeGraph } from '../server/src/engine/route/graph';
import type { RouteGraph, RouteGraphProblem } from '../server/src/engine/route/graph';
import type { Cluster, SourceRef } from '../server/src/engine/types';
import { makeCertificate, tlsSecretYaml } from './support/certs';
import type { TestCertificate } from './support/certs';

/** A small seeded generator (mulberry32): the same sequences on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMESPACES = ['shop', 'blog', 'default'];
const APPS = ['web', 'api', 'cart'];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}

/** The pieces one file is made of; every edit changes one of them. */
interface Spec {
  kind: 'Service' | 'Deployment' | 'Ingress' | 'Secret' | 'IngressClass';
  ns: string;
  name: string;
  app: string;
  port: number;
  targetPort: number | string;
  /** Ingress: backends (Service name, port by number or name), tls entry. */
  backend: string;
  backendPort: number | string;
  host: string;
  secretName?: string;
  /** Secret: type and which certificate it holds. */
  secretType: string;
  cert: number;
  isDefault: boolean;
  /** How long the document above it is (0: none); a change moves the documents below. */
  pad: number;
  /** A second object in the same file (another Service). */
  extra?: string;
}

let certs: TestCertificate[] = [];

function text(s: Spec): string {
  const meta = (name: string) =>
    `metadata:\n  name: ${name}\n${s.ns === 'default' ? '' : `  namespace: ${s.ns}\n`}`;
  // a document above the objects, of a length that changes: the documents below it move
  const pad = s.pad ? `padding: ${'x'.repeat(s.pad * 5)}\n---\n` : '';
  let body: string;
  switch (s.kind) {
    case 'Service':
      body = `apiVersion: v1\nkind: Service\n${meta(s.name)}spec:\n  selector:\n    app: ${s.app}\n  ports:\n  - name: http\n    port: ${s.port}\n    targetPort: ${s.targetPort}\n`;
      if (s.extra)
        body += `---\napiVersion: v1\nkind: Service\n${meta(s.extra)}spec:\n  selector:\n    app: ${s.app}\n  ports:\n  - port: 9090\n`;
      break;
    case 'Deployment':
      body = `apiVersion: apps/v1\nkind: Deployment\n${meta(s.name)}spec:\n  selector:\n    matchLabels:\n      app: ${s.app}\n  template:\n    metadata:\n      labels:\n        app: ${s.app}\n    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n        ports:\n        - name: http\n          containerPort: 8080\n        - name: admin\n          containerPort: 9090\n`;
      break;
    case 'Ingress': {
      const port = typeof s.backendPort === 'number' ? `number: ${s.backendPort}` : `name: ${s.backendPort}`;
      body = `apiVersion: networking.k8s.io/v1\nkind: Ingress\n${meta(s.name)}spec:\n${
        s.secretName ? `  tls:\n  - hosts:\n    - ${s.host}\n    secretName: ${s.secretName}\n` : ''
      }  rules:\n  - host: ${s.host}\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: ${s.backend}\n            port:\n              ${port}\n`;
      break;
    }
    case 'Secret':
      body = tlsSecretYaml(s.name, certs[s.cert], {
        namespace: s.ns === 'default' ? undefined : s.ns,
        type: s.secretType,
      });
      break;
    case 'IngressClass':
      body = `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: ${s.name}\n${
        s.isDefault ? '  annotations:\n    ingressclass.kubernetes.io/is-default-class: "true"\n' : ''
      }spec:\n  controller: k8s.io/ingress-nginx\n`;
      break;
  }
  return pad + body;
}

function newSpec(rnd: () => number, kind: Spec['kind']): Spec {
  const app = pick(rnd, APPS);
  return {
    kind,
    ns: pick(rnd, NAMESPACES),
    name:
      kind === 'Service' || kind === 'Deployment'
        ? app
        : kind === 'Secret'
          ? pick(rnd, ['tls-a', 'tls-b'])
          : `${kind.toLowerCase()}-${pick(rnd, APPS)}`,
    app,
    port: pick(rnd, [80, 8080, 443]),
    targetPort: pick(rnd, [8080, 'http', 'admin', 7070]),
    backend: pick(rnd, APPS),
    backendPort: pick(rnd, [80, 8080, 'http', 443]),
    host: pick(rnd, ['shop.example.com', 'blog.example.com']),
    secretName: rnd() < 0.7 ? pick(rnd, ['tls-a', 'tls-b']) : undefined,
    secretType: 'kubernetes.io/tls',
    cert: Math.floor(rnd() * 2),
    isDefault: rnd() < 0.5,
    pad: 0,
  };
}

/** One random edit of a spec (or undefined: the file is deleted). */
function edit(rnd: () => number, s: Spec): Spec | undefined {
  const n = { ...s };
  switch (Math.floor(rnd() * 13)) {
    case 0:
      n.port = pick(rnd, [80, 8080, 443, 81]);
      break;
    case 1:
      n.name = s.kind === 'Secret' ? pick(rnd, ['tls-a', 'tls-b', 'tls-c']) : pick(rnd, [...APPS, 'other']);
      break;
    case 2:
      n.ns = pick(rnd, NAMESPACES);
      break;
    case 3:
      n.app = pick(rnd, [...APPS, 'nobody']);
      break;
    case 4:
      n.backend = pick(rnd, [...APPS, 'missing']);
      n.backendPort = pick(rnd, [80, 8080, 'http', 443, 9999]);
      break;
    case 5:
      n.secretName = rnd() < 0.8 ? pick(rnd, ['tls-a', 'tls-b', 'tls-c']) : undefined;
      break;
    case 6:
      n.secretType = pick(rnd, ['kubernetes.io/tls', 'Opaque']);
      n.cert = Math.floor(rnd() * 2);
      break;
    case 7:
      n.isDefault = !s.isDefault;
      break;
    case 8:
      n.pad = (s.pad + 1) % 4;
      break;
    case 9:
      n.extra = s.extra ? undefined : pick(rnd, APPS);
      break;
    case 10:
      n.targetPort = pick(rnd, [8080, 'http', 'admin', 7070, 9090]);
      break;
    case 11:
      n.host = pick(rnd, ['shop.example.com', 'blog.example.com', 'www.example.com']);
      break;
    case 12:
      return undefined;
  }
  return n;
}

const KINDS: Spec['kind'][] = [
  'Service',
  'Deployment',
  'Ingress',
  'Secret',
  'Service',
  'Ingress',
  'IngressClass',
];

const at = (s: SourceRef | undefined) => (s ? `${s.uri}:${s.start}-${s.end}` : '-');
const problem = (p: RouteGraphProblem) =>
  `${p.ruleId} ${p.severity} ${at(p.at)} ${p.message}${(p.related ?? []).map((r) => ` [${at(r)} ${r.message}]`).join('')}${p.data ? ` ${JSON.stringify(p.data)}` : ''}`;
const id = (x: { id: { kind?: string; namespace: string; name: string } }) =>
  `${x.id.kind ?? ''}/${x.id.namespace}/${x.id.name}`;

/** What the graph says, as text: every list in its order. */
function graphText(g: RouteGraph): string[] {
  const out: string[] = [];
  for (const e of g.entries) {
    const b =
      'backend' in e
        ? (e as { backend?: { target?: { service: { id: never } }; problems: RouteGraphProblem[] } }).backend
        : undefined;
    out.push(
      `entry ${e.id} ${e.kind} ${at(e.source)} ${'ingressClass' in e ? e.ingressClass : ''} -> ${b?.target ? id(b.target.service as never) : '-'} ${(b?.problems ?? []).map(problem).join(' | ')}`,
    );
  }
  for (const [k, t] of g.services)
    out.push(
      `service ${k} ${at(t.service.source)} [${t.workloads.map(id).join(',')}] ${t.ports.map((p) => `${p.port.port}:${p.pods.map((x) => x.containerPort?.containerPort ?? '?').join('/')}`).join(' ')} ${t.problems.map(problem).join(' | ')}`,
    );
  for (const c of g.tls)
    out.push(
      `tls ${id(c.ingress)} ${c.secretName} ${c.secret ? id(c.secret) : '-'} ${c.problems.map(problem).join(' | ')}`,
    );
  for (const p of g.problems) out.push(`problem ${problem(p)}`);
  out.push(`backends ${g.backends.size} tlsOf ${g.tlsOf.size}`);
  return out;
}

function clusterText(c: Cluster): string[] {
  const out: string[] = [];
  for (const [name, list] of Object.entries(c)) {
    if (!Array.isArray(list)) continue;
    out.push(
      `${name}: ${list
        .map((x: { id?: { namespace: string; name: string }; name?: string; source?: SourceRef }) =>
          x.id ? `${x.id.namespace}/${x.id.name}@${at(x.source)}` : `${x.name ?? ''}@${at(x.source)}`,
        )
        .join(', ')}`,
    );
  }
  return out;
}

function load(files: Map<string, string>, order: string[]) {
  const ws = new TextWorkspace();
  const service = createLanguageService(ws);
  for (const uri of order) ws.set(uri, files.get(uri)!);
  return { ws, service };
}

function snapshot(w: ReturnType<typeof load>, uris: string[]) {
  const cluster = buildCluster(w.ws.index);
  const graph = routeGraph(cluster);
  // each problem as a rule asks for it: at its value, in the namespace of the object holding it
  const lookups: string[] = [];
  for (const p of graph.problems) {
    if (!p.at) continue;
    const r = w.ws.index
      .resourcesOf(p.at.uri)
      .find((x) => x.doc.base <= p.at!.start && p.at!.start < x.doc.base + x.doc.text.length);
    const ns = r ? w.ws.index.namespaceOf(r) : undefined;
    lookups.push(
      `${problem(p)} -> ${graph.problemsAt(p.ruleId, p.at.uri, p.at.start, ns).map(problem).join(' | ')}`,
    );
  }
  return {
    cluster: clusterText(cluster),
    graph: graphText(graph),
    lookups,
    // the problems each value of each file is given, as the rules ask for them
    diagnostics: uris.map((u) =>
      w.service
        .doValidation(u)
        .map(
          (d) => `${u} ${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character} ${d.message}`,
        ),
    ),
  };
}

before(async () => {
  certs = [
    await makeCertificate({ dnsNames: ['shop.example.com', 'blog.example.com', 'www.example.com'] }),
    await makeCertificate({ dnsNames: ['shop.example.com', 'blog.example.com', 'www.example.com'] }),
  ];
});

for (const seed of [1, 2, 3, 4]) {
  test(`after random edits (seed ${seed}) the incremental cluster, route graph and diagnostics equal those built from scratch`, () => {
    const rnd = random(seed);
    const specs = new Map<string, Spec>();
    let next = 0;
    const add = () => {
      const uri = `file:///ws/f${String(next++).padStart(2, '0')}.yaml`;
      specs.set(uri, newSpec(rnd, pick(rnd, KINDS)));
      return uri;
    };
    for (let i = 0; i < 14; i++) add();
    const texts = () => new Map([...specs].map(([u, s]) => [u, text(s)]));
    const live = load(texts(), [...specs.keys()]);
    // the graph and rules are asked for once per revision, as the server does
    snapshot(live, [...specs.keys()]);
    for (let step = 0; step < 60; step++) {
      const what = rnd();
      if (what < 0.1) {
        const uri = add();
        live.ws.set(uri, text(specs.get(uri)!));
      } else {
        const uri = pick(rnd, [...specs.keys()]);
        const changed = edit(rnd, specs.get(uri)!);
        if (changed) {
          specs.set(uri, changed);
          live.ws.set(uri, text(changed));
        } else {
          specs.delete(uri);
          live.ws.delete(uri);
        }
      }
      const uris = [...specs.keys()].sort();
      const got = snapshot(live, uris);
      // from scratch: a new workspace, the files given in another order
      const fresh = snapshot(load(texts(), [...uris].reverse()), uris);
      assert.deepEqual(got.cluster, fresh.cluster, `cluster after step ${step}`);
      assert.deepEqual(got.graph, fresh.graph, `route graph after step ${step}`);
      assert.deepEqual(got.lookups, fresh.lookups, `problems looked up at their values after step ${step}`);
      assert.deepEqual(got.diagnostics, fresh.diagnostics, `diagnostics after step ${step}`);
    }
  });
}

test('the random edits reach every route graph problem kind they can make', () => {
  // (so that the comparison above is not between two empty graphs)
  const rnd = random(7);
  const seen = new Set<string>();
  for (let round = 0; round < 60; round++) {
    const files = new Map<string, string>();
    for (let i = 0; i < 12; i++) {
      let s = newSpec(rnd, pick(rnd, KINDS));
      for (let e = 0; e < 3; e++) s = edit(rnd, s) ?? s;
      files.set(`file:///ws/g${i}.yaml`, text(s));
    }
    const w = load(files, [...files.keys()]);
    for (const p of routeGraph(buildCluster(w.ws.index)).problems) seen.add(p.ruleId);
  }
  for (const rule of [
    'ingress-backend-service-missing',
    'ingress-backend-port-missing',
    'service-selector-no-match',
    'service-target-port',
    'ingress-tls-secret-missing',
    'ingress-tls-secret-type',
    'ingress-tls-secret-conflict',
  ])
    assert.ok(seen.has(rule), `random workspaces raise ${rule}`);
});
