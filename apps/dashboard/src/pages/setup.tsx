import type { SessionInfo } from '@agent-otp/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { describeError } from '../api.js';
import { operations } from '../operations.js';
import { Link, useLocation, useTitle } from '../router.js';

const MIN_PASSWORD = 12;

/** First run: the one-time link from `agent-otp serve` creates the owner and signs them in. */
export function SetupPage({ onSignedIn }: { onSignedIn: (session: SessionInfo) => void }) {
  useTitle('Set up');
  const { query } = useLocation();
  const token = query.get('token') ?? '';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // Once an owner has a password no setup link is printed any more: the page says where to
  // go instead of offering a form that can only fail.
  const [alreadySetUp, setAlreadySetUp] = useState(false);

  useEffect(() => {
    operations.getSetupStatus().then(
      (status) => setAlreadySetUp(!status.setupRequired),
      () => undefined, // the form still works; submitting it gives the server's answer
    );
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setError(`The password must be at least ${MIN_PASSWORD} characters.`);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await operations.completeSetup({ token, email, password }));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  if (alreadySetUp)
    return (
      <main className="auth-page" id="main">
        <section className="auth-card" aria-labelledby="setup-title">
          <h1 id="setup-title">Already set up</h1>
          <p className="notice" role="note">
            This relay is already set up: <Link href="/sign-in">sign in</Link>.
          </p>
          <p className="hint">
            Setup links work once, and only until an owner has a password. More owners are added with{' '}
            <code>agent-otp user:create</code> on the server.
          </p>
        </section>
      </main>
    );

  return (
    <main className="auth-page" id="main">
      <form className="auth-card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Set up Agent OTP</h1>
        {token ? (
          <p>
            Choose the email and password you will sign in with. Agents already created with the CLI stay
            yours.
          </p>
        ) : (
          <p className="notice" role="note">
            This page needs the one-time link that <code>agent-otp serve</code> printed when it started (it
            ends in <code>?token=…</code>).
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
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          aria-describedby="password-hint"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <p id="password-hint" className="hint">
          At least {MIN_PASSWORD} characters; a passphrase of a few words is good.
        </p>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy || !token}>
          {busy ? 'Creating…' : 'Create owner and sign in'}
        </button>
        <p className="hint">
          Already set up? <Link href="/sign-in">Sign in</Link>
        </p>
      </form>
    </main>
  );
}
