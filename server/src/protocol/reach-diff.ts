// "Compare Reachability with HEAD" in the editor: the command and the request the client sends for the
// reachability diff of the open file's folder between git HEAD and the working tree (with unsaved
// edits). Imported by the server and the client.

export const REACH_DIFF_HEAD_COMMAND = 'kubeNetlens.compareReachabilityWithHead';
export const REACH_DIFF_HEAD_METHOD = 'kubeNetlens/reachabilityDiffWithHead';

export interface ReachDiffHeadParams {
  /** The open file: its folder (and the folders below it) is compared. */
  uri: string;
}

export interface ReachDiffHeadResult {
  /** "Reachability: HEAD → working tree, 2 newly allowed, 0 newly denied". */
  title: string;
  /** The report as Markdown (names escaped). */
  markdown: string;
  opened: number;
  closed: number;
  policies: number;
}

export function isReachDiffHeadParams(p: unknown): p is ReachDiffHeadParams {
  return !!p && typeof p === 'object' && typeof (p as Record<string, unknown>).uri === 'string';
}
