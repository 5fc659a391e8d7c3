import { type FormEvent, useState } from 'react';
import { describeError } from '../api.js';
import { CopyButton } from '../components/copy-button.js';
import { Pager, pageOf } from '../components/pager.js';
import { SecretOnce } from '../components/secret-once.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { operations } from '../operations.js';
import { useTitle } from '../router.js';
import { useResource } from '../use-resource.js';
import { AgentRow } from './agent-row.js';

const PAGE_SIZE = 20;

/** The ready-to-paste quick start for a new key, pointing at this relay. */
export function sdkSnippet(apiKey: string): string {
  return `import { AgentOTPClient, generateKeyPair, exportPublicKey } from '@orrisai/agent-otp-sdk';

const client = new AgentOTPClient({
  apiKey: '${apiKey}', // better: process.env.AGENT_OTP_API_KEY
  baseUrl: '${window.location.origin}',
});
const { publicKey, privateKey } = await generateKeyPair();

const request = await client.requestOTP({
  reason: 'Sign-up verification for Acme',
  expectedSender: 'Acme',
  filter: { sources: ['email'], senderPattern: '*@acme.com' },
  publicKey: await exportPublicKey(publicKey),
  waitForOTP: true,
});
if (request.status === 'otp_received') {
  const { code } = await client.consumeOTP(request.id, privateKey);
  console.log('code', code);
}`;
}

/** Agents: create (key shown once with an SDK snippet), rotate keys, revoke. */
export function AgentsPage() {
  useTitle('Agents');
  const [list, reload] = useResource(() => operations.listAgents(), []);
  const [name, setName] = useState('');
  const [test, setTest] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [secret, setSecret] = useState<
    { title: string; apiKey?: string | undefined; webhookSecret?: string | undefined } | undefined
  >();
  const [page, setPage] = useState(1);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await operations.createAgent({ name, test });
      setSecret({
        title: `API key for ${created.agent.name}`,
        apiKey: created.apiKey,
        webhookSecret: created.webhookSecret,
      });
      setName('');
      setTest(false);
      setPage(1);
      reload();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const agents = list.data?.agents ?? [];
  return (
    <>
      <h1>Agents</h1>
      {secret && (
        <SecretOnce title={secret.title} secret={secret.apiKey} onDismiss={() => setSecret(undefined)}>
          {secret.webhookSecret && (
            <div className="webhook-secret">
              <h3>Webhook signing secret</h3>
              <p>
                Verifies the signed webhooks this agent receives (<code>verifyWebhookSignature</code> in the
                SDK). The relay keeps it encrypted and never shows it again.
              </p>
              <div className="secret-row">
                <code className="secret" data-testid="webhook-secret-value">
                  {secret.webhookSecret}
                </code>
                <CopyButton text={secret.webhookSecret} label="Copy webhook secret" />
              </div>
            </div>
          )}
          {secret.apiKey && (
            <details className="snippet" open>
              <summary>Use it with the SDK</summary>
              <div className="snippet-toolbar">
                <CopyButton text={sdkSnippet(secret.apiKey)} label="Copy snippet" />
              </div>
              <pre>
                <code>{sdkSnippet(secret.apiKey)}</code>
              </pre>
            </details>
          )}
        </SecretOnce>
      )}
      <form className="card form-card" onSubmit={create} aria-labelledby="new-agent-title">
        <h2 id="new-agent-title">New agent</h2>
        <div className="form-row">
          <div className="field grow">
            <label htmlFor="agent-name">Name</label>
            <input
              id="agent-name"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="my-assistant"
            />
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={test} onChange={(e) => setTest(e.target.checked)} />
            Test key (requests approve themselves with a synthetic code)
          </label>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create agent'}
          </button>
        </div>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
      </form>
      <h2 className="section-title">Your agents</h2>
      {list.state === 'error' && <ErrorNotice message={list.error} onRetry={reload} />}
      {list.state === 'loading' && !list.data && <Loading what="agents" />}
      {list.data && agents.length === 0 && (
        <Empty title="No agents yet.">
          Create one above; its API key goes into your agent's configuration.
        </Empty>
      )}
      {agents.length > 0 && (
        <ul className="card-list plain">
          {pageOf(agents, page, PAGE_SIZE).map((agent) => (
            <AgentRow
              key={agent.id}
              agent={agent}
              onChanged={reload}
              onNewKey={(apiKey) => setSecret({ title: `New API key for ${agent.name}`, apiKey })}
              onNewWebhookSecret={(webhookSecret) =>
                setSecret({ title: `New webhook signing secret for ${agent.name}`, webhookSecret })
              }
            />
          ))}
        </ul>
      )}
      <Pager
        page={page}
        hasNext={page * PAGE_SIZE < agents.length}
        onPrevious={() => setPage((p) => Math.max(1, p - 1))}
        onNext={() => setPage((p) => p + 1)}
      />
    </>
  );
}
