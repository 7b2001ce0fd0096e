// The shape of the annotation knowledge table: what an Ingress annotation of a controller does, the
// value it takes, its default, what the Gateway API offers instead, and how the migration treats it.

import type { IngressControllerKind } from '../controller';

/** The value formats the controllers parse (each checked in linear time: ./values.ts). */
export type ValueFormat =
  /** Go's strconv.ParseBool: true/false, 1/0, t/f, TRUE/FALSE, True/False. */
  | { type: 'bool' }
  /** Go's strconv.Atoi (an optional sign and digits), with an optional range and unit. */
  | { type: 'int'; min?: number; max?: number; unit?: string }
  /** An nginx size: digits with an optional k, m or g (any case). */
  | { type: 'size' }
  /** A comma-separated list of CIDRs or plain IP addresses. */
  | { type: 'cidrs' }
  /** One of a list of words. */
  | { type: 'options'; options: readonly string[]; caseInsensitive?: boolean }
  /** A value the controller checks against a regular expression (RE2 syntax, evaluated with re2js);
   * `removeSpaces`: the controller drops spaces before checking. */
  | { type: 'pattern'; pattern: string; removeSpaces?: boolean; describe: string }
  /** nginx configuration copied verbatim into the generated configuration. */
  | { type: 'snippet' }
  /** A Service name (a DNS-1035 label). */
  | { type: 'service-name' }
  /** A host name, or a comma-separated list of them. */
  | { type: 'server-names'; list?: boolean }
  /** `CN=<regular expression>`. */
  | { type: 'common-name' }
  /** A JSON document (AWS Load Balancer Controller actions and conditions). */
  | { type: 'json' }
  /** A Go duration such as 30s, 5m or 1h30m. */
  | { type: 'duration' }
  /** Free text: the controller does not check it. */
  | { type: 'text' };

/** How the migration to the Gateway API treats the annotation. */
export type MigrationTreatment =
  /** The converter writes the Gateway API equivalent. */
  | 'converted'
  /** No (standard) Gateway API equivalent, or not one the converter writes: listed as unconverted. */
  | 'reported'
  /** Nothing to carry over (logging, controller internals that a Gateway implementation decides). */
  | 'not-applicable';

export interface AnnotationSpec {
  /** The full key, e.g. nginx.ingress.kubernetes.io/use-regex. */
  key: string;
  controller: IngressControllerKind;
  /** What it does, in one or two sentences. */
  summary: string;
  value: ValueFormat;
  /** The default when the annotation is absent (the controller's own, or its ConfigMap's). */
  default?: string;
  /** The Gateway API equivalent, or null when there is none. */
  gateway: string | null;
  migration: MigrationTreatment;
  /** ingress-nginx's own risk grade of the annotation (its --annotations-risk-level refuses higher ones). */
  risk?: 'Low' | 'Medium' | 'High' | 'Critical';
  /** Other keys the controller also reads for it (deprecated spellings). */
  aliases?: readonly string[];
  /** Set when current releases no longer read it: why, and what replaced it. */
  removed?: string;
  /** Only has an effect together with these annotations (full keys), e.g. canary-weight needs canary. */
  requires?: readonly string[];
}
