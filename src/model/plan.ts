import { destinationsOf, type ResolvedModel } from './resolve.ts';

/** The destination plan as text: where each table lands and why it has a PostgreSQL copy. */
export function describePlan(model: ResolvedModel): string {
  const rows = model.tables.map((t) => {
    const why = t.postgresBecause.length ? ` (PostgreSQL copy: referenced by ${t.postgresBecause.join(', ')})` : '';
    return `  ${t.name.padEnd(Math.max(...model.tables.map((x) => x.name.length)))}  ${String(t.count).padStart(7)} rows  → ${destinationsOf(t).join(' + ')}${why}`;
  });
  return [`Model "${model.name}": ${model.tables.length} tables in dependency order`, ...rows].join('\n');
}
