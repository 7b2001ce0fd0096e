// service-spec-invalid by target version: allocateLoadBalancerNodePorts and loadBalancerClass were
// behind feature gates that were off before Kubernetes 1.22, when the API server dropped the fields
// instead of refusing them on a Service that is not a LoadBalancer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOfFile } from '../server/src/rules/check';
import { rule } from '../server/src/rules/service-spec-invalid';
import type { FileRule } from '../server/src/rules/types';

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: internal
spec:
  allocateLoadBalancerNodePorts: false
  loadBalancerClass: example.com/internal-vip
  ports:
  - port: 80
`;

function findings(kubernetesVersion: string): string[] {
  const out: string[] = [];
  for (const resource of resourcesOfFile(parseFile(SERVICE)))
    (rule as FileRule).check({
      resource,
      uri: 'file:///internal.yaml',
      settings: { kubernetesVersion, severities: {} },
      report: (span, message) => out.push(`${SERVICE.slice(span.start, span.end)}: ${message.split(':')[0]}`),
    });
  return out;
}

test('from 1.22 the load-balancer-only fields are refused off a LoadBalancer', () => {
  const expected = [
    'allocateLoadBalancerNodePorts: allocateLoadBalancerNodePorts only applies to type LoadBalancer (this Service is ClusterIP)',
    'loadBalancerClass: loadBalancerClass only applies to type LoadBalancer (this Service is ClusterIP)',
  ];
  assert.deepEqual(findings('1.22'), expected);
  assert.deepEqual(findings('1.34'), expected);
});

test('before 1.22 the API server dropped them (their feature gates were off): no finding', () => {
  assert.deepEqual(findings('1.21'), []);
});
