// Facts about the committed schema (server/src/schema/generated/k8s-schema.json), the one the build
// bundles, and a check that it was written by the current scripts/gen-schema.ts (npm run schema:update
// regenerates it from the pinned sources in scripts/schema-sources).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldDef, ObjectDef, SchemaBundle, SchemaType } from '../server/src/schema/types';
import { generatorDigest } from '../scripts/gen-schema';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaFile = path.join(root, 'server/src/schema/generated/k8s-schema.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as SchemaBundle;

function def(name: string): ObjectDef {
  const d = schema.definitions[name];
  assert.ok(d, `definition ${name} missing`);
  return d;
}

function rootDef(key: string): ObjectDef {
  const name = schema.roots[key];
  assert.ok(name, `root ${key} missing`);
  return def(name);
}

function field(d: ObjectDef, name: string): FieldDef {
  const f = d.fields[name];
  assert.ok(f, `field ${name} missing (have: ${Object.keys(d.fields).join(', ')})`);
  return f;
}

/** Follows a ref (through arrays) to its definition. */
function deref(t: SchemaType): ObjectDef {
  let cur = t;
  while (cur.t === 'array') cur = cur.items;
  assert.equal(cur.t, 'ref', `expected a ref, got ${JSON.stringify(t)}`);
  return def((cur as { name: string }).name);
}

/** Walks a dotted path from a root, e.g. "spec.template.spec.containers". */
function walk(key: string, fieldPath: string): FieldDef {
  let d = rootDef(key);
  const parts = fieldPath.split('.');
  let f!: FieldDef;
  for (const [i, p] of parts.entries()) {
    f = field(d, p);
    if (i < parts.length - 1) d = deref(f.type);
  }
  return f;
}

const ROOTS = [
  'v1/Pod',
  'v1/Service',
  'v1/Secret',
  'v1/Namespace',
  'apps/v1/Deployment',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'apps/v1/ReplicaSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'networking.k8s.io/v1/Ingress',
  'networking.k8s.io/v1/IngressClass',
  'networking.k8s.io/v1/NetworkPolicy',
  'extensions/v1beta1/Ingress',
  'networking.k8s.io/v1beta1/Ingress',
];

test('the committed schema was written by the current generator from the pinned sources', () => {
  assert.equal(
    schema.generator,
    generatorDigest(),
    'scripts/gen-schema.ts changed since the schema was generated: run `npm run schema:update` and commit ' +
      'server/src/schema/generated/k8s-schema.json',
  );
  const pinned = JSON.parse(readFileSync(path.join(root, 'scripts/schema-sources/package.json'), 'utf8'))
    .dependencies as Record<string, string>;
  assert.equal(
    schema.source,
    `kubernetes-models ${pinned['kubernetes-models']}, ` +
      `@kubernetes-models/gateway-api ${pinned['@kubernetes-models/gateway-api']}, ` +
      `@kubernetes-models/cilium ${pinned['@kubernetes-models/cilium']}`,
    'the schema records the versions pinned in scripts/schema-sources/package.json',
  );
});

test('Cilium policy kinds come from @kubernetes-models/cilium: the Rule written as a union of shapes is one definition', () => {
  for (const kind of ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']) {
    const spec = deref(field(rootDef(`cilium.io/v2/${kind}`), 'spec').type);
    // endpointSelector or nodeSelector: both fields, neither required (exactly-one is cilium-invalid's)
    assert.equal(field(spec, 'endpointSelector').required, undefined, kind);
    assert.equal(field(spec, 'nodeSelector').type.t, 'ref', kind);
    // specs holds the same Rule
    assert.equal(deref(field(rootDef(`cilium.io/v2/${kind}`), 'specs').type), spec, kind);
  }
  const entities = walk('cilium.io/v2/CiliumNetworkPolicy', 'spec.ingress.fromEntities').type;
  assert.ok(entities.t === 'array' && entities.items.t === 'string');
  assert.deepEqual(entities.items.enum, [
    'all',
    'cluster',
    'health',
    'host',
    'ingress',
    'init',
    'kube-apiserver',
    'none',
    'remote-node',
    'unmanaged',
    'world',
    'world-ipv4',
    'world-ipv6',
  ]);
  assert.equal(walk('cilium.io/v2/CiliumNetworkPolicy', 'spec.egress.toPorts.ports.port').type.t, 'string');
  assert.equal(walk('cilium.io/v2/CiliumNetworkPolicy', 'spec.egress.toFQDNs.matchPattern').type.t, 'string');
});

test('Gateway API kinds: every standard-channel version, v1 TCPRoute/UDPRoute shaped as v1alpha2', () => {
  for (const kind of [
    'GatewayClass',
    'Gateway',
    'HTTPRoute',
    'GRPCRoute',
    'ReferenceGrant',
    'BackendTLSPolicy',
    'ListenerSet',
    'TLSRoute',
    'TCPRoute',
    'UDPRoute',
  ]) {
    const d = rootDef(`gateway.networking.k8s.io/v1/${kind}`);
    assert.equal(field(d, 'metadata').type.t, 'ref', kind);
  }
  for (const key of [
    'gateway.networking.k8s.io/v1beta1/HTTPRoute',
    'gateway.networking.k8s.io/v1beta1/ReferenceGrant',
    'gateway.networking.k8s.io/v1alpha2/TLSRoute',
  ])
    rootDef(key);
  assert.equal(
    schema.roots['gateway.networking.k8s.io/v1/TCPRoute'],
    schema.roots['gateway.networking.k8s.io/v1alpha2/TCPRoute'],
  );
});

test('Gateway API: experimental-only fields are marked, value types keep their name, markers leave the docs', () => {
  const rule = deref(walk('gateway.networking.k8s.io/v1/HTTPRoute', 'spec.rules').type);
  assert.equal(field(rule, 'retry').experimental, true);
  assert.equal(field(rule, 'timeouts').experimental, undefined);
  assert.equal(field(rule, 'matches').experimental, undefined);
  assert.deepEqual(walk('gateway.networking.k8s.io/v1/HTTPRoute', 'spec.hostnames').type, {
    t: 'array',
    items: { t: 'string', format: 'Hostname' },
  });
  assert.deepEqual(walk('gateway.networking.k8s.io/v1/Gateway', 'spec.listeners.port').type, {
    t: 'number',
    format: 'PortNumber',
  });
  assert.deepEqual(walk('gateway.networking.k8s.io/v1/Gateway', 'spec.listeners.name').type, {
    t: 'string',
    format: 'SectionName',
  });
  const method = walk('gateway.networking.k8s.io/v1/HTTPRoute', 'spec.rules.matches.method').type;
  assert.ok(method.t === 'string' && method.enum?.includes('GET') && method.enum.includes('PATCH'));
  for (const d of Object.values(schema.definitions)) {
    for (const f of Object.values(d.fields)) assert.doesNotMatch(f.doc ?? '', /<\/?gateway:/);
  }
});

test('all roots are present with apiVersion, kind and metadata', () => {
  for (const key of ROOTS) {
    const d = rootDef(key);
    assert.deepEqual(field(d, 'apiVersion').type, { t: 'string' }, key);
    assert.deepEqual(field(d, 'kind').type, { t: 'string' }, key);
    const meta = field(d, 'metadata').type;
    assert.equal(meta.t, 'ref', key);
    assert.match((meta as { name: string }).name, /ObjectMeta$/, key);
  }
  assert.ok(rootDef('networking.k8s.io/v1/NetworkPolicy').fields.spec);
  assert.ok(rootDef('v1/Secret').fields.data);
  assert.ok(rootDef('v1/Secret').fields.stringData);
});

test('every ref points to an existing definition', () => {
  const check = (t: SchemaType, where: string): void => {
    if (t.t === 'ref') assert.ok(schema.definitions[t.name], `${where} -> ${t.name}`);
    else if (t.t === 'array') check(t.items, where);
    else if (t.t === 'map') check(t.values, where);
  };
  for (const [n, d] of Object.entries(schema.definitions)) {
    for (const [f, fd] of Object.entries(d.fields)) check(fd.type, `${n}.${f}`);
  }
  for (const n of Object.values(schema.roots)) assert.ok(schema.definitions[n], n);
});

test('HTTPIngressPath.pathType is a required string enum', () => {
  const f = walk('networking.k8s.io/v1/Ingress', 'spec.rules.http.paths.pathType');
  assert.deepEqual(f.type, { t: 'string', enum: ['Exact', 'ImplementationSpecific', 'Prefix'] });
  assert.equal(f.required, true);
  assert.match(f.doc ?? '', /Possible enum values:/);
  assert.ok((f.doc ?? '').length <= 1500);
});

test('ServicePort.protocol enum and targetPort int-or-string', () => {
  const protocol = walk('v1/Service', 'spec.ports.protocol');
  assert.equal(protocol.type.t, 'string');
  const values = (protocol.type as { enum?: string[] }).enum ?? [];
  for (const v of ['TCP', 'UDP', 'SCTP']) assert.ok(values.includes(v), v);
  assert.deepEqual(walk('v1/Service', 'spec.ports.targetPort').type, { t: 'int-or-string' });
  const port = walk('v1/Service', 'spec.ports.port');
  assert.deepEqual(port.type, { t: 'number' });
  assert.equal(port.required, true);
});

test('ServiceSpec.type enum', () => {
  assert.deepEqual(walk('v1/Service', 'spec.type').type, {
    t: 'string',
    enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
  });
});

test('NetworkPolicySpec.policyTypes is an array of enum', () => {
  assert.deepEqual(walk('networking.k8s.io/v1/NetworkPolicy', 'spec.policyTypes').type, {
    t: 'array',
    items: { t: 'string', enum: ['Egress', 'Ingress'] },
  });
  const ns = walk('networking.k8s.io/v1/NetworkPolicy', 'spec.ingress.from.namespaceSelector');
  assert.deepEqual(ns.type, { t: 'ref', name: 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector' });
  assert.deepEqual(
    walk('networking.k8s.io/v1/NetworkPolicy', 'spec.ingress.from.namespaceSelector.matchLabels').type,
    {
      t: 'map',
      values: { t: 'string' },
    },
  );
  assert.deepEqual(walk('networking.k8s.io/v1/NetworkPolicy', 'spec.ingress.ports.port').type, {
    t: 'int-or-string',
  });
});

test('ObjectMeta.labels is a map of string; time types are strings; free-form is any', () => {
  assert.deepEqual(walk('v1/Pod', 'metadata.labels').type, { t: 'map', values: { t: 'string' } });
  assert.deepEqual(walk('v1/Pod', 'metadata.creationTimestamp').type, { t: 'string' });
  assert.deepEqual(walk('v1/Pod', 'metadata.managedFields.fieldsV1').type, { t: 'any' });
  assert.deepEqual(walk('v1/Pod', 'spec.containers.resources.limits').type, {
    t: 'map',
    values: { t: 'int-or-string' },
  });
  assert.deepEqual(walk('v1/Pod', 'spec.hostNetwork').type, { t: 'boolean' });
});

test('Deployment reaches Container.ports[].containerPort', () => {
  const f = walk('apps/v1/Deployment', 'spec.template.spec.containers.ports.containerPort');
  assert.deepEqual(f.type, { t: 'number' });
  assert.equal(f.required, true);
  assert.equal(walk('apps/v1/Deployment', 'spec.template.spec.containers.name').required, true);
  assert.equal(walk('apps/v1/Deployment', 'spec.template.spec.containers').type.t, 'array');
  // CronJob -> jobTemplate -> spec -> template -> spec -> containers
  assert.deepEqual(
    walk('batch/v1/CronJob', 'spec.jobTemplate.spec.template.spec.containers.ports.containerPort').type,
    {
      t: 'number',
    },
  );
});

test('legacy Ingress: backend with serviceName/servicePort, no defaultBackend', () => {
  for (const key of ['extensions/v1beta1/Ingress', 'networking.k8s.io/v1beta1/Ingress']) {
    const spec = deref(field(rootDef(key), 'spec').type);
    assert.equal(spec.fields.defaultBackend, undefined, key);
    const backend = deref(field(spec, 'backend').type);
    assert.deepEqual(field(backend, 'serviceName').type, { t: 'string' });
    assert.deepEqual(field(backend, 'servicePort').type, { t: 'int-or-string' });
    assert.ok(field(backend, 'resource'));
    assert.equal(backend.fields.service, undefined);
    assert.match(field(backend, 'serviceName').doc ?? '', /Service/);
    const pathType = walk(key, 'spec.rules.http.paths.pathType');
    assert.deepEqual(pathType.type, { t: 'string', enum: ['Exact', 'ImplementationSpecific', 'Prefix'] });
    assert.ok(!pathType.required, 'pathType is optional in the legacy API');
    assert.deepEqual(walk(key, 'spec.rules.http.paths.backend.servicePort').type, { t: 'int-or-string' });
    assert.ok(field(spec, 'tls'));
  }
  // v1 is untouched
  const v1spec = deref(field(rootDef('networking.k8s.io/v1/Ingress'), 'spec').type);
  assert.ok(v1spec.fields.defaultBackend);
  assert.equal(v1spec.fields.backend, undefined);
  assert.ok(walk('networking.k8s.io/v1/Ingress', 'spec.defaultBackend.service.port.number'));
  assert.notEqual(schema.roots['networking.k8s.io/v1/Ingress'], schema.roots['extensions/v1beta1/Ingress']);
});

test('docs are present, normalised and capped', () => {
  const f = walk('networking.k8s.io/v1/Ingress', 'spec.ingressClassName');
  assert.match(f.doc ?? '', /IngressClass/);
  assert.ok(rootDef('networking.k8s.io/v1/Ingress').doc);
  assert.ok(walk('networking.k8s.io/v1/Ingress', 'apiVersion').doc);
  for (const [n, d] of Object.entries(schema.definitions)) {
    for (const doc of [d.doc, ...Object.values(d.fields).map((x) => x.doc)]) {
      if (doc === undefined) continue;
      assert.ok(doc.length > 0 && doc.length <= 1500, n);
      assert.doesNotMatch(doc, /\s{2,}|\n/, n);
    }
  }
});

test('definition names are stable fully qualified names', () => {
  for (const n of [
    'io.k8s.api.networking.v1.IngressSpec',
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
    'io.k8s.api.core.v1.Container',
    'io.k8s.api.core.v1.ContainerPort',
    'io.k8s.api.core.v1.ServicePort',
    'io.k8s.api.networking.v1.NetworkPolicyPeer',
    'legacy.IngressSpec',
  ]) {
    def(n);
  }
});
