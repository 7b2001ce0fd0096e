// One route graph, one wording: the backend and TLS facts (Service missing, port missing, selector
// matching nothing, targetPort, TLS Secret missing or of the wrong type) are found and worded once, in
// the engine's route graph, and the Problems panel, the routing preview and `kube-netlens route` show
// the same message with the same severity.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, ROOT } from './support/lsp-client';
import { PreviewMethod } from '../server/src/protocol/preview';
import type { Problem, RouteGraph, TestUrlResult } from '../server/src/protocol/preview';
import { ROUTE_GRAPH_RULES, routeGraph, resolveRoute } from '../server/src/engine/route';
import { ResourceIndex } from '../server/src/workspace/index';
import { buildCluster } from '../server/src/model/cluster';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOfFile } from '../server/src/rules/check';

const FIXTURE = readFileSync(path.join(ROOT, 'test', 'fixtures', 'route-graph', 'agreement.yaml'), 'utf8');

/** A fixed part of every message the route graph words, by rule. */
const WORDING: Record<(typeof ROUTE_GRAPH_RULES)[number], string[]> = {
  'ingress-backend-service-missing': [
    '" in this workspace',
    'it defines no Service or workload there: they may be deployed from elsewhere',
  ],
  'ingress-backend-port-missing': ['; its ports: ', 'is the targetPort (container port) behind its port'],
  'service-selector-no-match': ['matches no workload in namespace', 'no pod will serve this Service'],
  'service-target-port': [
    'is not a port name declared by the selected pods',
    'the port name does not resolve, so the Service gets no endpoints',
    'the traffic only arrives if the process listens there anyway',
    'the traffic only arrives if the process also listens on',
  ],
  'ingress-tls-secret-missing': [
    'cert-manager will create it in namespace',
    'without it the controller serves its default certificate for this entry',
  ],
  'ingress-tls-secret-type': [
    '" but its type is ',
    'make it type kubernetes.io/tls (with tls.crt and tls.key)',
  ],
  'route-backend-not-resolved': [
    'only controllers that support this kind route to it',
    'among the Services of namespace',
    '; its requests get HTTP 500',
    'Every backendRef of this rule has weight 0',
  ],
  'ingress-tls-secret-conflict': [
    'takes its certificate from Secret',
    'the controller serves one certificate per host, so one of them is ignored',
  ],
};

/** The one file that words each rule's findings. */
const WORDING_FILE: Record<(typeof ROUTE_GRAPH_RULES)[number], string> = {
  'ingress-backend-service-missing': 'server/src/engine/route/service-facts.ts',
  'ingress-backend-port-missing': 'server/src/engine/route/service-facts.ts',
  'service-selector-no-match': 'server/src/engine/route/service-facts.ts',
  'service-target-port': 'server/src/engine/route/service-facts.ts',
  'ingress-tls-secret-missing': 'server/src/engine/route/tls-facts.ts',
  'ingress-tls-secret-type': 'server/src/engine/route/tls-facts.ts',
  'route-backend-not-resolved': 'server/src/engine/route/gateway-facts.ts',
  'ingress-tls-secret-conflict': 'server/src/engine/route/tls-facts.ts',
};

/** Wordings of the same facts that the rules, the preview and the route resolver used to have each. */
const FORMER_WORDING = [
  'is not defined in these manifests',
  'names no container port of',
  'no workload matches selector',
  'no workload matches the selector',
  '} not found`',
  ', not kubernetes.io/tls`',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === 'generated' ? [] : sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

test('each backend and TLS message of the route graph is written in exactly one source file', () => {
  const files = [
    ...sourceFiles(path.join(ROOT, 'server', 'src')),
    ...sourceFiles(path.join(ROOT, 'client', 'src')),
  ].map((f) => ({ f: path.relative(ROOT, f), text: readFileSync(f, 'utf8') }));
  for (const [rule, parts] of Object.entries(WORDING)) {
    for (const part of parts) {
      const holders = files.filter((x) => x.text.includes(part)).map((x) => x.f);
      assert.deepEqual(
        holders,
        [WORDING_FILE[rule as keyof typeof WORDING_FILE]],
        `${rule}: "${part}" is written in ${holders.join(', ') || 'no file'}`,
      );
    }
  }
  for (const old of FORMER_WORDING) {
    const holders = files.filter((x) => x.text.includes(old)).map((x) => x.f);
    assert.deepEqual(holders, [], `the former wording "${old}" is gone`);
  }
});

test('every problem the route graph finds on the fixtures is one of the registered wordings', () => {
  const dirs = [
    'test/fixtures/route-graph',
    'test/fixtures/cross/backends',
    'test/fixtures/cross/service-pods',
    'test/fixtures/cross/tls-conflicts',
    'examples/mistakes',
  ];
  const index = new ResourceIndex();
  for (const d of dirs) {
    const dir = path.join(ROOT, d);
    for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
      const uri = `file:///${d}/${name}`;
      index.setFile(uri, resourcesOfFile(parseFile(readFileSync(path.join(dir, name), 'utf8'))));
    }
  }
  const problems = routeGraph(buildCluster(index)).problems;
  const seen = new Set(problems.map((p) => p.ruleId));
  for (const rule of [
    'ingress-backend-service-missing',
    'ingress-backend-port-missing',
    'service-selector-no-match',
    'service-target-port',
    'ingress-tls-secret-conflict',
  ])
    assert.ok(seen.has(rule as never), `the fixtures exercise ${rule}`);
  for (const p of problems) {
    assert.ok(
      WORDING[p.ruleId].some((part) => p.message.includes(part)),
      `${p.ruleId}: "${p.message}" has a registered wording`,
    );
  }
});

describe('the routing preview and the Problems panel agree on each fact', () => {
  let c: LspClient;
  let uri: string;
  let diagnostics: Diagnostic[];

  before(async () => {
    c = await LspClient.start({});
    uri = c.uriFor('route-graph-agreement.yaml');
    await c.open(uri, FIXTURE);
    diagnostics = (await c.diagnostics(uri)).filter((d) =>
      (ROUTE_GRAPH_RULES as readonly string[]).includes(String(d.code)),
    );
  });

  after(async () => {
    await c.stop();
  });

  const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];
  const key = (code: string, r: { start: { line: number; character: number } }) =>
    `${code}@${r.start.line}:${r.start.character}`;

  test('missing Service, missing port and a selector matching nothing: same message, same severity, same place', async () => {
    // the fixture's three facts, as the Problems panel lists them
    assert.deepEqual(diagnostics.map((d) => [d.code, SEVERITY[d.severity!], d.message]).sort(), [
      ['ingress-backend-port-missing', 'error', 'Service "api" has no port 8443; its ports: 80 (http)'],
      [
        'ingress-backend-service-missing',
        'warning',
        'Service "cart" is not defined in namespace "shop" in this workspace',
      ],
      [
        'service-selector-no-match',
        'warning',
        'Selector app=serch matches no pod: the pods of Deployment search have app=search, so no pod will serve this Service; Ingress "shop" routes here, so those requests will fail',
      ],
    ]);
    const g = await c.conn.sendRequest<RouteGraph>(PreviewMethod.routeGraph, { scope: 'file', uri });
    const shown = new Map<string, Problem>();
    for (const x of [...g.nodes, ...g.edges]) {
      for (const p of x.problems)
        if (p.code && (ROUTE_GRAPH_RULES as readonly string[]).includes(p.code))
          shown.set(key(p.code, p.location!.range), p);
    }
    assert.equal(
      shown.size,
      diagnostics.length,
      `the preview shows each fact once: ${[...shown.keys()].join(', ')}`,
    );
    for (const d of diagnostics) {
      const p = shown.get(key(String(d.code), d.range));
      assert.ok(p, `the preview shows ${d.code} at ${d.range.start.line}:${d.range.start.character}`);
      assert.equal(p.message, d.message);
      assert.equal(p.severity, SEVERITY[d.severity!]);
      assert.deepEqual(p.location, { uri, range: d.range });
    }
    // where each one shows: the missing Service's node, the edge to the missing port, the Service node
    assert.equal(
      g.nodes.find((n) => n.id === 'svc:shop/cart')!.problems[0].code,
      'ingress-backend-service-missing',
    );
    assert.equal(
      g.edges.find((e) => e.id === 'path:shop/shop/0/1->svc:shop/api')!.problems[0].code,
      'ingress-backend-port-missing',
    );
    assert.equal(
      g.nodes.find((n) => n.id === 'svc:shop/search')!.problems[0].code,
      'service-selector-no-match',
    );
  });

  test('the URL tester and the route resolver name where the route breaks in the same words', async () => {
    for (const [url, code] of [
      ['http://shop.example.com/cart', 'ingress-backend-service-missing'],
      ['http://shop.example.com/api', 'ingress-backend-port-missing'],
      ['http://shop.example.com/search', 'service-selector-no-match'],
    ]) {
      const d = diagnostics.find((x) => x.code === code)!;
      const r = await c.conn.sendRequest<TestUrlResult>(PreviewMethod.testUrl, { url });
      assert.deepEqual(
        r.problems.map((p) => [p.code, p.severity, p.message]),
        [[code, SEVERITY[d.severity!], d.message]],
        url,
      );
    }
    const index = new ResourceIndex();
    index.setFile(uri, resourcesOfFile(parseFile(FIXTURE)));
    const r = resolveRoute(buildCluster(index), 'http://shop.example.com/api');
    assert.deepEqual(
      r.problems.map((p) => [p.ruleId, p.severity, p.message]),
      [['ingress-backend-port-missing', 'error', 'Service "api" has no port 8443; its ports: 80 (http)']],
    );
  });
});

test('one host, two certificates: the graph finds it once, the rule reports it on each host with the other Ingress as related information, and the preview lock says the same', async () => {
  const dir = path.join(ROOT, 'test', 'fixtures', 'cross', 'tls-conflicts');
  const text = readFileSync(path.join(dir, 'one.yaml'), 'utf8');
  const index = new ResourceIndex();
  index.setFile('file:///tls/one.yaml', resourcesOfFile(parseFile(text)));
  const conflicts = routeGraph(buildCluster(index)).problems.filter(
    (p) => p.ruleId === 'ingress-tls-secret-conflict',
  );
  assert.deepEqual(
    conflicts.map((p) => [p.severity, p.data?.host, text.slice(p.at!.start, p.at!.end), p.related?.length]),
    // ia and ib in namespace default, and ie (namespace other, a copy of ia's certificate) against ib
    [
      ['warning', 'shop.example.com', 'shop.example.com', 1],
      ['warning', 'shop.example.com', 'shop.example.com', 1],
      ['warning', 'shop.example.com', 'shop.example.com', 1],
    ],
  );
  const c = await LspClient.start({});
  try {
    const uri = c.uriFor('tls-conflicts-one.yaml');
    await c.open(uri, text);
    const diags = (await c.diagnostics(uri)).filter((d) => d.code === 'ingress-tls-secret-conflict');
    assert.deepEqual(
      diags.map((d) => [d.message, d.relatedInformation?.[0]?.location.uri]),
      conflicts.map((p) => [p.message, uri]),
    );
    const g = await c.conn.sendRequest<RouteGraph>(PreviewMethod.routeGraph, { scope: 'file', uri });
    const locks = g.nodes.flatMap((n) => (n.tls?.state === 'warning' ? [n.tls.message] : []));
    assert.ok(locks.length > 0, 'the host shows a warning lock');
    for (const m of locks)
      assert.ok(
        diags.some((d) => d.message === m),
        `the lock says a diagnostic: ${m}`,
      );
  } finally {
    await c.stop();
  }
});

test('a second copy of an object (two overlays defining one Ingress) is checked too, against the first copies', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-route-graph-'));
  try {
    const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
`;
    const ingress = (port: number) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: ${port}
`;
    writeFileSync(path.join(dir, 'a-base.yaml'), `${service}---\n${ingress(80)}`);
    writeFileSync(path.join(dir, 'b-overlay.yaml'), ingress(8080));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', dir], {
      encoding: 'utf8',
    });
    const lines = r.stdout.split('\n').filter((l) => l.includes('ingress-backend-port-missing'));
    assert.deepEqual(
      lines.map((l) => l.slice(dir.length + 1)),
      [
        'b-overlay.yaml:15:23 error ingress-backend-port-missing Service "web" has no port 8080; its ports: 80',
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
