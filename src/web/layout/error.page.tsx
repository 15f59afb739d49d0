/** The page a browser gets when a request fails: the site's own layout, a heading, the message. */
import { STATUS_CODES } from 'node:http';
import { Layout } from './layout.js';

export function ErrorPage(props: { status: number; message: string }) {
  const reason = STATUS_CODES[props.status] ?? 'Error';
  return (
    <Layout title={`${props.status} ${reason} · Paperboy`}>
      <h1>{reason}</h1>
      <p>{props.message}</p>
      <p>
        <a href="/">Back to the feed</a>
      </p>
    </Layout>
  );
}
