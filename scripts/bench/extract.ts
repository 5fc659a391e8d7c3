/** The extractor's throughput over its own corpus (issue 3). */
import { benchExtract } from '../../packages/extract/bench/extract-bench.js';

export default async function bench(): Promise<Record<string, unknown>> {
  return { ...(await benchExtract()) };
}
