import type { BrowserSessionSummary, PasskeyAssertion, PasskeySummary, SessionInfo } from '@agent-otp/shared';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { api } from './api.js';

// The passkey, step-up and Account operations (issue 15), typed by their routes' schemas like
// the rest in operations.ts (types only: no zod in the bundle).

const segment = encodeURIComponent;

/**
 * The owner's passkey and account operations, named by their operationId.
 *
 * @example
 * const { passkeys } = await accountOperations.listPasskeys();
 */
export const accountOperations = {
  startPasskeySignIn: () =>
    api('/session/passkey/options', { method: 'POST' }) as Promise<{
      options: PublicKeyCredentialRequestOptionsJSON;
    }>,
  signInWithPasskey: (response: PasskeyAssertion) =>
    api('/session/passkey', { body: { response } }) as Promise<SessionInfo>,

  listPasskeys: () => api('/account/passkeys') as Promise<{ passkeys: PasskeySummary[] }>,
  startPasskeyRegistration: () =>
    api('/account/passkeys/options', { method: 'POST' }) as Promise<{
      options: PublicKeyCredentialCreationOptionsJSON;
    }>,
  addPasskey: (body: { name?: string; response: RegistrationResponseJSON }) =>
    api('/account/passkeys', { body }) as Promise<PasskeySummary>,
  renamePasskey: (id: string, name: string) =>
    api(`/account/passkeys/${segment(id)}`, { method: 'PATCH', body: { name } }) as Promise<PasskeySummary>,
  removePasskey: (id: string) =>
    api(`/account/passkeys/${segment(id)}`, { method: 'DELETE' }) as Promise<{ removed: true }>,

  listBrowserSessions: () => api('/account/sessions') as Promise<{ sessions: BrowserSessionSummary[] }>,
  endBrowserSession: (id: string) =>
    api(`/account/sessions/${segment(id)}`, { method: 'DELETE' }) as Promise<{ ended: true }>,
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    api('/account/password', { body }) as Promise<{ changed: true; endedSessions: number }>,

  startApprovalStepUp: (id: string) =>
    api(`/approvals/${segment(id)}/step-up`, { method: 'POST' }) as Promise<{
      options: PublicKeyCredentialRequestOptionsJSON;
    }>,
};
