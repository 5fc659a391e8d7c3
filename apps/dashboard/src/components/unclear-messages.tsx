import type { UnclearMessage } from '@agent-otp/shared';
import { formatTime } from '../format.js';

/** How sure the extractor was, in words an owner reads; never the candidate itself (the relay keeps none). */
function verdict(message: UnclearMessage): string {
  return message.confidence === null
    ? 'nothing in it looked like a code'
    : `best guess ${Math.round(message.confidence * 100)}% sure`;
}

/**
 * Messages that matched a request but held no clear code (issue 14): the request stayed open,
 * and the owner learns a message came, from whom and when, so they can look at their phone or
 * mailbox. Renders nothing when there are none.
 *
 * @example
 * <UnclearMessages messages={request.unclearMessages} />
 */
export function UnclearMessages({ messages }: { messages: readonly UnclearMessage[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="unclear-messages" aria-label="Messages without a clear code">
      {messages.map((message) => (
        <li key={`${message.receivedAt} ${message.from}`}>
          A message from <strong>{message.from}</strong> arrived at {formatTime(message.receivedAt)} but held
          no clear code <span className="hint">({verdict(message)})</span>
        </li>
      ))}
    </ul>
  );
}
