import type { SourceWithToken } from '@agent-otp/shared';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api.js';
import { operations } from '../operations.js';
import { CHANNELS, type Channel, type ChannelId } from './source-channels.js';

type CreateBody = Parameters<typeof operations.createCaptureSource>[0];

/** The create body for a channel: its kind and provider, and only the fields that provider takes. */
function bodyFor(
  channel: Channel,
  fields: { name: string; credential: string; signed: boolean },
): CreateBody {
  const body: CreateBody = { kind: channel.kind, name: fields.name };
  if (channel.provider) body.provider = channel.provider;
  if (channel.credential?.field === 'twilioAuthToken') body.twilioAuthToken = fields.credential;
  if (channel.credential?.field === 'telnyxPublicKey') body.telnyxPublicKey = fields.credential;
  if (channel.canSign) body.signed = fields.signed;
  return body;
}

/** "Connect a phone or SMS number": pick a channel, name it, give the provider's key if it has one. */
export function ConnectSourceForm({
  onCreated,
}: {
  onCreated: (created: SourceWithToken, channel: Channel) => void;
}) {
  const [channelId, setChannelId] = useState<ChannelId>('sms-gateway');
  const [name, setName] = useState('');
  const [credential, setCredential] = useState('');
  const [signed, setSigned] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const channel = CHANNELS.find((c) => c.id === channelId) ?? (CHANNELS[0] as Channel);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await operations.createCaptureSource(bodyFor(channel, { name, credential, signed }));
      setName('');
      setCredential('');
      setSigned(false);
      onCreated(created, channel);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-card" onSubmit={create} aria-labelledby="connect-source-title">
      <h2 id="connect-source-title">Connect a phone or SMS number</h2>
      <fieldset className="channel-choice">
        <legend>Channel</legend>
        {CHANNELS.map((option) => (
          <div key={option.id} className={`channel-option ${option.id === channelId ? 'selected' : ''}`}>
            <input
              type="radio"
              id={`channel-${option.id}`}
              name="channel"
              value={option.id}
              checked={option.id === channelId}
              onChange={() => {
                setChannelId(option.id);
                // One provider's key is never sent as another's.
                setCredential('');
              }}
              aria-describedby={`channel-${option.id}-hint`}
            />
            <label htmlFor={`channel-${option.id}`}>{option.label}</label>
            <p id={`channel-${option.id}-hint`} className="hint">
              {option.hint}
            </p>
          </div>
        ))}
      </fieldset>
      <div className="form-row">
        <div className="field grow">
          <label htmlFor="source-name">Name</label>
          <input
            id="source-name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={channel.exampleName}
          />
        </div>
        {channel.credential && (
          <div className="field grow">
            <label htmlFor="source-credential">{channel.credential.label}</label>
            <input
              id="source-credential"
              required
              type={channel.credential.field === 'twilioAuthToken' ? 'password' : 'text'}
              autoComplete="off"
              spellCheck={false}
              value={credential}
              onChange={(e) => setCredential(e.target.value)}
              aria-describedby="source-credential-hint"
            />
            <p id="source-credential-hint" className="hint">
              {channel.credential.hint}
            </p>
          </div>
        )}
      </div>
      {channel.canSign && (
        <label className="checkbox">
          <input type="checkbox" checked={signed} onChange={(e) => setSigned(e.target.checked)} />
          Require an HMAC signature on every message (for forwarders that can compute one, such as Incoming
          SMS to URL)
        </label>
      )}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Connecting…' : 'Create source'}
        </button>
      </div>
    </form>
  );
}
