import { AppError } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';

/** Who the relay is to an authenticator: the RP ID its passkeys are scoped to, and the origin browsers report. */
export interface RelyingParty {
  /** The host name of `PUBLIC_URL` (no port): passkeys work on it and only on it. */
  id: string;
  /** `PUBLIC_URL`'s origin, which `clientDataJSON.origin` must equal. */
  origin: string;
  name: string;
}

const LOCALHOST = /^(localhost|.+\.localhost)$/;
const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[.*\])$/;

/**
 * The relying party passkeys are checked against, from `PUBLIC_URL`. Browsers offer WebAuthn
 * only in a secure context (https, or http on localhost), and an RP ID must be a domain
 * name, never an IP address; any other address is refused with FORBIDDEN saying what to set,
 * rather than handing out options no browser would accept.
 *
 * @example
 * relyingParty({ publicUrl: 'https://otp.example.com' }); // { id: 'otp.example.com', origin: 'https://otp.example.com', … }
 */
export function relyingParty(ctx: Pick<CoreContext, 'publicUrl'>): RelyingParty {
  const url = new URL(ctx.publicUrl);
  const host = url.hostname;
  if (IP_ADDRESS.test(host))
    throw new AppError(
      'FORBIDDEN',
      `passkeys need PUBLIC_URL to name the relay by a domain name, not an IP address (it is ${url.origin}); set PUBLIC_URL to the https address owners open`,
    );
  if (url.protocol !== 'https:' && !LOCALHOST.test(host))
    throw new AppError(
      'FORBIDDEN',
      `passkeys need a secure address: PUBLIC_URL is ${url.origin}; set it to the https address owners open (http works only for localhost)`,
    );
  return { id: host, origin: url.origin, name: 'Agent OTP' };
}
