// Which controller serves an Ingress (engine/controller.ts), from the controllers' own documentation:
// ingress-nginx and NGINX Inc answer to IngressClasses with their spec.controller and to the class
// annotation; the AWS Load Balancer Controller merges Ingresses by group.name; GKE reads only the
// kubernetes.io/ingress.class annotation (gce, gce-internal) and ignores spec.ingressClassName, and
// serves Ingresses that set neither.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { annotationController, controllerOfIngress, decideController } from '../server/src/engine/controller';
import type { ControllerClass, ControllerInput } from '../server/src/engine/controller';
import { buildCluster } from '../server/src/model/cluster';
import { ingressController } from '../server/src/model/ingress';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';

const classes: ControllerClass[] = [
  { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: false },
  { name: 'public', controller: 'k8s.io/ingress-nginx', isDefault: false },
  { name: 'nginx-plus', controller: 'nginx.org/ingress-controller', isDefault: false },
  { name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: false },
  { name: 'web', controller: 'traefik.io/ingress-controller', isDefault: false },
  { name: 'contour', controller: 'projectcontour.io/ingress-controller', isDefault: false },
];

const cases: { name: string; input: ControllerInput; classes?: ControllerClass[]; kind: string; evidence: string; className?: string }[] = [
  { name: 'spec.ingressClassName through the IngressClass controller', input: { ingressClassName: 'public' }, classes, kind: 'ingress-nginx', evidence: 'ingress-class', className: 'public' },
  { name: 'NGINX Inc IngressClass', input: { ingressClassName: 'nginx-plus' }, classes, kind: 'nginx-inc', evidence: 'ingress-class' },
  { name: 'AWS IngressClass', input: { ingressClassName: 'alb' }, classes, kind: 'aws-alb', evidence: 'ingress-class' },
  { name: 'Traefik IngressClass under another name', input: { ingressClassName: 'web' }, classes, kind: 'traefik', evidence: 'ingress-class' },
  { name: 'a workspace IngressClass of another controller', input: { ingressClassName: 'contour' }, classes, kind: 'unknown', evidence: 'ingress-class' },
  { name: 'the IngressClass wins over a conventional name', input: { ingressClassName: 'nginx' }, classes: [{ name: 'nginx', controller: 'nginx.org/ingress-controller', isDefault: false }], kind: 'nginx-inc', evidence: 'ingress-class' },
  { name: 'conventional class name without an IngressClass', input: { ingressClassName: 'nginx' }, kind: 'ingress-nginx', evidence: 'class-name' },
  { name: '"nginx" with NGINX Inc annotations is NGINX Inc', input: { ingressClassName: 'nginx', annotations: { 'nginx.org/rewrites': 'serviceName=a rewrite=/' } }, kind: 'nginx-inc', evidence: 'class-name' },
  { name: 'class annotation alb', input: { annotations: { 'kubernetes.io/ingress.class': 'alb' } }, kind: 'aws-alb', evidence: 'class-annotation' },
  { name: 'class annotation traefik', input: { annotations: { 'kubernetes.io/ingress.class': 'traefik' } }, kind: 'traefik', evidence: 'class-annotation' },
  { name: 'class annotation gce', input: { annotations: { 'kubernetes.io/ingress.class': 'gce' } }, kind: 'gke', evidence: 'class-annotation' },
  { name: 'class annotation gce-internal', input: { annotations: { 'kubernetes.io/ingress.class': 'gce-internal' } }, kind: 'gke', evidence: 'class-annotation' },
  { name: 'class annotation naming a workspace IngressClass', input: { annotations: { 'kubernetes.io/ingress.class': 'nginx-plus' } }, classes, kind: 'nginx-inc', evidence: 'ingress-class-annotation' },
  { name: 'GKE ignores ingressClassName when the annotation is gce', input: { ingressClassName: 'nginx', annotations: { 'kubernetes.io/ingress.class': 'gce' } }, classes, kind: 'gke', evidence: 'class-annotation' },
  { name: 'ingressClassName gce alone is not served by GKE', input: { ingressClassName: 'gce' }, kind: 'unknown', evidence: 'class-name' },
  { name: 'unknown class, ingress-nginx annotations', input: { ingressClassName: 'internal', annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } }, kind: 'ingress-nginx', evidence: 'annotations' },
  { name: 'unknown class annotation, ALB annotations', input: { annotations: { 'kubernetes.io/ingress.class': 'my-alb', 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } }, kind: 'aws-alb', evidence: 'annotations' },
  { name: 'no class: the default IngressClass', input: {}, classes: [...classes, { name: 'def', controller: 'ingress.k8s.aws/alb', isDefault: true }], kind: 'aws-alb', evidence: 'default-class', className: 'def' },
  { name: 'no class, two defaults: annotations decide', input: { annotations: { 'traefik.ingress.kubernetes.io/router.entrypoints': 'web' } }, classes: [{ name: 'a', isDefault: true }, { name: 'b', isDefault: true }], kind: 'traefik', evidence: 'annotations' },
  { name: 'no class, GKE annotations', input: { annotations: { 'kubernetes.io/ingress.global-static-ip-name': 'ip' } }, kind: 'gke', evidence: 'annotations' },
  { name: 'no class, NGINX Inc annotations', input: { annotations: { 'nginx.org/path-regex': 'case_sensitive' } }, kind: 'nginx-inc', evidence: 'annotations' },
  { name: 'annotation families tie: undecided', input: { annotations: { 'nginx.org/a': 'x', 'nginx.ingress.kubernetes.io/b': 'y' } }, kind: 'unknown', evidence: 'none' },
  { name: 'nothing at all', input: {}, kind: 'unknown', evidence: 'none' },
  { name: 'blank class values count as unset', input: { ingressClassName: ' ', annotations: { 'kubernetes.io/ingress.class': '' } }, kind: 'unknown', evidence: 'none' },
];

for (const c of cases) {
  test(`controller: ${c.name}`, () => {
    const d = decideController(c.input, c.classes ?? []);
    assert.equal(d.kind, c.kind);
    assert.equal(d.evidence, c.evidence);
    if (c.className) assert.equal(d.className, c.className);
  });
}

test('controller: GKE with ingressClassName says the field is ignored', () => {
  assert.equal(decideController({ ingressClassName: 'x', annotations: { 'kubernetes.io/ingress.class': 'gce' } }).ignoresIngressClassName, true);
  assert.equal(decideController({ annotations: { 'kubernetes.io/ingress.class': 'gce' } }).ignoresIngressClassName, undefined);
});

test('controller: merge keys follow what each controller merges', () => {
  const key = (input: ControllerInput) => decideController(input, classes).mergeKey;
  // ingress-nginx merges every Ingress of one class, whatever its namespace
  assert.equal(key({ namespace: 'a', name: 'x', ingressClassName: 'nginx' }), key({ namespace: 'b', name: 'y', ingressClassName: 'nginx' }));
  assert.notEqual(key({ namespace: 'a', name: 'x', ingressClassName: 'nginx' }), key({ namespace: 'a', name: 'y', ingressClassName: 'public' }));
  // AWS: one ALB per group.name, else one per Ingress
  const group = { 'alb.ingress.kubernetes.io/group.name': 'shop' };
  assert.equal(key({ namespace: 'a', name: 'x', ingressClassName: 'alb', annotations: group }), key({ namespace: 'b', name: 'y', ingressClassName: 'alb', annotations: group }));
  assert.notEqual(key({ namespace: 'a', name: 'x', ingressClassName: 'alb' }), key({ namespace: 'a', name: 'y', ingressClassName: 'alb' }));
  // GKE: one load balancer per Ingress
  const gce = { 'kubernetes.io/ingress.class': 'gce' };
  assert.notEqual(key({ namespace: 'a', name: 'x', annotations: gce }), key({ namespace: 'a', name: 'y', annotations: gce }));
});

test('controller: annotation families', () => {
  assert.equal(annotationController('nginx.ingress.kubernetes.io/use-regex'), 'ingress-nginx');
  assert.equal(annotationController('nginx.org/path-regex'), 'nginx-inc');
  assert.equal(annotationController('alb.ingress.kubernetes.io/actions.redirect'), 'aws-alb');
  assert.equal(annotationController('kubernetes.io/ingress.allow-http'), 'gke');
  assert.equal(annotationController('traefik.ingress.kubernetes.io/router.tls'), 'traefik');
  assert.equal(annotationController('kubernetes.io/ingress.class'), undefined);
  assert.equal(annotationController('cert-manager.io/cluster-issuer'), undefined);
});

const yaml = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: company
spec:
  controller: nginx.org/ingress-controller
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: web
spec:
  ingressClassName: company
  rules: []
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  namespace: web
  annotations:
    kubernetes.io/ingress.class: gce
    kubernetes.io/ingress.global-static-ip-name: shop-ip
spec:
  ingressClassName: company
  rules: []
`;

test('controller: from YAML, file-local and with the workspace IngressClasses', () => {
  const index = new WorkspaceIndex();
  const file = parseFile(yaml);
  const resources = file.docs.flatMap((d) => resourcesOf(d));
  index.setFile('file:///a.yaml', resources);
  const [, shop, legacy] = resources;
  // alone, "company" is no conventional name and no annotation tells
  assert.equal(ingressController(shop).kind, 'unknown');
  const cluster = buildCluster(index);
  assert.equal(ingressController(shop, cluster.ingressClasses).kind, 'nginx-inc');
  assert.equal(ingressController(legacy).kind, 'gke');
  const infos = cluster.ingresses;
  assert.deepEqual(infos.map((i) => controllerOfIngress(i, cluster.ingressClasses).kind), ['nginx-inc', 'gke']);
  assert.equal(infos[1].annotations?.['kubernetes.io/ingress.global-static-ip-name'], 'shop-ip');
  assert.equal(infos[1].ingressClassName, 'company');
});
