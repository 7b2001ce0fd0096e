// What a rule is and what it reports. No editor or parser types here: findings carry offsets
// relative to their document, and the LSP layer turns them into ranges.

import type { Span } from '../syntax/ast';
import type { Resource } from '../model/resource';
import type { ResourceIndex } from '../workspace/index';

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
  /** Edits of other files (offsets absolute in that file), e.g. a ReferenceGrant written next to the
   * manifest of the object it opens. */
  otherFiles?: { uri: string; edits: OffsetEdit[] }[];
  preferred?: boolean;
}

/** Another place that explains a finding (the other Ingress of a conflict). Offsets absolute in `uri`. */
export interface RelatedSpan {
  uri: string;
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
  /** Its quick fixes, present only when the check was asked to compute them (`withFixes`, or a
   * code action asking for this finding's fixes). */
  fixes?: QuickFix[];
  /** The rule offers quick fixes for it (computed when a code action asks for them). */
  fixable?: boolean;
  related?: RelatedSpan[];
  /** Extra tags for the editor (unnecessary code, deprecated API). */
  tags?: ('deprecated' | 'unnecessary')[];
  /** The path of a field whose absence the finding is about (e.g. "spec.selector": a required field
   * left out; "spec.type": a check that reads the field's default). A kustomize patch, which leaves
   * fields to its base, drops such findings; kustomize's common labels create a missing selector. */
  missing?: string;
}

export interface CheckSettings {
  /** Target Kubernetes minor version, e.g. "1.33". */
  kubernetesVersion: string;
  severities: Record<string, SeveritySetting>;
  /** Warn about a TLS certificate that expires within this many days (default 30; 0 turns the
   * warning off; expired certificates are errors whatever this says). */
  tlsExpiryWarningDays?: number;
  /** The current time in milliseconds (default `Date.now()`): tests fix the clock with it. */
  now?: number;
  /** The ingress controller NetworkPolicies must admit for Ingress routes to work (default
   * DEFAULT_INGRESS_CONTROLLER: namespace ingress-nginx, pods app.kubernetes.io/name=ingress-nginx). */
  ingressController?: IngressControllerSetting;
  /** The network plugin (kubeNetlens.cni): `auto` or undefined to detect it from the workspace. */
  cni?: string;
  /** The cluster's NodePort range (the API server's --service-node-port-range; default
   * DEFAULT_NODE_PORT_RANGE). */
  nodePortRange?: NodePortRange;
}

export interface NodePortRange {
  min: number;
  max: number;
}

/** The API server's default --service-node-port-range. */
export const DEFAULT_NODE_PORT_RANGE: NodePortRange = { min: 30000, max: 32767 };

/** "30000-32767" as a range, or undefined when it is not one (ports 1-65535, min <= max). */
export function parseNodePortRange(text: string): NodePortRange | undefined {
  const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(text);
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = Number(m[2]);
  if (min < 1 || max > 65535 || min > max) return undefined;
  return { min, max };
}

export const DEFAULT_TLS_EXPIRY_WARNING_DAYS = 30;

/** The ingress controller whose pods forward Ingress traffic to the backends. */
export interface IngressControllerSetting {
  namespace: string;
  podLabels: Record<string, string>;
}

export const DEFAULT_INGRESS_CONTROLLER: IngressControllerSetting = {
  namespace: 'ingress-nginx',
  podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
};

export interface ReportOptions {
  /** For rules that report under several ids (the schema walker): which one. */
  ruleId?: string;
  severity?: Severity;
  /** Quick fixes, as a function: it is called only when a code action asks for this finding's fixes
   * (rules/check.ts fixesFor), so checking a document never builds the edits. */
  fixes?: () => QuickFix[];
  related?: RelatedSpan[];
  tags?: Finding['tags'];
  missing?: Finding['missing'];
}

/** What a file-local rule sees: one resource and the settings, never the other resources. */
export interface RuleContext {
  resource: Resource;
  /** The file the resource is in. */
  uri: string;
  settings: CheckSettings;
  report(span: Span, message: string, options?: ReportOptions): void;
}

/** A rule id with its default severity and one line of description (SARIF, docs, `rules` listing). */
export interface RuleInfo {
  id: string;
  defaultSeverity: Severity;
  description: string;
}

/** What a cross-file rule sees: also every resource the checker knows about (open documents,
 * workspace, CLI inputs). Its findings are re-computed when any file changes. */
export interface CrossFileRuleContext extends RuleContext {
  index: ResourceIndex;
}

interface RuleBase {
  id: string;
  /** Further ids this rule reports under (each has its own severity setting). */
  extraIds?: { id: string; defaultSeverity: Severity; description: string }[];
  defaultSeverity: Severity;
  /** One line, shown in SARIF and docs. */
  description: string;
  /** Kinds the rule looks at; undefined for every covered kind. */
  kinds?: string[];
  /** Narrows `kinds` by more than the kind name, e.g. by apiVersion group: Calico's and Antrea's
   * `NetworkPolicy` are not the Kubernetes one. */
  applies?(resource: Resource): boolean;
}

/** Looks at one resource only: its findings are cached with the document and it gets no index. */
export interface FileRule extends RuleBase {
  scope: 'file';
  check(ctx: RuleContext): void;
}

/** Reads other resources through the index: re-run whenever the workspace changes. */
export interface CrossFileRule extends RuleBase {
  scope: 'cross-file';
  check(ctx: CrossFileRuleContext): void;
  /** Builds, in steps (yielding every few objects), what its checks of many resources share and
   * would otherwise build in one go at the first of them; kept in the index's memos as the checks
   * keep it, so the findings are the same. Run before the rules of a file holding its kinds. */
  prepare?(index: ResourceIndex): Generator<void>;
}

export type Rule = FileRule | CrossFileRule;

export const DOCS_BASE = 'https://github.com/kube-netlens/kube-netlens/blob/main/docs/rules.md';

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE}#${id}`;
}
