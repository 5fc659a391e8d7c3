export * from './webhooks/webhook-signature.js';
