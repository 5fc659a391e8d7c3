import type { PasskeySummary } from '@agent-otp/shared';
import { startRegistration } from '@simplewebauthn/browser';
import { type FormEvent, useState } from 'react';
import { accountOperations } from '../../account-operations.js';
import { describeError } from '../../api.js';
import { ConfirmActions } from '../../components/confirm-actions.js';
import { RelativeTime } from '../../components/relative-time.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { useResource } from '../../use-resource.js';

function PasskeyRow({ passkey, onChanged }: { passkey: PasskeySummary; onChanged: () => void }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(passkey.name);
  const [error, setError] = useState<string | undefined>();
  const rename = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await accountOperations.renamePasskey(passkey.id, name.trim());
      setRenaming(false);
      onChanged();
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  const inputId = `rename-${passkey.id}`;
  return (
    <li className="account-row" data-passkey-id={passkey.id}>
      <div className="account-row-main">
        <strong>{passkey.name}</strong>
        <span className="hint">
          {' '}
          added <RelativeTime iso={passkey.createdAt} />
          {passkey.lastUsedAt ? (
            <>
              , last used <RelativeTime iso={passkey.lastUsedAt} />
            </>
          ) : (
            ', never used'
          )}
          {passkey.backedUp ? ', synced' : ''}
        </span>
      </div>
      {renaming ? (
        <form className="form-row actions" onSubmit={rename} aria-label={`Rename ${passkey.name}`}>
          <div className="field grow">
            <label htmlFor={inputId}>New name</label>
            <input
              id={inputId}
              type="text"
              required
              maxLength={64}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </div>
          <button type="submit" className="button primary small">
            Save name
          </button>
          <button type="button" className="button secondary small" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="actions">
          <button type="button" className="button secondary small" onClick={() => setRenaming(true)}>
            Rename
          </button>
          <ConfirmActions
            actions={[
              {
                action: 'remove',
                label: 'Remove',
                confirmLabel: `Remove ${passkey.name}`,
                warning: 'It will no longer sign you in or approve high-risk requests.',
                danger: true,
              },
            ]}
            run={async () => {
              await accountOperations.removePasskey(passkey.id);
              onChanged();
            }}
          />
        </div>
      )}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** The owner's passkeys: add one (this device or a security key), rename, remove. */
export function PasskeysSection() {
  const [passkeys, reload] = useResource(() => accountOperations.listPasskeys(), []);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [added, setAdded] = useState<string | undefined>();

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setAdded(undefined);
    try {
      const { options } = await accountOperations.startPasskeyRegistration();
      const response = await startRegistration({ optionsJSON: options });
      const passkey = await accountOperations.addPasskey({
        ...(name.trim() ? { name: name.trim() } : {}),
        response,
      });
      setName('');
      setAdded(`Added ${passkey.name}.`);
      reload();
    } catch (failure) {
      setError(
        failure instanceof Error && failure.name === 'NotAllowedError'
          ? 'Adding the passkey was cancelled or timed out.'
          : describeError(failure),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" id="passkeys" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p className="hint">
        A passkey signs you in without a password, and approving a high-risk request asks for one (with your
        fingerprint, face or PIN). Telegram and the CLI cannot ask for it: such requests are approved here.
      </p>
      {passkeys.state === 'loading' && !passkeys.data && <Loading what="your passkeys" />}
      {passkeys.state === 'error' && <ErrorNotice message={passkeys.error} onRetry={reload} />}
      {passkeys.data &&
        (passkeys.data.passkeys.length === 0 ? (
          <p role="note" className="notice">
            You have no passkey yet: high-risk requests cannot be approved until you add one.
          </p>
        ) : (
          <ul className="account-rows" aria-label="Your passkeys">
            {passkeys.data.passkeys.map((passkey) => (
              <PasskeyRow key={passkey.id} passkey={passkey} onChanged={reload} />
            ))}
          </ul>
        ))}
      <form className="form-row actions" onSubmit={add} aria-label="Add a passkey">
        <div className="field grow">
          <label htmlFor="passkey-name">Name (optional)</label>
          <input
            id="passkey-name"
            type="text"
            maxLength={64}
            placeholder="Work laptop"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Waiting for your passkey…' : 'Add a passkey'}
        </button>
      </form>
      {added && (
        <p role="status" className="hint">
          {added}
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
