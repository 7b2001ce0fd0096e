// Anchors (`&a`), aliases (`*a`) and merge keys (`<<: *a`, `<<: [*a, *b]`) read as kubectl reads them.
//
// kubectl turns each YAML document into JSON with go-yaml v2 (sigs.k8s.io/yaml), which resolves them
// before the API server sees the object. What go-yaml v2 does (decode.go, parser.go):
// - an alias names the last anchor of that name defined above it in the same document (its parser
//   files an anchor when the anchored node starts, so an alias inside its own anchor's value names
//   that value: "anchor 'a' value contains itself"); an alias to no anchor above it fails the whole
//   document ("unknown anchor 'a' referenced"), also when the anchor is in another document, since
//   each document is read on its own;
// - a plain `<<` key (or one tagged `!!merge`) merges the map, the alias of a map, or the list of maps
//   or aliases of maps it holds into the map it is in; anything else fails the document ("map merge
//   requires map or sequence of maps as the value"). Keys are set in the order they are written and a
//   merge sets each key of what it merges, so a key written after the `<<` wins over the merged one and
//   a key written before it is overwritten (the YAML merge-key draft, and go-yaml v3, would keep it);
//   in a list of merges the earlier map wins (go-yaml merges the list from its last map to its first);
// - it counts the values it decodes, and those it decodes through an alias, and fails the document
//   once more than 99% of them (in a document of up to 400,000; less past it) come through aliases
//   and there are over 100 of those and 1,000 in all ("document contains excessive aliasing").
//
// Here, convert (parse.ts) keeps a Refs per document that holds any anchor, alias, tag or `<<` (the
// parser notes them as it reads: other documents take no step of this). An alias becomes the anchored
// value itself: the tree shares the anchored nodes, and only the top node is a copy, spanning the
// alias's own text (`*a`). So a finding about the value as a whole points at the alias; one about
// something inside it points into the anchored value it comes from. A merged map holds the pairs it
// takes from the merged maps (the same pair objects, at their place in the anchored map). The values
// an expansion adds are counted as go-yaml counts them (its alias-bomb guard is checked exactly), and
// past the document's value limit (ParseLimits.maxNodes) the document is skipped with one notice,
// before any walk of the tree could meet an expansion that large.

import type { AstNode, PairNode, Span } from './ast';
import { toPlain } from './ast';
import { countText } from './count';

/** An alias of a document, resolved: its own span and the span of the anchored value it stands for
 * (offsets relative to the document, as the tree's). A quick fix that would edit inside `anchor`
 * edits every alias of it too (see editsThroughAlias). */
export interface AliasUse extends Span {
  name: string;
  anchor: Span;
}

/** The anchored value of a name, as read so far (null while its own value is being read). */
interface Anchored {
  node: AstNode | null;
  /** The values go-yaml decodes for it (itself included), aliases inside it expanded. */
  decodes: number;
  start: number;
  end: number;
}

/** An error as the parser files it (offsets relative to the document). */
export interface RefError {
  pos: [number, number];
  code: string;
  message: string;
}

export const UNKNOWN_ANCHOR = 'UNKNOWN_ANCHOR';
export const ANCHOR_CONTAINS_ITSELF = 'ANCHOR_CONTAINS_ITSELF';
export const MERGE_VALUE = 'MERGE_VALUE';
export const EXCESSIVE_ALIASING = 'EXCESSIVE_ALIASING';
/** A warning: a key written before a `<<` that overrides it (kubectl keeps the merged value). */
export const MERGE_OVERRIDES_KEY = 'MERGE_OVERRIDES_KEY';

/** go-yaml v2's allowedAliasRatio (decode.go): the share of decoded values that may come through
 * aliases, 99% up to 400,000 values, falling to 10% at 4,000,000. */
export function allowedAliasRatio(decodes: number): number {
  if (decodes <= 400_000) return 0.99;
  if (decodes >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodes - 400_000) / 3_600_000);
}

/** Thrown out of convert when the document must not be read further: go-yaml refuses it (an error)
 * or its expansion is over our limit (a notice). */
export class RefsStop extends Error {
  constructor(
    readonly kind: 'excessive' | 'limit',
    readonly start: number,
    readonly end: number,
    message: string,
  ) {
    super(message);
  }
}

/** What convert keeps for one document that holds anchors, aliases or merge keys. */
export class Refs {
  private readonly anchors = new Map<string, Anchored>();
  /** Every anchor name met so far (to tell an alias whose anchor comes only below it). */
  private readonly unresolved: { name: string; start: number; end: number }[] = [];
  /** go-yaml's counters: values decoded (the document node first), and those decoded through an
   * alias. */
  decodes = 1;
  aliased = 0;
  /** Above 0 while the values are read out of go-yaml's order (a list of merges): no check then,
   * the list's items are checked in go-yaml's order afterwards (see mergeList in parse.ts). */
  quiet = 0;
  readonly uses: AliasUse[] = [];
  readonly errors: RefError[] = [];
  readonly warnings: RefError[] = [];

  constructor(
    /** Values an expansion may add to the document (ParseLimits.maxNodes). */
    private readonly maxAliased: number,
  ) {}

  /** A node with an anchor starts: aliases from here on name it (itself included, as in go-yaml). */
  open(name: string): Anchored {
    const a: Anchored = { node: null, decodes: 0, start: 0, end: 0 };
    this.anchors.set(name, a);
    return a;
  }

  /** The anchored node is read: `decodesBefore` is the counter before it was counted. */
  close(a: Anchored, node: AstNode, decodesBefore: number): void {
    a.node = node;
    a.start = node.start;
    a.end = node.end;
    a.decodes = this.decodes - decodesBefore;
  }

  /** The value an alias stands for (the alias already counted as one value), or undefined when the
   * alias names no anchor above it or its own anchor (an error is filed). */
  resolve(name: string, start: number, end: number): AstNode | undefined {
    const a = this.anchors.get(name);
    if (!a) {
      this.unresolved.push({ name, start, end });
      return undefined;
    }
    if (!a.node) {
      this.errors.push({
        pos: [start, end],
        code: ANCHOR_CONTAINS_ITSELF,
        message: `The alias *${name} is inside the value anchored as &${name}, so that value would contain itself: kubectl refuses the document ("yaml: anchor '${name}' value contains itself"). Alias a value that does not hold this line, or write the value out.`,
      });
      return undefined;
    }
    this.decodes += a.decodes;
    this.aliased += a.decodes;
    this.uses.push({ start, end, name, anchor: { start: a.start, end: a.end } });
    this.check(start, end);
    return relocate(a.node, start, end);
  }

  /** go-yaml's alias-bomb guard and our own limit, after an alias (or a list of merges) at
   * [start, end) has been counted. go-yaml checks at every value it decodes; the share of aliased
   * values only grows while an alias is expanded and only falls between aliases, and its other
   * conditions only become true as the counts grow, so checking at the end of each expansion finds
   * exactly the documents it refuses. */
  check(start: number, end: number): void {
    const { decodes, aliased } = this;
    if (
      this.quiet === 0 &&
      aliased > 100 &&
      decodes > 1000 &&
      aliased / decodes > allowedAliasRatio(decodes)
    ) {
      const share = Math.round(allowedAliasRatio(decodes) * 100);
      throw new RefsStop(
        'excessive',
        start,
        end,
        `The aliases of this document expand to ${countText(aliased)} of the ${countText(decodes)} values read up to here: kubectl refuses it ("yaml: document contains excessive aliasing"), since go-yaml v2 stops once more than ${share}% of the values of a document of this size come through aliases (its guard against alias bombs). Alias less, or write the repeated values out.`,
      );
    }
    if (aliased > this.maxAliased)
      throw new RefsStop(
        'limit',
        start,
        end,
        `Kube NetLens skipped this document: its aliases expand to more than ${countText(this.maxAliased)} values (the expansion passes that count at this alias), over the limit that keeps the editor's memory and response time bounded. Alias less, or split the document (\`---\`), to have it checked.`,
      );
  }

  /** A merge value that is not a map or a list of maps, at [start, end). */
  badMerge(start: number, end: number, what: string): void {
    this.errors.push({
      pos: [start, end],
      code: MERGE_VALUE,
      message: `The merge key << takes a map, an alias of a map or a list of them, and this is ${what}: kubectl refuses the document ("yaml: map merge requires map or sequence of maps as the value"). Merge an anchored map (<<: *defaults) or a list of them (<<: [*a, *b]).`,
    });
  }

  /** A key written before a merge that sets it too: kubectl keeps the merged value. */
  overridden(key: PairNode, keyText: string): void {
    this.warnings.push({
      pos: [key.start, key.key.end],
      code: MERGE_OVERRIDES_KEY,
      message: `kubectl reads "${keyText}" from the merge (<<) below, not from this key: go-yaml v2 sets keys in the order they are written, so a merge after a key overwrites it (tools that follow the YAML merge-key draft keep this value instead). Move the key below the << line to have it win, or drop it.`,
    });
  }

  /** File the errors of aliases that named no anchor above them, once the document is read (so
   * that one whose anchor comes further down can say so). */
  finish(): void {
    for (const u of this.unresolved) {
      const below = this.anchors.has(u.name);
      // `host: *.example.com`: a wildcard written without quotes is an alias to YAML
      const wildcard = !below && u.name.startsWith('.');
      if (wildcard) {
        this.errors.push({
          pos: [u.start, u.end],
          code: UNKNOWN_ANCHOR,
          message: `*${u.name} is read as an alias (a value that starts with * names an anchor), and no anchor &${u.name} is defined: kubectl refuses the document ("yaml: unknown anchor '${u.name}' referenced"). To write the wildcard *${u.name} as text, quote it: "*${u.name}".`,
        });
        continue;
      }
      this.errors.push({
        pos: [u.start, u.end],
        code: UNKNOWN_ANCHOR,
        message: below
          ? `The alias *${u.name} comes before its anchor &${u.name}: kubectl refuses the document ("yaml: unknown anchor '${u.name}' referenced"), since an alias can only name an anchor defined above it. Move the anchored value above this alias.`
          : `The alias *${u.name} names no anchor &${u.name} above it in this document: kubectl refuses the document ("yaml: unknown anchor '${u.name}' referenced"). Each document (between \`---\` lines) is read on its own, so an anchor in another document does not count. Define &${u.name} above this line in the same document, or write the value out.`,
      });
    }
    this.unresolved.length = 0;
  }
}

/** The anchored node as an alias at [start, end) gives it: a copy of its top node with the alias's
 * span, sharing everything inside. */
export function relocate(node: AstNode, start: number, end: number): AstNode {
  switch (node.type) {
    case 'scalar':
      return { type: 'scalar', start, end, value: node.value, source: node.source, style: node.style };
    case 'map':
      return { type: 'map', start, end, flow: node.flow, pairs: node.pairs };
    case 'seq':
      return { type: 'seq', start, end, flow: node.flow, items: node.items };
    case 'alias':
      return { type: 'alias', start, end, name: node.name };
  }
}

/** The key a pair sets, as go-yaml compares keys (a scalar's value), or undefined for a key that
 * never equals another (a collection, null). */
export function setKey(p: PairNode): unknown {
  if (p.keyText === undefined) return undefined;
  const k = p.key;
  return k.type === 'scalar' ? k.value : undefined;
}

/** One step of a map as go-yaml sets its keys: an own pair, or the pairs a merge brings (in the
 * order go-yaml sets them: the maps of a list from the last to the first). */
export type MergeStep = { own: PairNode } | { merged: PairNode[] };

/** The pairs of a map with merges, as go-yaml v2 leaves it: a key keeps the value of the last step
 * that sets it. Own pairs stay in place unless a later merge sets their key (then a warning is
 * filed); each merged key that wins is placed once, where its merge is. Own keys written twice stay
 * as they are (the duplicate-key error reports them). */
export function mergedPairs(steps: MergeStep[], refs: Refs): PairNode[] {
  // the step index that sets each key last
  const last = new Map<unknown, { step: number; pair: PairNode }>();
  steps.forEach((s, i) => {
    if ('own' in s) {
      const k = setKey(s.own);
      if (k !== undefined) last.set(k, { step: i, pair: s.own });
    } else
      for (const p of s.merged) {
        const k = setKey(p);
        if (k !== undefined) last.set(k, { step: i, pair: p });
      }
  });
  const out: PairNode[] = [];
  steps.forEach((s, i) => {
    if ('own' in s) {
      const k = setKey(s.own);
      const winner = k === undefined ? undefined : last.get(k);
      if (winner && winner.step > i && 'merged' in steps[winner.step]) {
        // (said only when it changes the value)
        if (!sameValue(s.own.value, winner.pair.value)) refs.overridden(s.own, s.own.keyText!);
        return;
      }
      out.push(s.own);
      return;
    }
    for (const p of s.merged) {
      const k = setKey(p);
      if (k === undefined) out.push(p);
      else if (last.get(k)?.pair === p) out.push(p);
    }
  });
  return out;
}

/** Whether two values are the same data (what JSON would make of them; aliases expand to bounded
 * trees by now). */
function sameValue(a: AstNode | null, b: AstNode | null): boolean {
  return JSON.stringify(toPlain(a)) === JSON.stringify(toPlain(b));
}

/** Where the `&name` of the anchor an alias names is written: found backwards from the anchored
 * value (nothing but blanks, comments and a tag stand between them); the value's start when not
 * found. Offsets relative to the document. */
export function anchorTokenOf(text: string, use: AliasUse): Span {
  const token = '&' + use.name;
  for (let at = text.lastIndexOf(token, use.anchor.start); at >= 0; at = text.lastIndexOf(token, at - 1)) {
    const next = text.charCodeAt(at + token.length);
    // (the whole name: `&web` is not the start of `&web2`)
    if (Number.isNaN(next) || /[\s,[\]{}]/.test(String.fromCharCode(next)))
      return { start: at, end: at + token.length };
  }
  return { start: use.anchor.start, end: use.anchor.start };
}

/** What the title of a quick fix says when its edits change an anchored value that aliases stand
 * for (so they change too), or undefined when they do not. Offsets relative to the document. */
export function aliasEditNote(
  uses: readonly AliasUse[] | undefined,
  edits: readonly { start: number; end: number }[],
): string | undefined {
  const u = editsThroughAlias(uses, edits);
  if (!u) return undefined;
  const n = uses!.filter((x) => x.anchor.start === u.anchor.start && x.anchor.end === u.anchor.end).length;
  return ` (edits the value anchored as &${u.name}, so ${n === 1 ? 'its alias changes' : `its ${countText(n)} aliases change`} too)`;
}

/** The first alias whose anchored value an edit of [start, end) would change (an edit that touches
 * it, ends included). Offsets relative to the document. */
export function editsThroughAlias(
  uses: readonly AliasUse[] | undefined,
  edits: readonly { start: number; end: number }[],
): AliasUse | undefined {
  if (!uses) return undefined;
  for (const e of edits)
    for (const u of uses) if (e.start <= u.anchor.end && e.end >= u.anchor.start) return u;
  return undefined;
}
