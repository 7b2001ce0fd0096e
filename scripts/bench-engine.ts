// Speed of the routing and reachability engine on generated manifests, read through the real model
// (syntax → model → cluster), as the CLI and the server read them.
//
//   npx tsx scripts/bench-engine.ts [--seed N] [--json FILE] [--only reach]     (`npm run bench` runs it first)
//   (`--only reach`: the reachability rows alone, for profiling the policy engine)
//
// 1. 100,000 URL resolutions against 5,000 Ingress rules (1,000 Ingresses × 5 hosts, 2 paths each,
//    plus wildcard hosts): matches, default backends and misses (which name the nearest rule).
// 2. The reachability matrix of 500 workloads under 200 NetworkPolicies (249,500 ordered pairs), the
//    median of five runs.
//    The same matrix with 20 admin-tier policies (ClusterNetworkPolicy Admin/Baseline, AdminNetworkPolicy)
//    and 50 dialect policies (25 CiliumNetworkPolicy, 25 Calico NetworkPolicy/GlobalNetworkPolicy) added:
//    target within 2× of the plain matrix in CPU time (the two run alternately, five times each; the
//    median of each by CPU time).
// 3. The catastrophic-backtracking regex path `/(a+)+$` (ingress-nginx regex mode) against `/aaa…a!`
//    (26 and 100,000 a's): 3.3 s for 26 a's, doubling per character, with JavaScript's RegExp.
// Targets: each within 1 s. Exit status 0 even when a target is missed (the table says so).

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { ResourceIndex } from '../server/src/workspace/index';
import { buildCluster } from '../server/src/model/cluster';
import { resolveRoute } from '../server/src/engine/route';
import { reachMatrix } from '../server/src/engine/reach-matrix';
import { diffReach } from '../server/src/engine/reach-diff';
import type { Cluster } from '../server/src/engine/types';

const args = process.argv.slice(2);
const seedArg = args.indexOf('--seed');
const jsonArg = args.indexOf('--json');
let seed = seedArg >= 0 ? Number(args[seedArg + 1]) : 42;
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
if (only !== undefined && only !== 'reach') throw new Error(`--only takes "reach", not "${only}"`);

/** Deterministic pseudo-random numbers (mulberry32). */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];

function load(text: string): { cluster: Cluster; ms: number } {
  const t0 = performance.now();
  const index = new ResourceIndex();
  const parsed = parseFile(text);
  index.setFile(
    'bench.yaml',
    parsed.docs.flatMap((d) => resourcesOf(d)),
  );
  const cluster = buildCluster(index);
  return { cluster, ms: performance.now() - t0 };
}

// ------------------------------------------------------------------------------------------- routes
const INGRESSES = 1000;
const HOSTS_PER = 5;
const URLS = 100_000;

function ingressText(): string {
  const docs: string[] = [];
  for (let i = 0; i < INGRESSES; i++) {
    const rules: string[] = [];
    for (let h = 0; h < HOSTS_PER; h++) {
      const host = h === 4 && i % 10 === 0 ? `"*.w${i}.example.com"` : `h${i}-${h}.example.com`;
      rules.push(`  - host: ${host}
    http:
      paths:
      - path: /api/v${h}
        pathType: Prefix
        backend:
          service:
            name: api-${i}
            port:
              number: 80
      - path: /healthz
        pathType: Exact
        backend:
          service:
            name: web-${i}
            port:
              name: http`);
    }
    docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing-${i}
  namespace: ns-${i % 20}
spec:
  ingressClassName: nginx
${i % 50 === 0 ? `  defaultBackend:\n    service:\n      name: fallback\n      port:\n        number: 80\n` : ''}  rules:
${rules.join('\n')}`);
  }
  return docs.join('\n---\n') + '\n';
}

type UrlKind =
  'path match' | 'wildcard host' | 'no path: default backend or nearest path' | 'unknown host: nearest host';

function urls(): { url: string; kind: UrlKind }[] {
  const out: { url: string; kind: UrlKind }[] = [];
  for (let k = 0; k < URLS; k++) {
    const i = Math.floor(random() * INGRESSES);
    const h = Math.floor(random() * HOSTS_PER);
    const r = random();
    if (r < 0.6) out.push({ url: `https://h${i}-${h}.example.com/api/v${h}/items/${k}`, kind: 'path match' });
    else if (r < 0.75) out.push({ url: `http://h${i}-${h}.example.com/healthz`, kind: 'path match' });
    else if (r < 0.85)
      out.push({ url: `http://a${k % 7}.w${i - (i % 10)}.example.com/api/v4/x`, kind: 'wildcard host' });
    else if (r < 0.95)
      out.push({
        url: `http://h${i}-${h}.example.com/other/${k}`,
        kind: 'no path: default backend or nearest path',
      });
    else out.push({ url: `http://unknown-${k}.example.org/x`, kind: 'unknown host: nearest host' });
  }
  return out;
}

// --------------------------------------------------------------------------------------- reachability
const WORKLOADS = 500;
const POLICIES = 200;
const NAMESPACES = 10;
const APPS = 50;

function reachText(): string {
  const docs: string[] = [];
  for (let n = 0; n < NAMESPACES; n++)
    docs.push(
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-${n}\n  labels:\n    env: ${n % 2 ? 'prod' : 'dev'}\n`,
    );
  for (let w = 0; w < WORKLOADS; w++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${w}
  namespace: team-${w % NAMESPACES}
spec:
  selector:
    matchLabels: {app: a${w % APPS}}
  template:
    metadata:
      labels: {app: a${w % APPS}, tier: t${w % 3}}
    spec:
      containers:
      - name: c
        image: example/app
        ports:
        - name: http
          containerPort: ${8000 + (w % 5)}
`);
  }
  for (let p = 0; p < POLICIES; p++) {
    const ns = p % NAMESPACES;
    const peer = pick([
      `    - podSelector:\n        matchLabels: {app: a${Math.floor(random() * APPS)}}\n`,
      `    - namespaceSelector:\n        matchLabels: {env: prod}\n      podSelector:\n        matchLabels: {tier: t${p % 3}}\n`,
      `    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: team-${Math.floor(random() * NAMESPACES)}}\n`,
      `    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [10.1.0.0/16]\n`,
    ]);
    const ports = pick([
      '    ports:\n    - port: http\n',
      '    ports:\n    - port: 8000\n      endPort: 8002\n',
      '',
    ]);
    const egress =
      p % 4 === 0
        ? `  egress:\n  - to:\n    - namespaceSelector: {}\n    ports:\n    - port: 53\n      protocol: UDP\n`
        : '';
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np-${p}
  namespace: team-${ns}
spec:
  podSelector:
${p % 5 === 0 ? '    {}\n' : `    matchLabels: {app: a${Math.floor(random() * APPS)}}\n`}  ingress:
  - from:
${peer}${ports}${egress}`);
  }
  return docs.join('---\n');
}

/** 20 admin-tier and 50 Cilium/Calico policies over the reachability workspace's namespaces and apps. */
function tieredText(): string {
  const docs: string[] = [];
  const actions = ['Accept', 'Deny', 'Pass'];
  for (let i = 0; i < 20; i++) {
    const baseline = i % 5 === 4;
    const v1 = i % 4 === 1;
    const act = (k: number) => (baseline ? (k % 2 ? 'Deny' : 'Accept') : actions[(i + k) % 3]);
    const accept = (a: string) => (v1 && a === 'Accept' ? 'Allow' : a);
    const ports = v1
      ? `    ports:\n    - portNumber:\n        protocol: TCP\n        port: ${8000 + (i % 5)}\n`
      : `    protocols:\n    - tcp:\n        destinationPort:\n          range: {start: 8000, end: 8002}\n`;
    const head = v1
      ? `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: anp-${i}\nspec:\n  priority: ${i * 3}\n`
      : `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: cnp-${i}\nspec:\n  tier: ${baseline ? 'Baseline' : 'Admin'}\n  priority: ${i * 3}\n`;
    docs.push(`${head}  subject:\n    pods:\n      namespaceSelector:\n        matchLabels: {env: ${i % 2 ? 'prod' : 'dev'}}\n      podSelector:\n        matchLabels: {tier: t${i % 3}}
  ingress:
  - action: ${accept(act(0))}
    from:
    - namespaces:
        matchLabels: {kubernetes.io/metadata.name: team-${i % NAMESPACES}}
${ports}  - action: ${accept(act(1))}
    from:
    - pods:
        namespaceSelector: {}
        podSelector:
          matchLabels: {app: a${(i * 7) % APPS}}
  egress:
  - action: ${accept(act(2))}
    to:
    - networks: [10.0.0.0/8]
    - namespaces:
        matchLabels: {env: prod}
`);
  }
  for (let i = 0; i < 25; i++) {
    docs.push(`apiVersion: cilium.io/v2
kind: ${i % 5 === 0 ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy'}
metadata:
  name: cnp-cilium-${i}
${i % 5 === 0 ? '' : `  namespace: team-${i % NAMESPACES}\n`}spec:
  endpointSelector:
    matchLabels: {app: a${(i * 3) % APPS}}
  ingress:
  - fromEndpoints:
    - matchLabels: {tier: t${i % 3}}
    toPorts:
    - ports:
      - port: "${8000 + (i % 5)}"
        protocol: TCP
  ingressDeny:
  - fromEndpoints:
    - matchLabels: {k8s:io.kubernetes.pod.namespace: team-${(i + 1) % NAMESPACES}, app: a${i % APPS}}
`);
    const global = i % 4 === 0;
    docs.push(`apiVersion: projectcalico.org/v3
kind: ${global ? 'GlobalNetworkPolicy' : 'NetworkPolicy'}
metadata:
  name: calico-${i}
${global ? '' : `  namespace: team-${i % NAMESPACES}\n`}spec:
  order: ${100 + i * 10}
  selector: "app == 'a${(i * 11) % APPS}' || tier in {'t${i % 3}'}"
  types: [Ingress]
  ingress:
  - action: ${i % 3 === 0 ? 'Deny' : i % 3 === 1 ? 'Allow' : 'Pass'}
    protocol: TCP
    source:
      selector: "has(app) && tier != 't${(i + 1) % 3}'"
      namespaceSelector: "env == '${i % 2 ? 'prod' : 'dev'}'"
    destination:
      ports: [${8000 + (i % 5)}, "8003:8004"]
  - action: Allow
    source:
      nets: [10.0.0.0/8]
`);
  }
  return docs.join('---\n');
}

// ------------------------------------------------------------------------------------------------ run
/** Wall time, and the CPU time of this process (less disturbed when other processes share the machine). */
function time<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
}

const urlList = urls(); // drawn even with --only reach, so the random workspace below stays the same
const routeRun = only === 'reach' ? undefined : runRoutes();
function runRoutes() {
  const routeInput = load(ingressText());
  const rules = routeInput.cluster.ingresses.reduce((n, i) => n + i.rules.length, 0);
  // Warm-up (builds the route index and lets the JIT settle): the first 2,000 URLs, not counted.
  for (const { url } of urlList.slice(0, 2000))
    resolveRoute(routeInput.cluster, url, { ingressClass: 'nginx' });
  const routes = time(() => {
    let matched = 0;
    for (const { url } of urlList)
      if (resolveRoute(routeInput.cluster, url, { ingressClass: 'nginx' }).match) matched++;
    return matched;
  });
  // Breakdown: the same URLs again, grouped by kind (a separate pass, so timing each kind costs the headline nothing).
  const perKind = new Map<UrlKind, { n: number; ms: number }>();
  for (const kind of new Set(urlList.map((u) => u.kind))) {
    const list = urlList.filter((u) => u.kind === kind);
    perKind.set(kind, {
      n: list.length,
      ms: time(() =>
        list.forEach(({ url }) => resolveRoute(routeInput.cluster, url, { ingressClass: 'nginx' })),
      ).ms,
    });
  }
  return { routeInput, rules, routes, perKind };
}

// one random workspace, reused: the plain matrix, the tiered one and the diff all read the same NetworkPolicies
const REACH_YAML = reachText();
const TIERED_YAML = tieredText();
const reachInput = load(REACH_YAML);
/** A copy of the cluster with nothing memoised on it, so each timed run pays for its indexes and compiled
 * policies as the first request after an edit does. */
const fresh = (c: Cluster): Cluster => ({ ...c });
const tieredInput = load(REACH_YAML + '---\n' + TIERED_YAML);
/** The plain and the tiered matrix, alternately, five runs each: the median of each by CPU time (wall and
 * CPU of that run), so a burst of load on the shared machine hits both alike and the ratio holds. */
function pairedMedians<A, B>(
  f: () => A,
  g: () => B,
): [{ value: A; ms: number; cpuMs: number }, { value: B; ms: number; cpuMs: number }] {
  const fs: { value: A; ms: number; cpuMs: number }[] = [];
  const gs: { value: B; ms: number; cpuMs: number }[] = [];
  for (let i = 0; i < 5; i++) {
    fs.push(time(f));
    gs.push(time(g));
  }
  const med = <T extends { cpuMs: number }>(xs: T[]) => xs.sort((a, b) => a.cpuMs - b.cpuMs)[2];
  return [med(fs), med(gs)];
}
const [matrix, tieredMatrix] = pairedMedians(
  () => reachMatrix(fresh(reachInput.cluster), { port: 'http', protocol: 'TCP' }),
  () => reachMatrix(fresh(tieredInput.cluster), { port: 'http', protocol: 'TCP' }),
);
const allowed = matrix.value.cells.filter((c) => c.allowed).length;
const tieredAllowed = tieredMatrix.value.cells.filter((c) => c.allowed).length;
// diff: the same workspace with one admin-tier policy and one Calico Deny policy removed (some pairs
// open: each is explained on both sides), every declared port of every pair
const tieredAfter = load(
  REACH_YAML +
    '---\n' +
    TIERED_YAML.split('---\n')
      .slice(1)
      .filter((d) => !d.includes('name: calico-0\n'))
      .join('---\n'),
);
const diff = time(() => diffReach(fresh(tieredInput.cluster), fresh(tieredAfter.cluster)));
const byTier = new Map<string, number>();
for (const c of tieredMatrix.value.cells) byTier.set(c.tier ?? '?', (byTier.get(c.tier ?? '?') ?? 0) + 1);

// A regex path that backtracks catastrophically, in ingress-nginx regex mode (engine/regex.ts, linear time)
const evilInput = load(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: evil
spec:
  rules:
  - host: re.example.com
    http:
      paths:
      - path: /(a+)+$
        pathType: ImplementationSpecific
        backend:
          service:
            name: evil
            port:
              number: 80
`);
const evil =
  only === 'reach'
    ? undefined
    : time(() =>
        [26, 100_000].map(
          (n) =>
            resolveRoute(evilInput.cluster, `http://re.example.com/${'a'.repeat(n)}!`, {
              implementationSpecific: 'regex',
            }).match === null,
        ),
      );

const rows = [
  ...(routeRun
    ? [
        {
          what: `${URLS.toLocaleString('en')} URL resolutions, ${routeRun.rules.toLocaleString('en')} Ingress rules`,
          ms: routeRun.routes.ms,
          cpuMs: routeRun.routes.cpuMs,
          target: 1000,
          detail: `${routeRun.routes.value.toLocaleString('en')} matched; loading the YAML ${routeRun.routeInput.ms.toFixed(0)} ms`,
        },
      ]
    : []),
  {
    what: `matrix ${reachInput.cluster.workloads.length} workloads × ${reachInput.cluster.policies.length} policies`,
    ms: matrix.ms,
    cpuMs: matrix.cpuMs,
    target: 1000,
    detail: `${matrix.value.cells.length.toLocaleString('en')} pairs, ${allowed.toLocaleString('en')} allowed; loading the YAML ${reachInput.ms.toFixed(0)} ms`,
  },
  {
    what: `matrix + ${tieredInput.cluster.adminPolicies?.length ?? 0} admin-tier + ${(tieredInput.cluster.ciliumPolicies?.length ?? 0) + (tieredInput.cluster.calicoPolicies?.length ?? 0)} Cilium/Calico policies`,
    ms: tieredMatrix.ms,
    cpuMs: tieredMatrix.cpuMs,
    target: Math.max(2 * matrix.cpuMs, 1),
    cpuTarget: true,
    detail: `${(tieredMatrix.cpuMs / matrix.cpuMs).toFixed(2)}× the plain matrix's CPU time (target 2×; wall ${(tieredMatrix.ms / matrix.ms).toFixed(2)}×); ${tieredAllowed.toLocaleString('en')} allowed; deciding tier: ${[...byTier.entries()].map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')}`,
  },
  {
    what: 'diff of two such workspaces (one admin-tier and one Calico policy removed), every declared port',
    ms: diff.ms,
    cpuMs: diff.cpuMs,
    target: 2000,
    detail: `${diff.value.opened.length.toLocaleString('en')} pair-ports opened, ${diff.value.closed.length.toLocaleString('en')} closed, ${diff.value.policies.length} policy change(s)`,
  },
  ...(evil
    ? [
        {
          what: "regex path /(a+)+$ against /a…a! (26 and 100,000 a's)",
          ms: evil.ms,
          cpuMs: evil.cpuMs,
          target: 1000,
          detail: evil.value.every(Boolean)
            ? 'both answered "no match" (JavaScript RegExp: 3.3 s at 26 a\'s, doubling per a)'
            : 'WRONG ANSWER: a path matched',
        },
      ]
    : []),
];
console.log('engine benchmark (seed ' + (seedArg >= 0 ? args[seedArg + 1] : '42') + ')');
console.log('| what | wall | cpu | target | |\n|---|---:|---:|---:|---|');
for (const r of rows)
  console.log(
    `| ${r.what} | ${r.ms.toFixed(0)} ms | ${r.cpuMs.toFixed(0)} ms | ${r.target.toFixed(0)} ms${'cpuTarget' in r ? ' cpu' : ''} | ${('cpuTarget' in r ? r.cpuMs : r.ms) <= r.target ? 'ok' : 'MISSED'}: ${r.detail} |`,
  );
console.log(
  `(load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs: wall times grow when other processes share the machine)`,
);
if (routeRun) console.log('\nURL resolutions by kind:');
for (const [kind, k] of routeRun?.perKind ?? [])
  console.log(
    `  ${kind}: ${k.n.toLocaleString('en')} in ${k.ms.toFixed(0)} ms (${((k.ms * 1000) / k.n).toFixed(1)} µs each)`,
  );
if (jsonArg >= 0) writeFileSync(args[jsonArg + 1], JSON.stringify(rows, null, 2) + '\n');
