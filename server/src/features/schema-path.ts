// Resolve a path of keys and '[]' in the schema, and describe fields for hover and completion.

import type { FieldDef, SchemaType } from '../schema/types';
import { SCHEMA, childType, describeType, rootDefName, shortName } from '../schema/schema';
import { FIELD_NOTES, KIND_REFERENCE } from './field-notes';
import type { Segment } from './yaml-path';

export interface ResolvedField {
  type: SchemaType;
  field?: FieldDef;
  /** Definition that declares the field. */
  owner?: string;
  name?: string;
}

/** The root definition for a document's apiVersion and kind, found by text when the YAML is broken. */
export function rootTypeFor(
  apiVersion: string | undefined,
  kind: string | undefined,
): SchemaType | undefined {
  if (!apiVersion || !kind) return undefined;
  const def = rootDefName(apiVersion, kind);
  return def ? { t: 'ref', name: def } : undefined;
}

export function headerOf(text: string): { apiVersion?: string; kind?: string } {
  const a = /^apiVersion:[ \t]*["']?([^\s"'#]+)/m.exec(text);
  const k = /^kind:[ \t]*["']?([^\s"'#]+)/m.exec(text);
  return { apiVersion: a?.[1], kind: k?.[1] };
}

export function resolvePath(root: SchemaType, path: readonly Segment[]): ResolvedField | undefined {
  let cur: ResolvedField = { type: root };
  for (const seg of path) {
    const next = childType(cur.type, seg);
    if (!next) return undefined;
    cur = {
      type: next.type,
      field: next.field ?? cur.field,
      owner: next.owner ?? cur.owner,
      name: next.field ? seg : cur.name,
    };
  }
  return cur;
}

export function noteFor(owner: string | undefined, field: string | undefined) {
  // the notes are written for the Kubernetes and Gateway API types (io.k8s.*, legacy.*); Cilium's types
  // share some short names (IngressRule, Listener, Secret) and get the dependency's docs only
  if (!owner || !field || !(owner.startsWith('io.k8s.') || owner.startsWith('legacy.'))) return undefined;
  return FIELD_NOTES[`${shortName(owner)}.${field}`];
}

/** The dependency's docs with Kubernetes' own enum list stripped (we show allowed values ourselves). */
function apiDoc(doc: string | undefined): string | undefined {
  if (!doc) return undefined;
  return doc.replace(/\s*Possible enum values:[\s\S]*$/, '').trim() || undefined;
}

export function referenceUrl(kind: string | undefined): string | undefined {
  return kind ? KIND_REFERENCE[kind] : undefined;
}

export function allowedValues(type: SchemaType): string[] | undefined {
  if (type.t === 'string' && type.enum) return type.enum;
  if (type.t === 'array' && type.items.t === 'string' && type.items.enum) return type.items.enum;
  if (type.t === 'boolean') return ['true', 'false'];
  return undefined;
}

/** Markdown for a field: name and type, our practical note, default, allowed values, the API's description, a link. */
export function fieldMarkdown(r: ResolvedField, kind: string | undefined): string {
  const name = r.name ?? '';
  const parts: string[] = [];
  const owner = r.owner ? shortName(r.owner).replace(/^legacy\./, '') : undefined;
  parts.push(
    `**${name}** · \`${describeType(r.type)}\`` +
      (r.field?.required ? ' · required' : '') +
      (owner ? ` · in ${owner}` : ''),
  );
  const note = noteFor(r.owner, name);
  if (note) parts.push(note.note);
  if (note?.default) parts.push(`Default: ${note.default}`);
  const allowed = allowedValues(r.type);
  if (allowed && r.type.t !== 'boolean')
    parts.push(`Allowed values: ${allowed.map((v) => `\`${v}\``).join(', ')}`);
  const doc = apiDoc(r.field?.doc);
  if (doc) parts.push(`*API description:* ${doc}`);
  const url = referenceUrl(kind);
  if (url) parts.push(`[Kubernetes API reference: ${kind}](${url})`);
  return parts.join('\n\n');
}

export function objectFields(type: SchemaType): [string, FieldDef][] {
  if (type.t !== 'ref') return [];
  return Object.entries(SCHEMA.definitions[type.name]?.fields ?? {});
}
