/**
 * Text transformation behind the quick fix "Migrate Ingress to networking.k8s.io/v1" (rule
 * ingress-legacy-api). It reads the document through syntax/yaml-edit.ts, a plain view of the parse.
 *
 * The edits are computed from node ranges of the `yaml` AST and only touch the spans that change:
 * comments, key order, quoting, indentation style and line endings of everything else are kept
 * byte for byte. The document is never re-serialised.
 */
import {
  isEditAlias as isAlias,
  isEditMap as isMap,
  isEditScalar as isScalar,
  isEditSeq as isSeq,
  parseEditDocument,
} from '../syntax/yaml-edit';
import type {
  EditDocument,
  EditNode as Node,
  EditPair,
  EditScalar as Scalar,
  EditMap as YAMLMap,
} from '../syntax/yaml-edit';
import type { OffsetEdit } from './types';
import { SourceEdits, findPair, propsSuffix, quoteLike } from './source-edits';

export type { OffsetEdit };
export { applyOffsetEdits } from '../syntax/yaml-edit';
export { propsSuffix };

const LEGACY_API_VERSIONS = new Set(['extensions/v1beta1', 'networking.k8s.io/v1beta1']);
const V1 = 'networking.k8s.io/v1';
const DEFAULT_PATH_TYPE = 'ImplementationSpecific';

type AnyPair = EditPair;
type PortKind = 'number' | 'name';

/**
 * Edits that turn one legacy Ingress document (apiVersion extensions/v1beta1 or
 * networking.k8s.io/v1beta1) into networking.k8s.io/v1. `doc` was parsed from `src` with
 * `keepSourceTokens: true` (or is one of `parseAllDocuments(src, ...)`), so node ranges are
 * offsets into `src`. Returns [] when the document is not a legacy Ingress (or has parse errors,
 * in which case node ranges cannot be trusted). Edits do not overlap and are sorted by start.
 */
export function migrateLegacyIngress(src: string, doc: EditDocument): OffsetEdit[] {
  if (doc.errors > 0) return [];
  const root = doc.contents;
  if (!isMap(root)) return [];
  const kind = scalarOf(doc, findPair(root, 'kind')?.value);
  const apiVersionPair = findPair(root, 'apiVersion');
  const apiVersion = apiVersionPair?.value;
  if (!kind || kind.value !== 'Ingress') return [];
  if (!isScalar(apiVersion) || typeof apiVersion.value !== 'string') return [];
  if (!LEGACY_API_VERSIONS.has(apiVersion.value)) return [];

  const m = new Migrator(src, doc);
  m.replaceScalar(apiVersion, V1);

  const spec = m.deref(findPair(root, 'spec')?.value);
  if (isMap(spec)) {
    const backendPair = findPair(spec, 'backend');
    if (backendPair) {
      if (!findPair(spec, 'defaultBackend') && isScalar(backendPair.key)) {
        m.replaceScalar(backendPair.key, 'defaultBackend');
      }
      m.migrateBackend(backendPair);
    }
    const rules = m.deref(findPair(spec, 'rules')?.value);
    if (isSeq(rules)) {
      for (const ruleNode of rules.items) {
        const rule = m.deref(ruleNode);
        if (!isMap(rule)) continue;
        const http = m.deref(findPair(rule, 'http')?.value);
        if (!isMap(http)) continue;
        const paths = m.deref(findPair(http, 'paths')?.value);
        if (!isSeq(paths)) continue;
        for (const entryNode of paths.items) {
          const entry = m.deref(entryNode);
          if (!isMap(entry)) continue;
          m.ensurePathType(entry);
          const bp = findPair(entry, 'backend');
          if (bp) m.migrateBackend(bp);
        }
      }
    }
  }
  return m.finish();
}

// ---------------------------------------------------------------------------------------------

function scalarOf(doc: EditDocument, node: unknown): Scalar | undefined {
  const n = isAlias(node) ? node.target : node;
  return isScalar(n) ? n : undefined;
}

class Migrator extends SourceEdits {
  private readonly seen = new Set<unknown>();
  private readonly parentKeyCol = new Map<unknown, number>();

  constructor(
    src: string,
    private readonly doc: EditDocument,
  ) {
    super(src);
    this.indexParents(doc.contents, 0);
  }

  /** Records, for every block map, the column of the key that holds it (for indentation step). */
  private indexParents(node: unknown, depth: number): void {
    if (depth > 200) return;
    if (isMap(node)) {
      for (const p of node.items as AnyPair[]) {
        if (isMap(p.value) && !p.value.flow && isScalar(p.key) && p.key.range) {
          this.parentKeyCol.set(p.value, this.col(p.key.range[0]));
        }
        this.indexParents(p.value, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) this.indexParents(item, depth + 1);
    }
  }

  deref(node: unknown): unknown {
    return isAlias(node) ? node.target : node;
  }

  // -- pathType ---------------------------------------------------------------------------------

  ensurePathType(entry: YAMLMap): void {
    if (this.seen.has(entry)) return;
    this.seen.add(entry);
    if (findPair(entry, 'pathType')) return;
    const items = entry.items as AnyPair[];
    const pathPair = findPair(entry, 'path');
    const ref = (pathPair ?? items[0])?.key;
    const key = quoteLike(ref, 'pathType');
    const value = quoteLike(ref, DEFAULT_PATH_TYPE);
    if (entry.flow) {
      if (pathPair && pathPair.value && (pathPair.value as Node).range) {
        this.add(
          this.contentEnd(pathPair.value as Node),
          this.contentEnd(pathPair.value as Node),
          `, ${key}: ${value}`,
        );
      } else if (pathPair && isScalar(pathPair.key) && pathPair.key.range) {
        // `{path, ...}` (a key with no value at all)
        this.add(pathPair.key.range[1], pathPair.key.range[1], `, ${key}: ${value}`);
      } else if (items.length > 0 && isScalar(items[0].key) && items[0].key.range) {
        const at = this.propsStart(items[0].key.range[0]).start;
        this.add(at, at, `${key}: ${value}, `);
      } else if (entry.range) {
        const open = this.src.indexOf('{', entry.range[0]);
        if (open >= 0) this.add(open + 1, open + 1, `${key}: ${value}`);
      }
      return;
    }
    if (!isScalar(ref) || !ref.range) return;
    const keyStart = this.propsStart(ref.range[0]).start;
    const indent = ' '.repeat(this.col(keyStart));
    if (pathPair) {
      const last = (pathPair.value as Node | null) ?? (pathPair.key as Node);
      const at = this.lineEnd(this.contentEnd(last));
      this.add(at, at, `${this.eol}${indent}${key}: ${value}`);
    } else {
      this.add(keyStart, keyStart, `${key}: ${value}${this.eol}${indent}`);
    }
  }

  // -- backends ---------------------------------------------------------------------------------

  migrateBackend(pair: AnyPair): void {
    const map = this.deref(pair.value);
    if (!isMap(map) || this.seen.has(map)) return;
    this.seen.add(map);
    if (findPair(map, 'resource')) return;
    const name = findPair(map, 'serviceName');
    const port = findPair(map, 'servicePort');
    if (!name && !port) return;
    for (const p of [name, port]) {
      if (p && (!isScalar(p.key) || !p.key.range || (p.value && !(p.value as Node).range))) return;
    }
    if (map.flow) this.migrateFlowBackend(map, name, port);
    else this.migrateBlockBackend(map, name, port);
  }

  private portKind(port: AnyPair): { kind: PortKind; replacement?: string } {
    const resolved = scalarOf(this.doc, port.value);
    const v = resolved?.value;
    if (typeof v === 'number' || typeof v === 'bigint') return { kind: 'number' };
    if (typeof v === 'string') {
      if (/^\s*[0-9]+\s*$/.test(v)) return { kind: 'number', replacement: String(Number(v.trim())) };
      return { kind: 'name' };
    }
    return { kind: 'number' };
  }

  /** Rewrites the servicePort value when it must change (numeric string → integer). */
  private portValueEdit(port: AnyPair, replacement: string | undefined): void {
    const value = port.value as Node | null;
    if (replacement === undefined || !value?.range) return;
    const { start, anchors } = this.propsStart(value.range[0]);
    this.add(start, this.contentEnd(value), [...anchors, replacement].join(' '));
  }

  private portValueText(port: AnyPair, replacement: string | undefined): string {
    const value = port.value as Node | null;
    if (!value?.range) return '';
    const { start, anchors } = this.propsStart(value.range[0]);
    if (replacement !== undefined) return [...anchors, replacement].join(' ');
    return this.src.slice(start, this.contentEnd(value));
  }

  private valueText(p: AnyPair, portInfo: { replacement?: string }, isPort: boolean): string {
    if (isPort) return this.portValueText(p, portInfo.replacement);
    const value = p.value as Node | null;
    if (!value?.range) return '';
    return this.src.slice(this.propsStart(value.range[0]).start, this.contentEnd(value));
  }

  private migrateBlockBackend(map: YAMLMap, name: AnyPair | undefined, port: AnyPair | undefined): void {
    const items = map.items as AnyPair[];
    const ordered = [name, port].filter((p): p is AnyPair => !!p).sort((a, b) => keyStart(a) - keyStart(b));
    const [first, second] = ordered;
    const c = this.col(keyStart(first));
    const parentCol = this.parentKeyCol.get(map);
    let step = parentCol !== undefined ? c - parentCol : 0;
    if (step <= 0) step = this.globalStep();
    const sp = (n: number) => ' '.repeat(n);
    const portInfo = port ? this.portKind(port) : { kind: 'number' as PortKind };
    const isPort = (p: AnyPair) => p === port;
    const newKey = (p: AnyPair) =>
      isPort(p)
        ? `${quoteLike(p.key, 'port')}:${this.eol}${sp(c + 2 * step)}${quoteLike(p.key, portInfo.kind)}`
        : quoteLike(p.key, 'name');
    const depth = (p: AnyPair) => (isPort(p) ? 2 * step : step);
    const valueEnd = (p: AnyPair) => this.contentEnd((p.value as Node | null) ?? (p.key as Node));

    // Every key of a block map must start its own line; otherwise give up on this backend.
    for (const p of ordered) {
      const ks = keyStart(p);
      if (this.src.slice(this.lineStart(ks), ks).trim() !== '') return;
    }

    // first pair: `service:` header, then the key one level deeper
    const fk = first.key as Scalar;
    this.add(
      fk.range![0],
      fk.range![1],
      `${quoteLike(fk, 'service')}:${this.eol}${sp(c + step)}${newKey(first)}`,
    );
    this.shiftLines(fk.range![0], valueEnd(first), depth(first));
    if (isPort(first)) this.portValueEdit(first, portInfo.replacement);
    if (!second) return;

    const adjacent = Math.abs(items.indexOf(second) - items.indexOf(first)) === 1;
    const sk = second.key as Scalar;
    if (adjacent) {
      // comments between the two pairs move into `service:` too
      const secondLine = this.lineStart(sk.range![0]);
      this.shiftLines(valueEnd(first), secondLine - 1, step);
      this.add(secondLine, secondLine, sp(step));
      this.add(sk.range![0], sk.range![1], newKey(second));
      this.shiftLines(sk.range![0], valueEnd(second), depth(second));
      if (isPort(second)) this.portValueEdit(second, portInfo.replacement);
      return;
    }

    // Another key sits between them: move the second pair into `service:` after the first one.
    const end2 = valueEnd(second);
    const lineEnd2 = this.lineEnd(end2);
    const valueNode = second.value as Node | null;
    const afterKeyStart = valueNode?.range ? this.propsStart(valueNode.range[0]).start : sk.range![1];
    let moved =
      this.src.slice(sk.range![1], afterKeyStart) +
      this.valueText(second, portInfo, isPort(second)) +
      this.src.slice(end2, lineEnd2);
    moved = moved.replace(/\n(?=[^\r\n])/g, `\n${sp(depth(second))}`);
    const at = this.lineEnd(valueEnd(first));
    this.add(at, at, `${this.eol}${sp(c + step)}${newKey(second)}${moved}`);
    const delStart = this.lineStart(sk.range![0]);
    if (lineEnd2 < this.src.length) {
      this.add(delStart, this.nextLineStart(lineEnd2), '');
    } else {
      this.add(this.lineEnd(Math.max(0, delStart - 1)), lineEnd2, '');
    }
  }

  private migrateFlowBackend(map: YAMLMap, name: AnyPair | undefined, port: AnyPair | undefined): void {
    const items = map.items as AnyPair[];
    const ordered = [name, port].filter((p): p is AnyPair => !!p).sort((a, b) => keyStart(a) - keyStart(b));
    const [first, second] = ordered;
    const portInfo = port ? this.portKind(port) : { kind: 'number' as PortKind };
    const isPort = (p: AnyPair) => p === port;
    const newKey = (p: AnyPair) =>
      isPort(p)
        ? `${quoteLike(p.key, 'port')}: {${quoteLike(p.key, portInfo.kind)}`
        : quoteLike(p.key, 'name');
    const close = (p: AnyPair) => (isPort(p) ? '}' : '');
    const valueEnd = (p: AnyPair) => this.contentEnd((p.value as Node | null) ?? (p.key as Node));

    const fk = first.key as Scalar;
    this.add(fk.range![0], fk.range![1], `${quoteLike(fk, 'service')}: {${newKey(first)}`);
    if (isPort(first)) this.portValueEdit(first, portInfo.replacement);
    if (!second) {
      const at = valueEnd(first);
      this.add(at, at, `${close(first)}}`);
      return;
    }
    const sk = second.key as Scalar;
    const adjacent = Math.abs(items.indexOf(second) - items.indexOf(first)) === 1;
    if (adjacent) {
      const f = valueEnd(first);
      if (close(first)) this.add(f, f, close(first));
      this.add(sk.range![0], sk.range![1], newKey(second));
      if (isPort(second)) this.portValueEdit(second, portInfo.replacement);
      const at = valueEnd(second);
      this.add(at, at, `${close(second)}}`);
      return;
    }
    // Move the second pair next to the first one.
    const valueNode = second.value as Node | null;
    const afterKeyStart = valueNode?.range ? this.propsStart(valueNode.range[0]).start : sk.range![1];
    const sep = this.src.slice(sk.range![1], afterKeyStart).replace(/[\r\n]+[ \t]*/g, ' ');
    const movedValue = this.valueText(second, portInfo, isPort(second));
    const f = valueEnd(first);
    this.add(f, f, `${close(first)}, ${newKey(second)}${sep}${movedValue}${close(second)}}`);
    const end2 = valueEnd(second);
    const start2 = this.propsStart(sk.range![0]).start;
    const idx = items.indexOf(second);
    if (idx < items.length - 1) {
      // `second, next` → drop `second,` and one space after the comma
      this.add(start2, end2, '');
      const comma = this.findComma(end2);
      if (comma >= 0) this.add(comma, this.src[comma + 1] === ' ' ? comma + 2 : comma + 1, '');
    } else {
      // `prev, second}` → drop `, second` (keeping any comment written between them)
      const prevValue = (items[idx - 1].value as Node | null) ?? (items[idx - 1].key as Node);
      const comma = this.findComma(this.contentEnd(prevValue));
      if (comma >= 0 && /^[ \t]*$/.test(this.src.slice(comma + 1, start2))) {
        this.add(comma, end2, '');
      } else {
        this.add(start2, end2, '');
        if (comma >= 0) this.add(comma, comma + 1, '');
      }
    }
  }

  /** First `,` after `from`, skipping whitespace and comments (the text between flow items). */
  private findComma(from: number): number {
    let i = from;
    while (i < this.src.length) {
      const ch = this.src[i];
      if (ch === ',') return i;
      if (ch === '#') i = this.lineEnd(i);
      else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') i++;
      else return -1;
    }
    return -1;
  }

  private globalStepCache: number | undefined;
  /** Indentation step of the document, from the first nested block map under a root key. */
  private globalStep(): number {
    if (this.globalStepCache !== undefined) return this.globalStepCache;
    let step = 2;
    const root = this.doc.contents;
    if (isMap(root)) {
      for (const p of root.items as AnyPair[]) {
        const v = p.value;
        if (isMap(v) && !v.flow && v.items.length > 0 && isScalar(p.key) && p.key.range) {
          const k = (v.items[0] as AnyPair).key;
          if (isScalar(k) && k.range) {
            const d = this.col(k.range[0]) - this.col(p.key.range[0]);
            if (d > 0) {
              step = d;
              break;
            }
          }
        }
      }
    }
    this.globalStepCache = step;
    return step;
  }
}

function keyStart(p: AnyPair): number {
  return (p.key as Node).range![0];
}

/** The same edits, parsing the document text itself (the checker keeps no yaml Document around). */
export function migrateLegacyIngressText(src: string): OffsetEdit[] {
  return migrateLegacyIngress(src, parseEditDocument(src));
}
