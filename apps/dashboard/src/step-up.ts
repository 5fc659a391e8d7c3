import type { DecisionSubjectResponse as DecisionSubject, PasskeyAssertion } from '@agent-otp/shared';
import { startAuthentication, WebAuthnError } from '@simplewebauthn/browser';
import { accountOperations } from './account-operations.js';
import { ApiError, describeError } from './api.js';

/** Whether approving this request asks for a passkey first (a pending high-risk request, issue 15). */
export function needsStepUp(subject: Pick<DecisionSubject, 'pending' | 'risk'>): boolean {
  return subject.pending && subject.risk?.level === 'high';
}

/** Why a step-up did not happen, in words, and whether adding a passkey would fix it. */
export class StepUpFailure extends Error {
  override readonly name = 'StepUpFailure';
  constructor(
    message: string,
    readonly addPasskey: boolean,
  ) {
    super(message);
  }
}

/**
 * Asks the owner's authenticator to confirm approving `requestId` (the relay's challenge is
 * bound to this session and this request, and lasts 120 s). Called from the Approve click
 * itself, so the browser sees a user gesture. Rejects with a {@link StepUpFailure}.
 *
 * @example
 * const passkey = await confirmWithPasskey(subject.id);
 */
export async function confirmWithPasskey(requestId: string): Promise<PasskeyAssertion> {
  let options: Awaited<ReturnType<typeof accountOperations.startApprovalStepUp>>;
  try {
    options = await accountOperations.startApprovalStepUp(requestId);
  } catch (error) {
    const noPasskey = error instanceof ApiError && error.code === 'STEP_UP_REQUIRED';
    throw new StepUpFailure(
      noPasskey
        ? 'Approving a high-risk request needs a passkey, and you have none yet. Nothing was approved.'
        : describeError(error),
      noPasskey,
    );
  }
  try {
    return (await startAuthentication({ optionsJSON: options.options })) as PasskeyAssertion;
  } catch (error) {
    const cancelled =
      (error instanceof Error && error.name === 'NotAllowedError') ||
      (error instanceof WebAuthnError && error.code === 'ERROR_CEREMONY_ABORTED');
    throw new StepUpFailure(
      cancelled
        ? 'The passkey check was cancelled or timed out. Nothing was approved.'
        : `The passkey check failed: ${(error as Error).message}. Nothing was approved.`,
      false,
    );
  }
}
