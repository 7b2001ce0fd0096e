// The shape of a hand-written field note (features/field-notes*.ts).

export interface FieldNote {
  /** One to three sentences: what the field does in practice for someone writing the YAML by hand, and the usual mistake. Markdown allowed (inline code). */
  note: string;
  /** The default when omitted, in words, e.g. "`ClusterIP`" or "inferred: Ingress always, Egress when egress rules exist". */
  default?: string;
}
