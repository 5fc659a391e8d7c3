import { useTitle } from '../../router.js';
import { useSession } from '../../session.js';
import { ChangePasswordForm } from './change-password-form.js';
import { PasskeysSection } from './passkeys-section.js';
import { SessionsSection } from './sessions-section.js';

/**
 * The owner's own security (issue 15): passkeys (sign-in and the step-up high-risk
 * approvals need), the browser sessions signed in as them, and the password.
 */
export function AccountPage() {
  useTitle('Account');
  const { session } = useSession();
  return (
    <>
      <h1>Account</h1>
      <p className="hint">Signed in as {session.owner.email}.</p>
      <PasskeysSection />
      <SessionsSection />
      <ChangePasswordForm />
    </>
  );
}
