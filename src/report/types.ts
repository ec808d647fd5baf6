/**
 * The report's figures: what `ecom report --json` prints and what the HTML page shows.
 * Values are in their canonical text form (src/seed/verify/canonical.ts): decimals keep their scale,
 * datetimes are ISO 8601 UTC.
 */

export interface Report {
  model: string;
  /** Where the PostgreSQL tables were read, password redacted; null when the model has none. */
  database: string | null;
  /** The seed the exports come from (`<out>/manifest.json`). */
  seed: { seed: number; outputVersion: number } | null;
  verify: VerifySummary;
  tables: TableReport[];
}

export interface VerifySummary {
  /** passed/failed: the last verification of this data; stale: of data seeded since; missing: none. */
  status: 'passed' | 'failed' | 'stale' | 'missing';
  checks: number;
  violations: number;
}

export interface TableReport {
  name: string;
  description: string | null;
  /** As the model declares it: postgres, csv, json or api. */
  declared: string;
  /** Every place the rows are: postgres, csv, json, and api for tables the API serves. */
  destinations: string[];
  /** Why a file table also has a PostgreSQL copy: the PostgreSQL tables that reference it. */
  postgresBecause: string[];
  /** Rows counted in each destination. */
  rows: Record<string, number>;
  files: { path: string; format: string; bytes: number }[];
  /** Where the column profiles were computed: SQL on PostgreSQL, else a stream over the file. */
  profiledFrom: string;
  primaryKey: string[];
  columns: ColumnReport[];
  /** verify's checks of this table; empty when verify has not run on this data. */
  checks: CheckResult[];
}

export interface CheckResult {
  check: string;
  /** How many times it ran (per destination, column or foreign key). */
  runs: number;
  /** The violations found (verify lists at most 20 per check and table). */
  violations: { where: string; detail: string }[];
}

export interface ColumnReport {
  name: string;
  type: string;
  nullable: boolean;
  unique: boolean;
  primaryKey: boolean;
  references: { table: string; column: string; deferred: boolean } | null;
  profile: ColumnProfile;
}

export interface ColumnProfile {
  /** Rows of the table (the denominator of nullRate). */
  rows: number;
  nulls: number;
  nullRate: number;
  /** Distinct non-null values, exact. */
  distinct: number;
  /** Exact extremes: numbers by value, dates by time, text in code-point order; null for JSON or no values. */
  min: string | null;
  max: string | null;
  /** Numbers and dates: equal-width bins from min to max over the non-null values. */
  histogram?: { from: string; to: string; count: number }[];
  /** Strings, enums and booleans: the most frequent values (ties in value order) and how many rows hold others. */
  top?: { values: { value: string; count: number }[]; others: number };
  /** Foreign keys: how many rows reference each parent row, parents without any included. */
  fanOut?: FanOut;
}

export interface FanOut {
  /** The referenced column, table.column. */
  parent: string;
  /** Parent rows with a non-null key. */
  parents: number;
  min: number;
  max: number;
  /** Referencing rows per parent. */
  mean: number;
  /** Parents by their number of children, ascending, only counts that occur. */
  distribution: { children: number; parents: number }[];
}
