// Routing preview benchmark: a generated manifest with 200 routes (20 hosts × 10 paths, 40 Services,
// 40 Deployments), the webview in headless Chromium, answers from the real server (dist/server.js).
// Prints numbers; asserts nothing. Run after `npm run build`:
//   node --import tsx scripts/bench-preview.mjs [routes]
// Targets from the issue: open → rendered within 500 ms, edit → shown within 300 ms.

import { WebviewHarness, chromiumMissing } from '../test/support/webview-harness.ts';

const ROUTES = Number(process.argv[2] ?? 200);
const ROUNDS = 7;

function manifest(routes, marker = '') {
  const hosts = Math.max(1, Math.round(routes / 10));
  const services = Math.max(1, Math.round(routes / 5));
  const docs = [];
  for (let s = 0; s < services; s++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${s}
  namespace: bench
spec:
  replicas: ${1 + (s % 3)}
  selector:
    matchLabels:
      app: app-${s}
  template:
    metadata:
      labels:
        app: app-${s}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - name: http
          containerPort: 8080`);
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: svc-${s}
  namespace: bench
spec:
  selector:
    app: app-${s}
  ports:
  - name: http
    port: 80
    targetPort: http`);
  }
  let n = 0;
  for (let h = 0; h < hosts; h++) {
    const paths = [];
    for (let p = 0; p < routes / hosts && n < routes; p++, n++) {
      paths.push(`      - path: /p${p}${marker}
        pathType: ${p % 3 === 0 ? 'Exact' : 'Prefix'}
        backend:
          service:
            name: svc-${n % services}
            port:
              number: 80`);
    }
    docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing-${h}
  namespace: bench
spec:
  ingressClassName: nginx
  rules:
  - host: h${h}.example.com
    http:
      paths:
${paths.join('\n')}`);
  }
  return docs.join('\n---\n') + '\n';
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

const fmt = (x) => `${x.toFixed(0)} ms`;

const missing = chromiumMissing();
if (missing) {
  console.log(`bench-preview: skipped, ${missing}`);
  process.exit(0);
}

const text = manifest(ROUTES);
const h = await WebviewHarness.start('bench.yaml', text, { scope: 'file' });
await h.page.waitForSelector('#graph g.node', { timeout: 60000 });
const counts = await h.page.evaluate(() => ({
  nodes: document.querySelectorAll('g.node').length,
  edges: document.querySelectorAll('g.edge').length,
}));

// Server alone: the routeGraph request.
const server = [];
for (let i = 0; i < ROUNDS; i++) {
  const t = performance.now();
  await h.lsp.conn.sendRequest('kubeNetlens/routeGraph', { scope: 'file', uri: h.uri });
  server.push(performance.now() - t);
}

// Server after an edit: didChange, then the routeGraph request (re-parse, re-check, graph).
const serverEdit = [];
for (let i = 0; i < ROUNDS; i++) {
  const t = performance.now();
  await h.lsp.change(h.uri, manifest(ROUTES, `-s${i}`));
  await h.lsp.conn.sendRequest('kubeNetlens/routeGraph', { scope: 'file', uri: h.uri });
  serverEdit.push(performance.now() - t);
}

// Opening: page load → graph drawn (HTML, script, request through the host, layout, SVG).
const open = [];
const render = [];
const layout = [];
for (let i = 0; i < ROUNDS; i++) {
  const t = performance.now();
  await h.page.reload();
  await h.page.waitForFunction(
    () => document.body.dataset.rendered !== undefined && document.querySelector('#graph g.node'),
  );
  open.push(performance.now() - t);
  render.push(Number(await h.page.evaluate(() => document.body.dataset.renderMs)));
  layout.push(Number(await h.page.evaluate(() => document.body.dataset.layoutMs)));
}

// Edit: didChange → refresh → redrawn with the new path.
const edit = [];
const editLayout = [];
const editRender = [];
const editRefresh = [];
for (let i = 0; i < ROUNDS; i++) {
  const marker = `-e${i}`;
  const before = await h.page.evaluate(() => document.body.dataset.rendered);
  const t = performance.now();
  await h.lsp.change(h.uri, manifest(ROUTES, marker));
  await h.send({ type: 'refresh', uri: h.uri, title: 'bench.yaml' });
  await h.page.waitForFunction(
    ([r, m]) =>
      document.body.dataset.rendered !== r &&
      Array.from(document.querySelectorAll('g.node text.label')).some((t) => t.textContent?.includes(m)),
    [before, marker],
  );
  edit.push(performance.now() - t);
  editLayout.push(Number(await h.page.evaluate(() => document.body.dataset.layoutMs)));
  editRender.push(Number(await h.page.evaluate(() => document.body.dataset.renderMs)));
  editRefresh.push(Number(await h.page.evaluate(() => document.body.dataset.refreshMs)));
}
await h.screenshot('bench-200-routes');
await h.stop();

const row = (name, xs, target) => {
  const s = stats(xs);
  console.log(
    `${name.padEnd(54)} median ${fmt(s.median).padStart(7)}   min ${fmt(s.min).padStart(7)}   max ${fmt(s.max).padStart(7)}${target ? `   target ${target}` : ''}`,
  );
};
console.log(
  `routing preview, ${ROUTES} routes (${counts.nodes} nodes, ${counts.edges} edges), ${ROUNDS} rounds, headless Chromium`,
);
row('server: kubeNetlens/routeGraph', server);
row('server: didChange + routeGraph (re-check included)', serverEdit);
row('webview: dagre layout', layout);
row('webview: layout + SVG (renderRoutes)', render);
row('open: page load → graph drawn', open, '500 ms');
row('edit: dagre layout (kept when the shape is unchanged)', editLayout);
row('edit: layout + SVG (renderRoutes)', editRender);
row('edit: refresh message → graph redrawn (in the page)', editRefresh);
row('edit: didChange + refresh → graph redrawn', edit, '300 ms (excl. the 200 ms debounce)');
