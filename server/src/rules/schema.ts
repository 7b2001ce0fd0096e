// Structural validation against the generated schema: unknown fields, wrong types, missing required
// fields and invalid enum values. One traversal reports under four rule ids.

import type { AstNode, MapNode, PairNode, ScalarNode, Span } from '../syntax/ast';
import type { ObjectDef, SchemaType } from '../schema/types';
import { SCHEMA, rootDefName, shortName } from '../schema/schema';
import type { QuickFix, Rule, RuleContext } from './types';
import { closest } from '../engine/edit-distance';
import { isYaml11Boolean } from '../syntax/parse';
import { emptyMeansDefault } from '../model/api-defaults';

export const UNKNOWN_FIELD = 'schema-unknown-field';
export const WRONG_TYPE = 'schema-type';
export const REQUIRED = 'schema-required';
export const ENUM = 'schema-enum';
export const EXPERIMENTAL_FIELD = 'gateway-experimental-field';

/** Fields that v1 renamed: a helpful message instead of a bare "unknown field". */
const LEGACY_V1_HINTS: Record<string, string> = {
  serviceName:
    'is the legacy (v1beta1) field: in networking.k8s.io/v1 write `service: {name: ..., port: {number: ...}}`',
  servicePort:
    'is the legacy (v1beta1) field: in networking.k8s.io/v1 write `service.port.number` or `service.port.name`',
  backend: 'is the legacy (v1beta1) name: in networking.k8s.io/v1 it is `defaultBackend`',
};

const V1_ONLY_HINTS: Record<string, string> = {
  service:
    'is a networking.k8s.io/v1 field: with this legacy apiVersion the backend is `serviceName` + `servicePort` (better: move the Ingress to networking.k8s.io/v1)',
  defaultBackend:
    'is a networking.k8s.io/v1 field: with this legacy apiVersion it is `backend` (better: move the Ingress to networking.k8s.io/v1)',
};

function typeName(node: AstNode): string {
  if (node.type === 'map') return 'an object';
  if (node.type === 'seq') return 'a list';
  if (node.type === 'alias') return 'an alias';
  const v = node.value;
  if (typeof v === 'number') return `a number (${node.source})`;
  if (typeof v === 'boolean')
    return isYaml11Boolean(node.source)
      ? `a boolean (${node.source}, which Kubernetes reads as ${v}: its YAML parser keeps YAML 1.1's yes/no/on/off)`
      : `a boolean (${node.source})`;
  return `a string`;
}

function expected(type: SchemaType): string {
  switch (type.t) {
    case 'string':
      return 'a string';
    case 'number':
      return 'an integer';
    case 'boolean':
      return 'a boolean (true or false)';
    case 'int-or-string':
      return 'an integer or a string';
    case 'array':
      return 'a list';
    case 'map':
    case 'ref':
      return 'an object';
    case 'any':
      return 'any value';
  }
}

function isEmptyString(node: AstNode | null): boolean {
  return node !== null && node.type === 'scalar' && node.value === '';
}

function pathText(path: (string | number)[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s || 'the resource';
}

function quoteFix(node: ScalarNode) {
  return [
    {
      title: `Quote the value: "${node.source}"`,
      edits: [{ start: node.start, end: node.end, newText: JSON.stringify(node.source) }],
      preferred: true,
    },
  ];
}

const required = new WeakMap<ObjectDef, string[]>();
const requiredNested = new WeakMap<ObjectDef, string[]>();

/** The required fields of a definition that a document must spell out, once per definition rather
 * than once per object walked. At the top of a document apiVersion and kind are checked on their own
 * (the document is not even read as this kind without them); inside it they are ordinary fields, and
 * a reference that needs a kind (an Ingress backend's `resource`, an IngressClass's `parameters`, an
 * ownerReference, a Gateway API reference) is rejected without one. */
function requiredFields(def: ObjectDef, topLevel: boolean): string[] {
  const cache = topLevel ? required : requiredNested;
  let names = cache.get(def);
  if (!names)
    cache.set(
      def,
      (names = Object.entries(def.fields)
        .filter(
          ([name, field]) => field.required && !(topLevel && (name === 'apiVersion' || name === 'kind')),
        )
        .map(([name]) => name)),
    );
  return names;
}

class Walker {
  constructor(
    private ctx: RuleContext,
    private legacy: boolean,
  ) {}

  walk(node: AstNode | null, type: SchemaType, path: (string | number)[], anchor: Anchor): void {
    if (!node || node.type === 'alias') return;
    if (node.type === 'scalar' && node.value === null) return; // null means "not set" to the API server
    switch (type.t) {
      case 'any':
        return;
      case 'ref': {
        if (node.type !== 'map') return this.typeError(node, type, path);
        this.walkObject(node, type.name, path, anchor);
        return;
      }
      case 'map': {
        if (node.type !== 'map') return this.typeError(node, type, path);
        for (const p of node.pairs) {
          if (p.keyText === undefined) continue;
          this.walk(p.value, type.values, [...path, p.keyText], p);
        }
        return;
      }
      case 'array': {
        if (node.type !== 'seq') return this.typeError(node, type, path);
        node.items.forEach((item, i) => this.walk(item, type.items, [...path, i], itemAnchor(item)));
        return;
      }
      case 'string': {
        if (node.type !== 'scalar' || typeof node.value !== 'string') return this.typeError(node, type, path);
        if (type.enum && !type.enum.includes(node.value)) {
          const suggestion = closest(node.value, type.enum);
          const values = type.enum;
          const fixes = (): QuickFix[] =>
            suggestion
              ? [
                  {
                    title: `Change to "${suggestion}"`,
                    edits: [{ start: node.start, end: node.end, newText: suggestion }],
                    preferred: true,
                  },
                ]
              : values.map((v) => ({
                  title: `Change to "${v}"`,
                  edits: [{ start: node.start, end: node.end, newText: v }],
                }));
          this.ctx.report(
            node,
            `Invalid value "${node.value}" for ${pathText(path)}: must be one of ${type.enum.join(', ')}` +
              (suggestion ? ` (did you mean "${suggestion}"?)` : ''),
            { ruleId: ENUM, fixes },
          );
        }
        return;
      }
      case 'number': {
        if (node.type !== 'scalar' || typeof node.value !== 'number') return this.typeError(node, type, path);
        if (!Number.isInteger(node.value))
          this.ctx.report(node, `${pathText(path)} must be a whole number, not ${node.source}`, {
            ruleId: WRONG_TYPE,
          });
        return;
      }
      case 'boolean': {
        if (node.type !== 'scalar' || typeof node.value !== 'boolean')
          return this.typeError(node, type, path);
        return;
      }
      case 'int-or-string': {
        if (node.type !== 'scalar' || typeof node.value === 'boolean')
          return this.typeError(node, type, path);
        return;
      }
    }
  }

  private typeError(node: AstNode, type: SchemaType, path: (string | number)[]): void {
    let message = `${pathText(path)} must be ${expected(type)}, not ${typeName(node)}`;
    let fixes: (() => QuickFix[]) | undefined;
    if (type.t === 'string' && node.type === 'scalar' && node.style === 'plain') {
      message += `; quote it to keep it as text`;
      fixes = () => quoteFix(node);
    }
    this.ctx.report(node, message, { ruleId: WRONG_TYPE, fixes });
  }

  private walkObject(node: MapNode, defName: string, path: (string | number)[], anchor: Anchor): void {
    const def = SCHEMA.definitions[defName];
    if (!def) return;
    for (const p of node.pairs) {
      if (p.keyText === undefined) continue;
      const field = def.fields[p.keyText];
      if (!field) {
        this.unknown(p.keyText, p.key, defName, path);
        continue;
      }
      if (field.experimental) {
        // its shape still changes between releases: not checked further
        this.ctx.report(
          p.key,
          `"${p.keyText}" (${pathText([...path, p.keyText])}) is a field of the Gateway API experimental channel only: with the standard-channel CRDs the API server drops it (kubectl's strict field validation rejects it), so it takes the experimental-channel CRDs and a controller that supports it`,
          { ruleId: EXPERIMENTAL_FIELD },
        );
        continue;
      }
      // "" of a field the API server defaults when empty (a Service port's protocol, ...) is as if left out
      if (isEmptyString(p.value) && emptyMeansDefault(defName, p.keyText)) continue;
      this.walk(p.value, field.type, [...path, p.keyText], p);
    }
    // status is the controllers' to write: on create and update the API server replaces what a manifest
    // holds there (the status subresource), so its required fields are never asked of a manifest (its
    // fields are still decoded: unknown fields and wrong types stay errors)
    if (path[0] === 'status') return;
    for (const name of requiredFields(def, path.length === 0)) {
      const pair = node.pairs.find((p) => p.keyText === name);
      if (pair && !(pair.value === null || (pair.value.type === 'scalar' && pair.value.value === null)))
        continue;
      const where = pathText(path);
      this.ctx.report(pair ? pair.key : spanOf(anchor), `Missing required field "${name}" in ${where}`, {
        ruleId: REQUIRED,
        missing: [...path, name].join('.'),
      });
    }
  }

  private unknown(key: string, keyNode: AstNode, defName: string, path: (string | number)[]): void {
    const def = SCHEMA.definitions[defName];
    const known = Object.keys(def.fields);
    const owner = shortName(defName).replace(/^legacy\./, '');
    let message: string;
    let fixes: (() => QuickFix[]) | undefined;
    if (!this.legacy && LEGACY_V1_HINTS[key] && /Ingress(Backend|Spec)$/.test(defName)) {
      message = `Unknown field "${key}" in ${pathText(path)}: "${key}" ${LEGACY_V1_HINTS[key]}`;
    } else if (this.legacy && V1_ONLY_HINTS[key] && defName.startsWith('legacy.')) {
      message = `Unknown field "${key}" in ${pathText(path)}: "${key}" ${V1_ONLY_HINTS[key]}`;
    } else {
      const suggestion = closest(key, known);
      message =
        `Unknown field "${key}" in ${pathText(path)} (${owner})` +
        (suggestion ? `; did you mean "${suggestion}"?` : '');
      if (suggestion && keyNode.type === 'scalar' && keyNode.style === 'plain') {
        fixes = () => [
          {
            title: `Rename to "${suggestion}"`,
            edits: [{ start: keyNode.start, end: keyNode.end, newText: suggestion }],
            preferred: true,
          },
        ];
      }
    }
    this.ctx.report(keyNode, message, { ruleId: UNKNOWN_FIELD, fixes });
  }
}

/** Where a missing required field of an object is reported: a node, or a pair's key. (A pair stands
 * for its key until one is reported: most keys are held as their text until read, see Pair in
 * syntax/ast.ts, and the walk passes an anchor for every field it goes into.) */
type Anchor = AstNode | PairNode;

function spanOf(anchor: Anchor): Span {
  return 'keyText' in anchor ? anchor.key : anchor;
}

function itemAnchor(item: AstNode): Anchor {
  if (item.type === 'map' && item.pairs.length > 0) return item.pairs[0];
  return item;
}

/** Every kind the schema has a definition for: the networking kinds and the workloads, and ConfigMap
 * (not a kind the other rules look at, but its data values and labels are checked here). */
const SCHEMA_KINDS = [
  ...new Set(Object.keys(SCHEMA.roots).map((key) => key.slice(key.lastIndexOf('/') + 1))),
];

export const schemaRule: Rule = {
  id: UNKNOWN_FIELD,
  scope: 'file',
  kinds: SCHEMA_KINDS,
  defaultSeverity: 'error',
  description:
    "A field that the resource's API does not define (the API server rejects it with strict validation, or silently drops it).",
  extraIds: [
    {
      id: WRONG_TYPE,
      defaultSeverity: 'error',
      description:
        'A value of the wrong type (a number where a string is expected, a list where an object is expected, ...).',
    },
    { id: REQUIRED, defaultSeverity: 'error', description: 'A required field is missing.' },
    {
      id: ENUM,
      defaultSeverity: 'error',
      description:
        'A value outside the set the API allows (pathType, protocol, policyTypes, Service type, ...).',
    },
    {
      id: EXPERIMENTAL_FIELD,
      defaultSeverity: 'information',
      description:
        'A Gateway API field that only the experimental channel defines (the standard-channel CRDs drop it).',
    },
  ],
  check(ctx) {
    const r = ctx.resource;
    const def = rootDefName(r.apiVersion, r.kind);
    if (!def) return;
    const legacy = def.startsWith('legacy.');
    new Walker(ctx, legacy).walk(r.node, { t: 'ref', name: def }, [], r.kindNode);
  },
};
