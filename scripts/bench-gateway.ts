// Speed of the Gateway API checks and resolver on one generated 10k-line file of Gateway API resources
// (a measurement, not a test; `npm run bench` runs it):
//   - the first check of the whole file in-process through the language service (parse, schema, the
//     CEL-style file rules, the cross-resource Gateway graph), then a re-check after a one-line edit;
//   - `kube-netlens check FILE --format json` as a process (wall time and peak RSS);
//   - 10,000 `route --gateway` resolutions against the same objects.
// The file holds Namespaces, Services, 4 Gateways (HTTP + HTTPS listeners, ListenerSets), HTTPRoutes
// with path/header/query matches, filters and traffic splits, GRPCRoutes, TLS/TCP routes,
// ReferenceGrants and BackendTLSPolicies, with a few deliberate mistakes so every rule has work.
//
//   npm run build && node --import tsx scripts/bench-gateway.ts [--lines 10000] [--json FILE]
// Exit status 0 even when a target is missed (the table says so).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import { languageSettings, normalizeSettings } from '../server/src/lsp/settings';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { ResourceIndex } from '../server/src/workspace/index';
import { buildCluster } from '../server/src/model/cluster';
import { resolveGatewayRoute } from '../server/src/engine/gateway';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const LINES = Number(opt('--lines', '10000'));
const JSON_OUT = args.includes('--json') ? opt('--json', '') : '';

const GW_NS = 'infra';
const TEAMS = ['shop', 'blog', 'api', 'media', 'search', 'auth', 'billing', 'ads'];

function namespace(n: string): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n  labels:\n    gateway-access: "true"\n`;
}
function service(ns: string, name: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  ports:\n  - name: http\n    port: 8080\n    targetPort: 8080\n  - name: grpc\n    port: 9090\n`;
}
function gateway(i: number): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge-${i}
  namespace: ${GW_NS}
spec:
  gatewayClassName: example
  allowedListeners:
    namespaces:
      from: Same
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    hostname: "*.site${i}.example.com"
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchLabels:
            gateway-access: "true"
  - name: https
    protocol: HTTPS
    port: 443
    hostname: "*.site${i}.example.com"
    tls:
      mode: Terminate
      certificateRefs:
      - name: site${i}-cert
    allowedRoutes:
      namespaces:
        from: All
  - name: tls
    protocol: TLS
    port: 8443
    hostname: "db.site${i}.example.com"
    tls:
      mode: Passthrough
    allowedRoutes:
      namespaces:
        from: All
  - name: tcp
    protocol: TCP
    port: 5432
    allowedRoutes:
      namespaces:
        from: All
`;
}
function listenerSet(i: number): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: extra-${i}
  namespace: ${GW_NS}
spec:
  parentRef:
    name: edge-${i}
  listeners:
  - name: extra
    protocol: HTTP
    port: 80
    hostname: "extra.site${i}.example.com"
    allowedRoutes:
      namespaces:
        from: All
`;
}
function httpRoute(k: number, ns: string, gw: number): string {
  const bad = k % 37 === 0; // a deliberate mistake now and then: a missing Service port
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web-${k}
  namespace: ${ns}
spec:
  parentRefs:
  - name: edge-${gw}
    namespace: ${GW_NS}
    sectionName: http
  - name: edge-${gw}
    namespace: ${GW_NS}
    sectionName: https
  hostnames:
  - "app${k}.site${gw}.example.com"
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api/v${k % 3}
      headers:
      - name: x-canary
        value: "true"
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: x-route
          value: web-${k}
    backendRefs:
    - name: svc-${k}-a
      port: 8080
      weight: 90
    - name: svc-${k}-b
      port: ${bad ? 8081 : 8080}
      weight: 10
  - matches:
    - path:
        type: Exact
        value: /login
      method: POST
    - path:
        type: PathPrefix
        value: /static
      queryParams:
      - name: v
        value: "2"
    filters:
    - type: URLRewrite
      urlRewrite:
        hostname: internal.example.com
    backendRefs:
    - name: svc-${k}-a
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /old
    filters:
    - type: RequestRedirect
      requestRedirect:
        scheme: https
        statusCode: 301
`;
}
function grpcRoute(k: number, ns: string, gw: number): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: rpc-${k}
  namespace: ${ns}
spec:
  parentRefs:
  - name: edge-${gw}
    namespace: ${GW_NS}
    sectionName: https
  hostnames:
  - "rpc${k}.site${gw}.example.com"
  rules:
  - matches:
    - method:
        service: pkg.Service${k}
        method: Get
    backendRefs:
    - name: svc-${k}-a
      port: 9090
`;
}
function tlsRoute(k: number, ns: string, gw: number): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: db-${k}
  namespace: ${ns}
spec:
  parentRefs:
  - name: edge-${gw}
    namespace: ${GW_NS}
    sectionName: tls
  hostnames:
  - "db.site${gw}.example.com"
  rules:
  - backendRefs:
    - name: svc-${k}-a
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata:
  name: pg-${k}
  namespace: ${ns}
spec:
  parentRefs:
  - name: edge-${gw}
    namespace: ${GW_NS}
    sectionName: tcp
  rules:
  - backendRefs:
    - name: svc-${k}-a
      port: 8080
`;
}
function grant(ns: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: from-infra
  namespace: ${ns}
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    namespace: ${GW_NS}
  to:
  - group: ""
    kind: Service
`;
}
function backendTls(k: number, ns: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata:
  name: tls-${k}
  namespace: ${ns}
spec:
  targetRefs:
  - group: ""
    kind: Service
    name: svc-${k}-a
  validation:
    hostname: svc-${k}-a.${ns}.svc
    wellKnownCACertificates: System
`;
}

function generate(lines: number): {
  text: string;
  urls: { url: string; gw: string; headers: [string, string][] }[];
  resources: number;
} {
  const parts: string[] = [namespace(GW_NS), ...TEAMS.map(namespace)];
  for (let i = 0; i < 4; i++) parts.push(gateway(i), listenerSet(i));
  for (const ns of TEAMS) parts.push(grant(ns));
  const urls: { url: string; gw: string; headers: [string, string][] }[] = [];
  let k = 0;
  const count = () => parts.reduce((n, p) => n + p.split('\n').length - 1, 0) + parts.length;
  let n = count();
  while (n < lines) {
    const ns = TEAMS[k % TEAMS.length];
    const gw = k % 4;
    const chunk = [service(ns, `svc-${k}-a`), service(ns, `svc-${k}-b`), httpRoute(k, ns, gw)];
    if (k % 4 === 0) chunk.push(grpcRoute(k, ns, gw));
    if (k % 10 === 0) chunk.push(tlsRoute(k, ns, gw), backendTls(k, ns));
    for (const c of chunk) n += c.split('\n').length;
    parts.push(...chunk);
    urls.push({
      url: `http://app${k}.site${gw}.example.com/api/v${k % 3}/items`,
      gw: `${GW_NS}/edge-${gw}`,
      headers: [['x-canary', 'true']],
    });
    urls.push({
      url: `https://app${k}.site${gw}.example.com/static/x?v=2`,
      gw: `${GW_NS}/edge-${gw}`,
      headers: [],
    });
    urls.push({
      url: `http://app${k}.site${gw}.example.com/nothing-here`,
      gw: `${GW_NS}/edge-${gw}`,
      headers: [],
    });
    k++;
  }
  const text = parts.join('---\n');
  return { text, urls, resources: parts.length + parts.filter((p) => p.includes('\n---\n')).length };
}

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function time<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = cpu();
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0, cpuMs: cpu() - c0 };
}

const { text, urls, resources } = generate(LINES);
const lineCount = text.split('\n').length;
const dir = mkdtempSync(path.join(os.tmpdir(), 'knl-bench-gateway-'));
const file = path.join(dir, 'gateway-api-10k.yaml');
writeFileSync(file, text);
const uri = pathToFileURL(file).toString();

interface Row {
  what: string;
  ms: number;
  cpuMs?: number;
  target?: number;
  detail: string;
}
const rows: Row[] = [];

// 1. in-process: first check, re-check after an edit
const settings = normalizeSettings({});
const workspace = new TextWorkspace(undefined, () => settings.maxFileSize * 1024 * 1024);
const ls = createLanguageService(workspace);
ls.configure(languageSettings(settings));
workspace.set(uri, text);
const first = time(() => ls.doValidation(uri));
const byRule = new Map<string, number>();
for (const d of first.value) byRule.set(String(d.code), (byRule.get(String(d.code)) ?? 0) + 1);
rows.push({
  what: `first check, ${lineCount} lines (${resources} objects), in-process`,
  ms: first.ms,
  cpuMs: first.cpuMs,
  target: 2000,
  detail: `${first.value.length} diagnostics`,
});
const edited = text.replace('value: web-0\n', 'value: web-0-edited\n');
workspace.set(uri, edited);
const again = time(() => ls.doValidation(uri));
rows.push({
  what: 're-check after a one-line edit',
  ms: again.ms,
  cpuMs: again.cpuMs,
  target: 500,
  detail: `${again.value.length} diagnostics`,
});

// 2. the CLI as a process
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
const timeBin = '/usr/bin/time';
const t0 = performance.now();
const proc = spawnSync(timeBin, ['-f', '%M', process.execPath, cli, 'check', file, '--format', 'json'], {
  encoding: 'utf8',
  maxBuffer: 1 << 28,
});
const cliMs = performance.now() - t0;
const rssKb = Number((proc.stderr ?? '').trim().split('\n').pop());
rows.push({
  what: '`kube-netlens check FILE --format json`',
  ms: cliMs,
  target: 3000,
  detail: `exit ${proc.status}, peak RSS ${Number.isFinite(rssKb) ? Math.round(rssKb / 1024) + ' MB' : 'n/a (no /usr/bin/time)'}`,
});

// 3. route --gateway resolutions
const index = new ResourceIndex();
index.setFile(
  uri,
  parseFile(text).docs.flatMap((d) => resourcesOf(d)),
);
const cluster = buildCluster(index);
const N = 10000;
let matched = 0;
const routes = time(() => {
  for (let i = 0; i < N; i++) {
    const u = urls[i % urls.length];
    if (resolveGatewayRoute(cluster, u.url, { gateway: u.gw, headers: u.headers }).match) matched++;
  }
});
rows.push({
  what: `${N.toLocaleString('en')} route --gateway resolutions`,
  ms: routes.ms,
  cpuMs: routes.cpuMs,
  target: 1000,
  detail: `${matched} matched, ${N - matched} 404; ${((routes.ms * 1000) / N).toFixed(0)} µs each`,
});

rmSync(dir, { recursive: true, force: true });

console.log(`\nGateway API benchmark (${lineCount} lines, ${resources} objects)`);
console.log('| what | wall | cpu | target | |\n|---|---:|---:|---:|---|');
for (const r of rows)
  console.log(
    `| ${r.what} | ${r.ms.toFixed(0)} ms | ${r.cpuMs === undefined ? '' : r.cpuMs.toFixed(0) + ' ms'} | ${r.target ?? ''} ms | ${r.target === undefined || r.ms <= r.target ? 'ok' : 'MISSED'}: ${r.detail} |`,
  );
console.log(
  `(load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs: wall times grow when other processes share the machine)`,
);
console.log(
  'first-check diagnostics by rule: ' +
    [...byRule]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
);
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ lines: lineCount, resources, rows }, null, 2));
