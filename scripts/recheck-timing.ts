// How long the server takes to re-check after an edit in an indexed workspace (a measurement, not a
// test): N files on disk (Services, Deployments, Ingresses that all route to Service "svc-0"), some
// of them open; one edit to svc-0's port, then the time until every open Ingress has its new
// diagnostics, and back.
//
//   npm run build && node --import tsx scripts/recheck-timing.ts [files=300] [open=10] [rounds=20]

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/support/lsp-client';

const [files = 300, open = 10, rounds = 20] = process.argv.slice(2).map(Number);

function service(i: number, port: number): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\nspec:\n  selector:\n    app: app-${i}\n  ports:\n  - name: http\n    port: ${port}\n    targetPort: http\n`;
}
function deployment(i: number): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  selector:\n    matchLabels:\n      app: app-${i}\n  template:\n    metadata:\n      labels:\n        app: app-${i}\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        ports:\n        - name: http\n          containerPort: 8080\n`;
}
function ingress(i: number): string {
  return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing-${i}\nspec:\n  rules:\n  - host: h${i}.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: svc-0\n            port:\n              number: 80\n`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'knl-recheck-'));
  const third = Math.floor(files / 3);
  const rel: string[] = [];
  for (let i = 0; i < third; i++) {
    for (const [kind, text] of [
      ['svc', service(i, 80)],
      ['deploy', deployment(i)],
      ['ing', ingress(i)],
    ] as const) {
      const f = `${kind}/${kind}-${i}.yaml`;
      mkdirSync(path.join(dir, kind), { recursive: true });
      writeFileSync(path.join(dir, f), text);
      rel.push(f);
    }
  }
  const t0 = performance.now();
  const client = await LspClient.start({}, { rootUri: pathToFileURL(dir).toString() });
  await client.waitFor(() => client.progress.some((p) => p.value.kind === 'end'), 'indexing');
  const indexMs = performance.now() - t0;
  const uri = (f: string) => pathToFileURL(path.join(dir, f)).toString();
  const svc = uri('svc/svc-0.yaml');
  const ingresses = Array.from({ length: open - 1 }, (_, i) => uri(`ing/ing-${i}.yaml`));
  for (const u of [svc, ...ingresses]) await client.open(u, readFileSync(new URL(u), 'utf8'));
  for (const u of ingresses) await client.waitForDiagnostics(u, (d) => d.length === 0);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const broken = r % 2 === 0;
    const start = performance.now();
    await client.change(svc, service(0, broken ? 81 : 80));
    for (const u of ingresses)
      await client.waitForDiagnostics(u, (d) =>
        broken ? d.some((x) => x.code === 'ingress-backend-port-missing') : d.length === 0,
      );
    times.push(performance.now() - start);
  }
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `${rel.length} files indexed in ${indexMs.toFixed(0)} ms (server start included); ${open} open (svc-0 + ${open - 1} Ingresses routing to it)`,
  );
  console.log(
    `edit svc-0 → every open Ingress re-published: median ${median.toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms over ${rounds} edits (includes the stdio round trip)`,
  );
}

void main();
