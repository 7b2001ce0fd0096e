// docs/annotations.md is the annotation table as the checker, the hover and the migration use it: it
// must be what the table renders (regenerate with `npm run docs:rules`), list every key the table
// knows, and agree with what the migration converts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderAnnotationsDoc } from '../server/src/engine/annotations/doc';
import { allAnnotationSpecs, annotationSpec } from '../server/src/engine/annotations/index';
import { migrateToGatewayApi } from '../server/src/engine/migrate/gateway-api';
import type { IngressInfo } from '../server/src/engine/types';

const DOC = path.join(__dirname, '..', 'docs', 'annotations.md');

test('docs/annotations.md is what the annotation table renders', () => {
  assert.equal(
    readFileSync(DOC, 'utf8'),
    renderAnnotationsDoc(),
    'run `npm run docs:rules` to regenerate docs/annotations.md',
  );
});

test('docs/annotations.md has a row for every known annotation, with its migration treatment', () => {
  const doc = readFileSync(DOC, 'utf8');
  const rows = new Map(
    doc
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => [/^\| `([^`]+)`/.exec(l)![1], l]),
  );
  for (const s of allAnnotationSpecs()) {
    const line = rows.get(s.key);
    assert.ok(line, `a row for ${s.key}`);
    if (!s.removed)
      assert.ok(line.endsWith(` | ${s.migration.replace('-', ' ')} |`), `${s.key}: ${s.migration}\n${line}`);
  }
  assert.match(
    doc,
    /^## ingress-nginx\n\n\d+ annotations: \d+ converted, \d+ reported, \d+ not applicable\./m,
  );
});

test('an ingress-nginx annotation the table calls "converted" is never listed as unconverted by the migration, and a "reported" one always is', () => {
  const nginx = allAnnotationSpecs().filter((s) => s.controller === 'ingress-nginx' && !s.removed);
  // a value each converted annotation is converted with (the others: any text)
  const VALUES: Record<string, string> = {
    'nginx.ingress.kubernetes.io/app-root': '/app',
    'nginx.ingress.kubernetes.io/permanent-redirect': 'https://www.example.com/',
    'nginx.ingress.kubernetes.io/temporal-redirect': 'https://www.example.com/',
    'nginx.ingress.kubernetes.io/custom-headers': 'shop/headers',
  };
  // the ConfigMap custom-headers names, as the files would define it
  const configMapData = (ns: string, name: string) =>
    ns === 'shop' && name === 'headers' ? { 'X-Frame-Options': 'DENY' } : undefined;
  const wrong: string[] = [];
  for (const s of nginx) {
    const ingress: IngressInfo = {
      id: { kind: 'Ingress', namespace: 'shop', name: 'web' },
      apiVersion: 'networking.k8s.io/v1',
      className: 'nginx',
      ingressClassName: 'nginx',
      annotations: { [s.key]: VALUES[s.key] ?? 'x' },
      rules: [
        {
          host: 'shop.example.com',
          paths: [{ path: '/', pathType: 'Prefix', backend: { kind: 'service', service: 'web', port: 80 } }],
        },
      ],
      tls: [],
    };
    const result = migrateToGatewayApi(
      { ingresses: [ingress], ingressClasses: [], services: [], configMapData },
      { gatewayClass: 'eg' },
    );
    const listed = result.unconverted.some((u) => u.annotation === s.key);
    if (listed !== (s.migration !== 'converted'))
      wrong.push(`${s.key} (${s.migration}) ${listed ? 'is' : 'is not'} listed as unconverted`);
    assert.equal(annotationSpec(s.key), s);
  }
  assert.deepEqual(wrong, []);
  assert.ok(nginx.some((s) => s.migration === 'converted') && nginx.some((s) => s.migration === 'reported'));
});
