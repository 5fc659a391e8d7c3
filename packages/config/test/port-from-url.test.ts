// Issue 17 (newcomer papercuts): one variable moves the relay to another port. The CLI and
// the SDKs already read AGENT_OTP_URL; `serve` listens on its port when PORT is unset.
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from '../src/index.js';
import { explicitPortOf } from '../src/port-from-url.js';

describe('PORT from AGENT_OTP_URL', () => {
  it('takes the explicit port of AGENT_OTP_URL when PORT is unset', () => {
    const config = loadConfig({ AGENT_OTP_URL: 'http://localhost:9000' });
    expect(config.port).toBe(9000);
    expect(config.publicUrl).toBe('http://localhost:9000');
    expect(config.cli.serverUrl).toBe('http://localhost:9000');
  });

  it('lets PORT win when both are set, and an empty PORT counts as unset', () => {
    expect(loadConfig({ PORT: '9100', AGENT_OTP_URL: 'http://localhost:9000' }).port).toBe(9100);
    expect(loadConfig({ PORT: '', AGENT_OTP_URL: 'http://localhost:9000' }).port).toBe(9000);
  });

  it('keeps the default 8787 when the URL names no port or is not an http(s) URL', () => {
    expect(loadConfig({ AGENT_OTP_URL: 'https://relay.example/' }).port).toBe(8787);
    expect(loadConfig({ AGENT_OTP_URL: 'not a url' }).port).toBe(8787);
    expect(loadConfig({ AGENT_OTP_URL: 'ftp://relay.example:2121' }).port).toBe(8787);
  });

  it("counts a written scheme-default port, which WHATWG URL drops (':80')", () => {
    expect(explicitPortOf('http://localhost:80')).toBe(80);
    expect(explicitPortOf('https://user:pw@relay.example:443/x?y=:1')).toBe(443);
    expect(explicitPortOf('http://[::1]:9000/')).toBe(9000);
    expect(explicitPortOf('http://[::1]/')).toBeUndefined();
    expect(explicitPortOf('http://relay.example/path:80')).toBeUndefined();
  });

  it('says in config:check where the port came from', () => {
    const port = (layers: Parameters<typeof describeConfig>[0]) =>
      describeConfig(layers).entries.find((entry) => entry.name === 'PORT');
    expect(port({ flags: {}, env: {}, dotenv: { AGENT_OTP_URL: 'http://localhost:9000' } })).toEqual({
      name: 'PORT',
      value: '9000',
      secret: false,
      source: 'derived',
      detail: 'from AGENT_OTP_URL (.env)',
    });
    expect(
      port({ flags: {}, env: { PORT: '9100' }, dotenv: { AGENT_OTP_URL: 'http://localhost:9000' } }),
    ).toMatchObject({ value: '9100', source: 'env' });
    expect(port({ flags: {}, env: {}, dotenv: {} })).toMatchObject({ value: '8787', source: 'default' });
  });
});
