import { Link, useTitle } from '../router.js';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. Go to <Link href="/">Approvals</Link>.
      </p>
    </>
  );
}
