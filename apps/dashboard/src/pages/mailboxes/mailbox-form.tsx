import type { Mailbox, MailboxPreset, MailboxTestResult, MailboxTlsMode } from '@agent-otp/shared';
import { type FormEvent, useState } from 'react';
import { describeError } from '../../api.js';
import { operations } from '../../operations.js';
import { MailboxTestSteps } from './mailbox-test-steps.js';

const TLS_LABELS: Record<MailboxTlsMode, string> = {
  implicit: 'TLS (usually port 993)',
  starttls: 'STARTTLS (usually port 143)',
  none: 'None (only a server on the relay’s machine)',
};

type Fields = {
  name: string;
  preset: string;
  host: string;
  port: string;
  tls: MailboxTlsMode;
  login: string;
  password: string;
  folder: string;
};

const EMPTY: Fields = {
  name: '',
  preset: '',
  host: '',
  port: '993',
  tls: 'implicit',
  login: '',
  password: '',
  folder: 'INBOX',
};

/** The form's fields for a saved IMAP mailbox; its password is never sent back, so it starts empty. */
function fieldsOf(mailbox: Mailbox | undefined): Fields {
  if (!mailbox || !('host' in mailbox.settings)) return EMPTY;
  const settings = mailbox.settings;
  return {
    name: mailbox.name,
    preset: settings.preset ?? '',
    host: settings.host,
    port: String(settings.port),
    tls: settings.tls,
    login: settings.login,
    password: '',
    folder: settings.folder ?? 'INBOX',
  };
}

function settingsOf(fields: Fields) {
  return {
    host: fields.host.trim(),
    port: Number(fields.port),
    tls: fields.tls,
    login: fields.login.trim(),
    folder: fields.folder.trim() || 'INBOX',
    ...(fields.preset ? { preset: fields.preset as MailboxPreset['id'] } : {}),
  };
}

/**
 * "Add mailbox" (or edit one): a preset fills the server and shows which password the
 * provider accepts; **Test connection** runs each step against the settings as typed, before
 * anything is saved. Editing leaves the saved password in place unless a new one is typed.
 */
export function MailboxForm(props: {
  presets: readonly MailboxPreset[];
  editing?: Mailbox;
  onSaved: (mailbox: Mailbox) => void;
  onCancel?: () => void;
}) {
  const { editing } = props;
  const [fields, setFields] = useState<Fields>(() => fieldsOf(editing));
  const [busy, setBusy] = useState<'test' | 'save' | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [result, setResult] = useState<MailboxTestResult | undefined>();
  const preset = props.presets.find((p) => p.id === fields.preset);
  const idPrefix = editing ? `mailbox-${editing.id}` : 'mailbox-new';
  const set = (change: Partial<Fields>) => {
    setFields((current) => ({ ...current, ...change }));
    // A result describes the settings it tested; once they change it would mislead.
    setResult(undefined);
  };

  const choosePreset = (id: string) => {
    const chosen = props.presets.find((p) => p.id === id);
    set(
      chosen ? { preset: id, host: chosen.host, port: String(chosen.port), tls: chosen.tls } : { preset: '' },
    );
  };

  const runTest = async () => {
    setBusy('test');
    setError(undefined);
    setResult(undefined);
    try {
      const unchanged = editing && JSON.stringify(fieldsOf(editing)) === JSON.stringify(fields);
      if (editing && !fields.password && !unchanged) {
        setError(
          'Type the password to test changed settings (the saved one is never sent back to the page).',
        );
        return;
      }
      setResult(
        editing && !fields.password
          ? await operations.testMailbox(editing.id)
          : await operations.testMailboxSettings({
              kind: 'imap',
              settings: settingsOf(fields),
              password: fields.password,
            }),
      );
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(undefined);
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('save');
    setError(undefined);
    try {
      const saved = editing
        ? await operations.updateMailbox(editing.id, {
            name: fields.name.trim(),
            settings: settingsOf(fields),
            ...(fields.password ? { password: fields.password } : {}),
          })
        : await operations.addMailbox({
            kind: 'imap',
            name: fields.name.trim(),
            settings: settingsOf(fields),
            password: fields.password,
          });
      setFields(editing ? { ...fieldsOf(saved) } : EMPTY);
      setResult(undefined);
      props.onSaved(saved);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(undefined);
    }
  };

  const input = (name: keyof Fields) => ({
    id: `${idPrefix}-${name}`,
    value: fields[name],
    onChange: (e: { target: { value: string } }) => set({ [name]: e.target.value }),
  });

  return (
    <form
      className={editing ? 'mailbox-form editing' : 'card form-card mailbox-form'}
      onSubmit={save}
      aria-label={editing ? `Edit ${editing.name}` : 'Add mailbox'}
    >
      {!editing && <h3>Add mailbox</h3>}
      <div className="form-row">
        <div className="field grow">
          <label htmlFor={`${idPrefix}-preset`}>Provider</label>
          <select
            id={`${idPrefix}-preset`}
            value={fields.preset}
            onChange={(e) => choosePreset(e.target.value)}
          >
            <option value="">Other (enter the server)</option>
            {props.presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor={`${idPrefix}-name`}>Mailbox label</label>
          <input {...input('name')} required maxLength={100} placeholder="Work mail" />
        </div>
      </div>
      {preset && (
        <div className="hint preset-hint" data-testid="preset-hint">
          <p>
            {preset.loginHint} {preset.passwordHint}
          </p>
          <p>
            Help:{' '}
            <a href={preset.helpUrl} target="_blank" rel="noreferrer noopener">
              {preset.helpUrl}
            </a>
          </p>
        </div>
      )}
      <div className="form-row">
        <div className="field grow">
          <label htmlFor={`${idPrefix}-host`}>IMAP server</label>
          <input
            {...input('host')}
            required
            maxLength={253}
            spellCheck={false}
            placeholder="imap.example.com"
          />
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-port`}>Port</label>
          <input {...input('port')} required type="number" min={1} max={65535} />
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-tls`}>Security</label>
          <select
            id={`${idPrefix}-tls`}
            value={fields.tls}
            onChange={(e) => set({ tls: e.target.value as MailboxTlsMode })}
          >
            {(Object.keys(TLS_LABELS) as MailboxTlsMode[]).map((mode) => (
              <option key={mode} value={mode}>
                {TLS_LABELS[mode]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form-row">
        <div className="field grow">
          <label htmlFor={`${idPrefix}-login`}>Login</label>
          <input {...input('login')} required maxLength={320} autoComplete="off" spellCheck={false} />
        </div>
        <div className="field grow">
          <label htmlFor={`${idPrefix}-password`}>Password or app password</label>
          <input
            {...input('password')}
            type="password"
            required={!editing}
            maxLength={1024}
            autoComplete="new-password"
            placeholder={editing?.hasCredential ? 'saved (type a new one to replace it)' : ''}
          />
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-folder`}>Folder</label>
          <input {...input('folder')} maxLength={200} spellCheck={false} />
        </div>
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {result && <MailboxTestSteps result={result} />}
      <div className="actions">
        <button type="button" className="button secondary" disabled={busy !== undefined} onClick={runTest}>
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="button primary" disabled={busy !== undefined}>
          {busy === 'save' ? 'Saving…' : editing ? 'Save changes' : 'Add mailbox'}
        </button>
        {props.onCancel && (
          <button type="button" className="button secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
