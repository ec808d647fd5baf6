import type { ServerResponse } from 'node:http';

/** Adds `field` to the response's `Vary` header unless it is there already (as Express's `res.vary`). */
export function addVary(res: ServerResponse, field: string): void {
  const current = res.getHeader('Vary');
  if (current === undefined) return void res.setHeader('Vary', field);
  const fields = String(current).split(/\s*,\s*/);
  if (fields.includes('*') || fields.some((f) => f.toLowerCase() === field.toLowerCase())) return;
  res.setHeader('Vary', `${String(current)}, ${field}`);
}
