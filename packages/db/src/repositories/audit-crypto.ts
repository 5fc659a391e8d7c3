import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { AuditCheckpointsTable, AuditEventRow } from '../schema.js';

/**
 * The secret that keys the audit chain. The database never holds it: it comes from
 * `AUDIT_KEY`, `AUDIT_KEY_FILE` or `DATA_DIR/audit.key`. `id` names it without revealing it.
 */
export interface AuditKey {
  readonly secret: Buffer;
  /** An HMAC of a fixed label under the key: lets start-up tell a wrong key from tampering. */
  readonly id: string;
}

// Each use of the key signs a differently labelled message, so a row hash can never pass
// for a checkpoint signature or the other way round.
const ROW = 'agent-otp audit row v1\n';
const CHECKPOINT = 'agent-otp audit checkpoint v1\n';
const MANIFEST = 'agent-otp audit manifest v1\n';
const KEY_ID = 'agent-otp audit key id v1';

function hmacHex(key: AuditKey, label: string, message: string): string {
  return createHmac('sha256', key.secret).update(label).update(message).digest('hex');
}

/**
 * Turns key material (at least 32 characters, e.g. `openssl rand -hex 32`) into an {@link AuditKey}.
 *
 * @example
 * const key = auditKeyFrom(readFileSync('data/audit.key', 'utf8').trim());
 */
export function auditKeyFrom(material: string): AuditKey {
  const secret = Buffer.from(material, 'utf8');
  const id = createHmac('sha256', secret).update(KEY_ID).digest('hex').slice(0, 16);
  return { secret, id };
}

/** Everything a row says, in the one order that is hashed. */
function rowContent(row: Omit<AuditEventRow, 'hash'>): string {
  return canonicalJson({
    action: row.action,
    actorId: row.actor_id,
    actorType: row.actor_type,
    chain: row.chain,
    channel: row.channel,
    createdAt: row.created_at,
    details: row.details,
    id: row.id,
    seq: row.seq,
    targetId: row.target_id,
  });
}

/**
 * The hash rows carried before the chain was keyed (plain SHA-256, which anyone can
 * recompute); still used to verify the rows a checkpoint marks as legacy.
 *
 * @example
 * legacyAuditRowHash(row) === row.hash;
 */
export function legacyAuditRowHash(row: Omit<AuditEventRow, 'hash'>): string {
  return createHash('sha256').update(row.prev_hash).update('\n').update(rowContent(row)).digest('hex');
}

/**
 * A keyed row hash: HMAC-SHA256 over the previous hash and the row's content, so nobody
 * without the key can re-hash a chain after editing a row.
 *
 * @example
 * const hash = keyedAuditRowHash(key, rowWithoutHash);
 */
export function keyedAuditRowHash(key: AuditKey, row: Omit<AuditEventRow, 'hash'>): string {
  return hmacHex(key, ROW, `${row.prev_hash}\n${rowContent(row)}`);
}

export type CheckpointContent = Pick<
  AuditCheckpointsTable,
  'chain' | 'legacy_length' | 'length' | 'head_hash'
>;

/**
 * The signature of a checkpoint: its chain, how many rows are legacy, its length and head.
 *
 * @example
 * const signature = signAuditCheckpoint(key, { chain, legacy_length: 0, length: 1, head_hash });
 */
export function signAuditCheckpoint(key: AuditKey, checkpoint: CheckpointContent): string {
  return hmacHex(
    key,
    CHECKPOINT,
    canonicalJson({
      chain: checkpoint.chain,
      headHash: checkpoint.head_hash,
      legacyLength: checkpoint.legacy_length,
      length: checkpoint.length,
    }),
  );
}

/**
 * The signature of the manifest: the key that sealed it and every chain, sorted.
 *
 * @example
 * const signature = signAuditManifest(key, ['system', 'usr_1']);
 */
export function signAuditManifest(key: AuditKey, chains: readonly string[]): string {
  return hmacHex(key, MANIFEST, canonicalJson({ chains: [...chains].sort(), keyId: key.id }));
}

/**
 * Compares two hex digests in constant time (a differing length is simply unequal).
 *
 * @example
 * sameDigest(signAuditCheckpoint(key, row), row.signature);
 */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
