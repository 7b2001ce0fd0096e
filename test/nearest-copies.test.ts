// Duplicated objects in a folder of alternatives (workspace/nearest.ts): the checks of a file see the
// copy of a duplicated object nearest to it (same file, then its folder or an enclosing one, then a
// borrowed copy: a Gateway carrying the file's route kinds, the deepest shared folder, the first in
// file path order), and a route elsewhere that attaches to another copy of a duplicated Gateway is
// left out of the file's checks. Through the language service, in two opening orders.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTogether, virtualUri } from './support/rule-fixtures';

const gateway = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: example
spec:
  controllerName: example.com/gateway
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: eg
spec:
  gatewayClassName: example
  listeners:
${listeners}`;

const HTTP = `  - name: http
    protocol: HTTP
    port: 80
`;
const TLS = `  - name: tls
    protocol: TLS
    port: 443
    tls:
      mode: Passthrough
`;

const route = (
  kind: string,
  name: string,
  section: string,
  host: string,
) => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}
spec:
  parentRefs:
  - name: eg
    sectionName: ${section}
  hostnames:
  - ${host}
`;

const files = [
  // http/: a Gateway with an HTTP listener, and an HTTPRoute for shop.example.com
  { uri: virtualUri('alternatives', 'http', 'gateway.yaml'), text: gateway(HTTP) },
  {
    uri: virtualUri('alternatives', 'http', 'route.yaml'),
    text: route('HTTPRoute', 'shop', 'http', 'shop.example.com'),
  },
  // grpc/: the same Gateway again, and a GRPCRoute for the same host name (would conflict on one listener)
  { uri: virtualUri('alternatives', 'grpc', 'gateway.yaml'), text: gateway(HTTP) },
  {
    uri: virtualUri('alternatives', 'grpc', 'route.yaml'),
    text: route('GRPCRoute', 'shop-grpc', 'http', 'shop.example.com'),
  },
  // tls/: the same Gateway with only a TLS listener, and a TLSRoute in the same file
  {
    uri: virtualUri('alternatives', 'tls', 'all.yaml'),
    text: `${gateway(TLS)}---\n${route('TLSRoute', 'secure', 'tls', 'secure.example.com')}  rules:\n  - backendRefs:\n    - name: secure\n      port: 443\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: secure\nspec:\n  clusterIP: None\n  ports:\n  - port: 443\n`,
  },
  // elsewhere/: no copy; every copy is one folder up: the first in file path order (grpc/) counts
  {
    uri: virtualUri('alternatives', 'elsewhere', 'route.yaml'),
    text: route('HTTPRoute', 'other', 'tls', 'other.example.com'),
  },
];

function findings(order: typeof files) {
  const out = new Map<string, string[]>();
  const diags = checkTogether(order);
  order.forEach((f, i) =>
    out.set(
      f.uri.replace(/^.*alternatives\//, ''),
      diags[i]
        .filter((d) => d.code !== 'resource-duplicate')
        .map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`),
    ),
  );
  return out;
}

test('alternatives: each route attaches to the Gateway copy nearest to it, and copies elsewhere do not compete', () => {
  const got = findings(files);
  assert.deepEqual(got.get('http/route.yaml'), []);
  assert.deepEqual(got.get('grpc/route.yaml'), []);
  assert.deepEqual(got.get('tls/all.yaml'), []);
  assert.deepEqual(got.get('http/gateway.yaml'), []);
  // grpc/gateway.yaml is the first copy in path order: elsewhere/ sees it, and it has no listener "tls"
  assert.deepEqual(got.get('elsewhere/route.yaml'), [
    '7:17 route-parent-not-accepted The route is not attached: Gateway default/eg has no listener named "tls" (listeners: http)',
  ]);
});

test('alternatives: the findings do not depend on the order the files are opened in', () => {
  assert.deepEqual(findings([...files].reverse()), findings(files));
});

test('alternatives: every copy of the duplicated Gateway is reported, each with the others', () => {
  const diags = checkTogether(files);
  const dup = diags[0].find(
    (d) => d.code === 'resource-duplicate' && /Gateway default\/eg/.test(String(d.message)),
  );
  assert.equal(
    dup?.message,
    'Gateway default/eg is defined 3 times in this workspace: the checks of each file use the copy nearest to it (this one for this file), and the cluster keeps whichever is applied last',
  );
  assert.equal(dup?.relatedInformation?.length, 2);
});

// A route in a folder that encloses the alternatives but holds no copy itself borrows one: a copy whose
// listeners carry its kind (not the first in path order, a TLS-only Gateway), seen without the routes of
// the alternative it is borrowed from. A copy in the route's own folder is never passed over.
const borrowing = [
  { uri: virtualUri('borrow', 'a-tls', 'gateway.yaml'), text: gateway(TLS) },
  {
    uri: virtualUri('borrow', 'a-tls', 'http-route.yaml'),
    text: route('HTTPRoute', 'misplaced', 'tls', 'misplaced.example.com').replace(
      '    sectionName: tls\n',
      '',
    ),
  },
  { uri: virtualUri('borrow', 'b-http', 'gateway.yaml'), text: gateway(HTTP) },
  {
    uri: virtualUri('borrow', 'b-http', 'grpc-route.yaml'),
    text: route('GRPCRoute', 'shop-grpc', 'http', 'shop.example.com'),
  },
  {
    uri: virtualUri('borrow', 'route.yaml'),
    text: route('HTTPRoute', 'shop', 'http', 'shop.example.com').replace('    sectionName: http\n', ''),
  },
];

function borrowFindings(order: typeof borrowing) {
  const diags = checkTogether(order);
  return new Map(
    order.map((f, i) => [
      f.uri.replace(/^.*borrow\//, ''),
      diags[i]
        .filter((d) => d.code === 'route-parent-not-accepted')
        .map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`),
    ]),
  );
}

test('alternatives: a route outside every alternative borrows a copy that carries its kind, alone', () => {
  const got = borrowFindings(borrowing);
  assert.deepEqual(got.get('route.yaml'), []);
  assert.deepEqual(got.get('b-http/grpc-route.yaml'), []);
  // the TLS-only copy in the route's own folder is its Gateway: the mistake is reported
  assert.deepEqual(got.get('a-tls/http-route.yaml'), [
    '6:10 The route attaches to no listener of Gateway "default/eg": listener "tls" of Gateway default/eg (TLS) admits TLSRoute, not HTTPRoute',
  ]);
  assert.deepEqual(borrowFindings([...borrowing].reverse()), got);
});
