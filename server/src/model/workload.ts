// Where a workload keeps its pod template (labels and containers).

import type { MapNode } from '../syntax/ast';
import { asMap, getIn } from '../syntax/ast';
import type { Resource } from './resource';

/** The map holding `metadata` and `spec` of the pods a resource creates. */
export function podTemplateOf(r: Resource): MapNode | undefined {
  switch (r.kind) {
    case 'Pod':
      return r.node;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
    case 'ReplicationController':
      return asMap(getIn(r.node, ['spec', 'template']));
    case 'CronJob':
      return asMap(getIn(r.node, ['spec', 'jobTemplate', 'spec', 'template']));
    default:
      return undefined;
  }
}
