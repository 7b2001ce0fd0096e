// Types of preview-audit.mjs (plain JavaScript: the e2e runs it without a TypeScript step).

export interface PreviewAudit {
  /** The page's width (CSS px). */
  width: number;
  /** Which graph layout is drawn ("columns" or "outline"), null in the matrix view. */
  layout: string | null;
  /** How many toolbar groups sit in the More menu. */
  moved: number;
  /** Texts measured. */
  texts: number;
  minFont: number;
  minFontAt: string;
  minText: number;
  minTextAt: string;
  minMark: number;
  minMarkAt: string;
  failures: string[];
}

export function auditScript(): string;
export function previewAudit(): PreviewAudit;
