import { faker, type Faker } from '@faker-js/faker';

type Method = (...args: unknown[]) => unknown;

/** Resolves "module.method" on a Faker instance; undefined when no such method exists. */
export function fakerMethod(path: string, instance: Faker = faker): Method | undefined {
  const parts = path.split('.');
  if (parts.length !== 2) return undefined;
  const [mod, fn] = parts as [string, string];
  const m = (instance as unknown as Record<string, Record<string, unknown> | undefined>)[mod];
  if (!m || typeof m !== 'object' || mod.startsWith('_')) return undefined;
  const f = m[fn];
  return typeof f === 'function' ? (f as Method).bind(m) : undefined;
}
