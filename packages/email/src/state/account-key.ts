import { createHash } from 'node:crypto';

/** Accounts are stored under a hash, so no cursor store holds a mail address. */
export function accountKey(account: string): string {
  return createHash('sha256').update(account).digest('hex');
}
