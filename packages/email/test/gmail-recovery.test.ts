import {
  GmailApi,
  GmailApiError,
  type GmailStatus,
  GmailWatcher,
  GoogleAccessTokens,
  httpRelay,
  memoryCursorStore,
  silentLogger,
} from '@agent-otp/email';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { type FakeGoogle, startFakeGoogle } from './support/fake-google.js';

/** The fake Gmail API, with `failures` history calls answered as Google's 503 before the real answer. */
class FlakyGmail extends GmailApi {
  failures = 0;
  override history(startHistoryId: string, pageToken?: string) {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new GmailApiError('Gmail API answered HTTP 503', 503));
    }
    return super.history(startHistoryId, pageToken);
  }
}

// Issue 16: a mailbox's health follows its watcher; after a transient failure the Gmail
// watcher must say it is watching again, or the Sources page would keep showing "failing".
describe('Gmail watcher recovering from a failure', () => {
  let google: FakeGoogle;
  let relay: TestRelay;
  let watcher: GmailWatcher;
  let api: FlakyGmail;
  const statuses: GmailStatus['state'][] = [];

  beforeAll(async () => {
    google = await startFakeGoogle();
    relay = await startTestRelay('sqlite');
    const { token } = await relay.createSource('email');
    api = new FlakyGmail(google.gmailUrl, new GoogleAccessTokens(google, google.refreshToken));
    watcher = new GmailWatcher({
      api,
      relay: httpRelay({ url: relay.url, token }),
      cursors: memoryCursorStore(),
      lookbackSeconds: 60,
      pollSeconds: 0.1,
      logger: silentLogger,
      onStatus: (status) => statuses.push(status.state),
    });
    watcher.start();
    await eventually(async () => statuses.includes('watching'), 10_000);
  });
  afterAll(async () => {
    await watcher?.stop();
    await relay?.stop();
    await google?.close();
  });

  it('reports watching again after the first poll that works', async () => {
    api.failures = 1;
    await eventually(async () => statuses.at(-1) === 'watching' && statuses.includes('failing'), 10_000);
    expect(statuses).toEqual(['watching', 'failing', 'watching']);
  });
});
