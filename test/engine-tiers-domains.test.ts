// Domain names as the other end of a connection (engine/reach-domain.ts): `reach --to api.example.com`.
// Domain rules decide them by name — network-policy-api domainNames, Cilium toFQDNs, Antrea fqdn, and
// Calico's NetworkSet allowedEgressDomains (only in the destination of an egress Allow rule) — while
// address rules hold them only when they hold every address (DNS decides the rest at run time). Also
// the hover and completion of Calico network sets, and Cilium's SCTP caveat.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateReach, resolveEndpoint } from '../server/src/engine/reach';
import {
  antreaFqdnMatches,
  calicoDomainMatches,
  ciliumFqdnMatches,
  npaDomainMatches,
} from '../server/src/engine/reach-domain';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { ResourceIndex } from '../server/src/workspace/index';
import { explainHover } from '../server/src/features/hover-explain';
import { clusterOf, docs } from './support/cluster';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compare, parseAnnotations, type ActualLike } from './support/fixture';
import { runRuleFolder } from './support/rule-fixtures';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import { languageSettings, normalizeSettings } from '../server/src/lsp/settings';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
`;

const SET = `apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata: {name: payments, namespace: shop, labels: {external: payments}}
spec:
  nets: [198.51.100.0/28]
  allowedEgressDomains: [api.stripe.com, '*.paypal.com']
`;

const calicoEgress = (
  action: string,
  dir: 'egress' | 'ingress' = 'egress',
) => `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: payments-${action.toLowerCase()}, namespace: shop}
spec:
  selector: app == 'web'
  types: [${dir === 'egress' ? 'Egress' : 'Ingress'}]
  ${dir}:
  - action: ${action}
    ${dir === 'egress' ? 'destination' : 'source'}:
      selector: external == 'payments'
`;

test('domain patterns: each dialect as its API documents it', () => {
  // network-policy-api: `*.` matches one or more whole labels, not the bare suffix
  assert.equal(npaDomainMatches('kubernetes.io', 'kubernetes.io'), true);
  assert.equal(npaDomainMatches('kubernetes.io', 'www.kubernetes.io'), false);
  assert.equal(npaDomainMatches('*.kubernetes.io', 'latest.blog.kubernetes.io'), true);
  assert.equal(npaDomainMatches('*.kubernetes.io', 'kubernetes.io'), false);
  assert.equal(npaDomainMatches('*.kubernetes.io', 'my-kubernetes.io'), false);
  assert.equal(npaDomainMatches('Blog.Kubernetes.IO.', 'blog.kubernetes.io'), true);
  // Calico: one `*` in any position, one or more labels there
  assert.equal(calicoDomainMatches('*.google.com', 'www.ipv6.google.com'), true);
  assert.equal(calicoDomainMatches('*.google.com', 'google.com'), false);
  assert.equal(calicoDomainMatches('www.*.com', 'www.sun.com'), true);
  assert.equal(calicoDomainMatches('www.*.com', 'www.com'), false);
  assert.equal(calicoDomainMatches('update.*.mycompany.com', 'update.tools.eu.mycompany.com'), true);
  // Cilium: `*` within a label; `*` alone: every name
  assert.equal(ciliumFqdnMatches('*.cilium.io', 'docs.cilium.io'), true);
  assert.equal(ciliumFqdnMatches('*.cilium.io', 'a.docs.cilium.io'), false);
  assert.equal(ciliumFqdnMatches('api-*.example.com', 'api-eu.example.com'), true);
  assert.equal(ciliumFqdnMatches('*', 'anything.example'), true);
  // Cilium: a leading `**.` matches one or more whole labels, never the bare suffix
  assert.equal(ciliumFqdnMatches('**.cilium.io', 'docs.cilium.io'), true);
  assert.equal(ciliumFqdnMatches('**.cilium.io', 'a.b.docs.cilium.io'), true);
  assert.equal(ciliumFqdnMatches('**.cilium.io', 'cilium.io'), false);
  assert.equal(ciliumFqdnMatches('**.cilium.io', 'a.b.cilium.org'), false);
  assert.equal(ciliumFqdnMatches('**.api-*.example.com', 'x.y.api-eu.example.com'), true);
  assert.equal(ciliumFqdnMatches('**.api-*.example.com', 'x.y.web.example.com'), false);
  // Antrea: `*` matches any characters, dots included
  assert.equal(antreaFqdnMatches('*foobar.com', 'foobar.com'), true);
  assert.equal(antreaFqdnMatches('*foobar.com', 'test.uswest.foobar.com'), true);
  assert.equal(antreaFqdnMatches('*foobar.com', 'foobar.org'), false);
});

test('a dotted name that names no workload is a domain; dns: forces it', () => {
  const cluster = clusterOf(POD);
  const e = resolveEndpoint(cluster, 'API.Stripe.com');
  assert.equal(e.kind, 'external');
  assert.equal(e.kind === 'external' && e.domain, 'api.stripe.com');
  assert.equal(resolveEndpoint(cluster, 'dns:example.org').name, 'example.org');
  assert.throws(() => resolveEndpoint(cluster, 'dns:not a name'), /is not a domain name/);
  assert.equal(resolveEndpoint(cluster, '10.0.0.1').kind, 'external');
  assert.equal(
    resolveEndpoint(cluster, '10.0.0.1').kind === 'external' && resolveEndpoint(cluster, '10.0.0.1').name,
    '10.0.0.1',
  );
});

test('Calico allowedEgressDomains: an egress Allow rule whose destination selector matches the set allows the names it lists', () => {
  const cluster = clusterOf(docs(POD, SET, calicoEgress('Allow')));
  const ok = evaluateReach(cluster, 'shop/web', 'api.stripe.com', 443);
  assert.equal(ok.allowed, true);
  assert.equal(ok.egress.tier, 'calico:default');
  assert.match(
    ok.egress.reasons[0].details?.join('\n') ?? '',
    /NetworkSet shop\/payments .* lists api\.stripe\.com in allowedEgressDomains: allowed to the addresses DNS returns for api\.stripe\.com \(Calico Enterprise and Calico Cloud/,
  );
  assert.equal(evaluateReach(cluster, 'shop/web', 'checkout.eu.paypal.com', 443).allowed, true);
  // not listed: the set's nets may or may not hold its addresses (DNS): no match, the tier's end denies
  const other = evaluateReach(cluster, 'shop/web', 'paypal.com', 443);
  assert.equal(other.allowed, false);
  assert.equal(other.egress.reasons[0].undecided, true);
  assert.match(other.egress.reasons[0].details?.join('\n') ?? '', /depends on DNS at run time/);
  // an address of the nets still matches by address
  assert.equal(evaluateReach(cluster, 'shop/web', '198.51.100.3', 443).allowed, true);
});

test('Calico allowedEgressDomains have no effect in a Deny rule', () => {
  const cluster = clusterOf(docs(POD, SET, calicoEgress('Deny')));
  const r = evaluateReach(cluster, 'shop/web', 'api.stripe.com', 443);
  // the Deny rule does not match by name; nothing else applies and the tier's end denies
  assert.equal(r.allowed, false);
  assert.equal(r.egress.reasons[0].kind, 'no-rule-allows');
  assert.match(
    r.egress.reasons[0].details?.join('\n') ?? '',
    /counts only in the destination of an egress Allow rule/,
  );
});

test('ClusterNetworkPolicy domainNames decide a domain by name', () => {
  const cnp = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: egress-domains}
spec:
  tier: Admin
  priority: 1
  subject:
    namespaces: {}
  egress:
  - name: k8s-sites
    action: Accept
    to:
    - domainNames: ['*.kubernetes.io']
  - name: rest
    action: Deny
    to:
    - networks: [0.0.0.0/0]
`;
  const cluster = clusterOf(docs(POD, cnp));
  const ok = evaluateReach(cluster, 'shop/web', 'blog.kubernetes.io', 443);
  assert.equal(ok.allowed, true);
  assert.equal(ok.egress.reasons[0].rule, 'egress[0]');
  assert.match(
    ok.egress.reasons[0].details?.join('\n') ?? '',
    /domainNames \*\.kubernetes\.io matches blog\.kubernetes\.io/,
  );
  const no = evaluateReach(cluster, 'shop/web', 'kubernetes.io', 443);
  assert.equal(no.allowed, false);
  assert.equal(no.egress.reasons[0].rule, 'egress[1]');
  assert.match(
    no.egress.reasons[0].details?.join('\n') ?? '',
    /networks 0\.0\.0\.0\/0 holds every IPv4 address, so whatever kubernetes\.io resolves to/,
  );
});

test('Cilium toFQDNs and Antrea fqdn decide a domain by name', () => {
  const cnp = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: fqdn, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
  - toFQDNs:
    - matchPattern: '*.cilium.io'
`;
  const cil = clusterOf(docs(POD, cnp));
  assert.equal(evaluateReach(cil, 'shop/web', 'docs.cilium.io', 443).allowed, true);
  assert.equal(evaluateReach(cil, 'shop/web', 'cilium.io', 443).allowed, false);
  // `**.` reaches any depth (upstream examples/policies/l3/fqdn/fqdn-short.yaml writes '**.cilium.io'
  // for the eight patterns '*.cilium.io' ... '*.*.*.*.*.*.*.*.cilium.io' of fqdn-cascade.yaml)
  const deep = clusterOf(docs(POD, cnp.replace("'*.cilium.io'", "'**.cilium.io'")));
  assert.equal(evaluateReach(deep, 'shop/web', 'docs.cilium.io', 443).allowed, true);
  assert.equal(evaluateReach(deep, 'shop/web', 'a.b.c.cilium.io', 443).allowed, true);
  assert.equal(evaluateReach(deep, 'shop/web', 'cilium.io', 443).allowed, false);
  const acnp = `apiVersion: crd.antrea.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: fqdn}
spec:
  priority: 1
  appliedTo:
  - podSelector: {matchLabels: {app: web}}
  egress:
  - action: Allow
    to:
    - fqdn: '*foobar.com'
  - action: Drop
`;
  const ant = clusterOf(docs(POD, acnp));
  const ok = evaluateReach(ant, 'shop/web', 'test.uswest.foobar.com', 8080);
  assert.equal(ok.allowed, true);
  assert.equal(ok.egress.tier, 'antrea:application');
  const no = evaluateReach(ant, 'shop/web', 'foobar.org', 8080);
  assert.equal(no.allowed, false);
  assert.equal(no.egress.reasons[0].action, 'Drop');
});

test('a NetworkPolicy ipBlock on a domain: only an all-addresses block decides it', () => {
  const np = (cidr: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: ${cidr}}
`;
  assert.equal(
    evaluateReach(clusterOf(docs(POD, np('0.0.0.0/0'))), 'shop/web', 'example.com', 443).allowed,
    true,
  );
  const r = evaluateReach(clusterOf(docs(POD, np('203.0.113.0/24'))), 'shop/web', 'example.com', 443);
  assert.equal(r.allowed, false);
  assert.match(
    r.egress.reasons[0].details?.join('\n') ?? '',
    /whether ipBlock 203\.0\.113\.0\/24 holds the addresses of example\.com depends on DNS at run time/,
  );
});

test('hover on a Calico NetworkSet: labels, nets, allowedEgressDomains and the rules that match it', () => {
  const text = docs(POD, calicoEgress('Allow'), SET);
  const index = new ResourceIndex();
  const parsed = parseFile(text);
  index.setFile(
    'file:///s.yaml',
    parsed.docs.flatMap((d) => resourcesOf(d)),
  );
  const offset = text.lastIndexOf('kind: NetworkSet') + 'kind: Net'.length;
  const doc = parsed.docs.find((d) => offset >= d.base && offset <= d.base + d.text.length)!;
  const h = explainHover(doc, offset - doc.base, 'file:///s.yaml', index);
  assert.ok(h);
  assert.match(h.markdown, /\*\*Calico NetworkSet `shop\/payments`\*\* in plain words/);
  assert.match(h.markdown, /its nets `198\.51\.100\.0\/28`/);
  assert.match(
    h.markdown,
    /\*\*allowedEgressDomains\*\* `api\.stripe\.com`, `\*\.paypal\.com`: count only in the destination of an egress `Allow` rule/,
  );
  assert.match(h.markdown, /\*\*Matched by\*\* shop\/payments-allow egress\[0\] destination \(Allow\)\./);
});

test('completion in a Calico rule selector offers the labels of the network sets the rule can match', () => {
  const settings = normalizeSettings({});
  const ws = new TextWorkspace(undefined, () => settings.maxFileSize * 1024 * 1024);
  const svc = createLanguageService(ws);
  svc.configure(languageSettings(settings));
  const global = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: blocklist, labels: {threat: known}}
spec:
  nets: [203.0.113.0/24]
`;
  const otherNs = SET.replace('namespace: shop', 'namespace: other').replace(
    'external: payments',
    'external: other',
  );
  ws.set('file:///ws/sets.yaml', docs(SET, global, otherNs));
  const text = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  selector: all()
  egress:
  - action: Allow
    destination:
      selector: `;
  ws.set('file:///ws/p.yaml', text);
  const lines = text.split('\n');
  const items = svc.doComplete('file:///ws/p.yaml', {
    line: lines.length - 1,
    character: lines[lines.length - 1].length,
  });
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  assert.deepEqual(
    sorted.map((i) => i.label),
    ["external == 'payments'", "threat == 'known'"],
  );
  assert.match(
    sorted[0].detail ?? '',
    /^NetworkSet shop\/payments \(nets 198\.51\.100\.0\/28; domains api\.stripe\.com, \*\.paypal\.com\) \(sets\.yaml:\d+\)$/,
  );
  assert.match(
    sorted[1].detail ?? '',
    /GlobalNetworkSet blocklist \(nets 203\.0\.113\.0\/24\) — with namespaceSelector: global\(\)/,
  );
});

test('Cilium: SCTP in a policy it enforces gets the beta-feature caveat, in the editor and in SCTP verdicts', () => {
  const folder = path.resolve(__dirname, 'fixtures', 'policy-cilium-sctp');
  for (const f of runRuleFolder(folder)) {
    const diff = compare(parseAnnotations(f.text), f.actual as ActualLike[]);
    assert.equal(diff, '', `diagnostics of ${f.name} differ:\n${diff}`);
  }
  const cluster = clusterOf(readFileSync(path.join(folder, 'cilium-sctp.yaml'), 'utf8'));
  const r = evaluateReach(cluster, 'telco/mme-0', 'telco/hss-0', 3868, 'SCTP');
  assert.equal(r.allowed, true);
  assert.equal(r.cni, 'cilium');
  assert.match(
    r.ingress.reasons.flatMap((x) => x.details ?? []).join('\n'),
    /SCTP support is a beta feature of Cilium, off unless enabled \(Helm sctp\.enabled=true\)/,
  );
  const tcp = evaluateReach(cluster, 'telco/mme-0', 'telco/hss-0', 3869, 'TCP');
  assert.doesNotMatch(tcp.ingress.reasons.flatMap((x) => x.details ?? []).join('\n'), /SCTP/);
});
