// Substitution placeholders (envsubst, Flux's post-build substitution): a value written as ${NAME} or
// ${NAME:=default} is replaced in the text before kubectl reads it, so what it holds as written (a
// string where a number goes, a name or host that is no DNS name, an object of that name that is not
// here) is no finding. The same file's real mistakes still are. Through the language service.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultService, virtualUri } from './support/rule-fixtures';

const FLUX_APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${APP}
  namespace: \${NAMESPACE:=default}
spec:
  replicas: \${REPLICAS:=2}
  selector:
    matchLabels:
      app.kubernetes.io/name: \${APP}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: \${APP}
    spec:
      containers:
      - name: app
        image: ghcr.io/example/app:\${VERSION}
        ports:
        - name: http
          containerPort: \${PORT:-8080}
---
apiVersion: v1
kind: Service
metadata:
  name: \${APP}
  namespace: \${NAMESPACE:=default}
spec:
  type: \${SERVICE_TYPE}
  selector:
    app.kubernetes.io/name: \${APP}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: \${APP}
  namespace: \${NAMESPACE:=default}
spec:
  ingressClassName: internal
  tls:
  - hosts: ["\${APP}.\${SECRET_DOMAIN}"]
    secretName: \${SECRET_DOMAIN/./-}-tls
  rules:
  - host: \${APP}.\${SECRET_DOMAIN}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: \${APP}
            port:
              name: http
`;

function check(text: string): string[] {
  const { workspace, service } = defaultService();
  const uri = virtualUri('placeholders', 'app.yaml');
  workspace.set(uri, text);
  return service
    .doValidation(uri)
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
}

test('values holding ${...} placeholders are not judged as written', () => {
  const found = check(FLUX_APP);
  // (the IngressClass is not in this workspace: that warning is about a plain value)
  assert.deepEqual(
    found.filter((f) => !f.includes('ingress-class-unknown')),
    [],
  );
});

test('the same values written out are judged, and real mistakes beside placeholders still are', () => {
  const written = check(
    FLUX_APP.replace('${REPLICAS:=2}', 'two').replace(
      'host: ${APP}.${SECRET_DOMAIN}',
      'host: Shop.example.com',
    ),
  );
  assert.ok(
    written.includes('7:13 schema-type spec.replicas must be an integer, not a string'),
    written.join('\n'),
  );
  assert.ok(
    written.some((f) => f.startsWith('48:11 ingress-host-invalid Host "Shop.example.com"')),
    written.join('\n'),
  );
  // a dollar sign that is no placeholder
  assert.ok(
    check(FLUX_APP.replace('${REPLICAS:=2}', '"$REPLICAS"')).includes(
      '7:13 schema-type spec.replicas must be an integer, not a string',
    ),
  );
});
