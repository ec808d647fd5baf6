import { describeType } from '../../model/types.ts';
import type { Rng } from '../random.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** A random version-4 UUID. */
export const uuid: GeneratorKind<GeneratorOf<'uuid'>> = {
  check(_g, at, { type, column, add }) {
    if (type.base !== 'uuid' && type.base !== 'string' && type.base !== 'text')
      add(at, `"uuid" generator on ${describeType(type)} column "${column.name}"`);
  },
  cannotRepeat: () => true,
  rowDependencies: () => [],
  compile: () => (_row, rng) => randomUuid(rng),
};

/**
 * RFC 9562 version 4: 128 random bits from four 32-bit draws, then the 4 version bits (0100) and
 * the 2 variant bits (10) are set, leaving 122 random bits.
 */
function randomUuid(rng: Rng): string {
  const words = [rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()];
  words[1] = ((words[1]! & 0xffff0fff) | 0x00004000) >>> 0;
  words[2] = ((words[2]! & 0x3fffffff) | 0x80000000) >>> 0;
  const hex = words.map((w) => w.toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
