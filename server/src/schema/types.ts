// Shape of the structural schema generated at build time (scripts/gen-schema.ts) from the
// type declarations of the `kubernetes-models` package. Kept tiny on purpose: it is walked
// once per document and must be cheap to look up.

export type SchemaType =
  /** `format`: the name of a Gateway API value type whose values the CRDs constrain (Hostname,
   * SectionName, PortNumber, ...), checked by the rule gateway-value-invalid. */
  | { t: 'string'; enum?: string[]; format?: string }
  | { t: 'number'; format?: string }
  | { t: 'boolean' }
  /** IntOrString and Quantity: a number or a string. */
  | { t: 'int-or-string' }
  | { t: 'array'; items: SchemaType }
  /** An object with free keys, e.g. labels: Record<string, string>. */
  | { t: 'map'; values: SchemaType }
  /** A named object definition in `SchemaBundle.definitions`. */
  | { t: 'ref'; name: string }
  /** Anything goes (free-form JSON such as RawExtension). */
  | { t: 'any' };

export interface FieldDef {
  type: SchemaType;
  required?: boolean;
  /** Description taken from the dependency's doc comment (generated, not hand-written). */
  doc?: string;
  /** Only the experimental channel of the Gateway API defines this field. */
  experimental?: boolean;
}

export interface ObjectDef {
  doc?: string;
  fields: Record<string, FieldDef>;
}

export interface SchemaBundle {
  /** e.g. "kubernetes-models 5.1.0" */
  source: string;
  /** SHA-256 of scripts/gen-schema.ts when it wrote this bundle (checked by test/gen-schema.test.ts). */
  generator?: string;
  definitions: Record<string, ObjectDef>;
  /** "apiVersion/Kind" (e.g. "networking.k8s.io/v1/Ingress", "v1/Service") -> definition name. */
  roots: Record<string, string>;
}
