import { describe, it } from 'vitest';
import { fuzzIntake } from './fuzz-run.ts';

describe('fuzzing the report and session endpoints, long run', () => {
  it('gives no 5xx, no code outside the contract, and accepts nothing but the genuine report', async () => {
    await fuzzIntake(Number(process.env.WAHLKOFFER_FUZZ_RUNS ?? 2_000));
  });
});
