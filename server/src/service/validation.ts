// Diagnostics of one file for the language service: the rules run document by document (a generator
// that yields after each, so a long check can give the event loop turns), one time budget per file,
// and each document's protocol diagnostics reused while its findings, position and settings hold.

import type { Diagnostic } from 'vscode-languageserver-types';
import type { ParsedDocument } from '../syntax/parse';
import { resourcesOf } from '../model/resource';
import type { Resource } from '../model/resource';
import { warmCluster } from '../model/cluster';
import { warmRouteGraph } from '../rules/route-graph-view';
import { KUSTOMIZE_KINDS } from '../model/kustomize';
import { applySeverity, budgetNotice, checkDocument, shift, startBudget } from '../rules/check';
import type { CheckBudget } from '../rules/check';
import type { CheckSettings, CrossFileRule, Finding } from '../rules/types';
import { RULES } from '../rules/registry';
import { toDiagnostic } from './convert';
import type { RelatedCache } from './convert';
import type { LanguageSettings, ServiceWorkspace, ValidationOptions } from './types';

/** The cross-file rules that build what their checks share in steps first. */
const PREPARED_RULES = RULES.filter((r): r is CrossFileRule => r.scope === 'cross-file' && !!r.prepare);

/** Protocol diagnostics of one document, reused while its findings, position and settings hold. */
interface DocumentDiagnostics {
  findings: Finding[];
  base: number;
  baseLine: number;
  settings: LanguageSettings;
  diags: Diagnostic[];
  /** Every rule ran on it (no time budget ran out before it), with what its findings depend on
   * besides its text: while these hold, a check that keeps its cross-file findings (crossOnly) gives
   * it these diagnostics again without asking the rules. */
  complete: boolean;
  fileIsKubernetes: boolean;
  namespace: string;
  revision: number;
}

/** A diagnostic `lines` lines further down (up when negative). */
function moveLines(d: Diagnostic, lines: number): Diagnostic {
  const { start, end } = d.range;
  return {
    ...d,
    range: {
      start: { line: start.line + lines, character: start.character },
      end: { line: end.line + lines, character: end.character },
    },
  };
}

/** Where a check is: after each document, how many of the file's documents are checked and the
 * diagnostics so far (the generator's own list: copy it to keep it). */
export interface ValidationProgress {
  checked: number;
  total: number;
  diagnostics: Diagnostic[];
  /** The diagnostics are those of `checked` documents that are not all at the start of the file:
   * the edited documents, checked first, and those the last complete check kept (offered once,
   * before the rest of the file is checked). */
  snapshot?: boolean;
}

export type ValidationSteps = (
  uri: string,
  options?: ValidationOptions,
  budget?: CheckBudget,
) => Generator<ValidationProgress | void, Diagnostic[]>;

/** The stepwise check of a file over `workspace`, under the settings `settingsNow()` answers. */
export function createValidation(
  workspace: ServiceWorkspace,
  settingsNow: () => LanguageSettings,
): ValidationSteps {
  const diagCache = new WeakMap<ParsedDocument, DocumentDiagnostics>();
  const positionOf = (u: string, o: number) => workspace.positionOf(u, o);

  /** Checks a file document by document, yielding after each; returns its diagnostics. */
  return function* validationSteps(
    uri: string,
    options: ValidationOptions = {},
    budget: CheckBudget = startBudget(settingsNow().timeBudgetMs),
  ): Generator<ValidationProgress | void, Diagnostic[]> {
    const settings = settingsNow();
    const f = workspace.file(uri);
    if (!f || !settings.enable) return [];
    const cs: CheckSettings = settings.check;
    const doc = f.document;
    if (f.skipped) return applySeverity([f.skipped], cs).map((x) => toDiagnostic(doc, x));
    if (!f.parsed) return [];
    const { parsed } = f;
    const mine = settings;
    const perDoc = parsed.docs.map((d) => resourcesOf(d));
    const fileIsKubernetes = perDoc.some((rs) => rs.length > 0);
    const out: Diagnostic[] = [];
    // (related locations converted once per check: many findings may name the same places)
    const related: RelatedCache = new Map();
    // the per-resource parts of the cluster the cross-file rules read, computed a slice at a time
    // (other requests get a turn between slices); shared by every file, so not this file's cost
    // (then the route graph's slices this file's rules read, and what the cross-file rules of its
    // kinds share, in steps too). While typing (crossOnly: the edited documents run the cross-file
    // rules, the others keep their findings) the cluster's infos only, and the slices and shared
    // values that the edited documents' rules read: built inside a rule, an edit to an Ingress held
    // the thread for the claims and the route graph in one step (about 14 ms of CPU at 50k lines,
    // 4-5 ms in steps, with the same time to its first publication).
    const whole = !options.crossOnly;
    const edited = options.crossOnly;
    const resources = edited ? editedResources(parsed.docs, perDoc, edited) : perDoc.flat();
    const kinds = new Set(resources.map((r) => r.kind));
    const warmers = [warmCluster(workspace.index, whole)];
    if (resources.length > 0) warmers.push(warmRouteGraph(workspace.index, resources));
    for (const rule of PREPARED_RULES)
      if (cs.severities[rule.id] !== 'off' && (!rule.kinds || rule.kinds.some((k) => kinds.has(k))))
        warmers.push(rule.prepare!(workspace.index));
    for (const warm of warmers)
      for (;;) {
        const t = performance.now();
        const step = warm.next();
        budget.deadline += performance.now() - t;
        if (step.done) break;
        yield;
      }
    // one time budget for the rules of the whole file (what did not run is named in one notice)
    // what the findings of an unchanged document depend on besides its text (the settings, the
    // default namespace, whether the file holds Kubernetes objects, kustomize patch listings)
    const namespace = workspace.index.defaultNamespace;
    const kustomizeRevision = workspace.index.memoKinds(KUSTOMIZE_KINDS, 'validation:kustomize', () => ({
      revision: workspace.index.revision,
    })).revision;
    const docs = parsed.docs;
    const n = docs.length;
    /** The diagnostics of an unchanged document from its last complete check, while they hold
     * (one lookup, not a pass through the rules' memos). */
    const kept = (d: ParsedDocument): Diagnostic[] | undefined => {
      const c = diagCache.get(d);
      return c &&
        c.complete &&
        c.settings === mine &&
        c.fileIsKubernetes === fileIsKubernetes &&
        c.namespace === namespace &&
        c.revision === kustomizeRevision
        ? at(c, d, doc.positionAt(d.base).line)
        : undefined;
    };
    /** The cached diagnostics of a document where it is now: those of its last check, moved by the
     * lines that an edit above it added or removed (its text is the same, and a document begins at the
     * start of a line). Undefined when they point elsewhere in this file too (related information). */
    const at = (c: DocumentDiagnostics, d: ParsedDocument, baseLine: number): Diagnostic[] | undefined => {
      if (c.base === d.base && c.baseLine === baseLine) return c.diags;
      const lines = baseLine - c.baseLine;
      if (c.diags.some((x) => x.relatedInformation?.some((r) => r.location.uri === uri))) return undefined;
      if (lines !== 0) c.diags = c.diags.map((x) => moveLines(x, lines));
      c.base = d.base;
      c.baseLine = baseLine;
      return c.diags;
    };
    /** Runs the rules on document i and turns its findings into diagnostics (reused while the
     * findings and the document's position hold). The last document also gets the notice of a
     * time budget that ran out. */
    const diagnosticsOf = (i: number, reuseCross: boolean, into: Diagnostic[]): void => {
      const d = docs[i];
      let findings = checkDocument(
        d,
        perDoc[i],
        workspace.index,
        cs,
        mine.reportSyntax,
        fileIsKubernetes,
        uri,
        reuseCross,
        budget,
        false,
        !options.once,
      );
      if (budget.firstSkipped && i === n - 1) {
        const first = budget.firstSkipped;
        const at = docs.indexOf(first);
        const notice = applySeverity([shift(budgetNotice(first, budget), first.base)], cs).map((x) =>
          toDiagnostic(doc, x),
        );
        if (at === i) findings = [...findings, budgetNotice(first, budget)];
        else into.push(...notice);
      }
      if (options.once) {
        // (nothing kept: the file is not checked again)
        for (const x of applySeverity(
          findings.map((x) => shift(x, d.base)),
          cs,
        ))
          into.push(toDiagnostic(doc, x, positionOf, related));
        return;
      }
      const baseLine = doc.positionAt(d.base).line;
      const c = diagCache.get(d);
      const complete = budget.skipped.size === 0;
      const same = c && c.findings === findings && c.settings === mine ? at(c, d, baseLine) : undefined;
      if (c && same) {
        pushAll(into, same);
        c.complete = complete;
        c.fileIsKubernetes = fileIsKubernetes;
        c.namespace = namespace;
        c.revision = kustomizeRevision;
      } else {
        // (offsets moved to the file's by the conversion: a copy of each finding, quick fixes
        // included, cost more than the conversion itself in a file of thousands of findings)
        const diags = findings.length
          ? applySeverity(findings, cs).map((x) => toDiagnostic(doc, x, positionOf, related, d.base))
          : [];
        diagCache.set(d, {
          findings,
          base: d.base,
          baseLine,
          settings: mine,
          diags,
          complete,
          fileIsKubernetes,
          namespace,
          revision: kustomizeRevision,
        });
        pushAll(into, diags);
      }
    };
    // Typing while unchanged documents have no diagnostics to keep (the first check of the file was
    // overtaken by the edit, or ran out of time): the edited documents are checked first and a
    // snapshot is offered (their diagnostics and those kept for the others) before the rest of the
    // file is checked, so the edit shows at once.
    const crossOnly = options.crossOnly;
    let later: (Diagnostic[] | undefined)[] | undefined;
    // (what each unchanged document keeps, looked up once)
    const known = crossOnly ? docs.map((d) => (crossOnly.has(d) ? undefined : kept(d))) : undefined;
    if (crossOnly && known && crossOnly.size > 0 && budget.skipped.size === 0) {
      let unknown = 0;
      for (let i = 0; i < n; i++) if (!known[i] && !crossOnly.has(docs[i])) unknown++;
      if (unknown > 0) {
        for (let i = 0; i < n; i++) {
          if (!crossOnly.has(docs[i])) continue;
          const ds: Diagnostic[] = [];
          diagnosticsOf(i, false, ds);
          known[i] = ds;
          yield;
        }
        later = known;
        const snapshot: Diagnostic[] = [];
        let checked = 0;
        const shown = options.shown;
        for (let i = 0; i < n; i++) {
          const ds = known[i];
          if (!ds || (shown && !crossOnly.has(docs[i]) && !shown.has(docs[i]))) continue;
          checked++;
          pushAll(snapshot, ds);
        }
        yield { checked, total: n, diagnostics: snapshot, snapshot: true };
      }
    }
    for (let i = 0; i < n; i++) {
      const d = docs[i];
      const reuseCross = crossOnly ? !crossOnly.has(d) : false;
      // (the last document is checked again: a time budget that ran out since adds its notice there)
      const early = i < n - 1 ? later?.[i] : undefined;
      if (early && crossOnly?.has(d)) {
        pushAll(out, early);
      } else {
        const keep = reuseCross && budget.skipped.size === 0 ? known?.[i] : undefined;
        if (keep) pushAll(out, keep);
        else diagnosticsOf(i, reuseCross, out);
      }
      // (after a snapshot the next publication is the whole file's: no progress of the first ones)
      if (later) yield;
      else yield { checked: i + 1, total: n, diagnostics: out };
    }
    return out;
  };
}

// (Indexed loops in the check's steps: when a kind of check that the optimized generator has not
// run yet comes (a keystroke's, after the file's first check), V8 drops its optimized code and the
// generator runs unoptimized until it is compiled again; there each step of a for-of over an array
// allocates an iterator result: about 90 KB a keystroke at 50k lines, gathering the documents' kept
// diagnostics into the snapshot.)

/** Appends every item of `xs` to `into`. */
function pushAll<T>(into: T[], xs: readonly T[]): void {
  for (let i = 0; i < xs.length; i++) into.push(xs[i]);
}

/** The resources of the edited documents, in document order. */
function editedResources(
  docs: readonly ParsedDocument[],
  perDoc: readonly Resource[][],
  edited: ReadonlySet<unknown>,
): Resource[] {
  const out: Resource[] = [];
  for (let i = 0; i < docs.length; i++) if (edited.has(docs[i])) pushAll(out, perDoc[i]);
  return out;
}
