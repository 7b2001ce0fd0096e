// The cheap content check that decides when the language server starts: VS Code activates the extension
// on any YAML file (`onLanguage:yaml`), which costs one small module; the server process starts only
// once an open YAML document holds a Kubernetes networking resource (or a Kube NetLens command runs).
// Pure (no `vscode` import) so that a unit test can hold it against the server's list of kinds.

/** Kinds whose presence in a YAML document starts the server: the networking resources Kube NetLens
 * checks. Workloads, Namespaces and plain Secrets alone do not (a Secret of type kubernetes.io/tls does). */
export const NETWORKING_KINDS: readonly string[] = [
  'Ingress',
  'IngressClass',
  'Service',
  'NetworkPolicy',
  // Gateway API (standard and experimental channels)
  'GatewayClass',
  'Gateway',
  'ListenerSet',
  'XListenerSet',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
  'ReferenceGrant',
  'BackendTLSPolicy',
  // policy tiers and CNI dialects
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'GlobalNetworkSet',
  'NetworkSet',
];

// One line `kind: X` (top level, or as an item of a `kind: List`), optionally quoted, with an optional
// comment. `[ \t]*` rather than `\s*`: the scan stays linear whatever the text (no run across lines).
const KIND_LINE = new RegExp(
  `^[ \\t]*(?:- )?kind:[ \\t]*["']?(?:${NETWORKING_KINDS.join('|')})["']?[ \\t]*(?:#.*)?$`,
  'm',
);
const TLS_SECRET_LINE = /^[ \t]*(?:- )?type:[ \t]*["']?kubernetes\.io\/tls["']?[ \t]*(?:#.*)?$/m;
const API_VERSION_LINE = /^[ \t]*(?:- )?apiVersion:[ \t]*\S/m;

/** At most this many characters are looked at: a huge file is decided by its beginning. */
export const SCAN_LIMIT = 1_000_000;

/** Does this YAML text hold a Kubernetes networking resource (an `apiVersion` and a networking `kind`,
 * or a TLS Secret)? A look at the text only, no parse: it runs on every YAML file the user opens. */
export function holdsNetworkingResource(text: string): boolean {
  const head = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text;
  return API_VERSION_LINE.test(head) && (KIND_LINE.test(head) || TLS_SECRET_LINE.test(head));
}

/** The extension id of YAML by Red Hat, which reports YAML syntax errors itself. */
export const RED_HAT_YAML = 'redhat.vscode-yaml';

/** Who reports plain YAML syntax errors: the user's choice (`kubeNetlens.syntaxErrors`) when they made
 * one; otherwise YAML by Red Hat when it is installed (so each error shows once), else Kube NetLens. */
export function syntaxErrorsOwner(userChoice: unknown, redHatYamlInstalled: boolean): 'report' | 'leave' {
  if (userChoice === 'report' || userChoice === 'leave') return userChoice;
  return redHatYamlInstalled ? 'leave' : 'report';
}
