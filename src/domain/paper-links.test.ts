import { describe, expect, it } from 'vitest';
import { extractPaperLinks, normalizeWebUrl, repoOf } from './paper-links.js';

describe('extractPaperLinks', () => {
  it.each([
    ['Code is at https://github.com/owner/repo.', 'https://github.com/owner/repo'],
    ['Code (https://github.com/owner/repo), data elsewhere', 'https://github.com/owner/repo'],
    ['[https://github.com/owner/repo-name]; see also', 'https://github.com/owner/repo-name'],
    ['code: \\url{https://github.com/Owner/Repo_2}.', 'https://github.com/Owner/Repo_2'],
    ['http://github.com/owner/repo.git and more', 'https://github.com/owner/repo'],
    ['github.com/owner/repo. Finally', 'https://github.com/owner/repo'],
    ['see https://github.com/owner/repo/tree/main/src for code', 'https://github.com/owner/repo'],
    ['Matlab code: https://github.com/someone/\n  long-repo-name', 'https://github.com/someone/long-repo-name'],
    ['Matlab code: https://github.com/someone/ ln-game-theory', 'https://github.com/someone/ln-game-theory'],
    ['at https://gitlab.com/group/project/-/tree/main', 'https://gitlab.com/group/project'],
    ['at https://codeberg.org/a/b!', 'https://codeberg.org/a/b'],
    ['at https://bitbucket.org/a/b/ and', 'https://bitbucket.org/a/b'],
  ])('%j links %s', (text, url) => {
    expect(extractPaperLinks(text, null).codeUrl).toBe(url);
  });

  it('prefers the first GitHub repository, reading the abstract before the comments', () => {
    const links = extractPaperLinks('Data at https://bitbucket.org/x/data-set.', 'Code: https://github.com/x/code-one and https://github.com/x/code-two');
    expect(links.codeUrl).toBe('https://github.com/x/code-one');
    expect(links.repos.map((r) => r.id)).toEqual(['x/data-set', 'x/code-one', 'x/code-two']);
  });

  it('does not take a profile, a GitHub page of its own or a sentence word for a repository', () => {
    expect(extractPaperLinks('see https://github.com/someone/, a report', null).codeUrl).toBeNull();
    expect(extractPaperLinks('code: github.com/someone/ and more', null).codeUrl).toBeNull();
    expect(extractPaperLinks('https://github.com/features/actions', null).codeUrl).toBeNull();
    expect(extractPaperLinks('see https://github.com/someone/\n  and then', null).codeUrl).toBeNull();
  });

  it('lists Hugging Face Hub repositories by kind but never takes them for the code', () => {
    const links = extractPaperLinks('Weights: https://huggingface.co/org/model-7b, data https://huggingface.co/datasets/org/corpus and a demo https://huggingface.co/spaces/org/demo', null);
    expect(links.repos.map((r) => [r.hubKind, r.url])).toEqual([
      ['model', 'https://huggingface.co/org/model-7b'],
      ['dataset', 'https://huggingface.co/datasets/org/corpus'],
      ['space', 'https://huggingface.co/spaces/org/demo'],
    ]);
    expect(links.codeUrl).toBeNull();
    expect(extractPaperLinks('https://huggingface.co/papers/2401.00001', null).repos).toEqual([]);
  });

  it('finds a project page the text names, and GitHub Pages sites of a project', () => {
    expect(extractPaperLinks('x', 'Accepted to CVPR. Project page:\n  http://www.example.edu/proj/.').projectPage).toBe('http://www.example.edu/proj/');
    expect(extractPaperLinks('Code at https://someone.github.io/tool/.', null).projectPage).toBe('https://someone.github.io/tool/');
    // A person's home page, the paper's own PDF and arXiv itself are not project pages.
    expect(extractPaperLinks('see https://someone.github.io/ for more', null).projectPage).toBeNull();
    expect(extractPaperLinks('project page: https://arxiv.org/pdf/1501.00001v2', null).projectPage).toBeNull();
    expect(extractPaperLinks('project page: http://example.org/paper.pdf', null).projectPage).toBeNull();
    expect(extractPaperLinks('Data at http://example.org/data', null).projectPage).toBeNull();
  });

  it('is empty for text without links', () => {
    expect(extractPaperLinks('We study graphs.', null)).toEqual({ repos: [], codeUrl: null, projectPage: null });
    expect(extractPaperLinks(null, undefined)).toEqual({ repos: [], codeUrl: null, projectPage: null });
  });
});

describe('repoOf and normalizeWebUrl', () => {
  it('canonicalises a repository URL and rejects what is not one', () => {
    expect(repoOf('http://www.github.com/a/b/issues/3')?.url).toBe('https://github.com/a/b');
    expect(repoOf('https://example.org/a/b')).toBeNull();
    expect(repoOf('https://github.com/a')).toBeNull();
  });
  it('keeps http(s) pages with a dotted host only', () => {
    expect(normalizeWebUrl('example.org')).toBe('https://example.org');
    expect(normalizeWebUrl('http://example.org/x')).toBe('http://example.org/x');
    expect(normalizeWebUrl('javascript:alert(1)')).toBeNull();
    expect(normalizeWebUrl('ftp://example.org/x')).toBeNull();
    expect(normalizeWebUrl('https://localhost/x')).toBeNull();
  });
});
