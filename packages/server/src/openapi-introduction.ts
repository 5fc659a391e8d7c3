import { CSRF_HEADER, SESSION_COOKIE } from './middleware/session-cookies.js';

/**
 * The document's `info.description`: the first thing `/docs` shows. Markdown, because
 * Swagger UI renders it; kept to what a client author needs before the first request,
 * with the full guide one link away.
 */
export const API_INTRODUCTION = `Agent OTP is a relay that gives an AI agent **one verification code or one permission at a
time**, each approved by its owner and end-to-end encrypted to the agent's own key. An agent
asks (\`POST /api/v1/otp\`, \`POST /api/v1/permissions/request\`), the owner approves in the
dashboard, on Telegram or with the CLI, and a capture source (a mail watcher, an SMS app)
delivers the code sealed to the agent's key. The relay never stores a code in the clear.

The guide explains the concepts and every setup step: [the API guide](/guide/api) ·
[all documentation](/guide/).

## Authentication

Each operation lists the credential it takes under *Authorize*; \`security: []\` marks the few
public ones (sign-in and first-run setup).

| credential | how to send it | how to get it |
|---|---|---|
| **Agent API key** (\`agentKey\`) | \`Authorization: Bearer ak_live_…\` (or \`ak_test_…\`: a test key approves its own requests) | \`npx agent-otp agent:create --name my-assistant\` prints it once; \`POST /api/v1/agents\` as the owner |
| **Owner token** (\`ownerToken\`) | \`Authorization: Bearer os_…\` | the local CLI mints a short-lived one for each command it sends the relay (\`npx agent-otp approve otp_…\`) |
| **Dashboard session** (\`sessionCookie\`) | the \`${SESSION_COOKIE}\` cookie, and the \`${CSRF_HEADER}\` header on every \`POST\`, \`PUT\`, \`PATCH\` and \`DELETE\` | \`POST /api/v1/session\` with the owner's email and password (first run: the setup link \`serve\` prints); owner routes take it as an alternative to the owner token |
| **Capture-source token** (\`sourceToken\`) | \`Authorization: Bearer cs_…\` | \`npx agent-otp source:create --kind email --name inbox\` prints it once; \`POST /api/v1/sources\` as the owner |

A missing, unknown, expired or revoked credential is \`401 UNAUTHORIZED\`, checked before the
body or parameters are read; a credential of another kind is refused the same way. Another
owner's or agent's resources answer \`404\`, exactly like ones that do not exist.

## Errors

Every error has one shape, and its \`code\` is one of a closed list (each operation lists those
it can return, with an example):

\`\`\`json
{ "error": { "code": "OTP_ALREADY_CONSUMED", "message": "OTP request otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N was already consumed", "requestId": "3f2b8c1e-6d4a-4e0b-9a57-2c8d1f6e9b40" } }
\`\`\`

\`message\` is for people and names what was wrong (\`body.ttl: …\`); \`requestId\` is also the
\`X-Request-Id\` response header and finds the request in the server log. No text field,
query parameter or path parameter accepts NUL (U+0000) or a lone UTF-16 surrogate: such input
is a \`400 VALIDATION_ERROR\` naming the field.

## Rate limits

Requests are counted per credential (\`RATE_LIMIT_PER_MINUTE\`, default 600 a minute with a
burst of 120), long-polls and event streams per credential (\`MAX_WAITS_PER_CREDENTIAL\`,
default 10 at once), open requests per agent (\`OPEN_REQUESTS_PER_AGENT\`, default 100),
failed authentications per client address (\`AUTH_FAILURES_PER_MINUTE\`, default 20 a minute:
a wrong key, token or session; past it every credential from that address waits) and failed
sign-ins per address. Over a limit the answer is \`429 RATE_LIMITED\` with a
\`Retry-After\` header in seconds; a \`503 SERVICE_UNAVAILABLE\` (shutting down, database
restarting) carries one too. Wait that long before retrying.

## Servers

Paths are relative to the relay's own URL (its \`PUBLIC_URL\`, e.g. \`http://localhost:3000\`):
the document is the same for every install, so the only server listed is \`/\`.`;
