// How long the editor takes to re-publish the dependents of a Service edited in a large indexed
// workspace (a measurement, not a test): the bench generator's workspace (gen.mjs --workspace, N
// files of about 60 lines, one folder per namespace) indexed by the built server; open are one
// namespace's Service file and the Ingress file that routes to it, plus unrelated files (Ingresses
// and a Deployment of other namespaces). Each round edits the Service port one Ingress backend names
// by number, then puts it back, and times the edit until the Ingress file's diagnostics say so. The
// unrelated files must not be published again (workspace/dependents.ts).
//
//   npm run build && node --import tsx scripts/bench-lsp-dependents.ts [--files 20000] [--rounds 20]
//                                                                       [--unrelated 5] [--data DIR]
//
// The harness (gen.mjs) lives in <project>/../shared/bench or $KNL_BENCH_HARNESS; without it this
// script says so and exits 0.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, ROOT } from '../test/support/lsp-client';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const FILES = Number(option('files', '20000'));
const ROUNDS = Number(option('rounds', '20'));
const UNRELATED = Number(option('unrelated', '5'));
const DATA = option('data', path.join(os.tmpdir(), 'kube-netlens-bench'));

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
  const client = await LspClient.start({}, { rootUri: pathToFileURL(dir).toString(), pullConfig: false });
  await client.waitFor(() => client.progress.some((p) => p.value.kind === 'end'), 'indexing', 30 * 60 * 1000);
  const indexMs = performance.now() - t0;
  const uri = (f: string) => pathToFileURL(f).toString();
  const svc = uri(chosen.svcFile);
  const ing = uri(chosen.ingFile);
  const others = unrelated.map(uri);
  for (const f of [chosen.svcFile, ...unrelated, chosen.ingFile])
    await client.open(uri(f), readFileSync(f, 'utf8'));
  for (const u of [svc, ...others, ing]) await client.diagnostics(u, 10 * 60 * 1000);
  const missing = (d: { code?: unknown; message: unknown }[]) =>
    d.some((x) => x.code === 'ingress-backend-port-missing' && String(x.message).includes(`${chosen.port}`));
  await client.waitForDiagnostics(ing, (d) => !missing(d), 10 * 60 * 1000);
  // the first edits pay for building what the rules derive from the whole workspace: warm up
  for (let r = 0; r < 2; r++) {
    await client.change(svc, chosen.broken);
    await client.waitForDiagnostics(ing, missing, 10 * 60 * 1000);
    await client.change(svc, chosen.svcText);
    await client.waitForDiagnostics(ing, (d) => !missing(d), 10 * 60 * 1000);
  }
  const othersBefore = others.map((u) => client.publishCount(u));
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const broken = r % 2 === 0;
    const start = performance.now();
    await client.change(svc, broken ? chosen.broken : chosen.svcText);
    await client.waitForDiagnostics(ing, (d) => missing(d) === broken, 10 * 60 * 1000);
    times.push(performance.now() - start);
  }
  await client.diagnostics(svc);
  const republished = others.filter((u, i) => client.publishCount(u) !== othersBefore[i]).length;
  await client.stop();
  const s = [...times].sort((a, b) => a - b);
  console.log(
    `dependents: ${FILES} files indexed in ${(indexMs / 1000).toFixed(1)} s (server start included); open: ${path.relative(dir, chosen.svcFile)} (Service), ${path.relative(dir, chosen.ingFile)} (its Ingress), ${others.length} unrelated files`,
  );
  const med = median(times);
  console.log(
    `dependents: Service edit -> its Ingress re-published: median ${med.toFixed(1)} ms, min ${s[0].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms over ${ROUNDS} edits (stdio round trip included) ${med <= 50 ? '[ok <=50]' : '[MISSED >50]'}; unrelated files published again: ${republished} of ${others.length}`,
  );
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
