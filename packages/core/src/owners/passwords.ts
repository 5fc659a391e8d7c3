import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { PasswordHashGate } from './password-hash-gate.js';

/**
 * scrypt parameters for owner passwords: N = 2^15, r = 8, p = 3, one of the settings OWASP's
 * Password Storage Cheat Sheet lists as equivalent to its N = 2^17 minimum. Each hash needs
 * 128·N·r = 32 MiB of memory (what makes GPU and ASIC guessing expensive) and about 0.2–0.5 s
 * of CPU. The parameters are stored with each hash, so raising them later keeps old hashes
 * verifiable.
 */
export const SCRYPT_PARAMS = { logN: 15, r: 8, p: 3, keyLength: 32, saltLength: 16 } as const;

/** Headroom above 128·N·r, or Node refuses the call. */
const MAX_MEMORY = 64 * 1024 * 1024;

/**
 * Bounds hashing where no gate is passed in (CLI commands); the server passes the one it
 * built from PASSWORD_HASH_CONCURRENCY and PASSWORD_HASH_QUEUE.
 */
export const defaultPasswordHashGate = new PasswordHashGate();
const defaultGate = defaultPasswordHashGate;

function scryptAsync(
  gate: PasswordHashGate,
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
  priority = false,
) {
  return gate.run(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
          error ? reject(error) : resolve(key),
        ),
      ),
    { priority },
  );
}

/**
 * Hashes a password with scrypt and a fresh random salt:
 * `scrypt$<logN>$<r>$<p>$<salt base64>$<hash base64>`.
 *
 * @example
 * const stored = await hashPassword('correct horse battery staple');
 */
export async function hashPassword(password: string, gate: PasswordHashGate = defaultGate): Promise<string> {
  const { logN, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const key = await scryptAsync(gate, password, salt, keyLength, {
    N: 2 ** logN,
    r,
    p,
    maxmem: MAX_MEMORY,
  });
  return ['scrypt', logN, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Whether `password` matches a hash made by {@link hashPassword}; compares in constant time.
 * A malformed stored hash never matches.
 *
 * @example
 * if (await verifyPassword(typed, user.password_hash)) signIn();
 */
export async function verifyPassword(
  password: string,
  stored: string,
  gate: PasswordHashGate = defaultGate,
  options: { priority?: boolean } = {},
): Promise<boolean> {
  const [scheme, logN, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const params = { N: 2 ** Number(logN), r: Number(r), p: Number(p), maxmem: MAX_MEMORY };
  if (![params.N, params.r, params.p].every(Number.isSafeInteger) || expected.length === 0) return false;
  const actual = await scryptAsync(
    gate,
    password,
    Buffer.from(salt, 'base64'),
    expected.length,
    params,
    options.priority,
  );
  return timingSafeEqual(actual, expected);
}

let decoy: Promise<string> | undefined;

/**
 * Spends the same time as a real check when there is no hash to check against (unknown
 * email), so response times do not tell which emails have accounts.
 *
 * @example
 * const ok = user ? await verifyPassword(typed, user.password_hash, gate) : await verifyAgainstDecoy(typed, gate);
 */
export async function verifyAgainstDecoy(
  password: string,
  gate: PasswordHashGate = defaultGate,
): Promise<false> {
  decoy ??= hashPassword('decoy password that never matches', gate);
  // A failed first hash (gate full) must not poison every later decoy check.
  const stored = await decoy.catch((error: unknown) => {
    decoy = undefined;
    throw error;
  });
  await verifyPassword(password, stored, gate);
  return false;
}
