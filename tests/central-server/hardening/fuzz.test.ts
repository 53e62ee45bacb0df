import { describe, it } from 'vitest';
import { fuzzIntake } from './fuzz-run.ts';

describe('fuzzing the report and session endpoints (bounded; longer in npm run test:long)', () => {
  it('gives no 5xx, no code outside the contract, and accepts nothing but the genuine report', async () => {
    await fuzzIntake(60);
  }, 120_000);
});
