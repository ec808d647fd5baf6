/** Quotes an SQL identifier. Model names are validated snake_case, but quoting keeps that a non-issue. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
