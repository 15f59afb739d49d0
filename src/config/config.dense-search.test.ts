import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.js';
import { DEFAULT_DENSE_SEARCH_CONFIG, loadConfig } from './config.js';

describe('loadConfig dense search', () => {
  it('learns paper vectors from the corpus by default', () => {
    expect(loadConfig({}).denseSearch).toEqual(DEFAULT_DENSE_SEARCH_CONFIG);
    expect(DEFAULT_DENSE_SEARCH_CONFIG).toEqual({ mode: 'auto', model: 'contrastive', dimensions: 128, minPapers: 1000, fitSample: 50_000 });
  });

  it('reads the SEARCH_DENSE settings', () => {
    const config = loadConfig({ SEARCH_DENSE: 'off', SEARCH_DENSE_MODEL: 'lsa', SEARCH_DENSE_DIMENSIONS: '64', SEARCH_DENSE_MIN_PAPERS: '200', SEARCH_DENSE_FIT_SAMPLE: '20000' });
    expect(config.denseSearch).toEqual({ mode: 'off', model: 'lsa', dimensions: 64, minPapers: 200, fitSample: 20_000 });
    expect(loadConfig({}).denseSearch.model).toBe('contrastive');
  });

  it('names every bad setting', () => {
    let error: unknown;
    try {
      loadConfig({ SEARCH_DENSE: 'maybe', SEARCH_DENSE_MODEL: 'bert', SEARCH_DENSE_DIMENSIONS: '3' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/SEARCH_DENSE:[\s\S]*SEARCH_DENSE_MODEL:[\s\S]*SEARCH_DENSE_DIMENSIONS/);
  });
});
