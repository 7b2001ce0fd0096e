// Findings about a file as a whole: too large, binary, a Helm template, YAML syntax errors.

import type { RuleInfo } from './types';

export const FILE_TOO_LARGE = 'file-too-large';
export const BINARY_FILE = 'binary-file';
export const HELM_TEMPLATE = 'helm-template';
export const YAML_SYNTAX = 'yaml-syntax';

export const FILE_RULES: RuleInfo[] = [
  { id: YAML_SYNTAX, defaultSeverity: 'error', description: 'The YAML does not parse (reported for documents that look like Kubernetes manifests).' },
  { id: HELM_TEMPLATE, defaultSeverity: 'hint', description: 'A Helm template ({{ }}): checked only once rendered (helm template), so its raw text is skipped.' },
  { id: FILE_TOO_LARGE, defaultSeverity: 'information', description: 'The file is larger than kubeNetlens.maxFileSize and was not checked.' },
  { id: BINARY_FILE, defaultSeverity: 'information', description: 'The file holds binary data (NUL or other control bytes) and was not checked.' },
];

/** Does the text look binary? Looks at the first 64 KiB. */
export function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 65536);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
    else if (c === 0xfffd) control++;
  }
  return n > 0 && control / n > 0.05;
}

/** Offset of the first Helm/Go template action `{{ ... }}` outside a comment line, or -1. Only
 * files that look like Kubernetes manifests count: GitHub Actions (`${{ }}`) and Ansible (Jinja)
 * files also hold braces, and they are none of our business. */
export function helmTemplateOffset(text: string): number {
  if (!/^\s*apiVersion:/m.test(text) || !/^\s*kind:/m.test(text)) return -1;
  let from = 0;
  for (;;) {
    const i = text.indexOf('{{', from);
    if (i < 0) return -1;
    const close = text.indexOf('}}', i + 2);
    if (close < 0) return -1;
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    const before = text.slice(lineStart, i);
    if (!/^\s*#/.test(before) && text[i - 1] !== '$') return i;
    from = i + 2;
  }
}
