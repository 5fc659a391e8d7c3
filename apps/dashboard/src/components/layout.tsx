import type { ReactNode } from 'react';
import { Link, useLocation } from '../router.js';
import { useSession } from '../session.js';

const NAV = [
  { href: '/', label: 'Approvals' },
  { href: '/requests', label: 'Requests' },
  { href: '/activity', label: 'Activity' },
  { href: '/agents', label: 'Agents' },
  { href: '/sources', label: 'Sources' },
  { href: '/policies', label: 'Policies' },
  { href: '/audit', label: 'Audit' },
  { href: '/settings', label: 'Settings' },
  { href: '/account', label: 'Account' },
];

function isCurrent(href: string, path: string): boolean {
  return href === '/' ? path === '/' || path.startsWith('/approvals') : path.startsWith(href);
}

/** The signed-in frame: skip link, navigation, who is signed in, sign out, and the page. */
export function Layout({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  const { session, signOut } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link href="/" className="brand">
            Agent OTP
          </Link>
          <nav aria-label="Main" className="main-nav">
            <ul>
              {NAV.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} aria-current={isCurrent(item.href, path) ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            <span className="account-email" title="Signed in as">
              {session.owner.email}
            </span>
            <button type="button" className="button secondary small" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="page">
        {children}
      </main>
    </>
  );
}
