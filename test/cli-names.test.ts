// Names given on the command line that the manifests do not define get a hint, not only "not found":
// a Gateway name one typo away (route --gateway), and a Service named where reach wants its pods.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './support/lsp-client';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('route --gateway with a misspelt Gateway: did you mean the nearest one the files define', () => {
  const r = run(
    'route',
    'test/fixtures/corpus-gateway',
    '--gateway',
    'default/my-gatway',
    '--url',
    'http://www.example.com/',
  );
  assert.equal(r.code, 2);
  assert.match(r.err, /^kube-netlens: --gateway: these manifests define no Gateway default\/my-gatway \(/);
  assert.match(
    r.err,
    /; did you mean default\/my-gateway\?\nRun "kube-netlens route --help" for the usage\.\n$/,
  );
  // nothing near: no guess
  const far = run('route', 'test/fixtures/corpus-gateway', '--gateway', 'x/zzz', '--url', 'http://a.b/');
  assert.equal(far.code, 2);
  assert.doesNotMatch(far.err, /did you mean/);
});

test('reach with a Service name: the workloads behind the Service are named', () => {
  const r = run(
    'reach',
    'test/fixtures/cli-names/shop.yaml',
    '--from',
    'shop/cart',
    '--to',
    'shop/cart-v2',
    '--port',
    '8080',
  );
  assert.equal(r.code, 2);
  assert.equal(
    r.err.split('\n')[0],
    'kube-netlens: --from: no Pod or workload "shop/cart" in the manifests; shop/cart is a Service, and reach takes the pods behind it: Deployment/shop/cart-v2',
  );
  // the workload itself resolves
  assert.equal(
    run(
      'reach',
      'test/fixtures/cli-names/shop.yaml',
      '--from',
      'shop/cart-v2',
      '--to',
      'shop/cart-v2',
      '--port',
      '8080',
    ).code,
    0,
  );
});
