import { type GoogleAccessTokens, GoogleAuthError } from './google-oauth.js';

/** The Gmail API answered 404: for history.list, the start history id is too old (full resync). */
export class GmailNotFoundError extends Error {
  override readonly name = 'GmailNotFoundError';
}

/** Any other Gmail API failure; `status` 0 when it could not be reached. */
export class GmailApiError extends Error {
  override readonly name = 'GmailApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface GmailMessageRef {
  id: string;
  threadId?: string;
}

export interface GmailHistoryPage {
  history?: Array<{
    id: string;
    messagesAdded?: Array<{ message: GmailMessageRef & { labelIds?: string[] } }>;
  }>;
  nextPageToken?: string;
  historyId: string;
}

export interface GmailMessageListPage {
  messages?: GmailMessageRef[];
  nextPageToken?: string;
}

export interface GmailMessage extends GmailMessageRef {
  internalDate?: string;
  historyId?: string;
  labelIds?: string[];
  raw?: string;
  payload?: { headers?: Array<{ name: string; value: string }> };
}

/**
 * The few Gmail REST calls the connector makes, over plain `fetch`: no Google client library,
 * whose dozens of transitive packages would all run next to the mailbox credentials for four
 * GET requests. A 401 refreshes the access token once and retries.
 *
 * @example
 * const gmail = new GmailApi('https://gmail.googleapis.com/gmail/v1', tokens);
 * const { historyId } = await gmail.profile();
 */
export class GmailApi {
  constructor(
    private readonly apiRoot: string,
    private readonly tokens: GoogleAccessTokens,
  ) {}

  profile(): Promise<{ historyId: string; emailAddress?: string }> {
    return this.#get('profile', {});
  }

  history(startHistoryId: string, pageToken?: string): Promise<GmailHistoryPage> {
    return this.#get('history', {
      startHistoryId,
      historyTypes: 'messageAdded',
      labelId: 'INBOX',
      maxResults: '500',
      ...(pageToken ? { pageToken } : {}),
    });
  }

  /** Inbox messages received after `after` (Gmail's `after:` takes epoch seconds). */
  listInboxSince(after: Date, pageToken?: string): Promise<GmailMessageListPage> {
    return this.#get('messages', {
      labelIds: 'INBOX',
      q: `after:${Math.floor(after.getTime() / 1000)}`,
      maxResults: '100',
      ...(pageToken ? { pageToken } : {}),
    });
  }

  /** Headers only: From, Subject, Date (and the internal receipt time). */
  metadata(id: string): Promise<GmailMessage> {
    return this.#get(`messages/${encodeURIComponent(id)}`, {
      format: 'metadata',
      metadataHeaders: ['From', 'Subject', 'Date'],
    });
  }

  raw(id: string): Promise<GmailMessage> {
    return this.#get(`messages/${encodeURIComponent(id)}`, { format: 'raw' });
  }

  async #get<T>(path: string, query: Record<string, string | string[]>, retried = false): Promise<T> {
    const url = new URL(`${this.apiRoot}/users/me/${path}`);
    for (const [key, value] of Object.entries(query))
      for (const item of [value].flat()) url.searchParams.append(key, item);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${await this.tokens.get()}`, accept: 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      if (error instanceof GoogleAuthError) throw error;
      throw new GmailApiError(`Gmail API unreachable (${(error as Error).name})`, 0);
    }
    if (response.status === 401 && !retried) {
      await response.body?.cancel();
      this.tokens.invalidate();
      return this.#get(path, query, true);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new GmailNotFoundError(`Gmail API: ${path.split('/')[0]} not found`);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => undefined)) as
        | { error?: { status?: string } }
        | undefined;
      throw new GmailApiError(
        `Gmail API answered ${response.status} ${body?.error?.status ?? ''}`.trim(),
        response.status,
      );
    }
    return (await response.json()) as T;
  }
}
