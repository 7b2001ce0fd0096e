// How long the editor takes to re-publish the dependents of a Service edited in a large indexed
// workspace (a measurement, not a test): the bench generator's workspace (gen.mjs --workspace, N
// files of about 60 lines, one folder per namespace) indexed by the built server; open are one
// namespace's Service file and the Ingress file that routes to it, plus unrelated files (Ingresses
// and a Deployment of other namespaces). Each round edits the Service port one Ingress backend names
// by number, then puts it back, and times the edit until the Ingress file's diagnostics say so. The
// unrelated files must not be published again (workspace/dependents.ts).
//
//   npm run build && node --import tsx scripts/bench-lsp-dependents.ts [--files 20000] [--rounds 20]
//                                                                       [--unrelated 5] [--data DIR] [--push]
//
// The client pulls diagnostics, as VS Code's does (the server asks it to pull again when another
// file's edit changed what it holds: the Ingress is pulled after that refresh, and the edited Service
// after each edit); with --push it declares no pulls and reads the server's publications.
//
// The harness (gen.mjs) lives in <project>/../shared/bench or $KNL_BENCH_HARNESS; without it this
// script says so and exits 0.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, ROOT } from '../test/support/lsp-client';
import type { Diagnostic } from 'vscode-languageserver-types';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const FILES = Number(option('files', '20000'));
const ROUNDS = Number(option('rounds', '20'));
const UNRELATED = Number(option('unrelated', '5'));
const DATA = option('data', path.join(os.tmpdir(), 'kube-netlens-bench'));
const PUSH = process.argv.includes('--push');

const harness = process.env.KNL_BENCH_HARNESS ?? path.resolve(ROOT, '..', 'shared', 'bench');
const gen = path.join(harness, 'gen.mjs');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Pick {
  svcFile: string;
  ingFile: string;
  /** The Service port the Ingress names by number, and the Service's text with it changed. */
  port: number;
  svcText: string;
  broken: string;
}

/** A namespace folder whose Ingress names a port of its Service by number. */
function pick(dir: string, folder: string): Pick | undefined {
  const files = readdirSync(path.join(dir, folder)).map((f) => path.join(dir, folder, f));
  const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  const svcFile = files.find((f) => /^kind: Service$/m.test(texts.get(f)!));
  const ingFile = files.find((f) => /^kind: Ingress$/m.test(texts.get(f)!));
  if (!svcFile || !ingFile) return undefined;
  const svcText = texts.get(svcFile)!;
  for (const m of texts.get(ingFile)!.matchAll(/number: (\d+)/g)) {
    const port = Number(m[1]);
    const line = new RegExp(`^(\\s+port: )${port}$`, 'm');
    if (!line.test(svcText)) continue;
    return { svcFile, ingFile, port, svcText, broken: svcText.replace(line, `$1${port + 10000}`) };
  }
  return undefined;
}

async function main(): Promise<void> {
  if (!existsSync(gen)) {
    console.log(`bench-lsp-dependents: no bench harness at ${harness} (set KNL_BENCH_HARNESS); skipped`);
    return;
  }
  const dir = path.join(DATA, `ws-${FILES}`);
  if (!existsSync(dir)) {
    const r = spawnSync(
      process.execPath,
      [gen, '--workspace', dir, '--files', String(FILES), '--file-lines', '60'],
      {
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) throw new Error('gen.mjs failed');
  }
  const folders = readdirSync(dir).sort();
  let chosen: Pick | undefined;
  let at = 0;
  for (; at < folders.length && !chosen; at++) chosen = pick(dir, folders[at]);
  if (!chosen) throw new Error('no namespace whose Ingress names a Service port by number');
  const unrelated: string[] = [];
  for (const folder of folders.slice(at)) {
    if (unrelated.length >= UNRELATED) break;
    const files = readdirSync(path.join(dir, folder)).map((f) => path.join(dir, folder, f));
    const f = files.find((x) => /^kind: (Ingress|Deployment)$/m.test(readFileSync(x, 'utf8')));
    if (f) unrelated.push(f);
  }

  const t0 = performance.now();
  const client = await LspClient.start(
    {},
    { rootUri: pathToFileURL(dir).toString(), pullConfig: false, pullDiagnostics: !PUSH },
  );
  await client.waitFor(() => client.progress.some((p) => p.value.kind === 'end'), 'indexing', 30 * 60 * 1000);
  const indexMs = performance.now() - t0;
  const uri = (f: string) => pathToFileURL(f).toString();
  const svc = uri(chosen.svcFile);
  const ing = uri(chosen.ingFile);
  const others = unrelated.map(uri);
  const long = 10 * 60 * 1000;
  // what the client holds per document, and the result id it pulls with
  const held = new Map<string, { id?: string; items: Diagnostic[] }>();
  const pullNow = async (u: string): Promise<Diagnostic[]> => {
    const before = held.get(u);
    const r = await client.pull(u, before?.id);
    if (r.kind === 'full') held.set(u, { id: r.resultId, items: r.items });
    return held.get(u)?.items ?? [];
  };
  /** The Ingress's diagnostics once `ok` holds: published, or pulled after each refresh the server
   * asks for since `refreshes` (VS Code pulls a document other than the one edited on a refresh, or
   * in the background half a second apart), or at once when not given. */
  const ingressWhen = async (ok: (d: Diagnostic[]) => boolean, refreshes?: number): Promise<void> => {
    if (PUSH) {
      await client.waitForDiagnostics(ing, ok, long);
      return;
    }
    for (let seen = refreshes; ; seen = client.diagnosticRefreshes) {
      if (seen !== undefined) {
        const after = seen;
        await client.waitFor(() => client.diagnosticRefreshes > after, 'a diagnostic refresh', long);
      }
      if (ok(await pullNow(ing))) return;
    }
  };
  /** Edit the Service; the refreshes asked for before it (what ingressWhen waits past). */
  const edit = async (text: string): Promise<number> => {
    const refreshes = client.diagnosticRefreshes;
    await client.change(svc, text);
    // (VS Code pulls the document it just changed)
    if (!PUSH) void pullNow(svc);
    return refreshes;
  };
  for (const f of [chosen.svcFile, ...unrelated, chosen.ingFile])
    await client.open(uri(f), readFileSync(f, 'utf8'));
  for (const u of [svc, ...others, ing]) await (PUSH ? client.diagnostics(u, long) : pullNow(u));
  const missing = (d: { code?: unknown; message: unknown }[]) =>
    d.some((x) => x.code === 'ingress-backend-port-missing' && String(x.message).includes(`${chosen.port}`));
  await ingressWhen((d) => !missing(d));
  // the first edits pay for building what the rules derive from the whole workspace: warm up
  for (let r = 0; r < 2; r++) {
    await ingressWhen(missing, await edit(chosen.broken));
    await ingressWhen((d) => !missing(d), await edit(chosen.svcText));
  }
  const othersBefore = others.map((u) => client.publishCount(u));
  const othersHeld = others.map((u) => held.get(u)?.id);
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const broken = r % 2 === 0;
    const start = performance.now();
    const refreshes = await edit(broken ? chosen.broken : chosen.svcText);
    await ingressWhen((d) => missing(d) === broken, refreshes);
    times.push(performance.now() - start);
  }
  let republished = 0;
  if (PUSH) {
    await client.diagnostics(svc);
    republished = others.filter((u, i) => client.publishCount(u) !== othersBefore[i]).length;
  } else {
    // an unrelated file whose findings changed would be answered in full, not `unchanged`
    for (const [i, u] of others.entries()) {
      const r = await client.pull(u, othersHeld[i]);
      if (r.kind !== 'unchanged') republished++;
    }
  }
  await client.stop();
  const s = [...times].sort((a, b) => a - b);
  console.log(
    `dependents: ${FILES} files indexed in ${(indexMs / 1000).toFixed(1)} s (server start included); open: ${path.relative(dir, chosen.svcFile)} (Service), ${path.relative(dir, chosen.ingFile)} (its Ingress), ${others.length} unrelated files`,
  );
  const med = median(times);
  console.log(
    `dependents (${PUSH ? 'publications' : 'pulls, as VS Code'}): Service edit -> its Ingress's new findings at the client: median ${med.toFixed(1)} ms, min ${s[0].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms over ${ROUNDS} edits (stdio round trip included) ${med <= 50 ? '[ok <=50]' : '[MISSED >50]'}; unrelated files ${PUSH ? 'published again' : 'answered other than `unchanged`'}: ${republished} of ${others.length}`,
  );
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
