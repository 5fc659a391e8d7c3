import { type FormEvent, useState } from 'react';
import { accountOperations } from '../../account-operations.js';
import { describeError } from '../../api.js';

/** The relay's shortest password (`PASSWORD_MIN_LENGTH` in the contract; the bundle imports types only). */
const PASSWORD_MIN_LENGTH = 12;

/** Change the password: the current one is required; every other browser is signed out. */
export function ChangePasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const { endedSessions } = await accountOperations.changePassword({
        currentPassword: current,
        newPassword: next,
      });
      setCurrent('');
      setNext('');
      setDone(
        `Password changed. ${endedSessions === 0 ? 'No other browser was signed in.' : `Signed out ${endedSessions} other browser${endedSessions === 1 ? '' : 's'}.`}`,
      );
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <form onSubmit={submit} aria-labelledby="password-title">
        <div className="field">
          <label htmlFor="current-password">Current password</label>
          <input
            id="current-password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(event) => setCurrent(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="new-password">New password (at least {PASSWORD_MIN_LENGTH} characters)</label>
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN_LENGTH}
            value={next}
            onChange={(event) => setNext(event.target.value)}
          />
        </div>
        <p className="hint">Every other browser signed in as you is signed out.</p>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
      {done && (
        <p role="status" className="notice">
          {done}
        </p>
      )}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
