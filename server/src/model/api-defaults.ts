// Values the API server treats as "not set". Several fields are plain Go values (int32, string,
// IntOrString) rather than pointers, so 0 and "" cannot be told apart from an omitted field: the
// defaulting code (pkg/apis/core/v1/defaults.go) fills some of them in (a Service targetPort of 0
// or "" becomes the port) and the validation code skips the others (a nodePort or hostPort of 0, an
// empty port name, an Ingress backend port number of 0 next to a name). Rules ask this module
// before calling such a value wrong.

import type { AstNode } from '../syntax/ast';
import { asScalar } from '../syntax/ast';

/** Is this value the Go zero value of an int/string field (0 or ""), or absent/null? */
export function isUnsetValue(node: AstNode | null | undefined): boolean {
  if (!node) return true;
  const s = asScalar(node);
  if (!s) return false;
  return s.value === null || s.value === 0 || s.value === '';
}
