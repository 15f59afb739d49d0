import { describe, expect, it } from 'vitest';
import { authorFromParts, parseAuthorList } from './author-names.js';

const names = (text: string) => parseAuthorList(text).map((a) => a.name);

describe('parseAuthorList', () => {
  it('splits the forms arXiv uses (real arXivRaw author strings)', () => {
    expect(names('D.V. Shetty, S.J. Yennello, and G.A. Souliotis')).toEqual(['D.V. Shetty', 'S.J. Yennello', 'G.A. Souliotis']);
    expect(names('Valeria M. Rosa and Patricio S. letelier')).toEqual(['Valeria M. Rosa', 'Patricio S. letelier']);
    expect(names('Joshua Berger, Maxim Perelstein, Michael Saelim and Philip Tanedo')).toEqual(['Joshua Berger', 'Maxim Perelstein', 'Michael Saelim', 'Philip Tanedo']);
    expect(names('T. S. Barman')).toEqual(['T. S. Barman']);
    expect(names('A. One; B. Two & C. Three')).toEqual(['A. One', 'B. Two', 'C. Three']);
  });

  it('keeps line breaks out of names and suffixes with their name', () => {
    expect(names('Robert W. Heath, Jr., and Caleb\n  K. Lo')).toEqual(['Robert W. Heath Jr.', 'Caleb K. Lo']);
  });

  it('turns parenthesised text into affiliations, ignoring reference marks and footnote blocks', () => {
    expect(parseAuthorList('J. Doe (MIT, Cambridge) and R. Roe (1), S. Poe (1 and 2) ((1) CMU, (2) ETH)')).toEqual([
      { name: 'J. Doe', affiliations: ['MIT, Cambridge'] },
      { name: 'R. Roe', affiliations: [] },
      { name: 'S. Poe', affiliations: [] },
    ]);
    expect(names('Brandon (Sandy) Smith')).toEqual(['Brandon Smith']);
  });

  it('returns nothing for an empty string', () => {
    expect(parseAuthorList('  ')).toEqual([]);
  });
});

describe('authorFromParts', () => {
  it('builds "Forenames Keyname Suffix"', () => {
    expect(authorFromParts('Heath,', 'Robert W.', 'Jr.')).toEqual({ name: 'Robert W. Heath, Jr.', keyname: 'Heath,', forenames: 'Robert W.', suffix: 'Jr.', affiliations: [] });
    expect(authorFromParts('Collaboration', null, null).name).toBe('Collaboration');
    expect(authorFromParts('Müller', 'Thomas', '', ['Queen Mary &\n  Westfield College']).affiliations).toEqual(['Queen Mary & Westfield College']);
  });
});
