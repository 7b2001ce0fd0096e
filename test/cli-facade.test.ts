// `kube-netlens check` answers through the language service, like the editor: the same findings at
// the same positions with the same severities, and in JSON the titles of the quick fixes the editor
// offers for each one (a finding never lists another finding's fixes).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './support/lsp-client';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService, DEFAULT_LANGUAGE_SETTINGS } from '../server/src/service/language-service';

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: example
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$1
spec:
  ingressClassName: nginx
  rules:
  - host: hello.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 8080
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: wbe}
  ports:
  - port: 80
    targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - {name: http, containerPort: 8080}
`;

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

test("check prints what the language service reports, and JSON lists only each finding's own fixes", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-cli-facade-'));
  try {
    const files = { 'ingress.yaml': INGRESS, 'service.yaml': SERVICE };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'dist', 'cli.js'), 'check', dir, '--format', 'json'],
      { encoding: 'utf8' },
    );
    const out = JSON.parse(r.stdout) as {
      findings: {
        file: string;
        line: number;
        column: number;
        endLine: number;
        endColumn: number;
        severity: string;
        rule: string;
        message: string;
        fixes: string[];
      }[];
    };

    // the same workspace in memory, through the language service the editor uses
    const ws = new TextWorkspace();
    for (const [name, text] of Object.entries(files)) ws.set(path.join(dir, name), text);
    const service = createLanguageService(ws, DEFAULT_LANGUAGE_SETTINGS);
    const expected = Object.keys(files).flatMap((name) => {
      const uri = path.join(dir, name);
      return service.doValidation(uri).map((d) => ({
        file: uri,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: SEVERITY[d.severity!],
        rule: String(d.code),
        message: typeof d.message === 'string' ? d.message : d.message.value,
        fixes: service
          .getCodeActions(uri, d.range, { diagnostics: [d] })
          .filter((a) => a.kind === 'quickfix')
          .map((a) => a.title),
      }));
    });
    const order = (
      a: { file: string; line: number; column: number; rule: string; message: string },
      b: typeof a,
    ) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message);
    assert.deepEqual([...out.findings].sort(order), expected.sort(order));

    // a rewrite-target alone makes ingress-nginx read the paths as regexes: only the missing group is said
    const rewrite = out.findings.filter((f) => f.rule === 'ingress-annotation-combination');
    assert.deepEqual(
      rewrite.map((f) => [f.message.slice(0, 40), f.fixes]),
      [['rewrite-target refers to $1 but path / h', []]],
    );
    // and the finding of another file (a selector matching nothing) is there too
    assert.ok(
      out.findings.some((f) => f.rule === 'service-selector-no-match' && f.file.endsWith('service.yaml')),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
