import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_CONFIDENCE, explainExtraction, MIN_CONFIDENCE } from '../src/index.js';
import { loadCorpus, toInput } from './corpus/index.js';

// Buckets of the best candidate's confidence, whether or not it reached MIN_CONFIDENCE: the
// ones below it show what the threshold keeps out.
const EDGES = [0, 0.3, MIN_CONFIDENCE, 0.6, DEFAULT_DELIVERY_CONFIDENCE, 0.8, 0.9, 1.01];

interface Bucket {
  from: number;
  to: number;
  total: number;
  right: number;
}

/** Per bucket, how often the best candidate of a tuning case is the expected code. */
function calibrationByBucket(): Bucket[] {
  const buckets: Bucket[] = EDGES.slice(0, -1).map((from, index) => ({
    from,
    to: EDGES[index + 1] ?? 1,
    total: 0,
    right: 0,
  }));
  for (const corpusCase of loadCorpus()) {
    const best = explainExtraction(toInput(corpusCase)).candidates.find((candidate) => candidate.score > 0);
    if (!best) continue;
    const bucket = buckets.find(({ from, to }) => best.score >= from && best.score < to);
    if (!bucket) throw new Error(`confidence ${best.score} outside 0..1`);
    bucket.total++;
    if (best.code === corpusCase.expected) bucket.right++;
  }
  return buckets;
}

describe('confidence calibration on the tuning split (issue 14)', () => {
  const buckets = calibrationByBucket();
  const share = (bucket: Bucket) => (bucket.total === 0 ? 1 : bucket.right / bucket.total);
  console.info(
    buckets
      .map((bucket) => `confidence [${bucket.from}, ${bucket.to}): ${bucket.right}/${bucket.total} right`)
      .join('\n'),
  );

  it('is right at least 99% of the time at 0.9 and above', () => {
    const top = buckets.filter((bucket) => bucket.from >= 0.9);
    const total = top.reduce((sum, bucket) => sum + bucket.total, 0);
    const right = top.reduce((sum, bucket) => sum + bucket.right, 0);
    expect(total).toBeGreaterThan(0);
    expect(right / total).toBeGreaterThanOrEqual(0.99);
  });

  it('separates at DEFAULT_DELIVERY_CONFIDENCE: above it codes are right, well below MIN_CONFIDENCE they are not', () => {
    const delivered = buckets.filter((bucket) => bucket.from >= DEFAULT_DELIVERY_CONFIDENCE);
    for (const bucket of delivered)
      expect(share(bucket), `[${bucket.from}, ${bucket.to})`).toBeGreaterThanOrEqual(0.98);
    // Below 0.3 the best candidate is almost never the code: the threshold loses nothing there.
    expect(share(buckets[0] as Bucket)).toBeLessThanOrEqual(0.1);
  });

  it('never reports more confidence than a lower bucket is right', () => {
    const filled = buckets.filter((bucket) => bucket.total >= 10 && bucket.from >= MIN_CONFIDENCE);
    for (const [index, bucket] of filled.entries()) {
      const next = filled[index + 1];
      if (next) expect(share(next) + 0.02).toBeGreaterThanOrEqual(share(bucket));
    }
  });
});
