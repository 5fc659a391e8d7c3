/** The extractor's throughput over its own corpus (issue 3) and its cost per message size (issue 9). */
import { benchExtract } from '../../packages/extract/bench/extract-bench.js';
import { benchExtractBySize } from '../../packages/extract/bench/size-bench.js';

export default async function bench(): Promise<Record<string, unknown>> {
  return { ...(await benchExtract()), bySize: benchExtractBySize() };
}
