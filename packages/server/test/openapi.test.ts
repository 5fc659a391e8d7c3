import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';

describe('OpenAPI document and reference page', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite');
  });
  afterAll(() => relay.stop());

  it('describes every route from the route schemas', async () => {
    const { status, body } = await call(relay.url, '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/otp',
      '/api/v1/otp/{id}',
      '/api/v1/otp/{id}/events',
      '/api/v1/otp/{id}/consume',
      '/api/v1/capture/requests',
      '/api/v1/capture/requests/{id}/deliver',
      '/api/v1/capture/messages',
      '/api/v1/requests/{id}/approve',
    ]) {
      expect(body.paths, path).toHaveProperty([path]);
    }
    expect(body.components.schemas.CreateOtpRequest.required).toEqual(
      expect.arrayContaining(['reason', 'publicKey']),
    );
    expect(body.components.securitySchemes.agentKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(body.paths['/api/v1/otp'].post.responses).toHaveProperty(['429']);
  });

  it('serves the reference page and its assets locally', async () => {
    const page = await fetch(`${relay.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/docs/assets/swagger-ui-bundle.js');
    const asset = await fetch(`${relay.url}/docs/assets/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(`${relay.url}/docs/assets/..%2Fpackage.json`)).status).toBe(404);
  });
});
