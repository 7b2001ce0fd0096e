// Checks the hand-written content: resource snippets, field notes and apiVersion facts.
// Run: node --import tsx --test test/content.test.ts
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments, isMap } from 'yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ObjectDef, SchemaBundle } from '../server/src/schema/types';
import { checkTogether, virtualUri } from './support/rule-fixtures';
import { RESOURCE_SNIPPETS, type ResourceSnippet } from '../server/src/features/snippets';
import { rootDefName } from '../server/src/schema/schema';
import { FIELD_NOTES, KIND_REFERENCE } from '../server/src/features/field-notes';
import {
  API_VERSIONS,
  apiVersionsForKind,
  compareKubeVersions,
  findApiVersion,
} from '../server/src/model/api-versions';

// ---------------------------------------------------------------------------------------------
// Snippet expansion
// ---------------------------------------------------------------------------------------------

/**
 * Expands an LSP snippet the way an editor does when every default is accepted:
 * `${n:default}` -> default, `${n|a,b|}` -> a, `${n}` / `$n` / `$0` -> empty, `\$ \} \\` -> literal.
 * Throws on anything it does not understand (nested placeholders, variables), so that a malformed
 * body fails the test instead of producing odd YAML.
 */
function expandSnippet(body: string): { text: string; stops: Map<number, string[]> } {
  const stops = new Map<number, string[]>();
  const note = (n: number, v: string) => stops.set(n, [...(stops.get(n) ?? []), v]);
  let out = '';
  for (let i = 0; i < body.length;) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1])) {
      out += body[i + 1];
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const rest = body.slice(i);
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^\$(\d+)/))) {
      note(Number(m[1]), '');
    } else if ((m = rest.match(/^\$\{(\d+)\}/))) {
      note(Number(m[1]), '');
    } else if ((m = rest.match(/^\$\{(\d+):((?:\\[$}\\]|[^$}\\])*)\}/))) {
      const def = m[2].replace(/\\([$}\\])/g, '$1');
      note(Number(m[1]), def);
      out += def;
    } else if ((m = rest.match(/^\$\{(\d+)\|([^|]*)\|\}/))) {
      const first = m[2].split(',')[0];
      note(Number(m[1]), first);
      out += first;
    } else {
      throw new Error(`unsupported snippet syntax at: ${rest.slice(0, 30)}`);
    }
    i += m[0].length;
  }
  return { text: out, stops };
}

type Obj = Record<string, any>;

function parseSnippet(s: ResourceSnippet): Obj {
  const { text } = expandSnippet(s.body);
  const docs = parseAllDocuments(text);
  assert.ok(!Array.isArray(docs) || docs.length === 1, `${s.label}: expected exactly one YAML document`);
  const doc = Array.isArray(docs) ? docs[0] : docs;
  assert.deepEqual(
    doc.errors.map((e) => e.message),
    [],
    `${s.label}: YAML errors in\n${text}`,
  );
  assert.deepEqual(
    doc.warnings.map((e) => e.message),
    [],
    `${s.label}: YAML warnings`,
  );
  assert.ok(isMap(doc.contents), `${s.label}: top level must be a mapping`);
  return doc.toJS() as Obj;
}

const snippetObjects = RESOURCE_SNIPPETS.map((s) => ({ s, obj: parseSnippet(s) }));
const byLabel = (label: string): Obj => {
  const hit = snippetObjects.find((x) => x.s.label === label);
  assert.ok(hit, `snippet "${label}" missing`);
  return hit.obj;
};

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('resource snippets', () => {
  test('the requested snippets exist, with unique labels', () => {
    const labels = RESOURCE_SNIPPETS.map((s) => s.label);
    assert.equal(new Set(labels).size, labels.length, 'duplicate labels');
    for (const want of [
      'Ingress: single service',
      'Ingress: simple fanout',
      'Ingress: name-based virtual hosting',
      'Ingress: TLS',
      'Service: ClusterIP',
      'Secret: TLS',
      'NetworkPolicy: default-deny ingress',
      'NetworkPolicy: default-deny egress',
      'NetworkPolicy: allow from namespace',
      'NetworkPolicy: allow DNS egress',
    ]) {
      assert.ok(labels.includes(want), `missing snippet "${want}"`);
    }
  });

  for (const s of RESOURCE_SNIPPETS) {
    describe(s.label, () => {
      test('has detail and documentation', () => {
        assert.ok(s.detail.trim().length > 0);
        assert.ok(s.documentation.trim().length > 0);
        assert.ok(s.label.startsWith(s.label.split(':')[0] + ': '), 'label is "Kind: description"');
      });

      test('tab stops: $0 once, numbered from 1 without gaps, mirrored stops share their default', () => {
        const { stops } = expandSnippet(s.body);
        assert.deepEqual(stops.get(0), [''], '$0 must appear exactly once');
        const nums = [...stops.keys()].filter((n) => n > 0).sort((a, b) => a - b);
        assert.ok(nums.length > 0, 'at least one tab stop');
        assert.deepEqual(
          nums,
          nums.map((_, i) => i + 1),
          `tab stops must be 1..n, got ${nums.join(',')}`,
        );
        for (const [n, defaults] of stops) {
          assert.equal(
            new Set(defaults).size,
            1,
            `tab stop ${n} has differing defaults: ${defaults.join(' / ')}`,
          );
        }
        assert.ok(s.body.trimEnd().endsWith('$0'), '$0 ends the snippet');
      });

      test('layout: 2-space indentation, no tabs, sequences flush with their key', () => {
        const text = expandSnippet(s.body).text;
        assert.ok(!text.includes('\t'), 'no tab characters');
        const ls = text.split('\n');
        for (const [i, line] of ls.entries()) {
          const indent = line.length - line.trimStart().length;
          assert.equal(indent % 2, 0, `odd indentation on line ${i + 1}: ${JSON.stringify(line)}`);
          assert.equal(line, line.trimEnd(), `trailing whitespace on line ${i + 1}`);
          if (/:\s*$/.test(line) && i + 1 < ls.length && ls[i + 1].trimStart().startsWith('- ')) {
            const next = ls[i + 1].length - ls[i + 1].trimStart().length;
            const keyIndent = line.trimStart().startsWith('- ') ? indent + 2 : indent;
            assert.equal(
              next,
              keyIndent,
              `sequence under ${line.trim()} must not be indented (line ${i + 2})`,
            );
          }
        }
      });

      test('expands to a manifest with apiVersion, kind and metadata.name', () => {
        const obj = parseSnippet(s);
        assert.equal(typeof obj.apiVersion, 'string');
        assert.equal(typeof obj.kind, 'string');
        assert.ok(obj.metadata && typeof obj.metadata === 'object', 'metadata mapping');
        assert.equal(typeof obj.metadata.name, 'string');
        assert.match(obj.metadata.name, DNS_1123_SUBDOMAIN);
        if (obj.kind === 'Service' || obj.kind === 'Namespace')
          assert.match(obj.metadata.name, DNS_1123_LABEL);
        if (obj.metadata.namespace !== undefined) assert.match(obj.metadata.namespace, DNS_1123_LABEL);
        assert.ok(s.label.startsWith(`${obj.kind}:`), `label starts with the kind (${obj.kind})`);
        if (obj.apiVersion.startsWith('gateway.networking.k8s.io/')) {
          // CRDs, not Kubernetes releases: the standard channel serves it (rule gateway-api-version)
          assert.ok(rootDefName(obj.apiVersion, obj.kind), `${obj.apiVersion} ${obj.kind} is in the schema`);
          return;
        }
        const info = findApiVersion(obj.apiVersion, obj.kind);
        assert.ok(info, `${obj.apiVersion} ${obj.kind} is a known apiVersion`);
        assert.equal(info.removed, undefined, 'snippets use served apiVersions');
        assert.equal(info.deprecated, undefined, 'snippets use non-deprecated apiVersions');
      });

      test('the expanded snippet raises no schema finding (fields, types, enums, required)', () => {
        const text = expandSnippet(s.body).text;
        const [diags] = checkTogether([{ uri: virtualUri('snippets', 'snippet.yaml'), text }]);
        const schemaFindings = diags
          .filter((d) => String(d.code).startsWith('schema-'))
          .map((d) => `${d.code} at line ${d.range.start.line + 1}: ${d.message}`);
        assert.deepEqual(schemaFindings, []);
      });
    });
  }

  test('Ingress snippets use networking.k8s.io/v1, pathType and absolute paths', () => {
    const ingresses = snippetObjects.filter((x) => x.obj.kind === 'Ingress');
    assert.ok(ingresses.length >= 4);
    for (const { s, obj } of ingresses) {
      assert.equal(obj.apiVersion, 'networking.k8s.io/v1', s.label);
      assert.ok(s.body.includes('ingressClassName: ${'), `${s.label}: ingressClassName tab stop`);
      const spec = obj.spec as Obj;
      let routes = spec.defaultBackend ? 1 : 0;
      for (const rule of spec.rules ?? []) {
        assert.ok(rule.http?.paths?.length > 0, `${s.label}: rule without paths`);
        for (const p of rule.http.paths) {
          routes++;
          assert.ok(
            ['Exact', 'Prefix', 'ImplementationSpecific'].includes(p.pathType),
            `${s.label}: pathType`,
          );
          assert.equal(typeof p.path, 'string', `${s.label}: path`);
          assert.ok(p.path.startsWith('/'), `${s.label}: path ${p.path} must start with /`);
          const svc = p.backend?.service;
          assert.ok(svc?.name, `${s.label}: backend service name`);
          assert.ok(
            Number.isInteger(svc.port?.number) !== (svc.port?.name !== undefined),
            `${s.label}: port number xor name`,
          );
        }
      }
      assert.ok(routes > 0, `${s.label}: routes somewhere`);
      for (const t of spec.tls ?? []) {
        const hosts = (spec.rules ?? []).map((r: Obj) => r.host);
        for (const h of t.hosts ?? [])
          assert.ok(hosts.includes(h), `${s.label}: TLS host ${h} has a matching rule`);
        assert.ok(t.secretName, `${s.label}: TLS secretName`);
      }
    }
    assert.ok(byLabel('Ingress: single service').spec.defaultBackend, 'single service uses defaultBackend');
    const fanout = byLabel('Ingress: simple fanout').spec;
    assert.equal(fanout.rules.length, 1);
    assert.equal(fanout.rules[0].http.paths.length, 2);
    assert.notEqual(
      fanout.rules[0].http.paths[0].backend.service.name,
      fanout.rules[0].http.paths[1].backend.service.name,
    );
    const vhost = byLabel('Ingress: name-based virtual hosting').spec;
    assert.equal(new Set(vhost.rules.map((r: Obj) => r.host)).size, 2);
    const tls = byLabel('Ingress: TLS').spec;
    assert.equal(tls.tls.length, 1);
  });

  test('Service snippet: ClusterIP with selector and a named port with targetPort', () => {
    const svc = byLabel('Service: ClusterIP');
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.ok(Object.keys(svc.spec.selector).length > 0);
    const [port] = svc.spec.ports;
    assert.match(port.name, DNS_1123_LABEL);
    assert.ok(port.targetPort !== undefined);
    assert.equal(port.protocol, 'TCP');
  });

  test('TLS Secret snippet carries obvious placeholders, never key material', () => {
    const sec = byLabel('Secret: TLS');
    assert.equal(sec.type, 'kubernetes.io/tls');
    assert.deepEqual(Object.keys(sec.data).sort(), ['tls.crt', 'tls.key']);
    for (const v of Object.values(sec.data)) assert.match(String(v), /^<[^<>]+>$/);
    const body = RESOURCE_SNIPPETS.find((s) => s.label === 'Secret: TLS')!.body;
    assert.ok(!/BEGIN|PRIVATE KEY-----|LS0tLS1CRUdJTi/.test(body), 'no PEM or base64 PEM in the body');
  });

  test('NetworkPolicy snippets express what their labels say', () => {
    const denyIn = byLabel('NetworkPolicy: default-deny ingress').spec;
    assert.deepEqual(denyIn.podSelector, {});
    assert.deepEqual(denyIn.policyTypes, ['Ingress']);
    assert.equal(denyIn.ingress, undefined);

    const denyOut = byLabel('NetworkPolicy: default-deny egress').spec;
    assert.deepEqual(denyOut.podSelector, {});
    assert.deepEqual(denyOut.policyTypes, ['Egress']);
    assert.equal(denyOut.egress, undefined);

    const fromNs = byLabel('NetworkPolicy: allow from namespace').spec;
    assert.deepEqual(fromNs.policyTypes, ['Ingress']);
    const peer = fromNs.ingress[0].from[0];
    assert.ok(peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']);

    const dns = byLabel('NetworkPolicy: allow DNS egress').spec;
    assert.deepEqual(dns.policyTypes, ['Egress']);
    const rule = dns.egress[0];
    assert.equal(rule.to.length, 1, 'namespace and pod selector in ONE peer (AND)');
    assert.equal(rule.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'], 'kube-system');
    assert.equal(rule.to[0].podSelector.matchLabels['k8s-app'], 'kube-dns');
    const ports = rule.ports.map((p: Obj) => `${p.protocol}/${p.port}`).sort();
    assert.deepEqual(ports, ['TCP/53', 'UDP/53']);
  });

  test('expandSnippet handles escapes and choices', () => {
    assert.equal(expandSnippet('a: ${1:x}\\$\\}$0').text, 'a: x$}');
    assert.equal(expandSnippet('a: ${1|Prefix,Exact|} ${2} $3').text, 'a: Prefix  ');
    assert.throws(() => expandSnippet('a: ${1:${2:x}}'));
  });
});

// ---------------------------------------------------------------------------------------------
// Field notes
// ---------------------------------------------------------------------------------------------

// the committed schema the build bundles (scripts/gen-schema.ts wrote it from kubernetes-models)
const schema = JSON.parse(
  readFileSync(path.join(__dirname, '..', 'server/src/schema/generated/k8s-schema.json'), 'utf8'),
) as SchemaBundle;

/** Definition for a note's type name: exact name (legacy.*) or the short name of a qualified one. */
function definitionFor(typeName: string): ObjectDef[] {
  if (schema.definitions[typeName]) return [schema.definitions[typeName]];
  return Object.entries(schema.definitions)
    .filter(([name]) => name.endsWith(`.${typeName}`) && name.startsWith('io.k8s.'))
    .map(([, d]) => d);
}

function noteKey(key: string): { type: string; field: string } {
  const i = key.lastIndexOf('.');
  return { type: key.slice(0, i), field: key.slice(i + 1) };
}

describe('field notes', () => {
  test('every note is non-empty, at most 600 characters, with balanced inline code', () => {
    for (const [key, n] of Object.entries(FIELD_NOTES)) {
      assert.ok(n.note.trim().length > 0, `${key}: empty note`);
      assert.ok(n.note.length <= 600, `${key}: note is ${n.note.length} chars`);
      assert.equal((n.note.match(/`/g) ?? []).length % 2, 0, `${key}: unbalanced backticks`);
      if (n.default !== undefined) {
        assert.ok(n.default.trim().length > 0, `${key}: empty default`);
        assert.ok(n.default.length <= 200, `${key}: default too long`);
        assert.equal((n.default.match(/`/g) ?? []).length % 2, 0, `${key}: unbalanced backticks in default`);
      }
    }
  });

  test('every key names a real field of a real API type', () => {
    for (const key of Object.keys(FIELD_NOTES)) {
      const { type, field } = noteKey(key);
      const defs = definitionFor(type);
      assert.ok(defs.length > 0, `${key}: no type ${type} in the schema`);
      assert.ok(
        defs.some((d) => d.fields[field]),
        `${key}: ${type} has no field ${field} (has ${Object.keys(defs[0].fields).join(', ')})`,
      );
    }
  });

  test('covers every field of the networking types', () => {
    const complete = [
      'IngressSpec',
      'IngressRule',
      'HTTPIngressRuleValue',
      'HTTPIngressPath',
      'IngressBackend',
      'IngressServiceBackend',
      'ServiceBackendPort',
      'IngressTLS',
      'IngressClassSpec',
      'IngressClassParametersReference',
      'ServiceSpec',
      'ServicePort',
      'SessionAffinityConfig',
      'ClientIPConfig',
      'NetworkPolicySpec',
      'NetworkPolicyIngressRule',
      'NetworkPolicyEgressRule',
      'NetworkPolicyPeer',
      'NetworkPolicyPort',
      'IPBlock',
      'LabelSelector',
      'LabelSelectorRequirement',
      'ContainerPort',
      'legacy.IngressSpec',
      'legacy.IngressRule',
      'legacy.HTTPIngressRuleValue',
      'legacy.HTTPIngressPath',
      'legacy.IngressBackend',
    ];
    const missing: string[] = [];
    for (const type of complete) {
      const defs = definitionFor(type);
      assert.equal(defs.length, 1, `${type}: expected one definition`);
      for (const f of Object.keys(defs[0].fields))
        if (!FIELD_NOTES[`${type}.${f}`]) missing.push(`${type}.${f}`);
    }
    assert.deepEqual(missing, []);
    assert.ok(Object.keys(definitionFor('ServiceSpec')[0].fields).length >= 20, 'ServiceSpec has ~20 fields');
  });

  test('covers the key fields of metadata, workloads, Secret and legacy Ingress', () => {
    for (const key of [
      'ObjectMeta.name',
      'ObjectMeta.namespace',
      'ObjectMeta.labels',
      'ObjectMeta.annotations',
      'ObjectMeta.generateName',
      'Container.name',
      'Container.ports',
      'Container.image',
      'PodSpec.containers',
      'PodSpec.hostNetwork',
      'PodTemplateSpec.metadata',
      'DeploymentSpec.selector',
      'DeploymentSpec.template',
      'DeploymentSpec.replicas',
      'StatefulSetSpec.serviceName',
      'NamespaceSpec.finalizers',
      'Secret.type',
      'Secret.data',
      'Secret.stringData',
      'Secret.immutable',
      'legacy.IngressBackend.serviceName',
      'legacy.IngressBackend.servicePort',
      'legacy.IngressSpec.backend',
    ]) {
      assert.ok(FIELD_NOTES[key], `missing note ${key}`);
    }
  });

  test('defaults Kubernetes applies are stated', () => {
    const d = (key: string) => {
      const n = FIELD_NOTES[key];
      assert.ok(n?.default, `${key}: no default`);
      return n.default;
    };
    assert.match(d('ServicePort.protocol'), /`TCP`/);
    assert.match(d('ServicePort.targetPort'), /`port`/);
    assert.match(d('ServiceSpec.type'), /`ClusterIP`/);
    assert.match(d('ServiceSpec.sessionAffinity'), /`None`/);
    assert.match(d('ServiceSpec.externalTrafficPolicy'), /`Cluster`/);
    assert.match(d('ServiceSpec.internalTrafficPolicy'), /`Cluster`/);
    assert.match(d('ServiceSpec.ipFamilyPolicy'), /`SingleStack`/);
    assert.match(d('ServiceSpec.allocateLoadBalancerNodePorts'), /`true`/);
    assert.match(d('ServiceSpec.publishNotReadyAddresses'), /`false`/);
    assert.match(d('ClientIPConfig.timeoutSeconds'), /10800/);
    assert.match(d('NetworkPolicyPort.protocol'), /`TCP`/);
    assert.match(d('ContainerPort.protocol'), /`TCP`/);
    assert.match(d('Secret.type'), /`Opaque`/);
    assert.match(d('DeploymentSpec.replicas'), /1/);
    assert.match(d('IngressClassParametersReference.scope'), /`Cluster`/);
    const pt = d('HTTPIngressPath.pathType');
    assert.match(pt, /required/);
    assert.match(pt, /ImplementationSpecific/);
    assert.match(d('legacy.HTTPIngressPath.pathType'), /ImplementationSpecific/);
    const policyTypes = d('NetworkPolicySpec.policyTypes');
    assert.match(policyTypes, /Ingress/);
    assert.match(policyTypes, /Egress/);
    assert.match(d('NetworkPolicySpec.podSelector'), /every Pod/i);
  });

  test('NetworkPolicy peer semantics are spelled out', () => {
    assert.match(FIELD_NOTES['NetworkPolicyPeer.podSelector'].note, /AND/);
    assert.match(FIELD_NOTES['NetworkPolicyPeer.podSelector'].note, /OR/);
    const from = FIELD_NOTES['NetworkPolicyIngressRule.from'].note;
    assert.match(from, /from: \[\]/);
    assert.match(from, /from: \[\{\}\]/);
    assert.match(FIELD_NOTES['NetworkPolicySpec.ingress'].note, /\[\{\}\]/);
  });

  test('KIND_REFERENCE links every kind to the API reference', () => {
    const kinds = new Set([
      // every kind with a version served today (PodSecurityPolicy has none, nor a reference page)
      ...API_VERSIONS.filter((v) => !v.removed).map((v) => v.kind),
      'Ingress',
      'IngressClass',
      'Service',
      'Secret',
      'NetworkPolicy',
      'Namespace',
      'Pod',
      'Deployment',
      'StatefulSet',
      'DaemonSet',
      'ReplicaSet',
      'Job',
      'CronJob',
    ]);
    for (const k of kinds) {
      const url = KIND_REFERENCE[k];
      assert.ok(url, `no reference page for ${k}`);
      assert.match(
        url,
        /^https:\/\/kubernetes\.io\/docs\/reference\/kubernetes-api\/[a-z-]+\/[a-z-]+-v\d\/$/,
      );
    }
    assert.equal(
      KIND_REFERENCE.Ingress,
      'https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// apiVersion facts
// ---------------------------------------------------------------------------------------------

describe('api versions', () => {
  const facts: Array<[string, string, string, string | undefined, string | undefined]> = [
    // apiVersion, kind, introduced, deprecated, removed
    ['extensions/v1beta1', 'Ingress', '1.1', '1.14', '1.22'],
    ['networking.k8s.io/v1beta1', 'Ingress', '1.14', '1.19', '1.22'],
    ['networking.k8s.io/v1', 'Ingress', '1.19', undefined, undefined],
    ['networking.k8s.io/v1beta1', 'IngressClass', '1.18', '1.19', '1.22'],
    ['networking.k8s.io/v1', 'IngressClass', '1.19', undefined, undefined],
    ['networking.k8s.io/v1', 'NetworkPolicy', '1.7', undefined, undefined],
    ['apps/v1', 'Deployment', '1.9', undefined, undefined],
    ['apps/v1', 'DaemonSet', '1.9', undefined, undefined],
    ['apps/v1', 'ReplicaSet', '1.9', undefined, undefined],
    ['apps/v1', 'StatefulSet', '1.9', undefined, undefined],
    ['batch/v1', 'CronJob', '1.21', undefined, undefined],
    ['policy/v1', 'PodDisruptionBudget', '1.21', undefined, undefined],
    ['v1', 'Service', '1.0', undefined, undefined],
    ['v1', 'Secret', '1.0', undefined, undefined],
    ['v1', 'Pod', '1.0', undefined, undefined],
    ['v1', 'Namespace', '1.0', undefined, undefined],
  ];
  for (const [apiVersion, kind, introduced, deprecated, removed] of facts) {
    test(`${kind} ${apiVersion}`, () => {
      const info = findApiVersion(apiVersion, kind);
      assert.ok(info, 'known');
      assert.equal(info.introduced, introduced);
      assert.equal(info.deprecated, deprecated);
      assert.equal(info.removed, removed);
      if (removed) assert.ok(info.replacement, 'removed versions name a replacement');
    });
  }

  test('removals', () => {
    const removedIn = (av: string, kind: string) => findApiVersion(av, kind)?.removed;
    assert.equal(removedIn('extensions/v1beta1', 'NetworkPolicy'), '1.16');
    for (const kind of ['Deployment', 'DaemonSet', 'ReplicaSet']) {
      assert.equal(removedIn('extensions/v1beta1', kind), '1.16', kind);
      assert.equal(removedIn('apps/v1beta2', kind), '1.16', kind);
    }
    assert.equal(removedIn('apps/v1beta1', 'Deployment'), '1.16');
    assert.equal(removedIn('apps/v1beta1', 'StatefulSet'), '1.16');
    assert.equal(removedIn('apps/v1beta2', 'StatefulSet'), '1.16');
    assert.equal(removedIn('batch/v1beta1', 'CronJob'), '1.25');
    assert.equal(removedIn('policy/v1beta1', 'PodDisruptionBudget'), '1.25');
    assert.ok(findApiVersion('batch/v1', 'Job'));
    assert.equal(findApiVersion('batch/v1', 'Job')!.removed, undefined);
  });

  test('replacements', () => {
    assert.equal(findApiVersion('extensions/v1beta1', 'Ingress')!.replacement, 'networking.k8s.io/v1');
    assert.equal(findApiVersion('networking.k8s.io/v1beta1', 'Ingress')!.replacement, 'networking.k8s.io/v1');
    assert.equal(findApiVersion('extensions/v1beta1', 'NetworkPolicy')!.replacement, 'networking.k8s.io/v1');
    assert.equal(findApiVersion('apps/v1beta2', 'Deployment')!.replacement, 'apps/v1');
    assert.equal(findApiVersion('batch/v1beta1', 'CronJob')!.replacement, 'batch/v1');
    assert.equal(findApiVersion('policy/v1beta1', 'PodDisruptionBudget')!.replacement, 'policy/v1');
  });

  test('lookups are exact: unknown pairs are undefined', () => {
    assert.equal(findApiVersion('networking.k8s.io/v1', 'Service'), undefined);
    assert.equal(findApiVersion('v1', 'Ingress'), undefined);
    assert.equal(findApiVersion('networking.k8s.io/v2', 'Ingress'), undefined);
    assert.equal(findApiVersion('networking.k8s.io/v1', 'ingress'), undefined);
    assert.ok(findApiVersion(' networking.k8s.io/v1 ', 'Ingress'), 'surrounding whitespace is ignored');
  });

  test('table is consistent', () => {
    const seen = new Set<string>();
    for (const v of API_VERSIONS) {
      const key = `${v.apiVersion}|${v.kind}`;
      assert.ok(!seen.has(key), `duplicate ${key}`);
      seen.add(key);
      for (const x of [v.introduced, v.deprecated, v.removed]) if (x) assert.match(x, /^1\.\d+$/, key);
      if (v.deprecated)
        assert.ok(
          compareKubeVersions(v.introduced, v.deprecated) <= 0,
          `${key}: deprecated before introduced`,
        );
      if (v.removed) {
        assert.ok(v.deprecated, `${key}: removed without a deprecation`);
        assert.ok(compareKubeVersions(v.deprecated!, v.removed) < 0, `${key}: removed before deprecated`);
      }
      if (v.replacement) {
        const r = findApiVersion(v.replacement, v.replacementKind ?? v.kind);
        assert.ok(r, `${key}: replacement ${v.replacement} unknown`);
        assert.equal(r.removed, undefined, `${key}: replacement is itself removed`);
        if (v.removed)
          assert.ok(compareKubeVersions(r.introduced, v.removed) < 0, `${key}: replacement arrives too late`);
      }
    }
  });

  test('apiVersionsForKind lists newest first', () => {
    assert.deepEqual(
      apiVersionsForKind('Ingress').map((v) => v.apiVersion),
      ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'],
    );
    assert.deepEqual(
      apiVersionsForKind('Deployment').map((v) => v.apiVersion),
      ['apps/v1', 'apps/v1beta2', 'apps/v1beta1', 'extensions/v1beta1'],
    );
    assert.deepEqual(
      apiVersionsForKind('CronJob').map((v) => v.apiVersion),
      ['batch/v1', 'batch/v1beta1'],
    );
    assert.deepEqual(
      apiVersionsForKind('Service').map((v) => v.apiVersion),
      ['v1'],
    );
    assert.deepEqual(apiVersionsForKind('Gateway'), []);
    assert.ok(compareKubeVersions('1.9', '1.16') < 0);
    assert.ok(compareKubeVersions('1.22', '1.3') > 0);
  });
});
