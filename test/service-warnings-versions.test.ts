// The Service deprecations that depend on the target Kubernetes version (field-deprecated), through
// the language service: spec.externalIPs from 1.36, trafficDistribution PreferClose from 1.35 (with
// its quick fix), the topology-aware-hints annotation from 1.27; none of them before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultService } from './support/rule-fixtures';

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    service.kubernetes.io/topology-aware-hints: Auto
spec:
  selector:
    app: web
  externalIPs:
  - 192.0.2.10
  trafficDistribution: PreferClose
  ports:
  - port: 80
`;

const URI = 'file:///virtual/service-warnings/web.yaml';

function serviceAt(kubernetesVersion: string) {
  const { workspace, service } = defaultService({ kubernetesVersion });
  workspace.set(URI, SERVICE);
  return service;
}

function deprecations(kubernetesVersion: string) {
  return serviceAt(kubernetesVersion)
    .doValidation(URI)
    .filter((d) => d.code === 'field-deprecated')
    .map((d) => ({
      line: d.range.start.line,
      severity: d.severity,
      message: typeof d.message === 'string' ? d.message : d.message.value,
    }));
}

const HINTS = {
  line: 5,
  severity: 3,
  message:
    'service.kubernetes.io/topology-aware-hints is deprecated since Kubernetes 1.27: service.kubernetes.io/topology-mode replaces it (same values: Auto to turn topology-aware routing on). Rename the annotation',
};
const EXTERNAL_IPS = {
  line: 9,
  severity: 3,
  message:
    'spec.externalIPs is deprecated since Kubernetes 1.36 (any user who can create a Service can claim any address with it, CVE-2020-8554) and kube-proxy is to stop implementing it in a later release: expose the Service with type LoadBalancer (MetalLB, Cilium LB-IPAM or a cloud load balancer) or a Gateway instead',
};
const PREFER_CLOSE = {
  line: 11,
  severity: 3,
  message:
    "trafficDistribution PreferClose is deprecated since Kubernetes 1.35: PreferSameZone means the same (prefer endpoints in the client's zone) and says so. Change it to PreferSameZone (available by default since 1.34)",
};

test('before 1.27 none of the three is deprecated yet', () => {
  assert.deepEqual(deprecations('1.26'), []);
});

test('1.34 (the default): only the topology-aware-hints annotation', () => {
  assert.deepEqual(deprecations('1.34'), [HINTS]);
});

test('1.35 adds trafficDistribution PreferClose, 1.36 spec.externalIPs', () => {
  assert.deepEqual(deprecations('1.35'), [HINTS, PREFER_CLOSE]);
  assert.deepEqual(deprecations('1.36'), [HINTS, EXTERNAL_IPS, PREFER_CLOSE]);
});

test('the quick fixes rename the annotation and change PreferClose to PreferSameZone', () => {
  const service = serviceAt('1.36');
  const diagnostics = service.doValidation(URI).filter((d) => d.code === 'field-deprecated');
  const edits = (line: number) => {
    const d = diagnostics.find((x) => x.range.start.line === line)!;
    return service
      .getCodeActions(URI, d.range, { diagnostics: [d] })
      .map((a) => ({ title: a.title, text: a.edit?.changes?.[URI]?.map((e) => e.newText) }));
  };
  assert.deepEqual(edits(5), [
    { title: 'Rename to service.kubernetes.io/topology-mode', text: ['service.kubernetes.io/topology-mode'] },
  ]);
  assert.deepEqual(edits(11), [{ title: 'Change to PreferSameZone', text: ['PreferSameZone'] }]);
  // no fix for externalIPs: the way out (a load balancer, a Gateway) is the user's to choose
  assert.deepEqual(edits(9), []);
});

test('ip-non-standard offers the standard form of an address as its quick fix', () => {
  const text = `apiVersion: v1
kind: Service
metadata:
  name: legacy
spec:
  clusterIP: 10.96.0.010
  selector:
    app: web
  ports:
  - port: 80
`;
  const { workspace, service } = defaultService();
  workspace.set(URI, text);
  const d = service.doValidation(URI).find((x) => x.code === 'ip-non-standard')!;
  assert.equal(d.severity, 2);
  assert.deepEqual(d.range, { start: { line: 5, character: 13 }, end: { line: 5, character: 24 } });
  const actions = service.getCodeActions(URI, d.range, { diagnostics: [d] });
  assert.deepEqual(
    actions.map((a) => [a.title, a.isPreferred, a.edit?.changes?.[URI]?.map((e) => e.newText)]),
    [['Change to 10.96.0.10', true, ['10.96.0.10']]],
  );
});

test('service-field-ignored offers to remove the ignored field, lines and all', () => {
  const text = `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  externalIPs:
  - 192.0.2.21
  - 192.0.2.22
  selector:
    app: db
  ports:
  - port: 5432
`;
  const { workspace, service } = defaultService();
  workspace.set(URI, text);
  const d = service.doValidation(URI).find((x) => x.code === 'service-field-ignored')!;
  assert.deepEqual(d.range, { start: { line: 6, character: 2 }, end: { line: 6, character: 13 } });
  const [action] = service.getCodeActions(URI, d.range, { diagnostics: [d] });
  assert.equal(action.title, 'Remove externalIPs');
  assert.equal(action.isPreferred, false);
  const [edit] = action.edit!.changes![URI];
  assert.deepEqual(edit, {
    range: { start: { line: 6, character: 0 }, end: { line: 9, character: 0 } },
    newText: '',
  });
});
