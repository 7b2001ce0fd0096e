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
