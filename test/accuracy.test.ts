// Accuracy on real-world manifests (issue 13): settings-dependent findings that a fixture folder
// (one settings.json each) cannot show side by side, run in-process through the language service,
// and the same through the built CLI.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './support/lsp-client';
import { defaultService } from './support/rule-fixtures';

const CLI = path.join(ROOT, 'dist', 'cli.js');

const DOC = 'file:///virtual/accuracy/doc.yaml';

/** A language service with these settings and `text` open as DOC. */
function serviceWith(text: string, raw: Record<string, unknown> = {}) {
  const { workspace, service } = defaultService(raw);
  workspace.set(DOC, text);
  return service;
}

function diagnose(text: string, raw: Record<string, unknown> = {}) {
  return serviceWith(text, raw)
    .doValidation(DOC)
    .map((d) => ({
      line: d.range.start.line,
      code: d.code,
      severity: d.severity,
      message: typeof d.message === 'string' ? d.message : d.message.value,
    }));
}

const NODEPORTS = `apiVersion: v1
kind: Service
metadata:
  name: edge
spec:
  type: NodePort
  ports:
  - name: http
    port: 80
    nodePort: 80
  - name: https
    port: 443
    nodePort: 79
`;

test('nodePort range: the default range rejects 80; kubeNetlens.nodePortRange 80-32767 accepts it and names the configured range', () => {
  const byDefault = diagnose(NODEPORTS).filter((d) => d.code === 'service-node-port-range');
  assert.deepEqual(
    byDefault.map((d) => [d.line, d.severity]),
    [
      [9, 1],
      [12, 1],
    ],
  );
  const custom = diagnose(NODEPORTS, { nodePortRange: '80-32767' }).filter(
    (d) => d.code === 'service-node-port-range',
  );
  assert.deepEqual(
    custom.map((d) => d.line),
    [12],
  );
  assert.equal(
    custom[0].message,
    "nodePort 79 is outside the cluster's NodePort range 80-32767 (kubeNetlens.nodePortRange): the API server rejects the Service",
  );
  // a malformed setting falls back to the default range
  assert.equal(
    diagnose(NODEPORTS, { nodePortRange: '32767-80' }).filter((d) => d.code === 'service-node-port-range')
      .length,
    2,
  );
});

test('CLI --node-port-range sets the range; a malformed one is a usage error (exit 2)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-acc-'));
  const file = path.join(dir, 'svc.yaml');
  writeFileSync(file, NODEPORTS);
  const ok = spawnSync(
    process.execPath,
    [CLI, 'check', file, '--node-port-range', '1-32767', '--format', 'json'],
    { encoding: 'utf8' },
  );
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(
    JSON.parse(ok.stdout).findings.filter((f: { rule: string }) => f.rule === 'service-node-port-range'),
    [],
  );
  const bad = spawnSync(process.execPath, [CLI, 'check', file, '--node-port-range', '30000'], {
    encoding: 'utf8',
  });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--node-port-range takes MIN-MAX/);
});

/** api-removed's findings on `text` at a target version: [line, severity, message]. */
function apiRemovedAt(text: string, kubernetesVersion: string) {
  return diagnose(text, { kubernetesVersion })
    .filter((d) => d.code === 'api-removed')
    .map((d) => [d.line, d.severity, d.message]);
}

test('api-removed follows the target version: autoscaling/v2beta2 is a deprecation warning on 1.23-1.25 and an error from 1.26', () => {
  const hpa =
    'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  maxReplicas: 2\n';
  const at = (v: string) => apiRemovedAt(hpa, v);
  assert.deepEqual(at('1.22'), []);
  assert.deepEqual(at('1.25'), [
    [
      0,
      2,
      'HorizontalPodAutoscaler autoscaling/v2beta2 is deprecated since Kubernetes 1.23 and removed in 1.26; use autoscaling/v2',
    ],
  ]);
  assert.deepEqual(at('1.26'), [
    [
      0,
      1,
      'HorizontalPodAutoscaler autoscaling/v2beta2 is no longer served: removed in Kubernetes 1.26; use autoscaling/v2',
    ],
  ]);
});

test('api-removed: v1 Endpoints is deprecated for EndpointSlice from 1.33 (information: still served, no removal planned; no quick fix to another kind)', () => {
  const ep =
    'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: legacy-db\nsubsets:\n- addresses:\n  - ip: 192.0.2.42\n  ports:\n  - port: 5432\n';
  const at = (v: string) => apiRemovedAt(ep, v);
  assert.deepEqual(at('1.32'), []);
  assert.deepEqual(at('1.33'), [
    [
      0,
      3,
      'Endpoints v1 is deprecated since Kubernetes 1.33 in favour of EndpointSlice: the API server still serves it but answers every request for it with a warning. Write an EndpointSlice (discovery.k8s.io/v1) labelled kubernetes.io/service-name: legacy-db instead: the addresses go under endpoints[].addresses and the ports under ports, one address family per slice',
    ],
  ]);
  // the editor asks for fixes on that finding: none (the replacement is another kind)
  const service = serviceWith(ep, { kubernetesVersion: '1.33' });
  const found = service.doValidation(DOC).filter((d) => d.code === 'api-removed');
  assert.equal(found.length, 1);
  assert.deepEqual(service.getCodeActions(DOC, found[0].range, { diagnostics: found }), []);
});

test('hover on the apiVersion of v1 Endpoints says it is deprecated since 1.33 and names EndpointSlice as what to write', () => {
  const h = serviceWith('apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: legacy-db\n').doHover(DOC, {
    line: 0,
    character: 13,
  });
  const md =
    h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : JSON.stringify(h);
  assert.match(md, /^\*\*Endpoints\*\* `v1`: served from Kubernetes 1\.0, deprecated since 1\.33\./);
  assert.match(md, /Use an EndpointSlice \(`discovery\.k8s\.io\/v1`\) instead\./);
});

test('an object without metadata.name is one error, and no other finding names it "<unnamed>"', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  namespace: shop
spec:
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: shop
type: Opaque
`;
  const all = diagnose(text);
  assert.ok(
    all.every((d) => !d.message.includes('<unnamed>') && !d.message.includes('undefined')),
    JSON.stringify(all),
  );
  assert.deepEqual(
    all.filter((d) => d.severity === 1).map((d) => [d.code, d.line]),
    [['metadata-name-invalid', 2]],
  );
});

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, cwd: ROOT });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('CLI: a usage error is one line and a hint, not the whole usage (exit 2)', () => {
  const r = cli(['check', 'x.yaml', '--colour']);
  assert.equal(r.code, 2);
  assert.equal(
    r.err,
    'kube-netlens: unknown option --colour\nRun "kube-netlens check --help" for the usage.\n',
  );
  const typo = cli(['chek', 'x.yaml']);
  assert.equal(typo.code, 2);
  assert.match(
    typo.err,
    /^kube-netlens: unknown command "chek"; did you mean "check"\?\nRun "kube-netlens --help" for the usage\.\n$/,
  );
});

test('CLI: --version prints the package version', () => {
  const r = cli(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^kube-netlens \d+\.\d+\.\d+\n$/);
});

test('CLI: "-" reads the manifests from stdin', () => {
  const r = cli(['check', '-', '--format', 'json'], NODEPORTS);
  assert.equal(r.code, 1, r.err);
  const findings = JSON.parse(r.out).findings as { file: string; rule: string; line: number }[];
  assert.deepEqual(
    findings.filter((f) => f.rule === 'service-node-port-range').map((f) => [f.file, f.line]),
    [
      ['<stdin>', 10],
      ['<stdin>', 13],
    ],
  );
});

test('CLI: no YAML found and an unknown --rule id are usage errors (exit 2), the latter with did-you-mean', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'knl-acc-empty-'));
  writeFileSync(path.join(empty, 'notes.txt'), 'no yaml here');
  const none = cli(['check', empty]);
  assert.equal(none.code, 2);
  assert.match(none.err, /no YAML files \(\.yaml, \.yml\) found in /);
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-acc-'));
  writeFileSync(path.join(dir, 'svc.yaml'), NODEPORTS);
  const rule = cli(['check', dir, '--rule', 'service-nodeport-range=off']);
  assert.equal(rule.code, 2);
  assert.match(
    rule.err,
    /--rule: no rule "service-nodeport-range"; did you mean "service-node-port-range"\?/,
  );
});

test('CLI: --format markdown on check is a table with escaped cells; --json is --format json', () => {
  const md = cli(['check', '-', '--format', 'markdown'], NODEPORTS.replace('name: edge', 'name: edge'));
  assert.equal(md.code, 1);
  assert.match(md.out, /^## Kube NetLens\n\n1 file\(s\) checked: 2 error\(s\)/);
  assert.match(
    md.out,
    /\| &lt;stdin&gt;:10:15 \| error \| \[service-node-port-range\]\(https:\/\/[^)]+#service-node-port-range\) \| nodePort 80 is outside/,
  );
  const json = cli(['check', '-', '--json'], NODEPORTS);
  assert.equal(JSON.parse(json.out).summary.errors, 2);
  // route prints SARIF too now; a format no command prints is still a usage error
  assert.equal(
    JSON.parse(cli(['route', '-', '--url', 'http://x/', '--format', 'sarif'], NODEPORTS).out).version,
    '2.1.0',
  );
  assert.equal(cli(['route', '-', '--url', 'http://x/', '--format', 'html'], NODEPORTS).code, 2);
});
