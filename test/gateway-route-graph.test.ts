// The Gateway API in the one route graph: each listener (of a Gateway, of a ListenerSet it accepts, of
// a ListenerSet it refuses) and each route rule is an entry of buildRouteGraph, the rule's backendRefs
// lead to the same Service facts as Ingress backends (workloads, ports, selector problems naming the
// route), and the route-backend-not-resolved findings are worded once: the Problems panel and the
// routing preview show the same message, severity and place.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, ROOT } from './support/lsp-client';
import { PreviewMethod } from '../server/src/protocol/preview';
import type { Problem, RouteGraph, TestUrlResult } from '../server/src/protocol/preview';
import { routeGraph } from '../server/src/engine/route';
import type { GatewayListenerEntry, RouteRuleEntry } from '../server/src/engine/route';
import { ResourceIndex } from '../server/src/workspace/index';
import { buildCluster } from '../server/src/model/cluster';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOfFile } from '../server/src/rules/check';

const FIXTURE = readFileSync(path.join(ROOT, 'test', 'fixtures', 'gateway', 'route-graph.yaml'), 'utf8');

function graphOf(text: string) {
  const index = new ResourceIndex();
  index.setFile('file:///route-graph.yaml', resourcesOfFile(parseFile(text)));
  return routeGraph(buildCluster(index));
}

test('listeners and route rules are entries of the route graph, next to the Ingress entries', () => {
  const g = graphOf(FIXTURE);
  const listeners = g.entries.filter((e): e is GatewayListenerEntry => e.kind === 'gateway-listener');
  assert.deepEqual(
    listeners.map((e) => [
      e.id,
      e.host,
      e.serving,
      e.listenerSet?.id.name ?? null,
      e.refusal?.reason ?? null,
    ]),
    [
      ['listener:shop/edge/web', 'shop.example.com', true, null, null],
      ['listener:shop/extra/admin', 'admin.example.com', true, 'extra', null],
      ['listener:other/outsider/sneaky', null, false, 'outsider', 'NotAllowed'],
    ],
  );
  const rules = g.entries.filter((e): e is RouteRuleEntry => e.kind === 'route-rule');
  assert.deepEqual(
    rules.map((e) => [e.id, e.attached.map((a) => `${a.listener} ${a.verdict.hostnames.join(',')}`)]),
    [
      ['rule:HTTPRoute/shop/store/0', ['listener:shop/edge/web shop.example.com']],
      ['rule:HTTPRoute/shop/store/1', ['listener:shop/edge/web shop.example.com']],
    ],
  );
  // backendRefs lead to the Service facts an Ingress backend leads to: the port, and the pods behind it
  const [cart, carts] = rules[0].backends;
  assert.equal(cart.target, g.services.get('shop/cart'));
  assert.deepEqual(
    cart.port?.pods.map((p) => [p.workload.id.name, p.containerPort?.containerPort]),
    [['cart', 8080]],
  );
  assert.equal(carts.target, undefined);
  assert.equal(g.routeBackends.get(carts.ref), carts);
});

test('each backend that does not resolve is one problem of the graph, at its value, in the rule wording', () => {
  const g = graphOf(FIXTURE);
  const rules = g.entries.filter((e): e is RouteRuleEntry => e.kind === 'route-rule');
  const shown = rules.flatMap((e) =>
    e.backends.flatMap((b) => b.problems.map((p) => [b.ref.name, p.ruleId, p.severity, p.message])),
  );
  assert.deepEqual(shown, [
    [
      'carts',
      'route-backend-not-resolved',
      'warning',
      'No Service "carts" among the Services of namespace "shop" here: the requests it should get would receive HTTP 500; did you mean "cart"?',
    ],
    [
      'cart',
      'route-backend-not-resolved',
      'error',
      'Backend port: Service shop/cart has no port 8443 (its ports: 80); its requests get HTTP 500',
    ],
    [
      'billing',
      'route-backend-not-resolved',
      'error',
      'Backend payments/billing: the reference from HTTPRoute in namespace shop to Service payments/billing is not permitted: no ReferenceGrant in namespace payments allows HTTPRoutes of namespace shop to refer to it; its requests get HTTP 500',
    ],
  ]);
  // A Service a route sends to is a routed Service: its selector matching nothing is said as for an
  // Ingress backend, naming the route
  const selector = g.problems.filter((p) => p.ruleId === 'service-selector-no-match').map((p) => p.message);
  assert.deepEqual(selector, [
    'Selector tier=web matches no pod: the pods of Deployment search have tier=api (they match every other label of the selector), so no pod will serve this Service; HTTPRoute "store" routes here, so those requests will fail',
    'Selector app=billing matches no workload in namespace "payments" in this workspace: no pod will serve this Service; HTTPRoute "store" routes here, so those requests will fail',
  ]);
});

describe('the routing preview and the Problems panel agree on Gateway API backends', () => {
  let c: LspClient;
  let uri: string;
  let diagnostics: Diagnostic[];
  const RULES = ['route-backend-not-resolved', 'service-selector-no-match'];
  const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

  before(async () => {
    c = await LspClient.start({});
    uri = c.uriFor('gateway-route-graph.yaml');
    await c.open(uri, FIXTURE);
    diagnostics = (await c.diagnostics(uri)).filter((d) => RULES.includes(String(d.code)));
  });

  after(async () => {
    await c.stop();
  });

  test('same message, same severity, same place; each once', async () => {
    assert.equal(diagnostics.length, 5);
    const g = await c.conn.sendRequest<RouteGraph>(PreviewMethod.routeGraph, { scope: 'file', uri });
    const shown: Problem[] = [];
    for (const x of [...g.nodes, ...g.edges])
      for (const p of x.problems) if (p.code && RULES.includes(p.code)) shown.push(p);
    const key = (code: string, severity: string, message: string, r: { start: { line: number } }) =>
      `${code} ${severity} ${r.start.line} ${message}`;
    assert.deepEqual(
      shown.map((p) => key(p.code!, p.severity, p.message, p.location!.range)).sort(),
      diagnostics.map((d) => key(String(d.code), SEVERITY[d.severity!], String(d.message), d.range)).sort(),
    );
    // where each shows: a missing Service on its node, a wrong port or a refused reference on the edge
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to)!;
    assert.equal(
      g.nodes.find((n) => n.id === 'svc:shop/carts')!.problems[0].code,
      'route-backend-not-resolved',
    );
    assert.match(edge('rule:HTTPRoute/shop/store/1', 'svc:shop/cart').problems[0].message, /no port 8443/);
    assert.match(
      edge('rule:HTTPRoute/shop/store/1', 'svc:payments/billing').problems[0].message,
      /not permitted/,
    );
  });

  test('ListenerSet listeners: an accepted one under its Gateway, a refused one behind a refused edge', async () => {
    const g = await c.conn.sendRequest<RouteGraph>(PreviewMethod.routeGraph, { scope: 'file', uri });
    const admin = g.nodes.find((n) => n.id === 'listener:shop/extra/admin')!;
    assert.deepEqual(admin.details, [
      'HTTP :8080',
      'admin.example.com',
      'ListenerSet shop/extra',
      '0 routes attached',
    ]);
    const toAdmin = g.edges.find((e) => e.from === 'gw:shop/edge' && e.to === admin.id)!;
    assert.equal(toAdmin.refused, undefined);
    const sneaky = g.nodes.find((n) => n.id === 'listener:other/outsider/sneaky')!;
    assert.deepEqual(sneaky.details, [
      'HTTP :9090',
      '* (any host)',
      'ListenerSet other/outsider',
      'not attached (NotAllowed)',
      '0 routes attached',
    ]);
    const refused = g.edges.find((e) => e.from === 'gw:shop/edge' && e.to === sneaky.id)!;
    assert.equal(refused.refused, true);
    assert.equal(refused.label, 'refused');
    assert.match(
      refused.problems[0].message,
      /^Not attached \(NotAllowed\): Gateway shop\/edge does not allow ListenerSet other\/outsider: its spec\.allowedListeners\.namespaces\.from is Same/,
    );
    const gw = g.nodes.find((n) => n.id === 'gw:shop/edge')!;
    assert.deepEqual(gw.details, ['Gateway (class example)', '2 listeners (1 ListenerSet attached)']);
  });
});

describe('the routing preview: TLS and TCP listeners, a conflicted ListenerSet listener', () => {
  let c: LspClient;
  let uri: string;
  const text = readFileSync(path.join(ROOT, 'test', 'fixtures', 'gateway', 'preview-stream.yaml'), 'utf8');

  before(async () => {
    c = await LspClient.start({});
    uri = c.uriFor('gateway-preview-stream.yaml');
    await c.open(uri, text);
    await c.diagnostics(uri);
  });

  after(async () => {
    await c.stop();
  });

  const testUrl = (url: string) =>
    c.conn.sendRequest<TestUrlResult>(PreviewMethod.testUrl, { url, gateway: 'infra/edge' });

  test('a conflicted listener hangs on a refused edge saying why and serves nothing', async () => {
    const g = await c.conn.sendRequest<RouteGraph>(PreviewMethod.routeGraph, { scope: 'file', uri });
    const web = g.nodes.find((n) => n.id === 'listener:infra/late/web')!;
    assert.deepEqual(web.details, [
      'HTTP :443',
      '*.example.com',
      'ListenerSet infra/late',
      'Conflicted (ProtocolConflict): serves nothing',
      // its only listener is not valid, so the ListenerSet is not accepted either
      'not attached (ListenersNotValid)',
      '0 routes attached',
    ]);
    const e = g.edges.find((x) => x.from === 'gw:infra/edge' && x.to === web.id)!;
    assert.equal(e.refused, true);
    assert.equal(e.label, 'conflicted (ProtocolConflict)');
    assert.match(e.problems[0].message, /^Conflicted \(ProtocolConflict\): /);
    const tls = g.edges.find((x) => x.from === 'gw:infra/edge' && x.to === 'listener:infra/edge/tls')!;
    assert.equal(tls.refused, undefined, "the Gateway's own listener wins the port");
  });

  test('the URL tester takes tls://SNI and tcp://host:port as the CLI does, and lights the route up', async () => {
    const r = await testUrl('tls://app.example.com');
    assert.equal(r.matched, true);
    assert.equal(r.route, 'infra/secure');
    assert.equal(r.listener, 'tls');
    assert.equal(r.backend, 'infra/app:8443');
    assert.equal(r.matchKind, undefined);
    assert.match(
      r.summary,
      /^tls:\/\/app\.example\.com → infra\/app:8443: TLSRoute infra\/secure \(SNI app\.example\.com matches app\.example\.com \(TLS passed through to the backend\)\) on listener tls\.$/,
    );
    assert.deepEqual(r.highlight.nodes, [
      'gw:infra/edge',
      'listener:infra/edge/tls',
      'rule:TLSRoute/infra/secure/0',
      'svc:infra/app',
    ]);
    const tcp = await testUrl('tcp://db.internal:5432');
    assert.equal(tcp.route, 'infra/postgres');
    assert.equal(tcp.backend, 'infra/postgres:5432');
    const none = await testUrl('tls://other.example.org');
    assert.equal(none.matched, false);
    assert.match(
      none.summary,
      /^tls:\/\/other\.example\.org: rejected: no TLS listener of Gateway infra\/edge on port 443 accepts SNI other\.example\.org/,
    );
    const bad = await testUrl('tcp://db.internal');
    assert.equal(bad.matched, false);
    assert.match(bad.summary, /needs a port/);
  });
});

describe('the URL tester via a Gateway names the route graph facts of the backends it reaches', () => {
  let c: LspClient;
  let uri: string;
  let diagnostics: Diagnostic[];
  const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

  before(async () => {
    c = await LspClient.start({});
    uri = c.uriFor('gateway-url-tester-facts.yaml');
    await c.open(uri, FIXTURE);
    diagnostics = await c.diagnostics(uri);
  });

  after(async () => {
    await c.stop();
  });

  const testUrl = (url: string) =>
    c.conn.sendRequest<TestUrlResult>(PreviewMethod.testUrl, { url, gateway: 'shop/edge' });
  const diagnostic = (code: string, part: string) => {
    const d = diagnostics.find((x) => x.code === code && String(x.message).includes(part))!;
    assert.ok(d, `${code} ${part}`);
    return [code, SEVERITY[d.severity!], d.message];
  };

  test('a split with a missing Service: the rule finding instead of a second wording', async () => {
    const r = await testUrl('http://shop.example.com/cart');
    assert.equal(r.backend, 'shop/cart:80');
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.severity, p.message]),
      [diagnostic('route-backend-not-resolved', '"carts"')],
    );
  });

  test("the chosen Service's selector matching no pod is said as in the Problems panel", async () => {
    const r = await testUrl('http://shop.example.com/search');
    assert.equal(r.backend, 'shop/search:80');
    const shown = r.problems.map((p) => [p.code, p.severity, p.message]);
    // backend by backend: search (its selector), cart:8443 and billing (neither resolves: billing's
    // own selector is not on the way, the reference is refused before it)
    assert.deepEqual(shown, [
      diagnostic('service-selector-no-match', 'tier=web'),
      diagnostic('route-backend-not-resolved', 'no port 8443'),
      diagnostic('route-backend-not-resolved', 'payments/billing'),
    ]);
  });
});
