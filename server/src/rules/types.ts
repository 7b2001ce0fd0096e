// What a rule is and what it reports. No editor or parser types here: findings carry offsets
// relative to their document, and the LSP layer turns them into ranges.

import type { Span } from '../syntax/ast';
import type { Resource } from '../model/resource';
import type { ResourceIndex } from '../model/index';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export interface QuickFix {
  title: string;
  /** Offsets relative to the document of the finding. */
  edits: OffsetEdit[];
  preferred?: boolean;
}

export interface RelatedSpan {
  uri?: string;
  start: number;
  end: number;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Offsets relative to the document. */
  start: number;
  end: number;
  fixes?: QuickFix[];
  /** Extra tags for the editor (unnecessary code, deprecated API). */
  tags?: ('deprecated' | 'unnecessary')[];
}

export interface CheckSettings {
  /** Target Kubernetes minor version, e.g. "1.33". */
  kubernetesVersion: string;
  severities: Record<string, SeveritySetting>;
}

export interface ReportOptions {
  /** For rules that report under several ids (the schema walker): which one. */
  ruleId?: string;
  severity?: Severity;
  fixes?: QuickFix[];
  tags?: Finding['tags'];
}

export interface RuleContext {
  resource: Resource;
  /** All resources the checker knows about (open documents, workspace, CLI inputs). */
  index: ResourceIndex;
  settings: CheckSettings;
  report(span: Span, message: string, options?: ReportOptions): void;
}

export interface Rule {
  id: string;
  /** Further ids this rule reports under (each has its own severity setting). */
  extraIds?: { id: string; defaultSeverity: Severity; description: string }[];
  defaultSeverity: Severity;
  /** One line, shown in SARIF and docs. */
  description: string;
  /** Kinds the rule looks at; undefined for every covered kind. */
  kinds?: string[];
  check(ctx: RuleContext): void;
}

export const DOCS_BASE = 'https://github.com/kube-netlens/kube-netlens/blob/main/docs/rules.md';

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE}#${id}`;
}
