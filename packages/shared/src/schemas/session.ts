import { Timestamp } from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import {
  FIRST_RUN_SETUP_EXAMPLE,
  SESSION_EXAMPLE,
  SETUP_STATUS_EXAMPLE,
  SIGN_IN_EXAMPLE,
} from './examples.js';

/** Shortest password an owner may choose. */
export const PASSWORD_MIN_LENGTH = 12;

/** An owner's email: trimmed and lower-cased, so sign-in is case-insensitive. */
export const OwnerEmail = z
  .email('email must be an email address such as you@example.com')
  .max(254)
  .transform((email) => email.toLowerCase())
  .meta({ example: 'you@example.com' });

/** A new password: long enough to resist guessing, short enough not to be a denial of service. */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(1024, 'password must be at most 1024 characters');

export const SignInBody = z
  .strictObject({
    email: z.string().trim().min(1, 'email is required').max(254),
    password: z.string().min(1, 'password is required').max(1024),
  })
  .meta({ id: 'SignIn', example: SIGN_IN_EXAMPLE });
export type SignInBody = z.infer<typeof SignInBody>;

export const SetupBody = z
  .strictObject({
    token: z.string().min(1, 'token is required').max(200),
    email: z.string().trim().pipe(OwnerEmail),
    password: NewPassword,
  })
  .meta({ id: 'FirstRunSetup', example: FIRST_RUN_SETUP_EXAMPLE });
export type SetupBody = z.infer<typeof SetupBody>;

/** The signed-in owner, as the dashboard sees itself. */
export const SessionInfo = z
  .object({
    owner: z.object({ id: z.string(), email: z.string() }),
    expiresAt: Timestamp,
  })
  .meta({ id: 'Session', example: SESSION_EXAMPLE });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SetupStatus = z
  .object({
    setupRequired: z
      .boolean()
      .meta({ description: 'True while no owner has a password: the first-run setup link works.' }),
  })
  .meta({ id: 'SetupStatus', example: SETUP_STATUS_EXAMPLE });
export type SetupStatus = z.infer<typeof SetupStatus>;
