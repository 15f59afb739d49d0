/**
 * Settings for the test suite only: which database dialects integration specs run on.
 * `npm test` makes sure PostgreSQL is up and sets these; both dialects run by default so a
 * missing server fails loudly instead of silently skipping half of the specs.
 */
export interface TestSettings {
  dialects: ('sqlite' | 'postgres')[];
  postgresUrl: string;
}

export function readTestSettings(env: Record<string, string | undefined>): TestSettings {
  const dialects = (env.PAPERBOY_TEST_DIALECTS ?? 'sqlite,postgres')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is 'sqlite' | 'postgres' => s === 'sqlite' || s === 'postgres');
  return { dialects, postgresUrl: env.PAPERBOY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' };
}
