import { Link } from '../router';
import { useDocumentTitle } from '../hooks';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Go to the dashboard</Link>.
      </p>
    </section>
  );
}
