// The rules of the policy kinds beyond NetworkPolicy (admin tiers, Cilium, Calico) and of the network
// plugin, in the order their findings are listed.

import type { Rule } from './types';
import { rule as calicoSelectorInvalid } from './calico-selector-invalid';
import { rule as anpBaselinePass } from './anp-baseline-pass';
import { rule as anpV1alpha1 } from './anp-v1alpha1';
import { rule as anpPriorityOverlap } from './anp-priority-overlap';
import { rule as anpSelectsNothing } from './anp-selects-nothing';
import { rule as ciliumSelectsNothing } from './cilium-selects-nothing';
import { rule as calicoSelectsNothing } from './calico-selects-nothing';
import { rule as cniUnsupported } from './cni-unsupported';
import { rule as tierSchema } from './tier-schema';

export const TIER_RULES: Rule[] = [
  tierSchema,
  calicoSelectorInvalid,
  anpBaselinePass,
  anpV1alpha1,
  anpPriorityOverlap,
  anpSelectsNothing,
  ciliumSelectsNothing,
  calicoSelectsNothing,
  cniUnsupported,
];
