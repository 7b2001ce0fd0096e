// The routing preview with the Gateway API, through the real protocol (dist/server.js over stdio):
// Gateway → listener → route rule → Service → pods in the route graph, filters on the edges, refused
// attachments as refused edges with the reason, and the URL tester with a Gateway, a method and headers.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LspClient, ROOT } from './support/lsp-client';
import { PreviewMethod } from '../server/src/protocol/preview';
import type { RouteGraph, TestUrlResult } from '../server/src/protocol/preview';

const FIXTURE = readFileSync(path.join(ROOT, 'test', 'fixtures', 'gateway', 'preview.yaml'), 'utf8');

describe('routing preview: Gateway API', () => {
  let c: LspClient;
  let uri: string;

  before(async () => {
    c = await LspClient.start({});
    uri = c.uriFor('gateway-preview.yaml');
    await c.open(uri, FIXTURE);
    await c.diagnostics(uri);
  });

  after(async () => {
    await c.stop();
  });

  const graph = () => c.conn.sendRequest<RouteGraph>(PreviewMethod.routeGraph, { scope: 'file', uri });
  const testUrl = (params: object) => c.conn.sendRequest<TestUrlResult>(PreviewMethod.testUrl, params);

  test('Gateway → listeners → rules → Services → pods, with weights and filters on the edges', async () => {
    const g = await graph();
    const kind = (k: string) =>
      g.nodes
        .filter((n) => n.kind === k)
        .map((n) => n.id)
        .sort();
    assert.deepEqual(kind('gateway'), ['gw:edge/public']);
    assert.deepEqual(kind('listener'), ['listener:edge/public/admin', 'listener:edge/public/web']);
    assert.deepEqual(kind('rule'), [
      'rule:HTTPRoute/edge/admin/0',
      'rule:HTTPRoute/edge/shop/0',
      'rule:HTTPRoute/edge/shop/1',
      'rule:HTTPRoute/other/intruder/0',
    ]);
    assert.deepEqual(g.gateways, ['edge/public']);
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to);
    assert.ok(edge('gw:edge/public', 'listener:edge/public/web'));
    assert.equal(edge('listener:edge/public/web', 'rule:HTTPRoute/edge/shop/0')?.label, 'shop.example.com');
    assert.equal(edge('rule:HTTPRoute/edge/shop/0', 'svc:edge/shop-v1')?.label, ':80 weight 90 (90%)');
    const canary = edge('rule:HTTPRoute/edge/shop/1', 'svc:edge/shop-v2');
    assert.deepEqual(canary?.filters, ['request headers: set x-route']);
    assert.ok(edge('svc:edge/shop-v2', 'wl:Deployment/edge/shop-canary'), 'the Service leads on to its pods');
    const listener = g.nodes.find((n) => n.id === 'listener:edge/public/web')!;
    assert.deepEqual(listener.details, ['HTTP :80', '*.example.com', '1 route attached · 1 refused']);
  });

  test('a refused attachment is a refused edge whose problem says why', async () => {
    const g = await graph();
    const refused = g.edges.filter((e) => e.refused);
    assert.deepEqual(refused.map((e) => `${e.from} -> ${e.to}`).sort(), [
      'listener:edge/public/admin -> rule:HTTPRoute/other/intruder/0',
      'listener:edge/public/web -> rule:HTTPRoute/other/intruder/0',
    ]);
    const web = refused.find((e) => e.from === 'listener:edge/public/web')!;
    // the editor's diagnostic for the parentRef (rule route-parent-not-accepted) replaces the preview's own
    // wording of the same refusal: one message, the reason of each listener in it
    assert.equal(web.problems.length, 1);
    assert.equal(web.problems[0].severity, 'error');
    assert.equal(web.problems[0].code, 'route-parent-not-accepted');
    assert.match(
      web.problems[0].message,
      /listener "web" of Gateway edge\/public admits routes of namespace edge only \(allowedRoutes\.namespaces\.from: Same\)/,
    );
    assert.equal(web.problems[0].location?.uri, uri);
  });

  test('the URL tester resolves against a Gateway with a header and lights the route up', async () => {
    const r = await testUrl({
      url: 'http://shop.example.com/cart',
      gateway: 'edge/public',
      headers: ['x-canary: yes'],
    });
    assert.equal(r.matched, true);
    assert.equal(r.status, 200);
    assert.equal(r.route, 'edge/shop');
    assert.equal(r.rule, 1);
    assert.equal(r.backend, 'edge/shop-v2:80');
    assert.deepEqual(r.filters, ['RequestHeaderModifier']);
    assert.deepEqual(r.highlight.nodes, [
      'gw:edge/public',
      'listener:edge/public/web',
      'rule:HTTPRoute/edge/shop/1',
      'svc:edge/shop-v2',
      'wl:Deployment/edge/shop-canary',
    ]);
    assert.deepEqual(r.highlight.edges, [
      'gw:edge/public->listener:edge/public/web',
      'listener:edge/public/web->rule:HTTPRoute/edge/shop/1',
      'rule:HTTPRoute/edge/shop/1->svc:edge/shop-v2',
      'svc:edge/shop-v2->wl:Deployment/edge/shop-canary',
    ]);
    const plain = await testUrl({ url: 'http://shop.example.com/cart', gateway: 'edge/public' });
    assert.equal(plain.rule, 0);
    assert.deepEqual(
      plain.backends?.map((b) => [b.service, b.weight]),
      [
        ['shop-v1', 90],
        ['shop-v2', 10],
      ],
    );
  });

  test('no match against the Gateway says why; the port selects the listener', async () => {
    const miss = await testUrl({ url: 'http://other.example.com/', gateway: 'edge/public' });
    assert.equal(miss.matched, false);
    assert.match(
      miss.summary,
      /none of the 1 route attached to listener "web" of Gateway edge\/public serves host other\.example\.com/,
    );
    const admin = await testUrl({
      url: 'http://admin.example.com:8080/',
      gateway: 'edge/public',
      method: 'POST',
    });
    assert.equal(admin.listener, 'admin');
    assert.equal(admin.route, 'edge/admin');
  });

  test('bad URL tester parameters are refused', async () => {
    await assert.rejects(
      testUrl({ url: 'http://x/', gateway: 'edge/public', method: 'GET /' }),
      /method must be an HTTP method/,
    );
    await assert.rejects(
      testUrl({ url: 'http://x/', gateway: 'edge/public', headers: 'x: y' }),
      /headers must be at most 64 strings/,
    );
  });
});

describe('routing preview: a ListenerSet TLS listener and tls:// (the e2e workspace file gateway-tls.yaml)', () => {
  let c: LspClient;
  let uri: string;
  const TLS = readFileSync(path.join(ROOT, 'test', 'e2e', 'workspace', 'gateway-tls.yaml'), 'utf8');
  before(async () => {
    c = await LspClient.start({});
    uri = c.uriFor('gateway-tls.yaml');
    await c.open(uri, TLS);
    await c.diagnostics(uri);
  });
  after(async () => {
    await c.stop();
  });

  test('the ListenerSet listener hangs under its Gateway, the TLSRoute under it; tls:// lights them up', async () => {
    const g = await c.conn.sendRequest<RouteGraph>(PreviewMethod.routeGraph, { scope: 'file', uri });
    const ids = g.nodes.map((n) => n.id);
    for (const id of [
      'gw:secure/edge',
      'listener:secure/edge/web',
      'listener:secure/extra/vault-tls',
      'rule:TLSRoute/secure/vault/0',
      'svc:secure/vault',
    ])
      assert.ok(ids.includes(id), `${id} among ${ids.join(', ')}`);
    // healthy listeners carry no problem (Conflicted False is good news); the rule says what it matches
    const node = (id: string) => g.nodes.find((n) => n.id === id)!;
    assert.deepEqual(node('listener:secure/edge/web').problems, []);
    assert.deepEqual(node('listener:secure/extra/vault-tls').problems, []);
    assert.deepEqual(node('rule:TLSRoute/secure/vault/0').details, [
      'SNI vault.example.com',
      'TLSRoute secure/vault',
    ]);
    const edges = g.edges.map((e) => `${e.from} -> ${e.to}`);
    for (const e of [
      'gw:secure/edge -> listener:secure/extra/vault-tls',
      'listener:secure/extra/vault-tls -> rule:TLSRoute/secure/vault/0',
      'rule:TLSRoute/secure/vault/0 -> svc:secure/vault',
    ])
      assert.ok(edges.includes(e), `${e} among ${edges.join(', ')}`);
    const r = await c.conn.sendRequest<TestUrlResult>(PreviewMethod.testUrl, {
      url: 'tls://vault.example.com:8443',
      gateway: 'secure/edge',
    });
    assert.equal(r.matched, true, r.summary);
    assert.match(
      r.summary,
      /^tls:\/\/vault\.example\.com:8443 → secure\/vault:8200: TLSRoute secure\/vault /,
    );
    assert.match(r.summary, /on listener vault-tls\.$/);
    for (const id of ['listener:secure/extra/vault-tls', 'rule:TLSRoute/secure/vault/0', 'svc:secure/vault'])
      assert.ok(r.highlight.nodes.includes(id), `${id} lit: ${r.highlight.nodes.join(', ')}`);
    assert.ok(!r.highlight.nodes.includes('listener:secure/edge/web'));
    assert.deepEqual(r.problems, []);
  });
});
