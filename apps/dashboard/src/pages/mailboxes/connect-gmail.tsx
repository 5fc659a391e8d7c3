import { useState } from 'react';
import { describeError } from '../../api.js';
import { operations } from '../../operations.js';

/**
 * "Connect Gmail": Google's consent page in this tab (read-only access, PKCE); Google sends
 * the browser back to the relay, which stores the mailbox and returns here. Shown only when
 * the relay's operator configured a Google OAuth client.
 */
export function ConnectGmail() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const connect = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { authorizeUrl } = await operations.startGmailConnect();
      window.location.assign(authorizeUrl);
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };
  return (
    <div className="card form-card connect-gmail">
      <h3>Gmail without an app password</h3>
      <p className="hint">
        Sign in with Google and allow read-only access; the relay keeps the access encrypted and never sees
        your Google password. You can remove it here, or in your Google account, at any time.
      </p>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button primary" disabled={busy} onClick={connect}>
          {busy ? 'Opening Google…' : 'Connect Gmail'}
        </button>
      </div>
    </div>
  );
}
