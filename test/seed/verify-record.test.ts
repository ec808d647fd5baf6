import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../src/seed/verify.ts';
import { readVerification, recordVerification, VERIFY_RECORD } from '../../src/seed/verify/record.ts';

const dir = mkdtempSync(join(tmpdir(), 'ecom-verify-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = (seed: number) => JSON.stringify({ outputVersion: 1, model: 'm', seed, counts: { a: 1 } });
const report: VerifyReport = {
  checks: 2,
  violations: [],
  rows: { a: { postgres: 1 } },
  tables: { a: { 'primary key unique': 1, 'foreign key': 1 } },
};

describe('the verify record', () => {
  it('is current for the data it checked, and stale after any new seed', () => {
    expect(readVerification(dir)).toBeUndefined();
    writeFileSync(join(dir, 'manifest.json'), manifest(1));
    recordVerification(dir, report);
    expect(readVerification(dir)).toEqual({ report, current: true });
    // the same manifest written again (a re-seed, overrides may have changed)
    utimesSync(join(dir, 'manifest.json'), new Date(), new Date(Date.now() + 5000));
    expect(readVerification(dir)).toEqual({ report, current: false });
    recordVerification(dir, report);
    writeFileSync(join(dir, 'manifest.json'), manifest(2));
    expect(readVerification(dir)?.current).toBe(false);
  });

  it('that cannot be read counts as none', () => {
    writeFileSync(join(dir, VERIFY_RECORD), '{"report": 1}');
    expect(readVerification(dir)).toBeUndefined();
  });
});
