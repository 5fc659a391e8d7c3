import { Timestamp } from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import { NewPassword } from './session.js';

/**
 * Passkeys (WebAuthn) and the Account page (issue 15). The WebAuthn structures are the JSON
 * forms of the Level 3 specification, as `@simplewebauthn/browser` produces and takes them;
 * they are checked here for shape and size only, and by the relay's WebAuthn verifier for
 * everything else.
 */

/** base64url text of a bounded length: every binary field of a WebAuthn answer. */
const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max, `must be at most ${max} characters`)
    .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'must be base64url');

const PASSKEY_ID_EXAMPLE = 'pky_01JD2W9X3YH4Q7M5RZ8T6KCB2N';
const CREDENTIAL_ID_EXAMPLE = 'Vb4nb0Pq0cCjVp3cZ2c6jQ';

const ASSERTION_EXAMPLE = {
  id: CREDENTIAL_ID_EXAMPLE,
  rawId: CREDENTIAL_ID_EXAMPLE,
  type: 'public-key',
  response: {
    clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0',
    authenticatorData: 'SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ',
    signature: 'MEUCIQDx',
  },
  clientExtensionResults: {},
};

const REGISTRATION_EXAMPLE = {
  id: CREDENTIAL_ID_EXAMPLE,
  rawId: CREDENTIAL_ID_EXAMPLE,
  type: 'public-key',
  response: {
    clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0',
    attestationObject: 'o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVjF',
    transports: ['internal'],
  },
  authenticatorAttachment: 'platform',
  clientExtensionResults: {},
};

/** A name the owner gives a passkey ("Work laptop"): one line, plain text. */
export const PasskeyName = z
  .string()
  .trim()
  .min(1, 'name is required')
  .max(64, 'name must be at most 64 characters')
  // Control and format characters (line breaks, bidirectional overrides) could disguise a name.
  .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), 'name must be one line of plain text')
  .meta({ example: 'Work laptop' });

/** What `navigator.credentials.create()` answered, as JSON. */
export const PasskeyRegistrationResponse = z
  .object({
    id: base64url(1024),
    rawId: base64url(1024),
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: base64url(4096),
      attestationObject: base64url(16_384),
      transports: z.array(z.string().max(32)).max(10).optional(),
      authenticatorData: base64url(8192).optional(),
      publicKey: base64url(4096).optional(),
      publicKeyAlgorithm: z.number().int().optional(),
    }),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    clientExtensionResults: z.record(z.string(), z.unknown()),
  })
  .meta({
    id: 'PasskeyRegistrationResponse',
    description: 'The JSON form of a `PublicKeyCredential` from `navigator.credentials.create()`.',
    example: REGISTRATION_EXAMPLE,
  });

/** What `navigator.credentials.get()` answered, as JSON. */
export const PasskeyAssertion = z
  .object({
    id: base64url(1024),
    rawId: base64url(1024),
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: base64url(4096),
      authenticatorData: base64url(8192),
      signature: base64url(2048),
      userHandle: base64url(256).optional(),
    }),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    clientExtensionResults: z.record(z.string(), z.unknown()),
  })
  .meta({
    id: 'PasskeyAssertion',
    description: 'The JSON form of a `PublicKeyCredential` from `navigator.credentials.get()`.',
    example: ASSERTION_EXAMPLE,
  });
export type PasskeyAssertion = z.infer<typeof PasskeyAssertion>;

/**
 * Options for `navigator.credentials.create()` or `.get()` (pass them to
 * `@simplewebauthn/browser`'s `startRegistration` / `startAuthentication`). Single-use; they
 * expire after 120 s.
 */
export const PasskeyOptions = z
  .object({
    options: z
      .looseObject({ challenge: z.string(), rpId: z.string().optional(), timeout: z.number().optional() })
      .meta({
        description: 'PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON.',
      }),
  })
  .meta({
    id: 'PasskeyOptions',
    example: {
      options: {
        challenge: 'kX3rQ1c0l9oVb4nb0Pq0cCjVp3cZ2c6jQ',
        rpId: 'otp.example.com',
        timeout: 120000,
        userVerification: 'required',
      },
    },
  });

/** Body of `POST /api/v1/account/passkeys`. */
export const AddPasskeyBody = z
  .strictObject({ name: PasskeyName.optional(), response: PasskeyRegistrationResponse })
  .meta({ id: 'AddPasskey', example: { name: 'Work laptop', response: REGISTRATION_EXAMPLE } });
export type AddPasskeyBody = z.input<typeof AddPasskeyBody>;

/** Body of `PATCH /api/v1/account/passkeys/{id}`. */
export const RenamePasskeyBody = z
  .strictObject({ name: PasskeyName })
  .meta({ id: 'RenamePasskey', example: { name: 'Phone' } });

/** Body of `POST /api/v1/session/passkey`. */
export const PasskeySignInBody = z
  .strictObject({ response: PasskeyAssertion })
  .meta({ id: 'PasskeySignIn', example: { response: ASSERTION_EXAMPLE } });

const PASSKEY_EXAMPLE = {
  id: PASSKEY_ID_EXAMPLE,
  name: 'Work laptop',
  createdAt: '2026-11-22T13:05:00.000Z',
  lastUsedAt: '2026-11-23T08:12:40.000Z',
  backedUp: false,
};

/** One of the owner's passkeys, as the Account page lists it. */
export const PasskeySummary = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    backedUp: z
      .boolean()
      .meta({ description: 'Synced to other devices by its provider (a multi-device passkey).' }),
  })
  .meta({ id: 'Passkey', example: PASSKEY_EXAMPLE });
export type PasskeySummary = z.infer<typeof PasskeySummary>;

export const PasskeyList = z
  .object({ passkeys: z.array(PasskeySummary) })
  .meta({ id: 'PasskeyList', example: { passkeys: [PASSKEY_EXAMPLE] } });

export const PasskeyRemoved = z
  .object({ removed: z.literal(true) })
  .meta({ id: 'PasskeyRemoved', example: { removed: true } });

/** Path parameter: a passkey's ID. */
export const PasskeyId = z
  .string()
  .regex(/^pky_[0-9A-HJKMNP-TV-Z]{26}$/, 'id must be a passkey ID such as pky_01JD2W9X3YH4Q7M5RZ8T6KCB2N')
  .meta({ example: PASSKEY_ID_EXAMPLE });

/** Body of `POST /api/v1/account/password`. */
export const ChangePasswordBody = z
  .strictObject({
    currentPassword: z.string().min(1, 'currentPassword is required').max(1024),
    newPassword: NewPassword,
  })
  .meta({
    id: 'ChangePassword',
    example: { currentPassword: 'the one you use now', newPassword: 'a long new passphrase' },
  });
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

export const PasswordChanged = z
  .object({
    changed: z.literal(true),
    endedSessions: z.number().int().meta({ description: 'How many other browser sessions were ended.' }),
  })
  .meta({ id: 'PasswordChanged', example: { changed: true, endedSessions: 2 } });

/** One browser session of the owner, as the Account page lists it. */
export const BrowserSessionSummary = z
  .object({
    id: z.string(),
    userAgent: z
      .string()
      .nullable()
      .meta({ description: "The browser's User-Agent at sign-in, if it sent one." }),
    createdAt: Timestamp,
    lastSeenAt: Timestamp.nullable(),
    expiresAt: Timestamp,
    current: z.boolean().meta({ description: 'The session making this request.' }),
  })
  .meta({ id: 'BrowserSession' });
export type BrowserSessionSummary = z.infer<typeof BrowserSessionSummary>;

export const BrowserSessionList = z.object({ sessions: z.array(BrowserSessionSummary) }).meta({
  id: 'BrowserSessionList',
  example: {
    sessions: [
      {
        id: 'ses_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
        createdAt: '2026-11-22T13:05:00.000Z',
        lastSeenAt: '2026-11-22T13:40:00.000Z',
        expiresAt: '2026-11-23T01:05:00.000Z',
        current: true,
      },
    ],
  },
});

/** Path parameter: a browser session's ID. */
export const BrowserSessionId = z
  .string()
  .regex(/^ses_[0-9A-HJKMNP-TV-Z]{26}$/, 'id must be a session ID such as ses_01JD2W9X3YH4Q7M5RZ8T6KCB2N')
  .meta({ example: 'ses_01JD2W9X3YH4Q7M5RZ8T6KCB2N' });

export const SessionEnded = z
  .object({ ended: z.literal(true) })
  .meta({ id: 'SessionEnded', example: { ended: true } });
