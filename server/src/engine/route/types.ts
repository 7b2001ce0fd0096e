// What a route resolution answers: the match, the nearest rule on a miss, conflicts, and the steps
// behind the backend (Service, port, pods, TLS) with their problems and notes.

import type { SourceRef } from '../types';

export type ImplementationSpecificMode = 'prefix' | 'exact' | 'regex';

export interface RouteOptions {
  /** Only Ingresses of this class (and class-less ones when this class is the default IngressClass). */
  ingressClass?: string;
  /** How ImplementationSpecific paths match (default: prefix). */
  implementationSpecific?: ImplementationSpecificMode;
}

export type RouteBackend =
  | { service: string; port: number | string | null }
  | { resource: { apiGroup: string | null; kind: string; name: string } };

export interface RouteMatch {
  /** "namespace/name" of the Ingress whose rule (or default backend) matched. */
  ingress: string;
  /** Effective class of that Ingress (spec.ingressClassName, annotation, or the default class). */
  ingressClass: string | null;
  /** The rule's host as written (lower-cased), or null for a rule without host or a default backend of a catch-all. */
  host: string | null;
  hostMatch: 'exact' | 'wildcard' | 'any' | null;
  /** The path as written; null for a default backend. */
  path: string | null;
  pathType: string | null;
  /** How the path was compared: exact, prefix or regex (ImplementationSpecific per the option). */
  matchedAs: 'exact' | 'prefix' | 'regex' | null;
  why: string;
  backend: RouteBackend;
  defaultBackend: boolean;
  /** The path entry (or the defaultBackend), its rule, and the Ingress, for an editor to reveal. */
  source?: SourceRef;
  ruleSource?: SourceRef;
  ingressSource?: SourceRef;
  backendSource?: SourceRef;
}

export interface NearestRule {
  ingress: string;
  host: string | null;
  path: string | null;
  pathType: string | null;
  why: string;
  source?: SourceRef;
}

export interface ConflictCandidate {
  ingress: string;
  backend: RouteBackend;
  source?: SourceRef;
}

export interface RouteConflict {
  kind: 'path' | 'defaultBackend';
  host: string | null;
  path: string | null;
  pathType: string | null;
  /** The candidate shown as the match (first in namespace/name order). */
  chosen: string;
  candidates: ConflictCandidate[];
  message: string;
}

export interface RouteProblem {
  step: 'url' | 'ingress' | 'backend' | 'service' | 'port' | 'workloads' | 'targetPort' | 'tls';
  message: string;
  /** The rule the same finding is reported under in the editor and `check` (a route graph problem). */
  ruleId?: string;
  severity?: 'error' | 'warning' | 'information' | 'hint';
  source?: SourceRef;
}

export interface ServiceStep {
  /** "namespace/name" */
  name: string;
  type: string;
  /** The Service port the backend chose; null when it has none that fits. */
  port: { name: string | null; port: number; protocol: string; targetPort: number | string } | null;
  selector: Record<string, string> | null;
  source?: SourceRef;
  portSource?: SourceRef;
}

export interface PodTarget {
  /** "Kind namespace/name" */
  workload: string;
  replicas: number | null;
  /** The container whose port the targetPort names or numbers; null when none does. */
  container: string | null;
  containerPort: number | null;
  portName: string | null;
  protocol: string;
  /** False when targetPort is a number no container declares (traffic still goes there). */
  declared: boolean;
  problem?: string;
  source?: SourceRef;
  portSource?: SourceRef;
}

export interface TlsCoverage {
  ingress: string;
  secretName?: string;
  hosts: string[];
  source?: SourceRef;
}

export interface RouteResult {
  url: string;
  /** The request's host, lower-cased, without port. Empty when the URL is invalid. */
  host: string;
  /** The request's path as written (no query, no fragment, no percent-decoding). */
  path: string;
  ingressClass: string | null;
  implementationSpecific: ImplementationSpecificMode;
  match: RouteMatch | null;
  reason?: string;
  nearest?: NearestRule;
  conflicts: RouteConflict[];
  service?: ServiceStep;
  tls?: TlsCoverage;
  pods: PodTarget[];
  /** Where the route breaks ("Service shop/web not found", ...). */
  problems: RouteProblem[];
  /** Worth knowing, not broken. */
  notes: string[];
}
