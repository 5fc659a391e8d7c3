// An approximation of TDLib's LinkManager::check_link, used for <a href> and URL buttons:
// a missing scheme means http, only http(s) and tg: links are accepted, and an HTTP host
// must look like a public domain or an IP address (Telegram refuses e.g. `localhost`).

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Returns the link as Telegram stores it (normalised), or undefined if Telegram refuses it. */
export function checkedLink(link: string): string | undefined {
  const trimmed = link.trim();
  if (trimmed === '') return undefined;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'tg') return /^tg:\/\/[a-zA-Z0-9_-]+/.test(trimmed) ? trimmed : undefined;
  const withScheme = scheme === undefined || !trimmed.includes('//') ? `http://${trimmed}` : trimmed;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  const host = url.hostname;
  const isIp = IPV4.test(host) || host.startsWith('[');
  if (!isIp && (!host.includes('.') || host.endsWith('.'))) return undefined;
  return url.href;
}
