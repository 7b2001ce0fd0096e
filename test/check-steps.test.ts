// The check-side work of a file of thousands of resources runs in steps, so that other documents are
// answered meanwhile, and gives what the same work done in one go gives: the cluster (per-resource
// infos, each file's share of a part, the parts), the route graph's slice of a namespace, the
// findings. What is published for such a file stays a bounded message: progress at 500, 1,000,
// 2,000... documents, not every 500, and at most MAX_PUBLISHED_RELATED related locations.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService, DEFAULT_LANGUAGE_SETTINGS } from '../server/src/service/language-service';
import { buildCluster, warmCluster } from '../server/src/model/cluster';
import { graphSlice, graphSliceInSteps } from '../server/src/engine/route/graph-slice';
import { routeGraph } from '../server/src/engine/route/graph';
import { checkParsedFile } from '../server/src/rules/check';
import { RULES } from '../server/src/rules/registry';
import type { CrossFileRule } from '../server/src/rules/types';
import { MAX_PUBLISHED_RELATED, publishedDiagnostics } from '../server/src/lsp/diagnostics';
import * as A from './support/adversarial';

const URI = 'file:///ws/shape.yaml';

function loaded(text: string): TextWorkspace {
  const ws = new TextWorkspace();
  ws.set('file:///ws/other.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n');
  ws.set(URI, text);
  return ws;
}

/** A plain copy of a value: its own data only, without the identity of shared objects. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (v instanceof Map ? [...v] : v)));

/** Steps a generator to its end; how many times it yielded. */
function steps(g: Generator<unknown, unknown>): number {
  let n = 0;
  while (!g.next().done) n++;
  return n;
}

test('the cluster of 1,000 Ingresses and 1,000 Services is built in many small steps, and is the cluster built in one go', () => {
  const text = A.sameHost(1000).text;
  const stepped = loaded(text);
  const n = steps(warmCluster(stepped.index));
  // 2,000 resources' infos 25 at a time, then each part
  assert.ok(n >= 80, `${n} steps`);
  assert.ok(stepped.index.hasMemo('cluster'), 'the cluster of this revision is built at the end');
  const cluster = buildCluster(stepped.index);
  assert.equal(cluster.ingresses.length, 1000);
  assert.equal(cluster.services.length, 1000);
  assert.deepEqual(plain(cluster), plain(buildCluster(loaded(text).index)));
  // nothing left to do for this revision
  assert.equal(steps(warmCluster(stepped.index)), 0);
});

test("a namespace's route graph slice is built in steps, kept, and equal to the slice built at once", () => {
  const text = A.sameHost(300).text;
  const ws = loaded(text);
  const cluster = buildCluster(ws.index);
  const g = graphSliceInSteps(cluster, 'default');
  let n = 0;
  let r = g.next();
  for (; !r.done; r = g.next()) n++;
  assert.ok(n >= 600 / 25, `${n} steps`);
  // the rules find it ready: the same object
  assert.equal(graphSlice(cluster, 'default'), r.value);
  const once = graphSlice(buildCluster(loaded(text).index), 'default');
  assert.deepEqual(plain(r.value.at), plain(once.at));
  assert.deepEqual(plain(r.value.serviceProblems), plain(once.serviceProblems));
  assert.equal(r.value.at.size, 300, 'each Service selects no pod');
  // a second call finds it kept and does not yield
  assert.equal(steps(graphSliceInSteps(cluster, 'default')), 0);
  assert.deepEqual(
    routeGraph(cluster).problemsAt(
      'service-selector-no-match',
      URI,
      [...r.value.at.values()][0][0].at!.start,
      'default',
    ).length,
    1,
  );
});

test('the findings of a file checked in steps (cluster, route graph and rule preparations first) are those of the rules building what they share themselves', async () => {
  const text = A.sameHost(400).text + '---\n' + A.sameSelector(200).text;
  const settings = { ...DEFAULT_LANGUAGE_SETTINGS, timeBudgetMs: Infinity };
  const a = loaded(text);
  const stepped = await createLanguageService(a, settings).doValidationAsync(URI, { sliceMs: 0 });
  assert.ok(stepped);
  // the rules alone, building what they share themselves (the first resource that needs it)
  const b = loaded(text);
  const file = b.file(URI)!;
  const once = checkParsedFile(file.parsed!, b.index, {
    settings: settings.check,
    reportSyntax: true,
    uri: URI,
    budgetMs: Infinity,
  }).map((f) => [file.document.positionAt(f.start).line, f.ruleId, f.message, f.related?.length ?? 0]);
  assert.deepEqual(
    stepped.map((d) => [d.range.start.line, d.code, d.message, d.relatedInformation?.length ?? 0]),
    once,
  );
  // one conflict per Ingress; each policy keeps the Ingresses' controller out of the web pods
  assert.equal(stepped.filter((d) => d.code === 'ingress-path-conflict').length, 400);
  assert.equal(stepped.filter((d) => d.code === 'netpol-ingress-controller-blocked').length, 200);
  const conflict = stepped.find((d) => d.code === 'ingress-path-conflict')!;
  assert.equal(conflict.relatedInformation?.length, 20);
  assert.match(String(conflict.message), /is also claimed by 399 Ingresses: .* and 396 more\./);
});

test('progress is published after 500 documents, then each time twice as many', async () => {
  const ws = loaded(A.sameSelector(1300).text);
  const at: number[] = [];
  const done = await createLanguageService(ws, {
    ...DEFAULT_LANGUAGE_SETTINGS,
    timeBudgetMs: Infinity,
  }).doValidationAsync(URI, { onProgress: (_d, checked, total) => at.push(checked, total) });
  assert.ok(done);
  assert.deepEqual(at, [500, 2600, 1000, 2600, 2000, 2600]);
});

test('a publication holds at most MAX_PUBLISHED_RELATED related locations, the first of each diagnostic', () => {
  const related = (i: number, n: number) =>
    Array.from({ length: n }, (_, k) => ({
      location: {
        uri: 'file:///ws/shape.yaml',
        range: { start: { line: k, character: 0 }, end: { line: k, character: 1 } },
      },
      message: `other ${i}/${k}`,
    }));
  const many: Diagnostic[] = Array.from({ length: 1500 }, (_, i) => ({
    range: { start: { line: i, character: 0 }, end: { line: i, character: 1 } },
    message: `finding ${i}`,
    relatedInformation: i % 3 === 2 ? undefined : related(i, 20),
  }));
  const sent = publishedDiagnostics(many);
  assert.equal(sent.length, 1500);
  const total = sent.reduce((n, d) => n + (d.relatedInformation?.length ?? 0), 0);
  assert.ok(total <= MAX_PUBLISHED_RELATED, `${total}`);
  // 1,000 hold related locations: each keeps its first four
  assert.deepEqual(sent[0].relatedInformation, related(0, 4));
  assert.equal(sent[2].relatedInformation, undefined);
  assert.deepEqual(
    sent.map((d) => d.message),
    many.map((d) => d.message),
  );
  // the diagnostics themselves are not changed
  assert.equal(many[0].relatedInformation?.length, 20);
  // under the bound: sent as they are
  const few = many.slice(0, 150);
  assert.equal(publishedDiagnostics(few), few);
});

test('ingress-path-conflict prepares its claims of 1,000 Ingresses in steps, and keeps nothing when the workspace changed meanwhile', () => {
  const rule = RULES.find((r) => r.id === 'ingress-path-conflict') as CrossFileRule;
  const claims = ['ingress-path-conflict:claims', ['Ingress']] as const;
  const groups = ['ingress-path-conflict:groups', ['Ingress', 'IngressClass']] as const;
  const ws = loaded(A.sameHost(1000).text);
  assert.ok(steps(rule.prepare!(ws.index)) >= 10);
  assert.ok(ws.index.hasMemoKinds(claims[1], claims[0]));
  assert.ok(ws.index.hasMemoKinds(groups[1], groups[0]));
  assert.equal(steps(rule.prepare!(ws.index)), 0, 'kept');
  // an Ingress added between two steps: what was read before it is not kept
  const edited = loaded(A.sameHost(1000).text);
  const g = rule.prepare!(edited.index);
  g.next();
  g.next();
  edited.set('file:///ws/more.yaml', A.sameHost(1).text.replace(/web-0/g, 'more'));
  while (!g.next().done);
  assert.equal(edited.index.hasMemoKinds(claims[1], claims[0]), false);
  // and the check still finds the new Ingress among the others
  const d = createLanguageService(edited, { ...DEFAULT_LANGUAGE_SETTINGS, timeBudgetMs: Infinity })
    .doValidation('file:///ws/more.yaml')
    .filter((x) => x.code === 'ingress-path-conflict');
  assert.deepEqual(
    d.map((x) => x.message),
    [
      'Host shop.example.com, path / (Prefix) is also claimed by 1,000 Ingresses: default/web-0 (backend web-0:80), default/web-1 (backend web-1:80), default/web-2 (backend web-2:80) and 997 more. Which one serves it depends on the controller',
    ],
  );
});
