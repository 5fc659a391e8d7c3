import type { PasskeyAssertion, SessionInfo } from '@agent-otp/shared';
import { startAuthentication } from '@simplewebauthn/browser';
import { type FormEvent, useEffect, useState } from 'react';
import { accountOperations } from '../account-operations.js';
import { describeError } from '../api.js';
import { operations } from '../operations.js';
import { useTitle } from '../router.js';

/**
 * Email + password sign-in, or a passkey (no email needed); says so when the install still
 * needs its first-run setup.
 */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: SessionInfo) => void }) {
  useTitle('Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [setupRequired, setSetupRequired] = useState(false);

  useEffect(() => {
    operations.getSetupStatus().then(
      (status) => setSetupRequired(status.setupRequired),
      () => undefined, // the form still works; the hint is optional
    );
  }, []);

  // Username-less: the browser offers the passkeys it holds for this relay (issue 15).
  const signInWithPasskey = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { options } = await accountOperations.startPasskeySignIn();
      const response = await startAuthentication({ optionsJSON: options });
      onSignedIn(await accountOperations.signInWithPasskey(response as PasskeyAssertion));
    } catch (failure) {
      setError(
        failure instanceof Error && failure.name === 'NotAllowedError'
          ? 'The passkey sign-in was cancelled or timed out.'
          : describeError(failure),
      );
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await operations.signIn({ email, password }));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  return (
    <main className="auth-page" id="main">
      <form className="auth-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Agent OTP</h1>
        {setupRequired && (
          <p className="notice" role="note">
            No owner has a password yet. Open the one-time setup link that <code>agent-otp serve</code>{' '}
            printed, or run <code>agent-otp user:create --email … --password …</code>.
          </p>
        )}
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint auth-or">or</p>
        <button
          type="button"
          className="button secondary"
          disabled={busy}
          onClick={() => void signInWithPasskey()}
        >
          Use a passkey
        </button>
      </form>
    </main>
  );
}
