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
  fixes?: QuickFix[];
  related?: RelatedSpan[];
  /** Extra tags for the editor (unnecessary code, deprecated API). */
  tags?: ('deprecated' | 'unnecessary')[];
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
  fixes?: QuickFix[];
  related?: RelatedSpan[];
  tags?: Finding['tags'];
}

export interface RuleContext {
  resource: Resource;
  /** The file the resource is in. */
  uri: string;
  /** All resources the checker knows about (open documents, workspace, CLI inputs). */
  index: ResourceIndex;
  settings: CheckSettings;
  report(span: Span, message: string, options?: ReportOptions): void;
}

/** A rule id with its default severity and one line of description (SARIF, docs, `rules` listing). */
export interface RuleInfo {
  id: string;
  defaultSeverity: Severity;
  description: string;
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
