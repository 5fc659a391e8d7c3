/** One Server-Sent Event as read off the wire. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Opens an SSE stream and collects its events; `waitFor` resolves with the first event
 * (already received or still to come) that satisfies the check.
 */
export async function openSse(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    if (!reader) return;
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) events.push({ event, data });
        end = buffer.indexOf('\n\n');
      }
      for (const wake of waiters) wake();
    }
  })();
  return {
    response,
    events,
    /** Resolves with the first matching event, or rejects after `timeoutMs`. */
    waitFor(check: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`no matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        function look() {
          const found = events.find(check);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(look);
          resolve(found);
        }
        waiters.add(look);
        look();
      });
    },
    async close() {
      controller.abort();
      // Node 20's fetch can leave a pending read unsettled forever when the abort lands just
      // as the server ends the stream (reproduced: abort right after the last event). Cancelling
      // the reader settles it.
      await reader?.cancel().catch(() => undefined);
      await pump;
    },
  };
}
