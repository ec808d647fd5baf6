import { timeline } from './after.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** A timestamp before every referenced timestamp (see `after`): a hire date before the first order taken. */
export const before: GeneratorKind<GeneratorOf<'before'>> = timeline('before');
