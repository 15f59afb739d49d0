import { describe, expect, it } from 'vitest';
import { checkRequestProvenance, isStateChanging, tokensMatch } from './csrf.js';

const own = ['https://papers.example.org'];

describe('checkRequestProvenance', () => {
  it.each([
    [{ origin: 'https://papers.example.org', secFetchSite: 'same-origin' }, true],
    [{ origin: 'https://PAPERS.example.org:443', secFetchSite: undefined }, true],
    [{ origin: undefined, secFetchSite: undefined }, true],
    [{ origin: undefined, secFetchSite: 'none' }, true],
    [{ origin: 'https://evil.example', secFetchSite: 'cross-site' }, false],
    [{ origin: 'https://evil.example', secFetchSite: undefined }, false],
    [{ origin: 'https://sub.papers.example.org', secFetchSite: 'same-site' }, false],
    [{ origin: undefined, secFetchSite: 'same-site' }, false],
    [{ origin: 'http://papers.example.org', secFetchSite: undefined }, false],
    [{ origin: 'null', secFetchSite: undefined }, false],
    [{ origin: 'not a url', secFetchSite: undefined }, false],
  ])('%j -> %s', (headers, ok) => {
    expect(checkRequestProvenance(headers, own).ok).toBe(ok);
  });
});

describe('tokens and methods', () => {
  it('compares tokens exactly and refuses empty ones', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abd')).toBe(false);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('', '')).toBe(false);
    expect(tokensMatch(undefined, 'x')).toBe(false);
  });

  it('treats everything but GET, HEAD and OPTIONS as state-changing', () => {
    expect(['GET', 'head', 'OPTIONS'].map(isStateChanging)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(isStateChanging)).toEqual([true, true, true, true]);
  });
});
