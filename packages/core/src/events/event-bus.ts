// The bus itself lives in @agent-otp/events (beside its PostgreSQL LISTEN/NOTIFY form, which
// needs pg, a dependency core does not take). Core's files import it through here, and core
// re-exports it, so callers that know only core keep one import.
export * from '@agent-otp/events';
