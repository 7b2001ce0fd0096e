// The one wildcard-host rule (engine/host-name.ts), used by route resolution (which tls entry serves a
// request), the routing preview, and the TLS rules (does a tls host or a certificate name cover a host).
// Kubernetes Ingress and RFC 6125 agree: `*` is a whole leftmost label and stands for exactly one label.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostCovers, normalizeHost } from '../server/src/engine/host-name';

const TABLE: [pattern: string, host: string, covered: boolean][] = [
  ['shop.example.com', 'shop.example.com', true],
  ['Shop.Example.COM', 'shop.example.com', true], // case
  ['shop.example.com.', 'shop.example.com', true], // trailing dot
  [' shop.example.com ', 'shop.example.com', true],
  ['shop.example.com', 'api.example.com', false],
  ['*.example.com', 'shop.example.com', true], // one extra label
  ['*.EXAMPLE.com', 'Shop.example.com.', true],
  ['*.example.com', 'example.com', false], // not the domain itself
  ['*.example.com', 'a.b.example.com', false], // not two labels
  ['*.example.com', '.example.com', false], // an empty label is no label
  ['*.example.com', '*.example.com', true], // a wildcard host: only the same wildcard
  ['*.com', '*.example.com', false],
  ['shop.example.com', '*.example.com', false],
  ['*.*.example.com', 'a.b.example.com', false], // "*" only as the whole first label
  ['*.*.example.com', 'a.*.example.com', false],
  ['a*.example.com', 'ab.example.com', false], // a partial-label wildcard is not one
  ['*', 'localhost', false],
  ['*.example.com', 'shop.example.org', false],
];

for (const [pattern, host, covered] of TABLE) {
  test(`${JSON.stringify(pattern)} ${covered ? 'covers' : 'does not cover'} ${JSON.stringify(host)}`, () => {
    assert.equal(hostCovers(pattern, host), covered);
  });
}

test('normalizeHost: lower case, trimmed, no trailing dot', () => {
  assert.equal(normalizeHost(' Shop.Example.COM. '), 'shop.example.com');
  assert.equal(normalizeHost('*.example.com'), '*.example.com');
});
