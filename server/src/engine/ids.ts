// Where a fact is written and which object it is about: the two identities every engine input shares,
// and the transport protocol of a port.

/** Where something is written: a file and absolute character offsets in it. */
export interface SourceRef {
  uri: string;
  start: number;
  end: number;
}

/** Identifies a resource: "Kind namespace/name". */
export interface ResourceId {
  kind: string;
  namespace: string;
  name: string;
}

/** The transport protocol of a Kubernetes port (`protocol`, TCP when omitted). */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
