import type { Faker } from '@faker-js/faker';
import type { ColumnOverride } from './engine.ts';

/** What an override function receives: everything it needs to stay deterministic. */
export interface OverrideContext<Row> {
  /** The 0-based row index. */
  index: number;
  /** Faker seeded for this very cell: the same seed always gives the same value. */
  faker: Faker;
  /** Another column of the same row. */
  get<K extends keyof Row & string>(column: K): Row[K];
  /** A column of the row referenced by one of this row's foreign keys. */
  ref(foreignKey: keyof Row & string, column: string): unknown;
}

/** Per-column replacements for the model's generators. */
export type Overrides<Row> = { [K in keyof Row]?: (ctx: OverrideContext<Row>) => Row[K] };

/** A generated seeder module: the table, its columns in order, and the user's overrides. */
export interface Seeder<Row> {
  table: string;
  columns: (keyof Row & string)[];
  overrides: Overrides<Row>;
}

/** The overrides of a seeder, in the engine's untyped form. */
export function engineOverrides(seeder: Seeder<unknown>): Record<string, ColumnOverride> {
  return seeder.overrides as Record<string, ColumnOverride>;
}
