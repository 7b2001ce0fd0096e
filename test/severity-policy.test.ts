// The severity policy of docs/rules.md, enforced on every rule's default severity. Each rule id is
// classified here by what its finding means, with the reason in a few words:
// - rejected:  the API server (or a CRD's validation) refuses the object           → error
// - broken:    the object is accepted, but the traffic it describes certainly fails → error
// - likely:    very likely a mistake, yet something outside the workspace could make it right → warning
// - advice:    worth knowing; or a reference to what the workspace simply does not hold → information
// - unchecked: the checker could not look (file too large, time budget, ...)      → information
// - style:     style and defaults made explicit                                    → hint
// A new rule must be classified before the suite passes, and a default severity that disagrees with its
// class fails with the reason. Findings of one rule may carry a lower severity where the workspace lacks
// the object referred to (the rule's description says when); the descriptions are checked too: a rule
// that says the API server rejects what it reports must default to error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allRuleInfos } from '../server/src/rules/registry';

type PolicyClass = 'rejected' | 'broken' | 'likely' | 'advice' | 'unchecked' | 'style';

const SEVERITY_OF: Record<PolicyClass, string> = {
  rejected: 'error',
  broken: 'error',
  likely: 'warning',
  advice: 'information',
  unchecked: 'information',
  style: 'hint',
};

const POLICY: Record<string, [PolicyClass, string]> = {
  'yaml-syntax': ['rejected', 'kubectl cannot parse the file'],
  'yaml-quoted-continuation': ['advice', 'kubectl reads it; strict YAML 1.2 tools refuse it'],
  'yaml-merge-override': ['likely', 'kubectl keeps the merged value over the key written before it'],
  'helm-template': ['style', 'a template is checked once rendered'],
  'kustomize-patch': ['style', 'says which checks a partial object gets'],
  'file-too-large': ['unchecked', 'over kubeNetlens.maxFileSize'],
  'binary-file': ['unchecked', 'not text'],
  'document-too-complex': ['unchecked', 'over a parser limit'],
  'document-time-budget': ['unchecked', 'over the time budget'],
  'schema-unknown-field': ['rejected', 'strict field validation (kubectl default) refuses it'],
  'schema-type': ['rejected', 'the API server cannot decode it'],
  'schema-required': ['rejected', 'a required field'],
  'schema-enum': ['rejected', 'outside the allowed values'],
  'gateway-experimental-field': ['advice', 'served by the experimental CRDs'],
  'ingress-legacy-api': ['rejected', 'no longer served'],
  'api-removed': ['rejected', 'not served by the target version'],
  'field-deprecated': ['advice', 'deprecated, still accepted'],
  'namespace-legacy-isolation': ['likely', 'an annotation with no effect where isolation was meant'],
  'metadata-name-invalid': ['rejected', 'name validation'],
  'reference-name-invalid': ['rejected', 'name validation of the reference'],
  'label-invalid': ['rejected', 'label validation'],
  'selector-expression-invalid': ['rejected', 'selector validation'],
  'ingress-host-invalid': ['rejected', 'host validation'],
  'ingress-path-invalid': ['rejected', 'path validation'],
  'ingress-backend-invalid': ['rejected', 'backend validation'],
  'ingress-spec-invalid': ['rejected', 'Ingress spec validation'],
  'ingressclass-invalid': ['rejected', 'IngressClass validation'],
  'ingress-rule-no-host': ['style', 'every host, as written'],
  'ingress-tls-no-hosts': ['advice', 'controllers still use the certificate by its names'],
  'port-invalid': ['rejected', 'port range'],
  'port-name-invalid': ['rejected', 'IANA service name validation'],
  'service-endpoints-port-mismatch': [
    'likely',
    'no endpoint port pairs with the Service port, unless one exists elsewhere',
  ],
  'statefulset-service-not-headless': [
    'advice',
    "the pods' own DNS names do not resolve, which matters only if they are used",
  ],
  'endpoints-invalid': ['rejected', 'Endpoints and EndpointSlice validation'],
  'pod-network-invalid': ['rejected', 'pod spec validation (host ports, DNS, host aliases)'],
  'probe-port-unknown': ['broken', 'the kubelet cannot resolve the port: the probe always fails'],
  'container-port-conflict': ['likely', 'accepted with a warning; containers of a pod share one network'],
  'service-spec-invalid': ['rejected', 'Service validation'],
  'service-field-ignored': ['likely', 'accepted with a warning, then ignored for this type'],
  'service-no-ports': [
    'advice',
    'EXCEPTION: the API server requires a port, but published external-dns fixtures leave them out on purpose (the real-world corpus lists them as intended); information until the corpus says otherwise',
  ],
  'service-node-port-range': ['rejected', 'the NodePort allocator refuses it'],
  'cidr-invalid': ['rejected', 'CIDR validation'],
  'ip-non-standard': ['likely', 'accepted with a warning; ambiguous or to be refused by a later release'],
  'netpol-end-port': ['rejected', 'endPort validation'],
  'netpol-spec-invalid': ['rejected', 'NetworkPolicy peer and policyTypes validation'],
  'netpol-selector-empty-labels': ['likely', 'an empty selector selects everything'],
  'secret-data-base64': ['rejected', 'data must be base64'],
  'secret-tls-keys': ['rejected', 'kubernetes.io/tls Secret validation'],
  'workload-selector-mismatch': ['rejected', 'selector must match the template'],
  'ingress-class-annotation': ['advice', 'a deprecated annotation that controllers still read'],
  'ingress-path-regex': ['likely', 'matched literally, or refused by validating controllers'],
  'ingress-annotation-unknown': ['likely', 'no effect (an error where Traefik skips the Ingress)'],
  'ingress-annotation-value': ['likely', 'the controller ignores or misreads it'],
  'ingress-annotation-combination': ['likely', 'one annotation without the one it needs'],
  'ingress-annotation-snippet': ['likely', 'refused by default in recent releases; injection risk'],
  'ingress-tls-host-uncovered': ['likely', 'served without its certificate'],
  'tls-certificate-invalid': ['broken', 'the controller cannot load it'],
  'tls-key-invalid': ['broken', 'the controller cannot load it'],
  'tls-key-mismatch': ['broken', 'the certificate cannot be served'],
  'ingress-tls-secret-type': ['likely', 'controllers expect a TLS Secret'],
  'ingress-backend-service-missing': ['likely', 'missing from a namespace the workspace holds'],
  'ingress-backend-port-missing': ['broken', 'the Service is there without that port'],
  'service-selector-no-match': ['likely', 'no pod gets the traffic'],
  'service-target-port': ['broken', 'a named targetPort no pod declares: no endpoints'],
  'ingress-path-conflict': ['likely', 'one of the two is never reached'],
  'ingress-class-unknown': ['likely', 'no controller takes the Ingress'],
  'ingress-class-multiple-default': ['likely', 'class-less Ingresses are then refused (if there are any)'],
  'ingress-nginx-host-regex': ['likely', 'other Ingresses of the host change meaning'],
  'ingress-nginx-retired': ['advice', 'a retired controller'],
  'ingress-nginx-custom-headers': ['broken', 'ingress-nginx denies every location of the Ingress'],
  'ingress-tls-secret-missing': ['likely', 'the default certificate is served'],
  'ingress-tls-secret-conflict': ['likely', 'one certificate per host'],
  'tls-secret-keys-missing': ['broken', 'the Secret is there without a certificate'],
  'tls-certificate-hosts': ['broken', 'clients refuse the certificate'],
  'tls-certificate-expiry': ['likely', 'expires soon (an error once expired)'],
  'netpol-selects-nothing': ['likely', 'the policy isolates no pod'],
  'netpol-peer-selects-nothing': ['likely', 'the rule admits nobody'],
  'netpol-namespace-selector-unmatched': ['likely', 'no namespace matches'],
  'netpol-egress-dns-blocked': ['likely', 'name resolution fails'],
  'netpol-ingress-controller-blocked': ['likely', 'the controller is not admitted'],
  'netpol-named-port-unknown': ['broken', 'the entry admits nothing'],
  'netpol-peers-or-meant-and': ['likely', 'either peer admits'],
  'netpol-peers-and-meant-or': ['advice', 'a guess at intent from the workloads'],
  'resource-duplicate': ['advice', 'overlays define objects twice on purpose'],
  'gateway-api-version': ['advice', 'experimental channel'],
  'gateway-value-invalid': ['rejected', 'CRD validation'],
  'gateway-limits-exceeded': ['rejected', 'CRD list limits'],
  'gateway-address-invalid': ['rejected', 'CRD validation'],
  'listener-name-duplicate': ['rejected', 'CRD validation'],
  'listener-conflict': ['rejected', 'CRD validation'],
  'listener-hostname-not-allowed': ['rejected', 'CRD validation'],
  'listener-tls-invalid': ['rejected', 'CRD validation'],
  'listener-protocol-invalid': ['broken', 'the controller refuses the listener or the kinds it names'],
  'gateway-tls-ref-invalid': ['broken', 'the controller cannot use the certificate or CA it names'],
  'httproute-path-invalid': ['rejected', 'CRD validation'],
  'route-match-invalid': ['rejected', 'CRD validation'],
  'route-filter-invalid': ['rejected', 'CRD validation'],
  'route-backend-port-missing': ['rejected', 'CRD validation'],
  'route-parent-ref-duplicate': ['rejected', 'CRD validation'],
  'backendtlspolicy-invalid': ['rejected', 'CRD validation'],
  'route-parent-not-accepted': [
    'broken',
    'the route attaches nowhere (warning when the Gateway is not in the workspace)',
  ],
  'route-backend-not-resolved': ['broken', 'HTTP 500 for its share'],
  'gateway-class-unknown': ['likely', 'no controller takes the Gateway'],
  'referencegrant-unused': ['advice', 'permits nothing here'],
  'listener-certificate-invalid': ['broken', 'the listener cannot serve'],
  'listener-conflicted': ['broken', 'the listener is not accepted'],
  'listenerset-not-accepted': ['broken', 'its listeners are not attached'],
  'backendtlspolicy-not-accepted': ['broken', 'connections to the backend fail'],
  'backendtlspolicy-certificate-mismatch': ['broken', 'the TLS handshake fails'],
  'backendtlspolicy-ca-untrusted': [
    'broken',
    'the TLS handshake fails: no CA of the policy trusts the chain',
  ],
  'anp-invalid': ['rejected', 'CRD validation'],
  'calico-invalid': ['rejected', 'Calico validation'],
  'cilium-invalid': ['rejected', 'CRD validation'],
  'calico-selector-invalid': ['rejected', 'Calico rejects the policy'],
  'anp-baseline-pass': ['likely', 'Pass there allows'],
  'anp-v1alpha1': ['advice', 'replaced by v1alpha2'],
  'anp-priority-overlap': ['likely', 'undefined order'],
  'anp-selects-nothing': ['likely', 'selects no workload'],
  'cilium-selects-nothing': ['likely', 'selects no workload'],
  'calico-selects-nothing': ['likely', 'selects no workload'],
  'cni-unsupported': ['advice', 'inert under this plugin'],
};

test("every rule has a class in the severity policy, and its default severity is the class's", () => {
  const infos = allRuleInfos();
  const unclassified = infos.filter((r) => !(r.id in POLICY)).map((r) => r.id);
  assert.deepEqual(unclassified, [], 'classify each new rule in test/severity-policy.test.ts');
  const wrong = infos
    .filter((r) => SEVERITY_OF[POLICY[r.id][0]] !== r.defaultSeverity)
    .map(
      (r) =>
        `${r.id}: ${r.defaultSeverity}, but its class ${POLICY[r.id][0]} (${POLICY[r.id][1]}) means ${SEVERITY_OF[POLICY[r.id][0]]}`,
    );
  assert.deepEqual(wrong, []);
  // no stale entries
  const ids = new Set(infos.map((r) => r.id));
  assert.deepEqual(
    Object.keys(POLICY).filter((id) => !ids.has(id)),
    [],
  );
});

test('a rule whose description says the API server rejects what it reports defaults to error', () => {
  const saysRejected = /\b(the API server|the CRD|Calico) (rejects|refuses|requires)\b/i;
  const offenders = allRuleInfos()
    .filter((r) => saysRejected.test(r.description) && r.defaultSeverity !== 'error')
    .filter((r) => !POLICY[r.id]?.[1].startsWith('EXCEPTION'))
    .map((r) => `${r.id} (${r.defaultSeverity}): ${r.description}`);
  assert.deepEqual(offenders, []);
});
