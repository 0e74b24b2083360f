// The shapes the workbench API answers (SPEC §7), as the UI reads them. Money is a decimal string
// throughout: the UI formats it and never computes with it.

export type Role = 'commercial' | 'clerk' | 'manager' | 'admin';

export interface Me {
  name: string;
  role: Role;
}

/** An API error where it happened: SPEC §7's JSON error with the HTTP status (0: no answer). */
export interface ApiIssue {
  at: string;
  message: string;
}

export interface ApiErrorBody {
  status: number;
  error: string;
  issues?: ApiIssue[];
}

export interface VersionSummary {
  seq: number;
  hash: string;
  source: string;
  fileName?: string;
  importedBy: string;
  importedAt: string;
  errors: number;
  warnings: number;
  notices: number;
  published?: boolean;
}

export interface VersionList {
  published: number | null;
  versions: VersionSummary[];
}

export type Severity = 'error' | 'warning' | 'notice';

export interface Problem {
  severity: Severity;
  /** `Tab!Cell`, or null for the workbook as a whole. */
  at: string | null;
  code: string;
  message: string;
}

export interface VersionDetail extends VersionSummary {
  problems: Problem[];
}

export interface Imported {
  seq: number;
  hash: string;
  existing: boolean;
  errors: number;
  warnings: number;
  notices: number;
}

export interface DiffRow {
  key: string;
  row?: number;
  cells: { column: string; text: string }[];
}

export interface DiffChange {
  key: string;
  cells: { column: string; from: string; to: string }[];
}

export interface TabDiff {
  tab: string;
  keyColumns?: string[];
  counts?: { added: number; removed: number; changed: number };
  added: DiffRow[];
  removed: DiffRow[];
  changed: DiffChange[];
}

export interface VersionDiff {
  seq?: number;
  against?: number;
  tabs: TabDiff[];
}

export type RunStatus = 'queued' | 'rating' | 'done' | 'failed';

/** A run in the list; figures are present once it is done. */
export interface RunSummaryRow {
  id: number;
  status: RunStatus;
  version: number;
  /** File names (or file objects with a name). */
  files: (string | { name: string })[];
  createdBy: string;
  createdAt: string;
  input?: number | null;
  rated?: number | null;
  /** A count, or counts by reason. */
  exceptions?: number | Record<string, number> | null;
  charge?: string | null;
  cost?: string | null;
  error?: string;
}

export interface RunList {
  runs: RunSummaryRow[];
}

export interface RunProgress {
  bytes: number;
  totalBytes: number;
  lines: number;
  file?: string | null;
}

/** summary.json of a done run. */
export interface RateSummary {
  input: number;
  rated: number;
  /** Counts by reason. */
  exceptions: Record<string, number> | number;
  charge: string;
  cost: string;
  workbook?: string;
  files?: { name: string; lines: number; format: string }[];
}

export interface RunDetail {
  id: number;
  status: RunStatus;
  version?: number;
  files?: RunSummaryRow['files'];
  createdBy?: string;
  createdAt?: string;
  progress?: RunProgress | null;
  summary?: RateSummary | null;
  error?: string | null;
}

export interface RunStarted {
  id: number;
  status: RunStatus;
}

/** What a run's event stream says (SPEC §7: progress while rating, then done or failed). */
export type RunEvent = { kind: 'progress'; progress: RunProgress } | { kind: 'done'; summary: RateSummary | null } | { kind: 'failed'; error: string };

export type GridRow = Record<string, string | number | null>;

export interface GridPage {
  total: number;
  rows: GridRow[];
}
