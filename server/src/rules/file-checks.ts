// Findings about a file as a whole: too large, binary, a Helm template, YAML syntax errors.

import type { RuleInfo } from './types';
import { DOCUMENT_TIME_BUDGET, DOCUMENT_TOO_COMPLEX } from '../syntax/parse';

export const FILE_TOO_LARGE = 'file-too-large';
export const BINARY_FILE = 'binary-file';
export const HELM_TEMPLATE = 'helm-template';
export const YAML_SYNTAX = 'yaml-syntax';
export const KUSTOMIZE_PATCH = 'kustomize-patch';

export const FILE_RULES: RuleInfo[] = [
  {
    id: YAML_SYNTAX,
    defaultSeverity: 'error',
    description: 'The YAML does not parse (reported for documents that look like Kubernetes manifests).',
  },
  {
    id: HELM_TEMPLATE,
    defaultSeverity: 'hint',
    description:
      'A Helm template ({{ }}): checked only once rendered (helm template), so its raw text is skipped.',
  },
  {
    id: KUSTOMIZE_PATCH,
    defaultSeverity: 'hint',
    description:
      'A file a Kustomization lists as a patch (patchesStrategicMerge, patches, patchesJson6902): its partial objects are checked for the fields and values they hold, not for required fields they leave to the base, and they are left out of the cross-resource checks.',
  },
  {
    id: FILE_TOO_LARGE,
    defaultSeverity: 'information',
    description: 'The file is larger than kubeNetlens.maxFileSize and was not checked.',
  },
  {
    id: BINARY_FILE,
    defaultSeverity: 'information',
    description: 'The file holds binary data (NUL or other control bytes) and was not checked.',
  },
  {
    id: DOCUMENT_TOO_COMPLEX,
    defaultSeverity: 'information',
    description:
      'A YAML document over a size limit (100,000 values, 1,000,000 tokens, collections nested 128 deep, 20,000 documents per file) was not parsed; the rest of the file is checked.',
  },
  {
    id: DOCUMENT_TIME_BUDGET,
    defaultSeverity: 'information',
    description:
      'Parsing or checking a YAML document took longer than its time budget (2 s); what did not run is named, the rest of the file is checked.',
  },
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
 * files also hold braces, and they are none of our business.
 *
 * One pass over the text: a line whose first non-blank text is `apiVersion:` (and one with `kind:`)
 * makes it a manifest; the first `{{` that is not in a comment line and not after `$` counts if a
 * `}}` follows it somewhere. */
export function helmTemplateOffset(text: string): number {
  const n = text.length;
  const lastClose = text.lastIndexOf('}}');
  if (lastClose < 0) return -1;
  let apiVersion = false;
  let kind = false;
  let candidate = -1;
  let searching = true; // still looking for the first `{{`
  let atLineStart = true; // only blanks since the start or a line break (any of \n \r \u2028 \u2029)
  let lineIsComment = false; // the first non-blank character since the last \n is `#`
  let lineHasText = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
      atLineStart = true;
      if (c === 10) {
        lineIsComment = false;
        lineHasText = false;
      }
      continue;
    }
    if (isBlank(c)) continue;
    if (atLineStart) {
      atLineStart = false;
      if (!apiVersion && c === 97 /* a */ && text.startsWith('apiVersion:', i)) apiVersion = true;
      else if (!kind && c === 107 /* k */ && text.startsWith('kind:', i)) kind = true;
    }
    if (!lineHasText) {
      lineHasText = true;
      lineIsComment = c === 35; /* # */
    }
    if (searching && c === 123 /* { */ && text.charCodeAt(i + 1) === 123) {
      if (!lineIsComment && text.charCodeAt(i - 1) !== 36 /* $ */) {
        candidate = i;
        searching = false;
      } else i++; // the next `{{` starts after this one
      if (!searching && candidate + 2 > lastClose) return -1;
    }
    if (!searching && apiVersion && kind) return candidate;
  }
  return -1;
}

/** `\s` in a regular expression, minus the line breaks. */
function isBlank(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 11 ||
    c === 12 ||
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}
