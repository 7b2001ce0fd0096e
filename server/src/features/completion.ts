// Completion: field names valid at the cursor, enum values, apiVersion/kind values, and
// whole-resource snippets in an empty document.

import type { SchemaType } from '../schema/types';
import { describeType, shortName } from '../schema/schema';
import { cursorContext, flowPosition } from './yaml-path';
import type { CursorContext } from './yaml-path';
import type { ParsedDocument } from '../syntax/parse';
import type { ResourceIndex } from '../workspace/index';
import type { ValueSource } from './workspace-values';
import { workspaceValues } from './workspace-values';
import { boundValues } from './completion-bound';
import {
  allowedValues,
  fieldMarkdown,
  headerOf,
  noteFor,
  objectFields,
  resolvePath,
  rootTypeFor,
} from './schema-path';
import { RESOURCE_SNIPPETS } from './snippets';
import { API_VERSIONS, apiVersionsForKind } from '../model/api-versions';

export type CompletionKind = 'field' | 'value' | 'snippet' | 'enum';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Text to insert (snippet syntax when `snippet` is true). */
  insertText: string;
  snippet: boolean;
  sortText?: string;
  /** Replace from this offset (relative to the document) to the cursor. */
  replaceStart: number;
  preselect?: boolean;
}

const COVERED = [
  'Ingress',
  'IngressClass',
  'Service',
  'Secret',
  'NetworkPolicy',
  'Namespace',
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
];

function insertForField(name: string, type: SchemaType, indent: string): string {
  switch (type.t) {
    case 'ref':
    case 'map':
      return `${name}:\n${indent}  $0`;
    case 'array':
      return type.items.t === 'ref' || type.items.t === 'map'
        ? `${name}:\n${indent}- $0`
        : `${name}:\n${indent}- $0`;
    default: {
      const values = allowedValues(type);
      if (values && type.t === 'string') return `${name}: \${1|${values.join(',')}|}`;
      return `${name}: $0`;
    }
  }
}

/** What completion needs to offer the values the workspace defines (Service names, ports, Secrets,
 * IngressClasses, labels, container port names, namespaces). */
export interface WorkspaceCompletion {
  doc: ParsedDocument;
  index: ResourceIndex;
  /** "file.yaml:12" for a place a value is defined. */
  locate(source: ValueSource): string | undefined;
}

/** The cursor inside a flow collection (`selector: {app: we`): its path and the text typed there. */
function intoFlow(ctx: CursorContext): CursorContext {
  if (ctx.mode !== 'value' || !/^[[{]/.test(ctx.prefix)) return ctx;
  const fp = flowPosition(ctx.prefix);
  if (!fp) return ctx;
  return {
    ...ctx,
    path: [...ctx.path, ...fp.segs],
    mode: fp.mode,
    prefix: fp.prefix,
    existingKeys: new Set(),
  };
}

/** `text`: one YAML document; `offset`: cursor in it; `ws`: the workspace, for its values. */
export function complete(text: string, offset: number, ws?: WorkspaceCompletion): CompletionEntry[] {
  return completeBounded(text, offset, ws).entries;
}

/** The same entries, with `incomplete` set when the workspace held more values than one answer
 * takes (see completion-bound.ts): then only those matching what was typed are there. */
export function completeBounded(
  text: string,
  offset: number,
  ws?: WorkspaceCompletion,
): { entries: CompletionEntry[]; incomplete: boolean } {
  const found = cursorContext(text, offset);
  if (!found) return { entries: [], incomplete: false };
  const ctx = intoFlow(found);
  const replaceStart = offset - ctx.prefix.length;
  const out: CompletionEntry[] = [];
  let incomplete = false;
  if (ws) {
    const all = workspaceValues({
      path: ctx.path,
      mode: ctx.mode,
      doc: ws.doc,
      offset,
      index: ws.index,
    });
    const { kept, cut } = boundValues(all, ctx.prefix, (v) => `${v.group}${v.label}`);
    incomplete = cut;
    for (const v of kept) {
      const where = v.source ? ws.locate(v.source) : undefined;
      out.push({
        label: v.label,
        kind: 'value',
        detail: where ? `${v.detail} (${where})` : v.detail,
        documentation: where ? `Defined at \`${where}\`` : undefined,
        insertText: v.insertText ?? v.label,
        snippet: false,
        sortText: `0${v.group}${v.label}`,
        replaceStart,
      });
    }
  }
  return { entries: schemaEntries(text, ctx, replaceStart, out), incomplete };
}

/** Appends to `out` what the schema offers at `ctx` (fields, enum values, apiVersion and kind values,
 * resource snippets) and returns it. */
function schemaEntries(
  text: string,
  ctx: CursorContext,
  replaceStart: number,
  out: CompletionEntry[],
): CompletionEntry[] {
  const header = headerOf(text);
  if (ctx.mode === 'value' && ctx.path.length === 1 && ctx.path[0] === 'apiVersion') {
    const versions = header.kind
      ? apiVersionsForKind(header.kind)
      : [...new Map(API_VERSIONS.map((v) => [v.apiVersion, v])).values()];
    versions.forEach((v, i) => {
      out.push({
        label: v.apiVersion,
        kind: 'value',
        detail: v.removed
          ? `removed in ${v.removed}`
          : v.deprecated
            ? `deprecated in ${v.deprecated}`
            : `served since ${v.introduced}`,
        insertText: v.apiVersion,
        snippet: false,
        sortText: `${v.removed ? 'z' : v.deprecated ? 'y' : 'a'}${String(i).padStart(3, '0')}`,
        replaceStart,
      });
    });
    return out;
  }
  if (ctx.mode === 'value' && ctx.path.length === 1 && ctx.path[0] === 'kind') {
    for (const k of COVERED)
      out.push({ label: k, kind: 'value', insertText: k, snippet: false, replaceStart });
    return out;
  }

  const root = rootTypeFor(header.apiVersion, header.kind);
  if (
    ctx.topLevel &&
    (!header.kind || !header.apiVersion || text.trim().length === ctx.prefix.trim().length)
  ) {
    if (text.replace(/^---.*$/m, '').trim().length === ctx.prefix.trim().length) {
      for (const s of RESOURCE_SNIPPETS) {
        out.push({
          label: s.label,
          kind: 'snippet',
          detail: s.detail,
          documentation: s.documentation,
          insertText: s.body,
          snippet: true,
          replaceStart,
          sortText: `0${s.label}`,
        });
      }
    }
    for (const k of ['apiVersion', 'kind', 'metadata']) {
      if (!ctx.existingKeys.has(k))
        out.push({
          label: k,
          kind: 'field',
          insertText: k === 'metadata' ? 'metadata:\n  name: $0' : `${k}: $0`,
          snippet: true,
          replaceStart,
          sortText: `1${k}`,
        });
    }
    if (!root) return out;
  }
  if (!root) return out;

  if (ctx.mode === 'key') {
    const container = resolvePath(root, ctx.path);
    if (!container) return out;
    const type = container.type.t === 'array' ? container.type.items : container.type;
    if (type.t !== 'ref') {
      // a list of scalars (policyTypes): offer its values
      for (const v of allowedValues(type) ?? [])
        out.push({ label: v, kind: 'enum', insertText: v, snippet: false, replaceStart });
      return out;
    }
    const indent = ' '.repeat(ctx.column);
    for (const [name, field] of objectFields(type)) {
      if (ctx.existingKeys.has(name)) continue;
      if (name === 'status') continue; // written by controllers, not by hand
      const owner = type.t === 'ref' ? type.name : undefined;
      const note = noteFor(owner, name);
      out.push({
        label: name,
        kind: 'field',
        detail: `${describeType(field.type)}${field.required ? ' (required)' : ''}`,
        documentation: fieldMarkdown({ type: field.type, field, owner, name }, header.kind),
        insertText: insertForField(name, field.type, indent),
        snippet: true,
        sortText: `${field.required ? '0' : note ? '1' : '2'}${name}`,
        replaceStart,
      });
    }
    return out;
  }

  const target = resolvePath(root, ctx.path);
  if (!target) return out;
  const values = allowedValues(target.type);
  for (const v of values ?? []) {
    out.push({
      label: v,
      kind: 'enum',
      detail: target.owner ? `${shortName(target.owner)}.${target.name}` : undefined,
      insertText: v,
      snippet: false,
      replaceStart,
    });
  }
  return out;
}
