import { z } from 'zod';

/**
 * The steps of a mailbox connection test, in the order they run: a step runs only when the one
 * before it passed, so the first failing step is the last one listed and names what to fix.
 */
export const MailboxTestStepNameSchema = z.enum(['dns', 'tcp', 'tls', 'login', 'folder']);
export type MailboxTestStepName = z.infer<typeof MailboxTestStepNameSchema>;

export const MailboxTestStepSchema = z.object({
  step: MailboxTestStepNameSchema,
  ok: z.boolean(),
  /** Wall time of the step in milliseconds (bounded by the test's per-step timeout). */
  ms: z.number().int().min(0),
  /** What the step found, or what failed and what to change; never a password. */
  message: z.string(),
});
export type MailboxTestStep = z.infer<typeof MailboxTestStepSchema>;

/** The result of testing an IMAP mailbox's settings: every step run, and one sentence for the whole. */
export const MailboxTestResultSchema = z
  .object({
    ok: z.boolean(),
    steps: z.array(MailboxTestStepSchema),
    message: z.string(),
  })
  .meta({
    id: 'MailboxTestResult',
    description:
      'Each step of a connection test (DNS, TCP, TLS, login, folder) with its time and message; the steps stop at the first failure.',
    example: {
      ok: false,
      steps: [
        { step: 'dns', ok: true, ms: 3, message: 'imap.example.com resolves to 203.0.113.7.' },
        { step: 'tcp', ok: true, ms: 21, message: 'Connected to imap.example.com:993.' },
        {
          step: 'tls',
          ok: true,
          ms: 48,
          message: 'TLS 1.3 with a certificate for imap.example.com, trusted.',
        },
        {
          step: 'login',
          ok: false,
          ms: 2107,
          message:
            'The server refused the login for owner@example.com: check the login and the password (an app password where the provider requires one).',
        },
      ],
      message:
        'The server refused the login for owner@example.com: check the login and the password (an app password where the provider requires one).',
    },
  });
export type MailboxTestResult = z.infer<typeof MailboxTestResultSchema>;
