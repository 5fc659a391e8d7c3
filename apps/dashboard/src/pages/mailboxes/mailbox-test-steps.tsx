import type { MailboxTestResult } from '@agent-otp/shared';

const STEP_LABELS: Record<MailboxTestResult['steps'][number]['step'], string> = {
  dns: 'Server name',
  tcp: 'Connection',
  tls: 'Encryption',
  login: 'Login',
  folder: 'Folder',
};

/**
 * A connection test's outcome, step by step: what each step found, and for the one that
 * failed, what to change (the relay's words). Later steps did not run and are not shown.
 */
export function MailboxTestSteps({ result }: { result: MailboxTestResult }) {
  return (
    <div className={`mailbox-test ${result.ok ? 'passed' : 'failed'}`} role="status" aria-live="polite">
      <p className="mailbox-test-summary">
        <strong>{result.ok ? 'Connection works.' : 'Connection failed.'}</strong> {result.message}
      </p>
      <ol className="mailbox-test-steps">
        {result.steps.map((step) => (
          <li
            key={step.step}
            data-step={step.step}
            data-ok={step.ok}
            className={`mailbox-test-step ${step.ok ? 'ok' : 'failed'}`}
          >
            <span className="step-mark" aria-hidden="true">
              {step.ok ? '✓' : '✗'}
            </span>
            <span className="step-name">{STEP_LABELS[step.step]}</span>
            <span className="step-message">{step.message}</span>
            <span className="step-time">{step.ms} ms</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
