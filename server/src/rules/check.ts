// Run the rules over a parsed file. Local rule findings are memoised on the document object (under
// the settings they depend on), so an edit re-checks only the document that changed.

import type { ParsedFile } from '../syntax/file';
import type { ParsedDocument } from '../syntax/parse';
import type { Resource } from '../model/resource';
import { COVERED_KINDS, looksLikeKubernetes, resourcesOf } from '../model/resource';
import type { ResourceIndex } from '../workspace/index';
import { nearestCopies } from '../workspace/nearest';
import type { CheckSettings, Finding, QuickFix, ReportOptions, Rule, Severity } from './types';
import { CROSS_RULES, LOCAL_RULES, ruleFor } from './registry';
import { patchListing, selectorLabelsListing } from '../model/kustomize';
import { REQUIRED, UNKNOWN_FIELD } from './schema';
import type { PatchListing, SelectorLabelsListing } from '../model/kustomize';
import {
  BINARY_FILE,
  FILE_TOO_LARGE,
  HELM_TEMPLATE,
  KUSTOMIZE_PATCH,
  YAML_QUOTED_CONTINUATION,
  YAML_MERGE_OVERRIDE,
  YAML_SYNTAX,
  helmTemplateOffset,
  looksBinary,
} from './file-checks';
import type { Span } from '../syntax/ast';
import { exactList } from '../syntax/ast';
import { DOCUMENT_TIME_BUDGET, MORE_ERRORS, QUOTED_CONTINUATION } from '../syntax/parse';
import { aliasEditNote, MERGE_OVERRIDES_KEY } from '../syntax/refs';
import { forget, recall, remember } from '../engine/memo';

export interface FileCheckOptions {
  settings: CheckSettings;
  /** Report YAML syntax errors (off when another YAML extension already does). */
  reportSyntax: boolean;
  /** The file being checked (its key in the index). */
  uri?: string;
  /** When given, only these documents re-run the cross-resource rules; the others keep the cross
   * findings of their last full check (the server's fast path while typing in a big file). */
  crossOnly?: Set<ParsedDocument>;
  /** Time budget for the rules of one file, in ms (default CHECK_BUDGET_MS). */
  budgetMs?: number;
  /** Compute each finding's quick fixes too (the CLI's JSON lists their titles). The editor leaves
   * this off: it asks for a finding's fixes when the user opens the code actions (fixesFor). */
  withFixes?: boolean;
}

/** Rules stop on a file once this much time went into it; what did not run is named in one notice. */
export const CHECK_BUDGET_MS = 2000;

/** The rules of one file against its time budget (checked between rules). */
export interface CheckBudget {
  ms: number;
  deadline: number;
  /** Rule ids that did not run on some resource, once the budget was spent. */
  skipped: Set<string>;
  /** The first document where a rule did not run: the notice goes there. */
  firstSkipped?: ParsedDocument;
  /** The index's `sharedMs` when the budget last looked: time spent since on values every file
   * shares (the cluster, the route graph) moves the deadline, it is not this file's cost. */
  sharedSeen?: number;
}

export function startBudget(ms = CHECK_BUDGET_MS): CheckBudget {
  return { ms, deadline: performance.now() + ms, skipped: new Set() };
}

/** Kinds outside the covered ones get only the file-local rules that name them in their \`kinds\`
 * (api-removed knows the apiVersion history of many more kinds; metadata-name-invalid the name rules). */
const KIND_LISTING_LOCAL_RULES = LOCAL_RULES.filter((r) => r.kinds !== undefined);

/** A substitution placeholder as envsubst and Flux's post-build substitution write them: `${NAME}`,
 * with an optional operator after the name (`${NAME:=default}`, `${NAME:-default}`, ...). The text is
 * replaced before kubectl reads it. (One run of characters after the first, none of them a brace: the
 * match is linear in the text, where a name run followed by an overlapping run backtracked
 * quadratically on a long unclosed `${name…`.) */
const PLACEHOLDER = /\$\{[A-Za-z_][^{}\n]*\}/;

/** Does the text a finding points at hold a placeholder? Then what it says (a type, a name's syntax, a
 * host, a missing object of that name) is about the placeholder, not the value that will be there. */
function holdsPlaceholder(text: string, span: Span): boolean {
  if (span.end - span.start < 4) return false;
  const s = text.slice(span.start, span.end);
  return s.includes('${') && PLACEHOLDER.test(s);
}

/** What a rule run collects: findings, and (when `fixes` is on) their quick fixes. */
interface RunMode {
  fixes: boolean;
}

/** A fix that edits an anchored value edits what every alias of it stands for: its title says so,
 * and it is not the preferred fix (never applied without being read). */
function throughAliases(fixes: QuickFix[] | undefined, doc: ParsedDocument): QuickFix[] | undefined {
  if (!fixes || !doc.aliases) return fixes;
  return fixes.map((f) => {
    const note = aliasEditNote(doc.aliases, f.edits);
    return note ? { ...f, title: f.title + note, preferred: false } : f;
  });
}

function fixesOf(options: ReportOptions | undefined): QuickFix[] | undefined {
  const list = options?.fixes?.();
  return list?.length ? list : undefined;
}

const byKind = new WeakMap<readonly Rule[], Map<string, Rule[]>>();

/** The rules of a list that apply to a kind (those naming no kinds apply to every kind), in the
 * list's order: worked out once per list and kind, not per resource. */
function rulesForKind(rules: readonly Rule[], kind: string): Rule[] {
  let m = byKind.get(rules);
  if (!m) byKind.set(rules, (m = new Map()));
  let list = m.get(kind);
  if (!list) m.set(kind, (list = rules.filter((r) => !r.kinds || r.kinds.includes(kind))));
  return list;
}

function runRules(
  rules: Rule[],
  resource: Resource,
  uri: string,
  index: ResourceIndex,
  settings: CheckSettings,
  out: Finding[],
  budget: CheckBudget,
  doc: ParsedDocument,
  mode: RunMode = { fixes: false },
): void {
  for (const rule of rulesForKind(rules, resource.kind)) {
    if (rule.applies && !rule.applies(resource)) continue;
    // time is checked between rules: a document whose checks run long gets one notice, not a frozen server
    const shared = index.sharedMs;
    if (budget.sharedSeen !== undefined && shared > budget.sharedSeen)
      budget.deadline += shared - budget.sharedSeen;
    budget.sharedSeen = shared;
    if (budget.skipped.size > 0 || performance.now() >= budget.deadline) {
      budget.skipped.add(rule.id);
      budget.firstSkipped ??= doc;
      continue;
    }
    const report = (span: Span, message: string, options?: ReportOptions) => {
      // a value holding a substitution placeholder is checked once it is substituted, not as written
      if (holdsPlaceholder(doc.text, span)) return;
      const ruleId = options?.ruleId ?? rule.id;
      const defaultSeverity =
        ruleId === rule.id
          ? rule.defaultSeverity
          : (rule.extraIds?.find((x) => x.id === ruleId)?.defaultSeverity ?? rule.defaultSeverity);
      const finding: Finding = {
        ruleId,
        severity: options?.severity ?? defaultSeverity,
        message,
        start: span.start,
        end: span.end,
        related: options?.related,
        tags: options?.tags,
      };
      if (options?.missing) finding.missing = options.missing;
      // Quick fixes are computed only when asked for: a finding just says that it has some.
      if (options?.fixes) {
        if (mode.fixes) finding.fixes = throughAliases(fixesOf(options), doc);
        else finding.fixable = true;
      }
      out.push(finding);
    };
    try {
      // File-local rules get no index: what they report cannot depend on other files.
      if (rule.scope === 'cross-file') rule.check({ resource, uri, index, settings, report });
      else rule.check({ resource, uri, settings, report });
    } catch (e) {
      // A rule bug must not hide the other findings or take the server down.
      out.push({
        ruleId: rule.id,
        severity: 'information',
        message: `Internal error in rule ${rule.id}: ${e instanceof Error ? e.message : String(e)}`,
        start: resource.kindNode.start,
        end: resource.kindNode.end,
      });
    }
  }
}

/** Findings of one document, offsets relative to the document. With a `budget` shared by the
 * documents of a file, rules stop once it is spent; results cut short are not cached. A document of
 * a kustomize patch file keeps only the findings about what its fields hold (see patchFindings). */
export function checkDocument(...args: Parameters<typeof allFindingsOf>): Finding[] {
  const found = allFindingsOf(...args);
  const [doc, resources, index, , , , uri] = args;
  const listed = uri ? patchListing(index, uri) : undefined;
  const labelled = uri && !listed ? selectorLabelsListing(index, uri) : undefined;
  if (!listed && !labelled) return found;
  // the same array while the findings and the listings hold (callers cache on its identity)
  const hit = kustomizeCache.get(found);
  if (hit && hit.listing === (listed ?? labelled)) return hit.out;
  const out = listed ? patchFindings(found, doc, resources, listed) : withSelectorLabels(found, resources);
  kustomizeCache.set(found, { listing: (listed ?? labelled)!, out });
  return out;
}

const kustomizeCache = new WeakMap<
  Finding[],
  { listing: PatchListing | SelectorLabelsListing; out: Finding[] }
>();

/** The kinds whose missing selector kustomize's common labels create (its commonLabels field specs). */
const SELECTOR_CREATED_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet']);

/** The findings of a document that a kustomization with common selector labels gathers: a workload's
 * missing spec.selector is no error, kustomize creates it from those labels. */
function withSelectorLabels(findings: Finding[], resources: Resource[]): Finding[] {
  const created = (f: Finding) =>
    f.ruleId === REQUIRED &&
    f.missing === 'spec.selector' &&
    resources.some(
      (r) => SELECTOR_CREATED_KINDS.has(r.kind) && r.node.start <= f.start && f.end <= r.node.end,
    );
  return findings.some(created) ? findings.filter((f) => !created(f)) : findings;
}

/** What the file-local findings of a document depend on besides its text (severities are applied
 * later): they are remembered on the document under it. */
function localStamp(
  settings: CheckSettings,
  reportSyntax: boolean,
  fileIsKubernetes: boolean,
  defaultNamespace: string,
  withFixes: boolean,
): readonly unknown[] {
  const last = lastLocalStamp;
  if (
    last[0] === settings.kubernetesVersion &&
    last[1] === reportSyntax &&
    last[2] === fileIsKubernetes &&
    last[3] === defaultNamespace &&
    last[4] === withFixes
  )
    return last;
  return (lastLocalStamp = [
    settings.kubernetesVersion,
    reportSyntax,
    fileIsKubernetes,
    defaultNamespace,
    withFixes,
  ]);
}

/** The stamp localStamp made last: the documents checked under the same settings share it (the memo
 * keeps a document's findings with its stamp: an array per document of a file of thousands). */
let lastLocalStamp: readonly unknown[] = [];

/** The file-local part of a document's check: its skip notice, its syntax errors, or the findings of
 * the file-local rules; `complete` is false when the budget cut it short. */
function runLocal(
  doc: ParsedDocument,
  resources: Resource[],
  settings: CheckSettings,
  reportSyntax: boolean,
  fileIsKubernetes: boolean,
  uri: string,
  budget: CheckBudget,
  index: Pick<ResourceIndex, 'sharedMs'>,
  mode: RunMode,
): { findings: Finding[]; complete: boolean } {
  const findings: Finding[] = [];
  const realErrors = doc.errors.filter((e) => !e.warning);
  if (doc.skipped) {
    findings.push({
      ruleId: doc.skipped.ruleId,
      severity: 'information',
      message: doc.skipped.message,
      start: doc.skipped.start,
      end: doc.skipped.end,
    });
  } else if (realErrors.length > 0) {
    if (reportSyntax && (fileIsKubernetes || looksLikeKubernetes(doc))) {
      for (const e of realErrors)
        findings.push({
          ruleId: YAML_SYNTAX,
          severity: 'error',
          message: e.code === MORE_ERRORS ? e.message : `YAML syntax error: ${e.message}`,
          start: e.start,
          end: e.end,
        });
    }
  } else {
    if (reportSyntax && (fileIsKubernetes || looksLikeKubernetes(doc)))
      for (const e of doc.errors)
        if (e.code === MERGE_OVERRIDES_KEY)
          findings.push({
            ruleId: YAML_MERGE_OVERRIDE,
            severity: 'warning',
            message: e.message,
            start: e.start,
            end: e.end,
          });
        else if (e.code === QUOTED_CONTINUATION) {
          const finding: Finding = {
            ruleId: YAML_QUOTED_CONTINUATION,
            severity: 'information',
            message: e.message,
            start: e.start,
            end: e.end,
          };
          if (mode.fixes) finding.fixes = quotedContinuationFixes(doc, e.start, e.end);
          else finding.fixable = true;
          findings.push(finding);
        }
    for (const r of resources)
      runRules(
        COVERED_KINDS.has(r.kind) ? LOCAL_RULES : KIND_LISTING_LOCAL_RULES,
        r,
        uri,
        index as ResourceIndex,
        settings,
        findings,
        budget,
        doc,
        mode,
      );
    return { findings, complete: budget.skipped.size === 0 };
  }
  return { findings, complete: true };
}

/** Settings of the file-local rules, for a thread that parses files without an index (the CLI's
 * parse workers): what localFindingsOfFile's findings are computed under. */
export interface LocalCheckSettings {
  settings: CheckSettings;
  reportSyntax: boolean;
  defaultNamespace: string;
}

/** The file-local findings of each document of a parsed file (offsets relative to each document),
 * computed without an index, as checkDocument computes them; undefined for a document whose rules
 * the time budget cut short (its check computes them again). Local rules get no index, so the
 * findings are the same wherever they are computed: a thread that parses a file can compute them and
 * hand them to the thread that checks it (rememberLocalFindings). */
export function localFindingsOfFile(
  file: ParsedFile,
  uri: string,
  local: LocalCheckSettings,
  budgetMs?: number,
): (Finding[] | undefined)[] {
  const perDoc = file.docs.map((d) => resourcesOf(d));
  const fileIsKubernetes = perDoc.some((rs) => rs.length > 0);
  const budget = startBudget(budgetMs);
  const none = { sharedMs: 0 };
  return file.docs.map((d, i) => {
    const run = runLocal(
      d,
      perDoc[i],
      local.settings,
      local.reportSyntax,
      fileIsKubernetes,
      uri,
      budget,
      none,
      {
        fixes: false,
      },
    );
    return run.complete ? run.findings : undefined;
  });
}

/** Keep file-local findings computed elsewhere (localFindingsOfFile, in another thread) on the
 * documents of `file`, as checkDocument would have kept them: its check then runs only the
 * cross-file rules. */
export function rememberLocalFindings(
  file: ParsedFile,
  local: LocalCheckSettings,
  findings: (Finding[] | undefined)[],
): void {
  const fileIsKubernetes = file.docs.some((d) => resourcesOf(d).length > 0);
  file.docs.forEach((d, i) => {
    const found = findings[i];
    if (!found) return;
    const stamp = localStamp(
      local.settings,
      local.reportSyntax,
      fileIsKubernetes,
      local.defaultNamespace,
      false,
    );
    remember(d, 'local-findings', stamp, { findings: found });
  });
}

/** (`keep` false: the document is checked once and never again, as by the CLI: nothing is remembered
 * on it for a later check, and file-local findings handed over by a parse thread are let go once
 * read.) */
function allFindingsOf(
  doc: ParsedDocument,
  resources: Resource[],
  index: ResourceIndex,
  settings: CheckSettings,
  reportSyntax: boolean,
  fileIsKubernetes: boolean,
  uri = '',
  reuseCross = false,
  budget: CheckBudget = startBudget(),
  withFixes = false,
  keep = true,
): Finding[] {
  const stamp = localStamp(settings, reportSyntax, fileIsKubernetes, index.defaultNamespace, withFixes);
  const mode: RunMode = { fixes: withFixes };
  let local = recall<{ findings: Finding[] }>(doc, 'local-findings', stamp)?.value;
  if (!local) {
    const run = runLocal(doc, resources, settings, reportSyntax, fileIsKubernetes, uri, budget, index, mode);
    // (kept with the document: at its size, not with the room a list grown by push keeps)
    local = { findings: exactList(run.findings) };
    // cut short by the budget: tried again on the next check
    if (run.complete && keep) remember(doc, 'local-findings', stamp, local);
  } else if (!keep) forget(doc, 'local-findings');
  if (doc.skipped || doc.errors.some((e) => !e.warning)) return local.findings;
  // the cross-file findings of the last full check, kept while the local ones are the same
  // (at its size: it stays with the document's findings)
  const crossStamp = exactList([...stamp, local.findings]);
  const last = recall<CrossFindings>(doc, 'cross-findings', crossStamp)?.value;
  if (reuseCross && last) return last.combined;
  const cross: Finding[] = [];
  // an object without metadata.name never reaches a cluster: metadata-name-invalid reports it, and
  // its references are not followed (nor is it named "<unnamed>" in other findings)
  // a duplicated object is seen as its copy nearest to this file (workspace/nearest.ts)
  const seen = nearestCopies(index, uri);
  for (const r of resources)
    if (COVERED_KINDS.has(r.kind) && r.name !== undefined)
      runRules(CROSS_RULES, r, uri, seen, settings, cross, budget, doc, mode);
  // Same cross findings as last time: hand back the same array, so that callers' caches hold.
  if (last && sameFindings(last.cross, cross)) return last.combined;
  const combined = cross.length ? exactList([...local.findings, ...cross]) : local.findings;
  if (budget.skipped.size === 0 && keep)
    remember<CrossFindings>(doc, 'cross-findings', crossStamp, { cross: exactList(cross), combined });
  return combined;
}

/** The one notice for a file whose rules ran out of time, relative to the first document cut short. */
export function budgetNotice(doc: ParsedDocument, budget: CheckBudget): Finding {
  const ids = [...budget.skipped].sort();
  const named = ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
  const start = doc.contentStart;
  return {
    ruleId: DOCUMENT_TIME_BUDGET,
    severity: 'information',
    message: `Kube NetLens stopped checking this file here after the ${budget.ms} ms budget per file that keeps the editor responsive: from this document on, these rules did not run: ${named}. Split the file (or this document) to have it fully checked.`,
    start,
    end: Math.min(doc.text.length, start + 1),
  };
}

/** The cross-file findings of a document's last full check, and those with its local ones. */
interface CrossFindings {
  cross: Finding[];
  combined: Finding[];
}

function sameFindings(a: Finding[], b: Finding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x.ruleId !== y.ruleId ||
      x.start !== y.start ||
      x.end !== y.end ||
      x.severity !== y.severity ||
      x.message !== y.message
    )
      return false;
    if (
      x.fixable !== y.fixable ||
      JSON.stringify([x.fixes, x.related, x.tags]) !== JSON.stringify([y.fixes, y.related, y.tags])
    )
      return false;
  }
  return true;
}

export function applySeverity(findings: Finding[], settings: CheckSettings): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const s = settings.severities[f.ruleId];
    if (s === 'off') continue;
    out.push(s && s !== f.severity ? { ...f, severity: s as Severity } : f);
  }
  return out;
}

export function shift(f: Finding, base: number): Finding {
  if (base === 0) return f;
  return {
    ...f,
    start: f.start + base,
    end: f.end + base,
    fixes: f.fixes?.map((x) => ({
      ...x,
      edits: x.edits.map((e) => ({ ...e, start: e.start + base, end: e.end + base })),
    })),
  };
}

/** What a file needs before parsing: a reason to skip it, or undefined to go on. */
/** What a caller knows of a text already (from an earlier text and the edit between them): the
 * checks it answers are skipped. */
export interface PrecheckKnown {
  notBinary?: boolean;
  noHelmTemplate?: boolean;
}

export function precheck(text: string, maxBytes: number, known: PrecheckKnown = {}): Finding | undefined {
  if (text.length > maxBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return {
      ruleId: FILE_TOO_LARGE,
      severity: 'information',
      message: `Kube NetLens skipped this file: ${mb(text.length)} is over the ${mb(maxBytes)} limit (setting kubeNetlens.maxFileSize)`,
      start: 0,
      end: 0,
    };
  }
  if (!known.notBinary && looksBinary(text)) {
    return {
      ruleId: BINARY_FILE,
      severity: 'information',
      message: 'Kube NetLens skipped this file: it holds binary data, not YAML text',
      start: 0,
      end: 0,
    };
  }
  const helm = known.noHelmTemplate ? -1 : helmTemplateOffset(text);
  if (helm >= 0) {
    return {
      ruleId: HELM_TEMPLATE,
      severity: 'hint',
      message:
        'Helm template: Kube NetLens checks rendered manifests, so this file is skipped (run `helm template` and check the output)',
      start: helm,
      end: helm + 2,
    };
  }
  return undefined;
}

export function resourcesOfFile(file: ParsedFile): Resource[] {
  return file.docs.flatMap((d) => (d.errors.some((e) => !e.warning) && !d.root ? [] : resourcesOf(d)));
}

/** Local rules that report what an object leaves out: a kustomize patch leaves out what its base holds.
 * (Other rules mark such a finding with the field it is about, `missing`: a patch drops those too.) */
const ABSENCE_RULES = new Set([
  'schema-required',
  'service-no-ports',
  'workload-selector-mismatch',
  'secret-tls-keys',
  'tls-key-mismatch',
  // (a patch's container lists only some of the ports its base declares)
  'probe-port-unknown',
  'container-port-conflict',
]);
const CROSS_RULE_IDS = new Set(CROSS_RULES.flatMap((r) => [r.id, ...(r.extraIds ?? []).map((x) => x.id)]));

/** The keys a strategic-merge patch may hold besides the object's fields (Kubernetes' strategicpatch
 * package): `$patch` (replace, merge or delete the map or list item it is in), `$retainKeys`, and
 * `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` for the list named after the slash.
 * kustomize applies them; they never reach the API server. */
const PATCH_DIRECTIVE = /^["']?\$(patch|retainKeys|(setElementOrder|deleteFromPrimitiveList)\/[^"']+)["']?$/;

/** The findings of a kustomize patch's document: what its fields say, without the absence and
 * cross-resource rules and without unknown-field findings on strategic-merge directives, and a hint
 * on its (first) object that it is a patch. */
function patchFindings(
  findings: Finding[],
  doc: ParsedDocument,
  resources: Resource[],
  listed: PatchListing,
): Finding[] {
  const kept = findings.filter(
    (f) =>
      !ABSENCE_RULES.has(f.ruleId) &&
      f.missing === undefined &&
      !CROSS_RULE_IDS.has(f.ruleId) &&
      !(f.ruleId === UNKNOWN_FIELD && PATCH_DIRECTIVE.test(doc.text.slice(f.start, f.end))),
  );
  if (!resources.length) return kept;
  const r = resources[0];
  const where = decodeURIComponent(listed.kustomizationUri.replace(/^.*\//, ''));
  kept.push({
    ruleId: KUSTOMIZE_PATCH,
    severity: 'hint',
    message: `Kustomize patch (listed as "${listed.path}" in ${where}): its objects are merged into the base, so only the fields they hold are checked, and the cross-resource checks use the base objects`,
    start: r.kindNode.start,
    end: r.kindNode.end,
  });
  return kept;
}

/** Findings per document, offsets relative to each document, severities not yet applied. The
 * arrays of unchanged documents are the same objects from one call to the next (callers may cache
 * what they derive from them). */
export function checkParsedFileByDocument(
  file: ParsedFile,
  index: ResourceIndex,
  options: FileCheckOptions,
): Finding[][] {
  const perDoc = file.docs.map((d) => resourcesOf(d));
  const fileIsKubernetes = perDoc.some((rs) => rs.length > 0);
  const only = options.crossOnly;
  const budget = startBudget(options.budgetMs);
  const out = file.docs.map((d, i) =>
    checkDocument(
      d,
      perDoc[i],
      index,
      options.settings,
      options.reportSyntax,
      fileIsKubernetes,
      options.uri ?? '',
      only ? !only.has(d) : false,
      budget,
      options.withFixes,
    ),
  );
  const first = budget.firstSkipped;
  if (first) {
    const i = file.docs.indexOf(first);
    out[i] = [...out[i], budgetNotice(first, budget)];
  }
  return out;
}

/** All findings of a parsed file, offsets in the file. */
export function checkParsedFile(
  file: ParsedFile,
  index: ResourceIndex,
  options: FileCheckOptions,
): Finding[] {
  const perDoc = checkParsedFileByDocument(file, index, options);
  const out: Finding[] = [];
  file.docs.forEach((d, i) => {
    for (const f of perDoc[i]) out.push(shift(f, d.base));
  });
  return applySeverity(out, options.settings);
}

/**
 * The quick fixes of one finding, computed now: the rule that reported `ruleId` runs again over the
 * document's resources and the fixes of its findings with that id and range are returned (offsets
 * relative to the document). When several findings share id and range, `message` picks one.
 */
export function fixesFor(
  doc: ParsedDocument,
  index: ResourceIndex,
  settings: CheckSettings,
  uri: string,
  target: { ruleId: string; start: number; end: number; message?: string },
): QuickFix[] {
  if (target.ruleId === YAML_QUOTED_CONTINUATION)
    return quotedContinuationFixes(doc, target.start, target.end);
  const rule = ruleFor(target.ruleId);
  if (!rule || doc.errors.some((e) => !e.warning)) return [];
  const found: Finding[] = [];
  for (const r of resourcesOf(doc)) {
    if (COVERED_KINDS.has(r.kind) || (rule.scope === 'file' && rule.kinds?.includes(r.kind)))
      runRules(
        [rule],
        r,
        uri,
        rule.scope === 'cross-file' ? nearestCopies(index, uri) : index,
        settings,
        found,
        startBudget(),
        doc,
        { fixes: true },
      );
  }
  // the message picks among findings at one place before their fixes are looked at: a finding without
  // fixes must not borrow those of another finding of the same rule and range
  let same = found.filter(
    (f) => f.ruleId === target.ruleId && f.start === target.start && f.end === target.end,
  );
  if (same.length > 1 && target.message !== undefined) {
    const exact = same.filter((f) => f.message === target.message);
    if (exact.length) same = exact;
  }
  return same.flatMap((f) => f.fixes ?? []);
}

/** The quick fix of a continuation line of a quoted value that only Kubernetes' parser accepts: indent
 * it to the least indentation YAML 1.2 accepts there (blanks folded away: the value is unchanged). */
function quotedContinuationFixes(doc: ParsedDocument, start: number, end: number): QuickFix[] {
  const note = doc.errors.find((e) => e.code === QUOTED_CONTINUATION && e.start === start && e.end === end);
  const needed = note?.needed;
  if (!note || needed === undefined) return [];
  const lineStart = doc.text.lastIndexOf('\n', start - 1) + 1;
  const indent = start - lineStart;
  if (indent >= needed) return [];
  return [
    {
      title: `Indent this line to ${needed} ${needed === 1 ? 'space' : 'spaces'}`,
      edits: [{ start: lineStart, end: start, newText: ' '.repeat(needed) }],
      preferred: true,
    },
  ];
}
