import { monotonicFactory } from 'ulidx';
import { pooledPrng } from './pooled-prng.js';

/** Monotonic: IDs made within one millisecond still sort in creation order. */
const ulid = monotonicFactory(pooledPrng());

/** The prefixes of every ID kind; the prefix tells a reader what an ID is. */
export type IdPrefix =
  | 'otp'
  | 'agt'
  | 'key'
  | 'src'
  | 'usr'
  | 'ses'
  | 'evt'
  | 'prm'
  | 'stp'
  | 'lga'
  | 'tgl'
  | 'tgm'
  | 'pol'
  | 'hld'
  | 'unc'
  | 'mbx'
  | 'pky'
  | 'pkc'
  | 'psh';

/**
 * A new prefixed, time-sortable ID (`otp_01JD2W…`).
 *
 * @example
 * newId('otp'); // 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N'
 */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}
