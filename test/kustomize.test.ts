// Kustomize patches: a file a kustomization lists as a patch holds partial objects. It is checked for
// the fields it holds, not for the required fields it leaves to its base, and the base objects are the
// ones the cross-resource checks use. Through the language service (editor URIs) and the built CLI
// (plain paths), with a kustomization written with and without apiVersion/kind (kubebuilder's scaffold).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultService, virtualUri } from './support/rule-fixtures';
import { ROOT } from './support/lsp-client';
import { filesToRecheck } from '../server/src/workspace/dependents';
import { listDiff } from '../server/src/workspace/list-diff';

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: controller
spec:
  selector:
    matchLabels:
      app: controller
  template:
    metadata:
      labels:
        app: controller
    spec:
      containers:
      - name: manager
        image: example/manager:1.0
        ports:
        - containerPort: 9443
---
apiVersion: v1
kind: Service
metadata:
  name: webhook
spec:
  selector:
    app: controller
  ports:
  - port: 443
    targetPort: 9443
`;

// the shape kubebuilder scaffolds: no apiVersion/kind, patches in the overlay's folder
const OVERLAY = `namespace: system
namePrefix: demo-
resources:
- ../base
patchesStrategicMerge:
- manager_patch.yaml
patches:
- path: patches/webhook_patch.yaml
`;

const MANAGER_PATCH = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: controller
spec:
  template:
    spec:
      securityContext:
        fsGroup: 1337
      terminationGracePeriodSeconds: ten
`;

const WEBHOOK_PATCH = `apiVersion: v1
kind: Service
metadata:
  name: webhook
spec:
  type: ClusterIP
`;

const files = {
  base: virtualUri('kustomize', 'base', 'controller.yaml'),
  overlay: virtualUri('kustomize', 'overlay', 'kustomization.yaml'),
  manager: virtualUri('kustomize', 'overlay', 'manager_patch.yaml'),
  webhook: virtualUri('kustomize', 'overlay', 'patches', 'webhook_patch.yaml'),
};

function open(withOverlay: boolean) {
  const { workspace, service } = defaultService();
  workspace.set(files.base, BASE);
  if (withOverlay) workspace.set(files.overlay, OVERLAY);
  workspace.set(files.manager, MANAGER_PATCH);
  workspace.set(files.webhook, WEBHOOK_PATCH);
  const check = (uri: string) =>
    service
      .doValidation(uri)
      .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
  return { workspace, check };
}

test('a kustomization without apiVersion/kind: its patches are checked for what they hold', () => {
  const { check } = open(true);
  const manager = check(files.manager);
  assert.deepEqual(manager, [
    '10:38 schema-type spec.template.spec.terminationGracePeriodSeconds must be an integer, not a string',
    '2:7 kustomize-patch Kustomize patch (listed as "manager_patch.yaml" in kustomization.yaml): its objects are merged into the base, so only the fields they hold are checked, and the cross-resource checks use the base objects',
  ]);
  assert.deepEqual(check(files.webhook), [
    '2:7 kustomize-patch Kustomize patch (listed as "patches/webhook_patch.yaml" in kustomization.yaml): its objects are merged into the base, so only the fields they hold are checked, and the cross-resource checks use the base objects',
  ]);
  // the base: no "defined twice", and its Service selects the base Deployment
  assert.deepEqual(check(files.base), []);
  assert.deepEqual(check(files.overlay), []);
});

test('the same files without the kustomization are whole objects: required fields and duplicates are reported', () => {
  const { check } = open(false);
  const manager = check(files.manager);
  assert.ok(manager.some((m) => m.includes('schema-required Missing required field "selector" in spec')));
  assert.ok(manager.some((m) => m.includes('schema-required Missing required field "containers"')));
  assert.ok(check(files.webhook).some((m) => m.includes('service-no-ports')));
  assert.ok(check(files.base).some((m) => m.includes('resource-duplicate')));
});

test('removing the kustomization (or its patch entry) brings the whole-object checks back', () => {
  const { workspace, check } = open(true);
  assert.equal(check(files.manager).filter((m) => m.includes('schema-required')).length, 0);
  workspace.set(files.overlay, OVERLAY.replace('- manager_patch.yaml\n', '- other.yaml\n'));
  assert.ok(check(files.manager).some((m) => m.includes('schema-required')));
  assert.equal(check(files.webhook).filter((m) => m.includes('service-no-ports')).length, 0);
  workspace.delete(files.overlay);
  assert.ok(check(files.webhook).some((m) => m.includes('service-no-ports')));
});

test('kube-netlens check: patches found through plain paths, exit status 1 only for the real type error', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-kustomize-'));
  try {
    mkdirSync(path.join(dir, 'base'));
    mkdirSync(path.join(dir, 'overlay', 'patches'), { recursive: true });
    writeFileSync(path.join(dir, 'base', 'controller.yaml'), BASE);
    writeFileSync(
      path.join(dir, 'overlay', 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${OVERLAY}`,
    );
    writeFileSync(path.join(dir, 'overlay', 'manager_patch.yaml'), MANAGER_PATCH);
    writeFileSync(path.join(dir, 'overlay', 'patches', 'webhook_patch.yaml'), WEBHOOK_PATCH);
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const lines = run.stdout.trim().split('\n');
    assert.deepEqual(
      lines.filter((l) => / (error|warning) /.test(l)),
      [
        'overlay/manager_patch.yaml:10:38 error schema-type spec.template.spec.terminationGracePeriodSeconds must be an integer, not a string',
      ],
    );
    assert.equal(lines.filter((l) => l.includes(' hint kustomize-patch ')).length, 2);
    assert.equal(run.status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an edit of the kustomization re-checks its patch files and the base (the editor re-publishes them)', () => {
  const { workspace } = open(true);
  const before = workspace.index.resourcesOf(files.overlay);
  workspace.set(files.overlay, OVERLAY.replace('- manager_patch.yaml\n', ''));
  const after = workspace.index.resourcesOf(files.overlay);
  assert.equal(before[0]?.kind, 'Kustomization');
  const again = filesToRecheck(
    workspace.index,
    [{ uri: files.overlay, before, after, moved: [], ...listDiff(before, after) }],
    [files.base, files.manager, files.webhook],
  );
  assert.deepEqual(again, [files.base, files.manager, files.webhook]);
});

// Common labels: kustomize puts a kustomization's commonLabels (or a `labels` entry with
// includeSelectors) on the selectors of every object it gathers, creating a workload's missing
// spec.selector.matchLabels. ingress-nginx's deploy/grafana is written that way.
const UNSELECTED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: grafana
spec:
  replicas: one
  template:
    spec:
      containers:
      - name: grafana
        image: grafana/grafana:11.0.0
`;

const labelled = {
  app: virtualUri('kustomize-labels', 'base', 'deployment.yaml'),
  base: virtualUri('kustomize-labels', 'base', 'kustomization.yaml'),
  overlay: virtualUri('kustomize-labels', 'overlay', 'kustomization.yaml'),
};

function openLabelled(overlay: string | undefined) {
  const { workspace, service } = defaultService();
  workspace.set(labelled.app, UNSELECTED);
  workspace.set(
    labelled.base,
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n',
  );
  if (overlay !== undefined) workspace.set(labelled.overlay, overlay);
  return (uri: string) =>
    service
      .doValidation(uri)
      .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
}

test('common labels: a workload gathered by a kustomization with commonLabels may leave its selector to kustomize', () => {
  // (its other findings stay either way)
  const replicas = '6:13 schema-type spec.replicas must be an integer, not a string';
  const missing = [replicas, '5:1 schema-required Missing required field "selector" in spec'];
  // alone, or gathered by kustomizations that put no labels on selectors: the API server would refuse it
  assert.deepEqual(openLabelled(undefined)(labelled.app), missing);
  for (const labels of [
    'labels:\n- pairs:\n    app: grafana\n',
    'labels:\n- pairs:\n    app: grafana\n  includeSelectors: false\n  includeTemplates: true\n',
    'commonAnnotations:\n  team: obs\n',
  ])
    assert.deepEqual(
      openLabelled(`resources:\n- ../base\npatches:\n- path: none.yaml\n${labels}`)(labelled.app),
      missing,
      labels,
    );
  // through the base folder's own kustomization, with and without apiVersion/kind
  for (const overlay of [
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../base\ncommonLabels:\n  app.kubernetes.io/name: grafana\n',
    'resources:\n- ../base\ncommonLabels:\n  app.kubernetes.io/name: grafana\n',
    'resources:\n- ../base/\nlabels:\n- pairs:\n    app: grafana\n  includeSelectors: true\n',
  ])
    assert.deepEqual(openLabelled(overlay)(labelled.app), [replicas], overlay);
});

test('a patch leaves to its base what its checks would read as defaults: type, rules, controller', () => {
  const { workspace, service } = defaultService();
  const uri = (name: string) => virtualUri('kustomize-defaults', name);
  workspace.set(
    uri('kustomization.yaml'),
    'resources:\n- base.yaml\npatches:\n- path: lb-patch.yaml\n- path: ingress-patch.yaml\n- path: class-patch.yaml\n',
  );
  const lbPatch =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  externalTrafficPolicy: Local\n';
  const ingressPatch =
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n    team: shop\nspec: {}\n';
  const classPatch =
    'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: web\nspec:\n  parameters:\n    kind: Params\n    name: p\n';
  workspace.set(uri('lb-patch.yaml'), lbPatch);
  workspace.set(uri('ingress-patch.yaml'), ingressPatch);
  workspace.set(uri('class-patch.yaml'), classPatch);
  // the same objects outside any kustomization: what the API server would say of them as written
  workspace.set(uri('other/lb.yaml'), lbPatch);
  workspace.set(uri('other/ingress.yaml'), ingressPatch);
  workspace.set(uri('other/class.yaml'), classPatch);
  const codes = (name: string) =>
    service
      .doValidation(uri(name))
      .filter((d) => d.severity === 1)
      .map((d) => `${d.range.start.line + 1} ${d.code}`);
  assert.deepEqual(codes('lb-patch.yaml'), []);
  assert.deepEqual(codes('ingress-patch.yaml'), []);
  assert.deepEqual(codes('class-patch.yaml'), []);
  assert.deepEqual(codes('other/lb.yaml'), ['6 service-spec-invalid']);
  assert.deepEqual(codes('other/ingress.yaml'), ['7 ingress-spec-invalid']);
  assert.deepEqual(codes('other/class.yaml'), ['5 ingressclass-invalid']);
  // a value the patch writes is still judged: its type given as ClusterIP
  workspace.set(uri('lb-patch.yaml'), lbPatch.replace('spec:\n', 'spec:\n  type: ClusterIP\n'));
  assert.deepEqual(codes('lb-patch.yaml'), ['7 service-spec-invalid']);
});

test("a patch leaves its containers' ports, DNS settings and Service type to its base: the pod and Service checks that read them keep quiet there", () => {
  const { workspace, service } = defaultService();
  const uri = (name: string) => virtualUri('kustomize-pod-patches', name);
  workspace.set(
    uri('kustomization.yaml'),
    'resources:\n- base.yaml\npatches:\n- path: probe-patch.yaml\n- path: dns-patch.yaml\n- path: svc-patch.yaml\n',
  );
  // the probe names a port the base declares; the patch's container lists no ports
  const probePatch =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        readinessProbe:\n          httpGet:\n            path: /healthz\n            port: http\n';
  // the base holds dnsConfig with its nameservers
  const dnsPatch =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      dnsPolicy: None\n';
  // the base Service is of type ExternalName
  const svcPatch =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: billing\nspec:\n  externalName: billing.example.com\n';
  workspace.set(uri('probe-patch.yaml'), probePatch);
  workspace.set(uri('dns-patch.yaml'), dnsPatch);
  workspace.set(uri('svc-patch.yaml'), svcPatch);
  workspace.set(uri('other/probe.yaml'), probePatch);
  workspace.set(uri('other/dns.yaml'), dnsPatch);
  workspace.set(uri('other/svc.yaml'), svcPatch);
  const codes = (name: string) =>
    service
      .doValidation(uri(name))
      .filter((d) =>
        ['probe-port-unknown', 'pod-network-invalid', 'service-field-ignored'].includes(String(d.code)),
      )
      .map((d) => `${d.range.start.line + 1} ${d.code}`);
  assert.deepEqual(codes('probe-patch.yaml'), []);
  assert.deepEqual(codes('dns-patch.yaml'), []);
  assert.deepEqual(codes('svc-patch.yaml'), []);
  // outside a kustomization the same objects are whole, and each finding stands
  assert.deepEqual(codes('other/probe.yaml'), ['13 probe-port-unknown']);
  assert.deepEqual(codes('other/dns.yaml'), ['8 pod-network-invalid']);
  assert.deepEqual(codes('other/svc.yaml'), ['6 service-field-ignored']);
});
