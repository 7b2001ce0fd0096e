// The preview's saved state comes back from VS Code after a reload (webview getState, panel serializer);
// it may be from an older version or damaged: each field is kept when valid and defaulted when not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restoreViewState } from '../client/src/webview/state';

const DEFAULTS = {
  view: 'routes',
  scope: 'file',
  uri: undefined,
  zoom: 1,
  panX: 0,
  panY: 0,
  selected: undefined,
  filters: { namespace: '', host: '', ingressClass: '' },
  url: '',
  port: '80',
  protocol: 'TCP',
  matrixNamespace: '',
};

test('nothing saved, or not an object: the defaults', () => {
  for (const saved of [undefined, null, 'routes', 42, []])
    assert.deepEqual(restoreViewState(saved), DEFAULTS, JSON.stringify(saved));
});

test('a valid saved state comes back as it was', () => {
  const saved = {
    view: 'reach',
    scope: 'workspace',
    uri: 'file:///w/a.yaml',
    zoom: 1.5,
    panX: -20,
    panY: 7,
    selected: 'svc:shop/api',
    filters: { namespace: 'shop', host: 'a.example.com', ingressClass: 'nginx' },
    url: 'https://a.example.com/',
    port: 'http',
    protocol: 'UDP',
    matrixNamespace: 'shop',
  };
  assert.deepEqual(restoreViewState(saved), saved);
});

test("the URL tester's Gateway, method and headers are kept; other values are dropped", () => {
  const saved = { ...DEFAULTS, gateway: 'edge/public', method: 'POST', headers: 'x-canary: yes' };
  assert.deepEqual(restoreViewState(saved), saved);
  assert.deepEqual(restoreViewState({ ...DEFAULTS, gateway: 7, method: null, headers: ['x'] }), DEFAULTS);
});

test('invalid fields fall back one by one', () => {
  const s = restoreViewState({
    view: 'graph',
    scope: 'all',
    uri: 7,
    zoom: -1,
    panX: '3',
    selected: {},
    url: null,
    port: 80,
    protocol: 'ICMP',
    matrixNamespace: false,
    filters: { host: 'a.example.com', namespace: 7, ingressClass: null },
  });
  assert.deepEqual(s, { ...DEFAULTS, filters: { namespace: '', host: 'a.example.com', ingressClass: '' } });
});
