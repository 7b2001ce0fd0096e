// The server's settings (section "kubeNetlens"), with defaults and validation of what the client sends.

import type { CheckSettings, IngressControllerSetting, NodePortRange, SeveritySetting } from '../rules/types';
import { DEFAULT_INGRESS_CONTROLLER, parseNodePortRange } from '../rules/types';
import type { LanguageSettings } from '../service/types';
import { DEFAULT_MAX_FILE_MB } from '../workspace/disk';
import { DEFAULT_KUBERNETES_VERSION } from '../rules/version';
import { isCniName } from '../engine/cni';
import { CHECK_BUDGET_MS } from '../rules/check';

export interface ServerSettings {
  enable: boolean;
  kubernetesVersion: string;
  rules: Record<string, SeveritySetting>;
  /** "report": our own YAML syntax diagnostics; "leave": leave them to another YAML extension. */
  syntaxErrors: 'report' | 'leave';
  /** Files larger than this (MB) are not checked. */
  maxFileSize: number;
  /** Time budget (ms) for the rules of one file; a parse on the parser thread gets five times it. */
  timeBudgetMs: number;
  /** The ingress controller NetworkPolicies must admit; undefined when not configured (the rules
   * then assume ingress-nginx and say so more softly for Ingresses of other classes). */
  ingressController?: IngressControllerSetting;
  defaultNamespace: string;
  index: { enable: boolean; include: string[]; exclude: string[]; maxFiles: number };
  /** Warn about TLS certificates that expire within this many days (0: never). */
  tls: { expiryWarningDays: number };
  /** kubeNetlens.nodePortRange ("30000-32767"); undefined for the default. */
  nodePortRange?: NodePortRange;
  /** The network plugin that enforces the policies: `auto` (detected from the workspace) or a name of engine/cni.ts. */
  cni: string;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  enable: true,
  kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
  rules: {},
  syntaxErrors: 'report',
  maxFileSize: DEFAULT_MAX_FILE_MB,
  timeBudgetMs: CHECK_BUDGET_MS,
  defaultNamespace: 'default',
  index: { enable: true, include: ['**/*.yaml', '**/*.yml'], exclude: [], maxFiles: 20000 },
  tls: { expiryWarningDays: 30 },
  cni: 'auto',
};

/** Do two sets of settings say the same? (A field left undefined counts as not set, as in the
 * defaults; the order of a record's keys is the client's, and a new order only costs a check.) */
export function sameSettings(a: ServerSettings, b: ServerSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Below this a budget would skip rules on ordinary files. */
const MIN_TIME_BUDGET_MS = 200;

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function normalizeSettings(raw: unknown): ServerSettings {
  const s = {
    ...DEFAULT_SETTINGS,
    rules: {} as Record<string, SeveritySetting>,
    index: { ...DEFAULT_SETTINGS.index },
    tls: { ...DEFAULT_SETTINGS.tls },
  };
  if (!raw || typeof raw !== 'object') return s;
  const o = raw as Record<string, unknown>;
  if (typeof o.enable === 'boolean') s.enable = o.enable;
  if (typeof o.kubernetesVersion === 'string' && /^v?\d+\.\d+/.test(o.kubernetesVersion.trim()))
    s.kubernetesVersion = o.kubernetesVersion.trim().replace(/^v/, '');
  if (o.rules && typeof o.rules === 'object') {
    for (const [k, v] of Object.entries(o.rules as Record<string, unknown>)) {
      const sev = typeof v === 'string' ? (v === 'info' ? 'information' : v.toLowerCase()) : undefined;
      if (sev && SEVERITIES.has(sev)) s.rules[k] = sev as SeveritySetting;
    }
  }
  if (typeof o.cni === 'string' && (o.cni === 'auto' || isCniName(o.cni.toLowerCase())))
    s.cni = o.cni.toLowerCase();
  if (o.syntaxErrors === 'leave' || o.syntaxErrors === 'report') s.syntaxErrors = o.syntaxErrors;
  if (typeof o.maxFileSize === 'number' && o.maxFileSize > 0) s.maxFileSize = o.maxFileSize;
  if (
    typeof o.timeBudgetMs === 'number' &&
    Number.isFinite(o.timeBudgetMs) &&
    o.timeBudgetMs >= MIN_TIME_BUDGET_MS
  )
    s.timeBudgetMs = Math.round(o.timeBudgetMs);
  if (typeof o.defaultNamespace === 'string' && o.defaultNamespace) s.defaultNamespace = o.defaultNamespace;
  s.ingressController = ingressControllerSetting(o.ingressController);
  const idx = o.index as Record<string, unknown> | undefined;
  if (idx && typeof idx === 'object') {
    const globs = (v: unknown) =>
      Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string' && g.length > 0) : undefined;
    if (typeof idx.enable === 'boolean') s.index.enable = idx.enable;
    s.index.include = globs(idx.include) ?? s.index.include;
    s.index.exclude = globs(idx.exclude) ?? s.index.exclude;
    if (typeof idx.maxFiles === 'number' && idx.maxFiles > 0) s.index.maxFiles = idx.maxFiles;
  }
  const tls = o.tls as Record<string, unknown> | undefined;
  if (
    tls &&
    typeof tls === 'object' &&
    typeof tls.expiryWarningDays === 'number' &&
    tls.expiryWarningDays >= 0
  )
    s.tls.expiryWarningDays = tls.expiryWarningDays;
  if (typeof o.nodePortRange === 'string') s.nodePortRange = parseNodePortRange(o.nodePortRange);
  return s;
}

/** kubeNetlens.ingressController: { namespace, podLabels }; either may be left out (the default's). */
function ingressControllerSetting(v: unknown): IngressControllerSetting | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const namespace = typeof o.namespace === 'string' && o.namespace.trim() ? o.namespace.trim() : undefined;
  let podLabels: Record<string, string> | undefined;
  if (o.podLabels && typeof o.podLabels === 'object' && !Array.isArray(o.podLabels)) {
    podLabels = {};
    for (const [k, val] of Object.entries(o.podLabels as Record<string, unknown>))
      if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean')
        podLabels[k] = String(val);
  }
  const out = {
    namespace: namespace ?? DEFAULT_INGRESS_CONTROLLER.namespace,
    podLabels: podLabels ?? { ...DEFAULT_INGRESS_CONTROLLER.podLabels },
  };
  // the client sends the defaults as values: they are not a choice of controller
  const same = (a: Record<string, string>, b: Record<string, string>) =>
    JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  if (
    out.namespace === DEFAULT_INGRESS_CONTROLLER.namespace &&
    same(out.podLabels, DEFAULT_INGRESS_CONTROLLER.podLabels)
  )
    return undefined;
  return out;
}

export function checkSettings(s: ServerSettings): CheckSettings {
  return {
    kubernetesVersion: s.kubernetesVersion,
    severities: s.rules,
    tlsExpiryWarningDays: s.tls.expiryWarningDays,
    ingressController: s.ingressController,
    nodePortRange: s.nodePortRange,
    ...(s.cni !== 'auto' ? { cni: s.cni } : {}),
  };
}

/** What the language service needs of the settings. */
export function languageSettings(s: ServerSettings): LanguageSettings {
  return {
    enable: s.enable,
    check: checkSettings(s),
    reportSyntax: s.syntaxErrors === 'report',
    defaultNamespace: s.defaultNamespace,
    timeBudgetMs: s.timeBudgetMs,
  };
}
