// The Gateway API conformance tests that expect a Gateway, a listener or a ListenerSet to be refused,
// checked as a user would check them: the upstream manifests (base and the test's, unchanged, in
// test/fixtures/gateway-conformance/) through the language service, and the findings on the test's
// file compared with the conditions its .go file requires. Each row: the line of the finding, its rule,
// severity, and the reason the .go file names (which the message must carry).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import { languageSettings, normalizeSettings } from '../server/src/lsp/settings';
import { ROOT } from './support/lsp-client';
import { clusterOf } from './support/cluster';
import { gatewayGraph } from '../server/src/engine/gateway';

const DIR = path.join(ROOT, 'test', 'fixtures', 'gateway-conformance');
const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

/** The findings on the test's own file: "line rule severity message" (line 1-based). */
function findings(
  name: string,
  dir = DIR,
): { line: number; rule: string; severity: string; message: string }[] {
  const settings = normalizeSettings({});
  const workspace = new TextWorkspace(undefined, () => settings.maxFileSize * 1024 * 1024);
  const service = createLanguageService(workspace);
  service.configure(languageSettings(settings));
  const uri = (n: string) => pathToFileURL(path.join(dir, `${n}.yaml`)).toString();
  const text = (n: string) =>
    readFileSync(path.join(dir, `${n}.yaml`), 'utf8').replaceAll(
      '{GATEWAY_CLASS_NAME}',
      'gateway-conformance',
    );
  workspace.set(uri('base'), text('base'));
  workspace.set(uri(name), text(name));
  return service.doValidation(uri(name)).map((d) => ({
    line: d.range.start.line + 1,
    rule: String(d.code),
    severity: SEVERITY[d.severity ?? 1],
    message: typeof d.message === 'string' ? d.message : d.message.value,
  }));
}

// test file → [line, rule, severity, reason] of every finding of the listed rules on it
const RULES = [
  'gateway-tls-ref-invalid',
  'listener-protocol-invalid',
  'listener-certificate-invalid',
  'listenerset-not-accepted',
  'route-parent-not-accepted',
];
const CASES: Record<string, [number, string, string, string][]> = {
  // GatewayInvalidTLSBackendConfiguration: Gateway ResolvedRefs False with InvalidClientCertificateRef
  // (missing Secret, wrong group, wrong kind, malformed Secret) or RefNotPermitted
  'gateway-invalid-tls-backend-configuration': [
    [20, 'gateway-tls-ref-invalid', 'warning', 'InvalidClientCertificateRef'],
    [39, 'gateway-tls-ref-invalid', 'warning', 'InvalidClientCertificateRef'],
    [61, 'gateway-tls-ref-invalid', 'warning', 'InvalidClientCertificateRef'],
    [83, 'gateway-tls-ref-invalid', 'error', 'InvalidClientCertificateRef'],
    [114, 'gateway-tls-ref-invalid', 'error', 'RefNotPermitted'],
  ],
  // GatewayWithInvalidClientCertificateValidation: per port, InvalidCACertificateRef,
  // InvalidCACertificateKind, RefNotPermitted, each with NoValidCACertificate; the default one is
  // made by the suite at run time (a warning: the manifests hold other ConfigMaps of its namespace)
  'gateway-with-invalid-clientcertificate-validation': [
    [15, 'gateway-tls-ref-invalid', 'warning', 'InvalidCACertificateRef'],
    [23, 'gateway-tls-ref-invalid', 'warning', 'NoValidCACertificate'],
    [28, 'gateway-tls-ref-invalid', 'warning', 'InvalidCACertificateKind'],
    [37, 'gateway-tls-ref-invalid', 'error', 'RefNotPermitted'],
    // the upstream route names a Gateway "client-validation-invalid" the manifests do not define (the
    // Gateway is gateway-with-invalid-client-cert-validation): a real slip in the upstream file
    [99, 'route-parent-not-accepted', 'warning', 'not defined'],
  ],
  // GatewayInvalidDefaultFrontendClientCertificateValidation: the https listener (default block)
  // InvalidCACertificateRef and NoValidCACertificate; the perPort block for port 80 has no HTTPS listener
  'gateway-invalid-default-frontend-client-certificate-validation': [
    [15, 'gateway-tls-ref-invalid', 'warning', 'NoValidCACertificate'],
  ],
  // GatewayInvalidRouteKind: ResolvedRefs False InvalidRouteKinds, no kind left on the first Gateway
  'gateway-invalid-route-kind': [
    [18, 'listener-protocol-invalid', 'error', 'InvalidRouteKinds'],
    [37, 'listener-protocol-invalid', 'warning', 'InvalidRouteKinds'],
  ],
  // GatewayInvalidListenersUnsupportedProtocol: Accepted False UnsupportedProtocol
  'gateway-invalid-listeners-unsupported-protocol': [
    [13, 'listener-protocol-invalid', 'warning', 'UnsupportedProtocol'],
    [28, 'listener-protocol-invalid', 'warning', 'UnsupportedProtocol'],
  ],
  'tlsroute-listener-passthrough-supported-kinds': [
    [17, 'listener-protocol-invalid', 'warning', 'InvalidRouteKinds'],
  ],
  'listenerset-allowed-routes-supported-kinds': [
    [40, 'listener-protocol-invalid', 'error', 'InvalidRouteKinds'],
  ],
  // HTTPRouteHostnameIntersection: no-intersecting-hosts Accepted False NoMatchingListenerHostname
  'httproute-hostname-intersection': [
    [140, 'route-parent-not-accepted', 'error', "none of the route's hostnames"],
  ],
  // ListenerSetAllowedRoutesNamespaces: route-in-gateway-namespace NotAllowedByListeners (from: Same)
  'listenerset-allowed-routes-namespaces': [
    [191, 'route-parent-not-accepted', 'error', 'namespaces.from: Same'],
  ],
  // ListenerSetDualParentRefIndependence: the Gateway parentRef with the ListenerSet's sectionName,
  // NoMatchingParent
  'listenerset-dual-parentref-independence': [
    [74, 'route-parent-not-accepted', 'error', 'has no listener named'],
  ],
  // ListenerSetReferenceGrant: the listener RefNotPermitted, its ListenerSet Accepted False ListenersNotValid
  'listenerset-reference-grant': [
    [94, 'listenerset-not-accepted', 'error', 'ListenersNotValid'],
    [108, 'listener-certificate-invalid', 'error', 'RefNotPermitted'],
  ],
};

describe('conformance tests that expect a refusal: the check reports it', () => {
  for (const [name, rows] of Object.entries(CASES))
    test(name, () => {
      const got = findings(name)
        .filter((f) => RULES.includes(f.rule))
        .sort((a, b) => a.line - b.line);
      assert.deepEqual(
        got.map((f) => [f.line, f.rule, f.severity]),
        rows.map(([line, rule, severity]) => [line, rule, severity]),
        got.map((f) => `${f.line} ${f.message}`).join('\n'),
      );
      rows.forEach(([, , , reason], i) => assert.match(got[i].message, new RegExp(reason), got[i].message));
    });
});

describe('conformance tests that expect acceptance: no error on the test file', () => {
  for (const name of [
    'gateway-with-attached-routes-with-port-8080',
    'listenerset-http-routing',
    'tlsroute-hostname-intersection',
    'tlsroute-mixed-termination-same-namespace',
    'tcproute-parentref-port-and-section-name',
    'udproute-parentref-port-and-section-name',
  ])
    test(name, () => {
      const errors = findings(name).filter((f) => f.severity === 'error');
      assert.deepEqual(errors, []);
    });
});

// GEP-1294: a mesh route (its parentRefs are Services) may send traffic to backendRefs in any namespace
// without a ReferenceGrant. MeshConsumerRoute (conformance/tests/mesh) routes from a consumer namespace to
// the producer's Service and expects 200.
test('MeshConsumerRoute: a mesh route needs no ReferenceGrant for a backend in another namespace', () => {
  assert.deepEqual(findings('mesh-consumer-route', path.join(DIR, 'mesh')), []);
});

test('a route with a Gateway parent as well as a Service parent still needs the ReferenceGrant', () => {
  const cluster = clusterOf(
    readFileSync(path.join(DIR, 'mesh', 'mesh-consumer-route.yaml'), 'utf8').replace(
      '  parentRefs:\n',
      '  parentRefs:\n  - name: some-gateway\n',
    ),
  );
  const rs = gatewayGraph(cluster).routes[0];
  assert.equal(rs.resolvedRefs.reason, 'RefNotPermitted');
});
