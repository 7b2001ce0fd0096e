// The server's settings (section "kubeNetlens"), with defaults and validation of what the client sends.

import type { CheckSettings, SeveritySetting } from '../rules/types';

export interface ServerSettings {
  enable: boolean;
  kubernetesVersion: string;
  rules: Record<string, SeveritySetting>;
  /** "report": our own YAML syntax diagnostics; "leave": leave them to another YAML extension. */
  syntaxErrors: 'report' | 'leave';
  /** Files larger than this (MB) are not checked. */
  maxFileSize: number;
  defaultNamespace: string;
}

export const DEFAULT_KUBERNETES_VERSION = '1.34';

export const DEFAULT_SETTINGS: ServerSettings = {
  enable: true,
  kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
  rules: {},
  syntaxErrors: 'report',
  maxFileSize: 5,
  defaultNamespace: 'default',
};

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function normalizeSettings(raw: unknown): ServerSettings {
  const s = { ...DEFAULT_SETTINGS, rules: {} as Record<string, SeveritySetting> };
  if (!raw || typeof raw !== 'object') return s;
  const o = raw as Record<string, unknown>;
  if (typeof o.enable === 'boolean') s.enable = o.enable;
  if (typeof o.kubernetesVersion === 'string' && /^v?\d+\.\d+/.test(o.kubernetesVersion.trim())) s.kubernetesVersion = o.kubernetesVersion.trim().replace(/^v/, '');
  if (o.rules && typeof o.rules === 'object') {
    for (const [k, v] of Object.entries(o.rules as Record<string, unknown>)) {
      const sev = typeof v === 'string' ? (v === 'info' ? 'information' : v.toLowerCase()) : undefined;
      if (sev && SEVERITIES.has(sev)) s.rules[k] = sev as SeveritySetting;
    }
  }
  if (o.syntaxErrors === 'leave' || o.syntaxErrors === 'report') s.syntaxErrors = o.syntaxErrors;
  if (typeof o.maxFileSize === 'number' && o.maxFileSize > 0) s.maxFileSize = o.maxFileSize;
  if (typeof o.defaultNamespace === 'string' && o.defaultNamespace) s.defaultNamespace = o.defaultNamespace;
  return s;
}

export function checkSettings(s: ServerSettings): CheckSettings {
  return { kubernetesVersion: s.kubernetesVersion, severities: s.rules };
}
