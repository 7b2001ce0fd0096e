// Findings about a file as a whole: too large, binary, a Helm template, YAML syntax errors.

import type { RuleInfo } from './types';
import { DOCUMENT_TIME_BUDGET, DOCUMENT_TOO_COMPLEX } from '../syntax/parse';

export const FILE_TOO_LARGE = 'file-too-large';
export const BINARY_FILE = 'binary-file';
export const HELM_TEMPLATE = 'helm-template';
export const YAML_SYNTAX = 'yaml-syntax';
export const YAML_QUOTED_CONTINUATION = 'yaml-quoted-continuation';
export const YAML_MERGE_OVERRIDE = 'yaml-merge-override';
export const KUSTOMIZE_PATCH = 'kustomize-patch';

export const FILE_RULES: RuleInfo[] = [
  {
    id: YAML_SYNTAX,
    defaultSeverity: 'error',
    description: 'The YAML does not parse (reported for documents that look like Kubernetes manifests).',
  },
  {
    id: YAML_QUOTED_CONTINUATION,
    defaultSeverity: 'information',
    description:
      'A continuation line of a multi-line "quoted" value is indented no more than its key. Kubernetes\' YAML parser (kubectl, Helm, kustomize) reads the value to its closing quote, so the manifest applies as meant and is checked; YAML 1.2 ends the value at that line, so strict YAML tools (yaml-language-server, Prettier) reject the file. The quick fix indents the line, which leaves the value unchanged.',
  },
  {
    id: YAML_MERGE_OVERRIDE,
    defaultSeverity: 'warning',
    description:
      'A key written before a `<<` merge key that merges the same key with another value. kubectl reads YAML with go-yaml v2, which sets keys in the order they are written, so the merged value overwrites this one (tools that follow the YAML merge-key draft, such as yq or the yaml package, keep the written key instead). Move the key below the `<<` line to have it win, or drop it.',
  },
  {
    id: HELM_TEMPLATE,
    defaultSeverity: 'hint',
    description:
      'A Helm template: checked only once rendered (helm template), so its raw text is skipped. A `{{ }}` counts where YAML expects a value or a line, or anywhere when it names Helm words (.Values, .Release, include, toYaml); braces inside strings are data (Prometheus alert templates, Grafana legends, Argo parameters) and those files are checked.',
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
      'A YAML document over a size limit (100,000 values, 1,000,000 tokens, collections nested 128 deep, aliases that expand to 100,000 values, 20,000 documents per file) was not parsed; the rest of the file is checked.',
  },
  {
    id: DOCUMENT_TIME_BUDGET,
    defaultSeverity: 'information',
    description:
      'Parsing or checking a YAML document took longer than its time budget (2 s); what did not run is named, the rest of the file is checked.',
  },
];

/** How much of a text looksBinary reads (from its start). */
export const BINARY_PREFIX_CHARS = 65536;

/** Does the text look binary? Looks at the first 64 KiB. */
export function looksBinary(text: string): boolean {
  const n = Math.min(text.length, BINARY_PREFIX_CHARS);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
    else if (c === 0xfffd) control++;
  }
  return n > 0 && control / n > 0.05;
}

/** Words inside `{{ ... }}` that only Helm gives a meaning: its built-in objects and the functions
 * charts use to build YAML. Prometheus alert templates (`$labels`, `humanize`), Alertmanager and Argo
 * Workflows (`{{inputs.parameters.x}}`) use the same braces without them. */
const HELM_ONLY =
  /\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|\b(?:include|tpl|toYaml|nindent|required|lookup)\b/;
/** How much of an action's text is searched for those words. */
const ACTION_PEEK = 512;

/** Offset of the first Helm template action `{{ ... }}` of a file that looks like a Kubernetes
 * manifest (a line starting with `apiVersion:` and one with `kind:`), or -1.
 *
 * A `{{` counts when a `}}` follows it and it is not after `$` (GitHub Actions) nor in a comment, and
 * either
 * - it stands where YAML expects a node (a line's first text, a mapping value, a sequence entry, a flow
 *   item): only a template engine can make YAML of that, or
 * - its action names something only Helm has (`.Values`, `.Release`, `include`, `toYaml`, ...), even
 *   inside a string (`name: web-{{ .Release.Name }}`).
 * A `{{` inside a string value without those words is data: the alert templates of a PrometheusRule
 * (`summary: "{{ $labels.pod }} is down"`), Grafana legends, Argo Workflows parameters. Those files are
 * valid manifests and are checked.
 *
 * One pass over the text with a small YAML line model: block scalars (`|`, `>`), quoted strings (also
 * over several lines), flow collections, comments. An action's text is skipped once judged, so the scan
 * stays linear however the braces repeat. */
export function helmTemplateOffset(text: string): number {
  const n = text.length;
  if (text.lastIndexOf('}}') < 0) return -1;
  let apiVersion = false;
  let kind = false;
  let found = -1; // the first Helm action, once seen
  let close = -1; // the `}}` after the current position, searched lazily
  let lineStart = true; // only blanks since the last line break
  let indent = 0; // blanks before the current line's text
  let lineIndent = 0;
  let comment = false; // the rest of the line is a comment
  let block = -1; // an open block scalar holds the lines indented deeper than this
  let inBlock = false; // the current line is a block scalar's content
  let quote = 0; // 34 or 39 inside a quoted scalar
  let nodeStart = true; // the next text begins a node
  let flow = 0; // depth of flow collections
  let skipTo = -1; // inside an action already judged
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
      lineStart = true;
      indent = 0;
      comment = false;
      continue;
    }
    if (i < skipTo) {
      // an action over several lines: its lines still name the manifest's kind
      if (lineStart && !isBlank(c)) {
        lineStart = false;
        if (!apiVersion && c === 97 && text.startsWith('apiVersion:', i)) apiVersion = true;
        else if (!kind && c === 107 && text.startsWith('kind:', i)) kind = true;
      }
      continue;
    }
    if (comment) continue;
    if (lineStart) {
      if (isBlank(c)) {
        indent++;
        continue;
      }
      lineStart = false;
      lineIndent = indent;
      inBlock = false;
      if (!quote) {
        if (block >= 0 && lineIndent > block) inBlock = true;
        else block = -1;
      }
      if (!quote && !inBlock) {
        if (!apiVersion && c === 97 /* a */ && text.startsWith('apiVersion:', i)) apiVersion = true;
        else if (!kind && c === 107 /* k */ && text.startsWith('kind:', i)) kind = true;
        if (c === 35 /* # */) {
          comment = true;
          continue;
        }
        nodeStart = true;
      }
    }
    const braces = c === 123 /* { */ && text.charCodeAt(i + 1) === 123;
    if (inBlock || quote) {
      if (quote === 34 && c === 92 /* \ */) i++;
      else if (c === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
        else quote = 0;
      } else if (braces && found < 0) {
        const at = judge(i, false);
        if (at === -2) return -1;
      }
      continue;
    }
    if (isBlank(c)) continue;
    if (c === 35 /* # */ && isBlankOrBreak(text.charCodeAt(i - 1))) {
      comment = true;
      continue;
    }
    if (braces) {
      if (text.charCodeAt(i - 1) === 36 /* $ */) i++;
      else if (found < 0 && judge(i, nodeStart) === -2) return -1;
      nodeStart = false;
      if (found >= 0 && apiVersion && kind) return found;
      continue;
    }
    if (nodeStart) {
      if (c === 34 || c === 39) {
        quote = c;
        nodeStart = false;
        continue;
      }
      if ((c === 124 /* | */ || c === 62) /* > */ && flow === 0) {
        block = lineIndent;
        comment = true; // the indicator line holds nothing else of interest
        continue;
      }
      if ((c === 45 /* - */ || c === 63) /* ? */ && isBlankOrBreak(text.charCodeAt(i + 1))) continue;
      if (c === 91 /* [ */ || c === 123 /* { */) {
        flow++;
        continue;
      }
      nodeStart = false;
    }
    if (c === 58 /* : */) {
      const next = text.charCodeAt(i + 1);
      if (isBlankOrBreak(next) || (flow > 0 && (next === 44 || next === 93 || next === 125)))
        nodeStart = true;
    } else if (flow > 0) {
      if (c === 44 /* , */ || c === 91 || c === 123) {
        if (c !== 44) flow++;
        nodeStart = true;
      } else if (c === 93 /* ] */ || c === 125 /* } */) flow--;
    }
  }
  return found >= 0 && apiVersion && kind ? found : -1;

  /** Judge the action at `at`: Helm if it stands as a node or names a Helm-only word. Returns -2 when
   * no `}}` follows (then no later `{{` is an action either). */
  function judge(at: number, asNode: boolean): number {
    if (close < at + 2) close = text.indexOf('}}', at + 2);
    if (close < 0) return -2;
    if (asNode || HELM_ONLY.test(text.slice(at + 2, Math.min(close, at + 2 + ACTION_PEEK)))) found = at;
    skipTo = close + 2;
    return found;
  }
}

function isBlankOrBreak(c: number): boolean {
  return Number.isNaN(c) || c === 10 || c === 13 || c === 0x2028 || c === 0x2029 || isBlank(c);
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
