import { base64ToBytes, bytesToHex } from './encoding.js';

/** The odd primes below 1000: a modulus divisible by one of them is trivially factored. */
const SMALL_PRIMES: readonly bigint[] = (() => {
  const primes: bigint[] = [];
  for (let candidate = 3; candidate < 1000; candidate += 2) {
    let prime = true;
    for (let divisor = 3; divisor * divisor <= candidate; divisor += 2)
      if (candidate % divisor === 0) {
        prime = false;
        break;
      }
    if (prime) primes.push(BigInt(candidate));
  }
  return primes;
})();

function base64UrlToBigInt(value: string): bigint {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  return BigInt(`0x${bytesToHex(base64ToBytes(padded)) || '0'}`);
}

/** The message of a key that imports but fails its trial RSA-OAEP-256 encryption. */
export const TRIAL_ENCRYPTION_FAILED = 'publicKey imports but a trial RSA-OAEP-256 encryption with it failed';

/**
 * Why an RSA modulus cannot protect anything, or undefined when it can: an even modulus is
 * not an RSA key (it imports, then every encryption fails), and one with a small prime
 * factor encrypts fine but anyone can factor it. Shared by every way a key is imported
 * (WebCrypto here, node:crypto in the relay), so the rules and their messages are one.
 *
 * @example
 * modulusProblem(2n ** 2048n); // 'publicKey modulus is even …'
 */
export function modulusProblem(modulus: bigint): string | undefined {
  if (modulus % 2n === 0n) return 'publicKey modulus is even, so it is not an RSA key and cannot encrypt';
  for (const prime of SMALL_PRIMES)
    if (modulus % prime === 0n)
      return `publicKey modulus is divisible by ${prime}, so anyone can factor it; generate a new key pair`;
  return undefined;
}

/** A JWK's base64url modulus `n` as a number. */
export function jwkModulus(n: string): bigint {
  return base64UrlToBigInt(n);
}

/**
 * Why an imported RSA public key cannot serve as an agent key, or undefined when it can.
 * WebCrypto imports keys it later cannot use (an even modulus imports, then every
 * encryption fails), so the key is proved the way the relay will use it: one RSA-OAEP-256
 * encryption of a throwaway block. A modulus with a small prime factor encrypts fine but
 * protects nothing, so it is refused too.
 *
 * @example
 * const problem = await publicKeyProblem(key); // 'publicKey modulus is even …' or undefined
 */
export async function publicKeyProblem(key: CryptoKey): Promise<string | undefined> {
  const jwk = await crypto.subtle.exportKey('jwk', key);
  if (typeof jwk.n !== 'string') return 'publicKey has no RSA modulus';
  const problem = modulusProblem(jwkModulus(jwk.n));
  if (problem) return problem;
  try {
    await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, key, crypto.getRandomValues(new Uint8Array(32)));
  } catch {
    return TRIAL_ENCRYPTION_FAILED;
  }
  return undefined;
}
