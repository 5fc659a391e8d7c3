/** Telegram linking: how to connect a chat so approval requests arrive with ✅/❌ buttons. */
export function TelegramSettings() {
  return (
    <section className="card" aria-labelledby="telegram-title">
      <h2 id="telegram-title">Telegram</h2>
      <p>
        Approve requests from Telegram: start the relay with <code>TELEGRAM_BOT_TOKEN</code> (from
        @BotFather), then link your chat with the CLI on the relay's machine:
      </p>
      <pre>
        <code>agent-otp telegram:link</code>
      </pre>
      <p className="hint">
        It prints a one-time deep link; open it on your phone and press Start. Requests then reach every
        linked channel, and the first decision wins.
      </p>
    </section>
  );
}
