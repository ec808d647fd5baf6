import { afterAll } from 'vitest';
import { cleanUp } from './helpers/cleanup.ts';

// Whatever the helpers created (temp folders, scratch databases) goes, even after a failed test.
afterAll(cleanUp);
