// Schema generator (run by maintainers, not by the build): reads the type declarations (.d.ts)
// shipped by `kubernetes-models`, `@kubernetes-models/gateway-api` and `@kubernetes-models/cilium`
// with the TypeScript compiler API and writes the compact structural schema described in
// server/src/schema/types.ts. Its output, server/src/schema/generated/k8s-schema.json, is committed.
//
//   npm run schema:update     (installs the pinned sources in scripts/schema-sources, then runs this)
//   node --import tsx scripts/gen-schema.ts <outfile.json>
//
// The sources live in their own package (scripts/schema-sources) because they declare Node >= 22
// while the extension, the CLI and the project's own install support Node 20. The output records the
// SHA-256 of this file; test/gen-schema.test.ts fails when this file changed but the schema was not
// regenerated.
//
// Definition names are the OpenAPI-style fully qualified names reconstructed from the
// `IIoK8s...` aliases every model file exports (e.g. `io.k8s.api.networking.v1.IngressSpec`).
// The legacy (v1beta1) Ingress shape, which kubernetes-models no longer ships, is synthesized
// from the v1 definitions under the `legacy.` prefix.

import ts from 'typescript';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldDef, ObjectDef, SchemaBundle, SchemaType } from '../server/src/schema/types';

const DOC_CAP = 1500;

/** Root model files (relative to the kubernetes-models package) -> expected "apiVersion/Kind". */
const ROOT_FILES: Array<[file: string, key: string]> = [
  ['v1/Pod.d.ts', 'v1/Pod'],
  ['v1/Service.d.ts', 'v1/Service'],
  ['v1/Secret.d.ts', 'v1/Secret'],
  ['v1/ConfigMap.d.ts', 'v1/ConfigMap'],
  ['v1/Namespace.d.ts', 'v1/Namespace'],
  ['apps/v1/Deployment.d.ts', 'apps/v1/Deployment'],
  ['apps/v1/StatefulSet.d.ts', 'apps/v1/StatefulSet'],
  ['apps/v1/DaemonSet.d.ts', 'apps/v1/DaemonSet'],
  ['apps/v1/ReplicaSet.d.ts', 'apps/v1/ReplicaSet'],
  ['batch/v1/Job.d.ts', 'batch/v1/Job'],
  ['batch/v1/CronJob.d.ts', 'batch/v1/CronJob'],
  ['networking.k8s.io/v1/Ingress.d.ts', 'networking.k8s.io/v1/Ingress'],
  ['networking.k8s.io/v1/IngressClass.d.ts', 'networking.k8s.io/v1/IngressClass'],
  ['networking.k8s.io/v1/NetworkPolicy.d.ts', 'networking.k8s.io/v1/NetworkPolicy'],
];

const LEGACY_INGRESS_API_VERSIONS = ['extensions/v1beta1', 'networking.k8s.io/v1beta1'];

/** Gateway API kinds (relative to @kubernetes-models/gateway-api) -> expected "apiVersion/Kind". Every
 * version the standard channel of v1.4-v1.6 serves, plus the older ones the experimental channel (and
 * releases before v1.5) serve: the rule gateway-api-version says which channel a version belongs to. */
const GATEWAY_ROOT_FILES: Array<[file: string, key: string]> = [
  ['gateway.networking.k8s.io/v1/GatewayClass.d.ts', 'gateway.networking.k8s.io/v1/GatewayClass'],
  ['gateway.networking.k8s.io/v1/Gateway.d.ts', 'gateway.networking.k8s.io/v1/Gateway'],
  ['gateway.networking.k8s.io/v1/HTTPRoute.d.ts', 'gateway.networking.k8s.io/v1/HTTPRoute'],
  ['gateway.networking.k8s.io/v1/GRPCRoute.d.ts', 'gateway.networking.k8s.io/v1/GRPCRoute'],
  ['gateway.networking.k8s.io/v1/ReferenceGrant.d.ts', 'gateway.networking.k8s.io/v1/ReferenceGrant'],
  ['gateway.networking.k8s.io/v1/BackendTLSPolicy.d.ts', 'gateway.networking.k8s.io/v1/BackendTLSPolicy'],
  ['gateway.networking.k8s.io/v1/ListenerSet.d.ts', 'gateway.networking.k8s.io/v1/ListenerSet'],
  ['gateway.networking.k8s.io/v1/TLSRoute.d.ts', 'gateway.networking.k8s.io/v1/TLSRoute'],
  ['gateway.networking.k8s.io/v1beta1/GatewayClass.d.ts', 'gateway.networking.k8s.io/v1beta1/GatewayClass'],
  ['gateway.networking.k8s.io/v1beta1/Gateway.d.ts', 'gateway.networking.k8s.io/v1beta1/Gateway'],
  ['gateway.networking.k8s.io/v1beta1/HTTPRoute.d.ts', 'gateway.networking.k8s.io/v1beta1/HTTPRoute'],
  [
    'gateway.networking.k8s.io/v1beta1/ReferenceGrant.d.ts',
    'gateway.networking.k8s.io/v1beta1/ReferenceGrant',
  ],
  ['gateway.networking.k8s.io/v1alpha2/GRPCRoute.d.ts', 'gateway.networking.k8s.io/v1alpha2/GRPCRoute'],
  [
    'gateway.networking.k8s.io/v1alpha2/ReferenceGrant.d.ts',
    'gateway.networking.k8s.io/v1alpha2/ReferenceGrant',
  ],
  ['gateway.networking.k8s.io/v1alpha2/TCPRoute.d.ts', 'gateway.networking.k8s.io/v1alpha2/TCPRoute'],
  ['gateway.networking.k8s.io/v1alpha2/UDPRoute.d.ts', 'gateway.networking.k8s.io/v1alpha2/UDPRoute'],
  ['gateway.networking.k8s.io/v1alpha2/TLSRoute.d.ts', 'gateway.networking.k8s.io/v1alpha2/TLSRoute'],
  ['gateway.networking.k8s.io/v1alpha3/TLSRoute.d.ts', 'gateway.networking.k8s.io/v1alpha3/TLSRoute'],
  [
    'gateway.networking.k8s.io/v1alpha3/BackendTLSPolicy.d.ts',
    'gateway.networking.k8s.io/v1alpha3/BackendTLSPolicy',
  ],
];

/** Cilium's policy kinds (relative to @kubernetes-models/cilium): the fields, types and enums of
 * cilium.io/v2 api.Rule come from the package; what its types cannot say (CIDR syntax, exactly one of
 * endpointSelector / nodeSelector, port text) rules/tier-schema.ts checks as cilium-invalid. */
const CILIUM_ROOT_FILES: Array<[file: string, key: string]> = [
  ['cilium.io/v2/CiliumNetworkPolicy.d.ts', 'cilium.io/v2/CiliumNetworkPolicy'],
  ['cilium.io/v2/CiliumClusterwideNetworkPolicy.d.ts', 'cilium.io/v2/CiliumClusterwideNetworkPolicy'],
];

/** Entities newer Cilium releases accept that the package's Entity type predates: world-ipv4 and
 * world-ipv6 (the world split by address family; Cilium's ReservedIdentityWorldIPv4/IPv6). */
const CILIUM_EXTRA_ENTITIES = ['world-ipv4', 'world-ipv6'];

/** Kinds whose v1 (standard channel since Gateway API v1.6) has the shape of v1alpha2 in the package. */
const GATEWAY_V1_FROM_V1ALPHA2 = ['TCPRoute', 'UDPRoute'];

/**
 * String and integer types of the Gateway API whose values the CRDs constrain with a pattern or a
 * range: the schema keeps their name as `format`, and the rule gateway-value-invalid checks them.
 */
const GATEWAY_FORMATS = new Set([
  'AbsoluteURI',
  'AddressType',
  'AnnotationKey',
  'AnnotationValue',
  'CORSOrigin',
  'Duration',
  'GatewayController',
  'GRPCHeaderName',
  'Group',
  'HTTPHeaderName',
  'HeaderName',
  'Hostname',
  'Kind',
  'LabelKey',
  'LabelValue',
  'Namespace',
  'ObjectName',
  'PortNumber',
  'PreciseHostname',
  'SectionName',
  'HTTPRouteRetryStatusCode',
]);

/**
 * Enums the Gateway API CRDs declare on fields whose TypeScript type is a plain string (the Go types
 * carry one enum marker per channel, which the models drop), by "Definition.field". Values of the
 * standard channel; ExternalAuth (experimental) is kept so that the experimental-field information on
 * `externalAuth` tells the story instead of an enum error.
 */
const GATEWAY_ENUMS: Record<string, string[]> = {
  'HTTPRouteFilter.type': [
    'RequestHeaderModifier',
    'ResponseHeaderModifier',
    'RequestMirror',
    'RequestRedirect',
    'URLRewrite',
    'ExtensionRef',
    'CORS',
    'ExternalAuth',
  ],
  'GRPCRouteFilter.type': [
    'ResponseHeaderModifier',
    'RequestHeaderModifier',
    'RequestMirror',
    'ExtensionRef',
  ],
  'HTTPPathModifier.type': ['ReplaceFullPath', 'ReplacePrefixMatch'],
  'ListenerNamespaces.from': ['All', 'Selector', 'Same', 'None'],
  'RouteNamespaces.from': ['All', 'Selector', 'Same'],
};

/** Doc markers of the Gateway API sources (`<gateway:experimental>` on a field only the experimental
 * channel has; validation markers of one channel): read for `experimental`, then dropped from the text. */
const GATEWAY_MARKER = /<\/?gateway:[^>]*>/g;
const EXPERIMENTAL_MARKER = '<gateway:experimental>';

// ---------------------------------------------------------------------------------------------

function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(' ', max - 1);
  return s.slice(0, cut > max * 0.8 ? cut : max - 1).trimEnd() + '…';
}

const ENUM_SECTION = 'Possible enum values:';

/**
 * Whitespace-normalised doc text capped at DOC_CAP characters. When a long doc ends with the
 * generated "Possible enum values:" list, the prose before it is shortened first so that the
 * list of values (the useful part for completion and hover) survives.
 */
function normaliseDoc(text: string): string | undefined {
  const s = text.replace(/\\\*/g, '*').replace(/\s+/g, ' ').trim();
  if (!s) return undefined;
  if (s.length <= DOC_CAP) return s;
  const at = s.indexOf(ENUM_SECTION);
  if (at < 0) return truncate(s, DOC_CAP);
  const prose = s.slice(0, at).trimEnd();
  const values = s.slice(at);
  const proseBudget = Math.max(300, DOC_CAP - values.length - 1);
  const head = truncate(prose, proseBudget);
  return head + ' ' + truncate(values, DOC_CAP - head.length - 1);
}

/** "IIoK8sApiNetworkingV1IngressSpec" + "IngressSpec" -> "io.k8s.api.networking.v1.IngressSpec" */
function qualifiedName(alias: string, shortName: string): string {
  const bare = alias.startsWith('I') ? alias.slice(1) : alias;
  if (!bare.endsWith(shortName) || bare.length === shortName.length) return bare;
  const prefix = bare.slice(0, bare.length - shortName.length);
  const parts = prefix.match(/[A-Z][a-z0-9]*/g);
  if (!parts || parts.join('') !== prefix) return bare;
  return [...parts.map((p) => p.toLowerCase()), shortName].join('.');
}

class Generator {
  readonly definitions: Record<string, ObjectDef> = {};
  private readonly names = new Map<ts.Symbol, string>();
  private readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;

  constructor(readonly rootFiles: string[]) {
    this.program = ts.createProgram(rootFiles, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      lib: ['lib.es2022.d.ts'],
    });
    this.checker = this.program.getTypeChecker();
  }

  sourceFile(file: string): ts.SourceFile {
    const sf = this.program.getSourceFile(file);
    if (!sf) throw new Error(`cannot load ${file}`);
    return sf;
  }

  /** The exported model interface (`interface IIngress ...`) of a root model file. */
  rootInterface(file: string): ts.InterfaceType {
    const sf = this.sourceFile(file);
    const moduleSymbol = this.checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) throw new Error(`${file} is not a module`);
    const base = path.basename(file, '.d.ts');
    const sym = this.checker.getExportsOfModule(moduleSymbol).find((s) => s.name === `I${base}`);
    if (!sym) throw new Error(`${file} does not export I${base}`);
    return this.checker.getDeclaredTypeOfSymbol(sym) as ts.InterfaceType;
  }

  private rawDoc(sym: ts.Symbol): string {
    return ts.displayPartsToString(sym.getDocumentationComment(this.checker));
  }

  private docOf(sym: ts.Symbol): string | undefined {
    const raw = this.rawDoc(sym);
    // experimental-only prose of the Gateway API (between description markers) is left out
    const text = raw
      .replace(/<gateway:experimental:description>[\s\S]*?<\/gateway:experimental:description>/g, ' ')
      .replace(GATEWAY_MARKER, ' ');
    return normaliseDoc(text);
  }

  /** The field exists only in the experimental channel of the Gateway API. */
  private experimental(sym: ts.Symbol): boolean {
    return this.rawDoc(sym).includes(EXPERIMENTAL_MARKER);
  }

  /** Name of a Gateway API value type a property is declared with (`IIoK8sSigsGatewayApiApisV1Hostname`,
   * or a list of it), when the CRDs constrain that type's values. */
  private formatOf(prop: ts.Symbol): string | undefined {
    const decl = prop.valueDeclaration;
    if (!decl || !ts.isPropertySignature(decl) || !decl.type) return undefined;
    let node: ts.TypeNode = decl.type;
    if (ts.isArrayTypeNode(node)) node = node.elementType;
    else if (
      ts.isTypeReferenceNode(node) &&
      ts.isIdentifier(node.typeName) &&
      node.typeName.text === 'Array' &&
      node.typeArguments?.length === 1
    ) {
      node = node.typeArguments[0];
    }
    if (!ts.isTypeReferenceNode(node) || !ts.isIdentifier(node.typeName)) return undefined;
    const m = /^IIoK8sSigsGatewayApiApisV1(?:alpha2|alpha3|beta1)?([A-Za-z]+)$/.exec(node.typeName.text);
    return m && GATEWAY_FORMATS.has(m[1]) ? m[1] : undefined;
  }

  /** Doc of a property, falling back to the same property of a base interface (e.g. TypeMeta). */
  private propertyDoc(owner: ts.Type, prop: ts.Symbol): string | undefined {
    const own = this.docOf(prop);
    if (
      own ||
      !(owner.flags & ts.TypeFlags.Object) ||
      !((owner as ts.ObjectType).objectFlags & ts.ObjectFlags.Interface)
    ) {
      return own;
    }
    for (const base of this.checker.getBaseTypes(owner as ts.InterfaceType)) {
      const p = base.getProperty(prop.name);
      if (p) {
        const d = this.propertyDoc(base, p);
        if (d) return d;
      }
    }
    return undefined;
  }

  /** Stable readable name of a model interface. */
  private nameOf(sym: ts.Symbol): string {
    const cached = this.names.get(sym);
    if (cached) return cached;
    let name = sym.name.replace(/^I(?=[A-Z])/, '');
    const decl = sym.declarations?.[0];
    if (decl) {
      const sf = decl.getSourceFile();
      for (const stmt of sf.statements) {
        if (!ts.isExportDeclaration(stmt) || !stmt.exportClause || !ts.isNamedExports(stmt.exportClause))
          continue;
        for (const el of stmt.exportClause.elements) {
          if (el.propertyName?.text === sym.name && /^I(?:Io|Com)[A-Z]/.test(el.name.text)) {
            name = qualifiedName(el.name.text, name);
          }
        }
      }
    }
    this.names.set(sym, name);
    return name;
  }

  /** Adds (recursively) the definition of an object type; returns its name. */
  addObject(type: ts.Type, opts: { root?: boolean; fallbackName?: string } = {}): string {
    const sym = type.getSymbol();
    const named = sym && !(sym.flags & ts.SymbolFlags.TypeLiteral);
    const name = named ? this.nameOf(sym) : opts.fallbackName!;
    if (this.definitions[name]) return name;
    const def: ObjectDef = { fields: {} };
    const doc = named ? this.docOf(sym) : undefined;
    if (doc) def.doc = doc;
    this.definitions[name] = def; // registered before recursing: breaks cycles
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const field: FieldDef = {
        type:
          opts.root && (prop.name === 'apiVersion' || prop.name === 'kind')
            ? { t: 'string' }
            : this.mapType(this.checker.getTypeOfSymbol(prop), `${name}.${prop.name}`, this.aliasOf(prop)),
      };
      if (!(prop.flags & ts.SymbolFlags.Optional)) field.required = true;
      const pdoc = this.propertyDoc(type, prop);
      if (pdoc) field.doc = pdoc;
      if (this.experimental(prop)) field.experimental = true;
      const format = this.formatOf(prop);
      if (format) withFormat(field.type, format);
      const values = GATEWAY_ENUMS[`${name.slice(name.lastIndexOf('.') + 1)}.${prop.name}`];
      if (values && name.includes('.gateway.') && field.type.t === 'string')
        field.type.enum = [...values].sort();
      def.fields[prop.name] = field;
    }
    return name;
  }

  /** The type alias a property is declared with (`X`, `X[]` or `Array<X>`), for naming what it stands for. */
  private aliasOf(prop: ts.Symbol): ts.Symbol | undefined {
    const decl = prop.valueDeclaration;
    return decl && ts.isPropertySignature(decl) && decl.type ? this.aliasOfNode(decl.type) : undefined;
  }

  /** The type alias a type node names (`X`, or the X of `X[]` / `Array<X>`). */
  private aliasOfNode(type: ts.TypeNode): ts.Symbol | undefined {
    let node = type;
    if (ts.isArrayTypeNode(node)) node = node.elementType;
    else if (
      ts.isTypeReferenceNode(node) &&
      ts.isIdentifier(node.typeName) &&
      node.typeName.text === 'Array' &&
      node.typeArguments?.length === 1
    )
      node = node.typeArguments[0];
    if (!ts.isTypeReferenceNode(node)) return undefined;
    let sym = this.checker.getSymbolAtLocation(node.typeName);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    return sym && sym.flags & ts.SymbolFlags.TypeAlias ? sym : undefined;
  }

  /** For an alias of a list type (`type XSlice = Array<Y>`): the alias Y names, if any. */
  private itemAlias(alias: ts.Symbol | undefined): ts.Symbol | undefined {
    const decl = alias?.declarations?.find(ts.isTypeAliasDeclaration);
    if (!decl) return alias;
    const t = decl.type;
    const isList =
      ts.isArrayTypeNode(t) ||
      (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && t.typeName.text === 'Array');
    return isList ? this.aliasOfNode(t) : alias;
  }

  /** One definition for an object type written as a union of object shapes (the models spell a CRD's
   * oneOf that way, e.g. Cilium's Rule: endpointSelector or nodeSelector): every property of any
   * shape, required only when every shape requires it. "Exactly one of" is left to the rules. */
  private addMerged(parts: ts.Type[], name: string, alias: ts.Symbol | undefined): string {
    if (this.definitions[name]) return name;
    const def: ObjectDef = { fields: {} };
    const doc = alias ? this.docOf(alias) : undefined;
    if (doc) def.doc = doc;
    this.definitions[name] = def;
    const props = new Map<string, { prop: ts.Symbol; required: number }>();
    for (const part of parts) {
      for (const prop of this.checker.getPropertiesOfType(part)) {
        const seen = props.get(prop.name) ?? { prop, required: 0 };
        if (!(prop.flags & ts.SymbolFlags.Optional)) seen.required++;
        props.set(prop.name, seen);
      }
    }
    for (const [key, { prop, required }] of [...props].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const decl = prop.declarations?.find(ts.isPropertySignature);
      const field: FieldDef = {
        type: this.mapType(
          this.checker.getTypeOfSymbol(prop),
          `${name}.${key}`,
          decl ? this.aliasOf(prop) : undefined,
        ),
      };
      if (required === parts.length) field.required = true;
      const pdoc = this.docOf(prop);
      if (pdoc) field.doc = pdoc;
      def.fields[key] = field;
    }
    return name;
  }

  private mapType(type: ts.Type, where: string, alias?: ts.Symbol): SchemaType {
    const c = this.checker;
    if (type.isUnion()) {
      const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      if (parts.length === 0) return { t: 'any' };
      if (parts.length === 1) return this.mapType(parts[0], where, alias);
      if (
        parts.every(
          (t) => (t.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) !== 0 && !c.isArrayType(t),
        )
      ) {
        return { t: 'ref', name: this.addMerged(parts, alias ? this.nameOf(alias) : where, alias) };
      }
      if (parts.every((t) => t.flags & ts.TypeFlags.BooleanLike)) return { t: 'boolean' };
      if (parts.every((t) => t.isStringLiteral())) {
        return { t: 'string', enum: parts.map((t) => (t as ts.StringLiteralType).value).sort() };
      }
      if (parts.every((t) => t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike))) {
        const hasString = parts.some((t) => t.flags & ts.TypeFlags.StringLike);
        const hasNumber = parts.some((t) => t.flags & ts.TypeFlags.NumberLike);
        if (hasString && hasNumber) return { t: 'int-or-string' };
        return hasString ? { t: 'string' } : { t: 'number' };
      }
      return { t: 'any' };
    }
    if (type.flags & ts.TypeFlags.StringLiteral)
      return { t: 'string', enum: [(type as ts.StringLiteralType).value] };
    if (type.flags & ts.TypeFlags.StringLike) return { t: 'string' };
    if (type.flags & ts.TypeFlags.NumberLike) return { t: 'number' };
    if (type.flags & ts.TypeFlags.BooleanLike) return { t: 'boolean' };
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive))
      return { t: 'any' };
    if (type.flags & ts.TypeFlags.Object) {
      if (c.isArrayType(type)) {
        const [item] = c.getTypeArguments(type as ts.TypeReference);
        return {
          t: 'array',
          items: item ? this.mapType(item, `${where}[]`, this.itemAlias(alias)) : { t: 'any' },
        };
      }
      const props = c.getPropertiesOfType(type);
      const index = c.getIndexInfoOfType(type, ts.IndexKind.String);
      if (props.length === 0) {
        // `{ [key: string]: X }` is a map; an interface without any property (RawExtension,
        // FieldsV1, JSON, ...) is free-form.
        return index ? { t: 'map', values: this.mapType(index.type, `${where}{}`) } : { t: 'any' };
      }
      return { t: 'ref', name: this.addObject(type, { fallbackName: where }) };
    }
    if (type.flags & ts.TypeFlags.Intersection)
      return { t: 'ref', name: this.addMerged([type], alias ? this.nameOf(alias) : where, alias) };
    throw new Error(`${where}: unsupported type ${c.typeToString(type)}`);
  }
}

/** Puts a value type's name on a string or integer type (or on the items of a list of them). */
function withFormat(t: SchemaType, format: string): void {
  const target = t.t === 'array' ? t.items : t;
  if (target.t === 'string' || target.t === 'number') target.format = format;
}

// ---------------------------------------------------------------------------------------------
// Legacy Ingress (extensions/v1beta1, networking.k8s.io/v1beta1), derived from networking/v1.

function refName(t: SchemaType | undefined, where: string): string {
  let cur = t;
  while (cur && cur.t === 'array') cur = cur.items;
  if (!cur || cur.t !== 'ref') throw new Error(`legacy Ingress: ${where} is not an object reference`);
  return cur.name;
}

function synthesizeLegacyIngress(defs: Record<string, ObjectDef>, v1IngressName: string): string {
  const get = (name: string): ObjectDef => {
    const d = defs[name];
    if (!d) throw new Error(`legacy Ingress: missing ${name}`);
    return d;
  };
  const copy = (name: string): ObjectDef => structuredClone(get(name));

  const ingress = copy(v1IngressName);
  const specName = refName(ingress.fields.spec?.type, 'Ingress.spec');
  const spec = copy(specName);
  const v1BackendName = refName(spec.fields.defaultBackend?.type, 'IngressSpec.defaultBackend');
  const v1Backend = get(v1BackendName);
  const ruleName = refName(spec.fields.rules?.type, 'IngressSpec.rules');
  const rule = copy(ruleName);
  const httpName = refName(rule.fields.http?.type, 'IngressRule.http');
  const http = copy(httpName);
  const pathName = refName(http.fields.paths?.type, 'HTTPIngressRuleValue.paths');
  const httpPath = copy(pathName);

  const backend: ObjectDef = {
    doc: 'IngressBackend describes all endpoints for a given service and port (legacy extensions/v1beta1 and networking.k8s.io/v1beta1 shape: the Service is named by serviceName/servicePort instead of a nested service object).',
    fields: {
      serviceName: {
        type: { t: 'string' },
        doc: 'serviceName: name of the Service that receives the traffic (legacy field; networking.k8s.io/v1 uses service.name). Mutually exclusive with resource.',
      },
      servicePort: {
        type: { t: 'int-or-string' },
        doc: 'servicePort: port of the Service named by serviceName, given either as a port number or as the name of a port declared by the Service (legacy field; networking.k8s.io/v1 uses service.port.number or service.port.name).',
      },
    },
  };
  if (v1Backend.fields.resource) backend.fields.resource = structuredClone(v1Backend.fields.resource);

  const backendRef: SchemaType = { t: 'ref', name: 'legacy.IngressBackend' };
  httpPath.fields.backend = {
    ...httpPath.fields.backend,
    type: backendRef,
    required: true,
    doc: 'backend: the Service (serviceName/servicePort) or resource that receives requests matching this path (legacy shape).',
  };
  if (!httpPath.fields.pathType) throw new Error('legacy Ingress: HTTPIngressPath.pathType missing');
  httpPath.fields.pathType = {
    type: httpPath.fields.pathType.type,
    doc: 'pathType: how path is matched against the request path: Exact (whole path, case sensitive), Prefix (element-wise prefix split on "/") or ImplementationSpecific (up to the IngressClass). Optional in the legacy API, where controllers default it; required in networking.k8s.io/v1.',
  };
  http.fields.paths = {
    ...http.fields.paths,
    type: { t: 'array', items: { t: 'ref', name: 'legacy.HTTPIngressPath' } },
  };
  rule.fields.http = { ...rule.fields.http, type: { t: 'ref', name: 'legacy.HTTPIngressRuleValue' } };

  const specFields: Record<string, FieldDef> = {
    backend: {
      type: backendRef,
      doc: 'backend: the default backend that handles requests matching no rule (legacy field; networking.k8s.io/v1 renamed it defaultBackend). If rules are not specified, backend must be specified.',
    },
  };
  for (const [k, f] of Object.entries(spec.fields)) {
    if (k === 'defaultBackend') continue;
    specFields[k] =
      k === 'rules' ? { ...f, type: { t: 'array', items: { t: 'ref', name: 'legacy.IngressRule' } } } : f;
  }
  spec.fields = specFields;
  ingress.fields.spec = { ...ingress.fields.spec, type: { t: 'ref', name: 'legacy.IngressSpec' } };

  Object.assign(defs, {
    'legacy.Ingress': ingress,
    'legacy.IngressSpec': spec,
    'legacy.IngressRule': rule,
    'legacy.HTTPIngressRuleValue': http,
    'legacy.HTTPIngressPath': httpPath,
    'legacy.IngressBackend': backend,
  });
  return 'legacy.Ingress';
}

// ---------------------------------------------------------------------------------------------

const SCRIPT = fileURLToPath(import.meta.url);
const SOURCES = path.join(path.dirname(SCRIPT), 'schema-sources');

/** SHA-256 of this generator's text (line endings normalised), recorded in the schema it writes. */
export function generatorDigest(): string {
  const text = readFileSync(SCRIPT, 'utf8').replace(/\r\n/g, '\n');
  return createHash('sha256').update(text).digest('hex');
}

export function generateSchema(): SchemaBundle {
  if (!existsSync(path.join(SOURCES, 'node_modules', 'kubernetes-models', 'package.json'))) {
    throw new Error(
      `the schema sources are not installed in ${SOURCES}: run \`npm run schema:update\` ` +
        `(or \`npm ci --prefix scripts/schema-sources\`) first`,
    );
  }
  const require = createRequire(path.join(SOURCES, 'package.json'));
  const pkgJson = require.resolve('kubernetes-models/package.json');
  const pkgDir = path.dirname(pkgJson);
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const gwPkgJson = require.resolve('@kubernetes-models/gateway-api/package.json');
  const gwDir = path.dirname(gwPkgJson);
  const gwVersion = (JSON.parse(readFileSync(gwPkgJson, 'utf8')) as { version: string }).version;

  const ciliumPkgJson = require.resolve('@kubernetes-models/cilium/package.json');
  const ciliumDir = path.dirname(ciliumPkgJson);
  const ciliumVersion = (JSON.parse(readFileSync(ciliumPkgJson, 'utf8')) as { version: string }).version;

  const all: Array<[file: string, key: string]> = [
    ...ROOT_FILES.map(([f, k]): [string, string] => [path.join(pkgDir, f), k]),
    ...GATEWAY_ROOT_FILES.map(([f, k]): [string, string] => [path.join(gwDir, f), k]),
    ...CILIUM_ROOT_FILES.map(([f, k]): [string, string] => [path.join(ciliumDir, f), k]),
  ];
  const files = all.map(([f]) => f);
  const gen = new Generator(files);
  const roots: Record<string, string> = {};
  for (const [i, [, key]] of all.entries()) {
    const iface = gen.rootInterface(files[i]);
    const av = iface.getProperty('apiVersion');
    const kind = iface.getProperty('kind');
    const lit = (s: ts.Symbol | undefined) => {
      const t = s && (s.valueDeclaration as ts.PropertySignature | undefined)?.type;
      return t && ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined;
    };
    const actual = `${lit(av)}/${lit(kind)}`;
    if (actual !== key) throw new Error(`${all[i][0]}: expected ${key}, declared ${actual}`);
    roots[key] = gen.addObject(iface, { root: true });
  }

  const legacy = synthesizeLegacyIngress(gen.definitions, roots['networking.k8s.io/v1/Ingress']);
  for (const v of LEGACY_INGRESS_API_VERSIONS) roots[`${v}/Ingress`] = legacy;
  roots['networking.k8s.io/v1beta1/IngressClass'] = roots['networking.k8s.io/v1/IngressClass'];
  for (const kind of GATEWAY_V1_FROM_V1ALPHA2) {
    roots[`gateway.networking.k8s.io/v1/${kind}`] = roots[`gateway.networking.k8s.io/v1alpha2/${kind}`];
  }

  for (const [name, def] of Object.entries(gen.definitions)) {
    if (!name.startsWith('com.github.cilium.')) continue;
    for (const key of ['fromEntities', 'toEntities']) {
      const t = def.fields[key]?.type;
      if (t?.t === 'array' && t.items.t === 'string' && t.items.enum)
        t.items.enum = [...new Set([...t.items.enum, ...CILIUM_EXTRA_ENTITIES])].sort();
    }
  }

  const definitions: Record<string, ObjectDef> = {};
  for (const k of Object.keys(gen.definitions).sort()) definitions[k] = gen.definitions[k];
  const sortedRoots: Record<string, string> = {};
  for (const k of Object.keys(roots).sort()) sortedRoots[k] = roots[k];
  return {
    source: `kubernetes-models ${version}, @kubernetes-models/gateway-api ${gwVersion}, @kubernetes-models/cilium ${ciliumVersion}`,
    generator: generatorDigest(),
    definitions,
    roots: sortedRoots,
  };
}

function main(): void {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node --import tsx scripts/gen-schema.ts <outfile.json>');
    process.exit(2);
  }
  const started = performance.now();
  const bundle = generateSchema();
  // indented: the file is committed, and a regeneration's diff should show which fields changed
  const json = JSON.stringify(bundle, null, 2);
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  writeFileSync(out, json + '\n');
  const ms = Math.round(performance.now() - started);
  console.log(
    `schema: ${Object.keys(bundle.roots).length} roots, ${Object.keys(bundle.definitions).length} definitions, ` +
      `${(json.length / 1024).toFixed(1)} KiB in ${ms} ms -> ${out}`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === SCRIPT) main();
