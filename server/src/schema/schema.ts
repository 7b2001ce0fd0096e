// Lookups in the generated structural schema.

import type { FieldDef, ObjectDef, SchemaBundle, SchemaType } from './types';
import bundle from './generated/k8s-schema.json';

export const SCHEMA = bundle as unknown as SchemaBundle;

export function rootDefName(apiVersion: string, kind: string): string | undefined {
  return SCHEMA.roots[`${apiVersion}/${kind}`];
}

export function definition(name: string): ObjectDef | undefined {
  return SCHEMA.definitions[name];
}

/** Short API type name of a definition: "io.k8s.api.networking.v1.IngressSpec" -> "IngressSpec". */
export function shortName(defName: string): string {
  if (defName.startsWith('legacy.')) return defName;
  const base = defName.replace(/\[\]$/, '');
  const i = base.lastIndexOf('.');
  return i >= 0 ? base.slice(i + 1) : base;
}

/** Walk a type down one path segment: a field name for objects, '[]' for array items, '*' for map values. */
export function childType(
  type: SchemaType | undefined,
  seg: string,
): { type: SchemaType; field?: FieldDef; owner?: string } | undefined {
  if (!type) return undefined;
  if (type.t === 'ref') {
    const def = SCHEMA.definitions[type.name];
    const field = def?.fields[seg];
    return field ? { type: field.type, field, owner: type.name } : undefined;
  }
  if (type.t === 'array' && seg === '[]') return { type: type.items };
  if (type.t === 'map') return { type: type.values };
  return undefined;
}

export function describeType(type: SchemaType): string {
  switch (type.t) {
    case 'string':
      return type.enum ? type.enum.map((v) => JSON.stringify(v)).join(' | ') : 'string';
    case 'number':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'int-or-string':
      return 'integer or string';
    case 'array':
      return `list of ${describeType(type.items)}`;
    case 'map':
      return `map of string to ${describeType(type.values)}`;
    case 'ref':
      return `object (${shortName(type.name)})`;
    case 'any':
      return 'any value';
  }
}
