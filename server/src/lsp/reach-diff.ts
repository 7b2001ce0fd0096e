// The language server's side of "Compare Reachability with HEAD": the open file's folder (and the folders
// below it) as committed at git HEAD against the same folder as the editor has it now (the workspace
// index: saved files and unsaved edits), through engine/reach-diff.ts on every declared port; answered as
// Markdown. git is run without a shell, its output read with `cat-file --batch`.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver';
import { parseFile } from '../syntax/file';
import { resourcesOf } from '../model/resource';
import { buildCluster } from '../model/cluster';
import { ResourceIndex } from '../workspace/index';
import { isYamlName } from '../workspace/disk';
import { diffReach } from '../engine/reach-diff';
import { diffMarkdown } from '../features/reach-diff-report';
import { markdownCode } from '../protocol/escape';
import { REACH_DIFF_HEAD_METHOD, isReachDiffHeadParams } from '../protocol/reach-diff';
import type { ReachDiffHeadResult } from '../protocol/reach-diff';
import type { PreviewHost } from './preview-claims';

/** A failure the user can act on (not a git repository, no commit yet): shown as the error message. */
export class ReachDiffError extends Error {}

/** Runs git with arguments (no shell); resolves to its standard output, rejects with its first error line. */
export function runGit(cwd: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new ReachDiffError(`git could not be run: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new ReachDiffError(
            `git ${args[0]} failed: ${Buffer.concat(err).toString('utf8').trim().split('\n')[0] || `exit ${code}`}`,
          ),
        );
    });
    if (child.stdin) {
      // git may exit before reading everything (a bad revision): its closed pipe is not our error
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

/** The YAML files under `rel` at HEAD, path → text, read with one `git cat-file --batch`. */
async function filesAtHead(top: string, rel: string): Promise<Map<string, string>> {
  const listed = (await runGit(top, ['ls-tree', '-r', '--name-only', '-z', 'HEAD', '--', rel]))
    .toString('utf8')
    .split('\0')
    .filter((f) => f && isYamlName(path.basename(f)));
  const out = new Map<string, string>();
  if (!listed.length) return out;
  const batch = await runGit(top, ['cat-file', '--batch'], listed.map((f) => `HEAD:${f}\n`).join(''));
  let at = 0;
  for (const f of listed) {
    const nl = batch.indexOf(0x0a, at);
    if (nl < 0) break;
    const header = batch.toString('utf8', at, nl).split(' '); // <sha> blob <size>, or "<name> missing"
    const size = Number(header[2]);
    if (header[1] !== 'blob' || !Number.isInteger(size)) {
      at = nl + 1;
      continue;
    }
    out.set(f, batch.toString('utf8', nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return out;
}

function isUnder(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The reachability diff of the open file's folder, HEAD → the editor's workspace. */
export async function reachDiffWithHead(
  host: Pick<PreviewHost, 'index' | 'cni'>,
  uri: string,
): Promise<ReachDiffHeadResult> {
  if (!uri.startsWith('file:'))
    throw new ReachDiffError('Compare Reachability with HEAD needs a file saved in a git repository');
  const folder = path.dirname(fileURLToPath(uri));
  const top = (
    await runGit(folder, ['rev-parse', '--show-toplevel']).catch(() => {
      throw new ReachDiffError(`${folder} is not inside a git repository`);
    })
  )
    .toString('utf8')
    .trim();
  await runGit(top, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => {
    throw new ReachDiffError(`the repository ${top} has no commit yet: nothing to compare with`);
  });
  const rel = path.relative(top, folder).split(path.sep).join('/') || '.';
  const before = new ResourceIndex();
  for (const [f, text] of await filesAtHead(top, rel)) {
    const parsed = parseFile(text);
    before.setFile(
      `git:HEAD/${f}`,
      parsed.docs.flatMap((d) => resourcesOf(d)),
    );
  }
  const after = new ResourceIndex();
  for (const u of host.index.files()) {
    if (!u.startsWith('file:')) continue;
    if (isUnder(fileURLToPath(u), folder)) after.setFile(u, host.index.resourcesOf(u));
  }
  const d = diffReach(buildCluster(before), buildCluster(after), { cni: host.cni?.() });
  const title = `Reachability: HEAD → working tree, ${d.opened.length} newly allowed, ${d.closed.length} newly denied`;
  const markdown = [
    `# ${title}`,
    '',
    `Folder ${markdownCode(rel === '.' ? path.basename(top) : rel)} (and the folders below it) as committed at HEAD, against the same folder as the editor has it now (unsaved edits included), on every port each destination declares.`,
    '',
    diffMarkdown(d, { reasons: true }),
  ].join('\n');
  return {
    title,
    markdown,
    opened: d.opened.length,
    closed: d.closed.length,
    policies: d.policies.length,
  };
}

export function registerReachDiff(
  connection: Connection,
  host: PreviewHost,
  log: (message: string) => void,
): void {
  connection.onRequest(REACH_DIFF_HEAD_METHOD, async (params: unknown): Promise<unknown> => {
    if (!isReachDiffHeadParams(params))
      return new ResponseError(ErrorCodes.InvalidParams, `${REACH_DIFF_HEAD_METHOD}: expected {uri}`);
    try {
      host.flush();
      return await reachDiffWithHead(host, params.uri);
    } catch (e) {
      if (e instanceof ReachDiffError) return new ResponseError(ErrorCodes.InvalidRequest, e.message);
      log(`${REACH_DIFF_HEAD_METHOD} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return new ResponseError(
        ErrorCodes.InternalError,
        `${REACH_DIFF_HEAD_METHOD} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  });
}
