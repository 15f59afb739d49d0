/**
 * Turns the TeX that arXiv titles and abstracts carry (`$\alpha$-synuclein`, `G\"odel`,
 * `$O(n \log n)$`, `\emph{not}`) into plain Unicode display text: math delimiters removed,
 * accents composed, Greek letters and common symbols as Unicode, formatting commands dropped
 * but their arguments kept, citations dropped. Whitespace runs collapse to one space.
 * The tokenizer and the snippet builder both work on this text, so highlights never split a
 * TeX command. It is not a TeX engine: unknown commands simply disappear.
 */

/** Non-letter and letter accent commands, mapped to the Unicode combining mark they put on a letter. */
const ACCENTS: Readonly<Record<string, string>> = {
  '"': '\u0308',
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
  r: '\u030A',
  d: '\u0323',
  b: '\u0331',
  t: '\u0361',
};

/** Commands that stand for a character or a word. */
const SYMBOLS: Readonly<Record<string, string>> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  varpi: 'π', rho: 'ρ', varrho: 'ρ', sigma: 'σ', varsigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ',
  Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł',
  i: 'ı', j: 'ȷ',
  infty: '∞', ell: 'ℓ', hbar: 'ℏ', times: '×', cdot: '·', leq: '≤', le: '≤', geq: '≥', ge: '≥',
  neq: '≠', ne: '≠', pm: '±', mp: '∓', to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒',
  Leftarrow: '⇐', leftrightarrow: '↔', Leftrightarrow: '⇔', mapsto: '↦', approx: '≈', sim: '∼',
  simeq: '≃', equiv: '≡', propto: '∝', in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆',
  supset: '⊃', supseteq: '⊇', cup: '∪', cap: '∩', setminus: '∖', forall: '∀', exists: '∃',
  neg: '¬', wedge: '∧', land: '∧', vee: '∨', lor: '∨', oplus: '⊕', otimes: '⊗', partial: '∂',
  nabla: '∇', sum: '∑', prod: '∏', int: '∫', sqrt: '√', ldots: '…', dots: '…', cdots: '⋯',
  emptyset: '∅', varnothing: '∅', mid: '|', vert: '|', lfloor: '⌊', rfloor: '⌋', lceil: '⌈',
  rceil: '⌉', langle: '⟨', rangle: '⟩', circ: '∘', star: '⋆', ast: '∗', prime: '′', deg: 'deg',
  log: 'log', ln: 'ln', exp: 'exp', sin: 'sin', cos: 'cos', tan: 'tan', max: 'max', min: 'min',
  sup: 'sup', inf: 'inf', lim: 'lim', det: 'det', arg: 'arg', ker: 'ker', dim: 'dim', gcd: 'gcd',
  Pr: 'Pr', LaTeX: 'LaTeX', TeX: 'TeX', BibTeX: 'BibTeX', textendash: '–', textemdash: '—',
  S: '§', P: '¶', dag: '†', copyright: '©', textregistered: '®', texttrademark: '™',
  quad: ' ', qquad: ' ', newline: ' ', par: ' ', noindent: '', hfill: ' ', vfill: ' ',
};

/** Commands whose single braced argument is metadata, not text: the argument is dropped too. */
const DROP_WITH_ARGUMENT = new Set(['cite', 'citep', 'citet', 'ref', 'eqref', 'label', 'footnote', 'thanks', 'vspace', 'hspace', 'pageref']);

/** Characters a backslash escapes to themselves. */
const ESCAPED = new Set(['&', '%', '$', '#', '_', '{', '}', '|', '@', '/']);

/** Quick test: text with none of these needs no TeX handling, only whitespace collapsing. */
const NEEDS_TEX = /[\\$~{}`']|--/;

export function texToText(raw: string): string {
  if (!NEEDS_TEX.test(raw)) return collapseWhitespace(raw);
  return collapseWhitespace(new TexReader(raw).read());
}

/** Like texToText but without collapsing whitespace: for tokenizing, where spacing is irrelevant. */
export function texToPlain(raw: string): string {
  return NEEDS_TEX.test(raw) ? new TexReader(raw).read() : raw;
}

function collapseWhitespace(s: string): string {
  return /\s{2}|[\t\n\r\f\v\u00a0]/.test(s) ? s.replace(/\s+/g, ' ').trim() : s.trim();
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Characters `read` treats specially: backslash, dollar, braces, tilde, hyphen, backquote, quote. */
function isTexSpecial(code: number): boolean {
  return code === 92 || code === 36 || code === 123 || code === 125 || code === 126 || code === 45 || code === 96 || code === 39;
}

/** A one-pass reader; `math` tracks whether we are between math delimiters. */
class TexReader {
  private i = 0;
  private math = false;
  private out = '';

  constructor(private readonly s: string) {}

  read(): string {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '\\') this.command();
      else if (c === '$') {
        // `$$` opens/closes display math as a single delimiter.
        this.i += s[this.i + 1] === '$' ? 2 : 1;
        this.math = !this.math;
      } else if (c === '{' || c === '}') {
        this.i++;
        // `\frac{a}{b}`: keep the two groups apart in math; in text braces only protect case (`{B}ayes`).
        if (this.math && c === '}' && s[this.i] === '{') this.out += ' ';
      } else if (c === '~') {
        this.out += ' ';
        this.i++;
      } else if (c === '-' && !this.math && s[this.i + 1] === '-') {
        const em = s[this.i + 2] === '-';
        this.out += em ? '—' : '–';
        this.i += em ? 3 : 2;
      } else if ((c === '`' || c === "'") && s[this.i + 1] === c && !this.math) {
        this.out += c === '`' ? '“' : '”';
        this.i += 2;
      } else {
        // Copy the run of ordinary characters up to the next one that may start TeX at once:
        // one concatenation per run instead of one per character.
        let j = this.i + 1;
        while (j < s.length && !isTexSpecial(s.charCodeAt(j))) j++;
        this.out += j === this.i + 1 ? c : s.slice(this.i, j);
        this.i = j;
      }
    }
    return this.out;
  }

  private command(): void {
    const s = this.s;
    const start = this.i + 1;
    if (start >= s.length) {
      this.i = start;
      return;
    }
    const first = s[start]!;
    if (!isAsciiLetter(first.charCodeAt(0))) {
      this.i = start + 1;
      if (ACCENTS[first] !== undefined && !this.math) {
        this.accent(ACCENTS[first]);
        return;
      }
      if (first === '(' || first === '[') this.math = true;
      else if (first === ')' || first === ']') this.math = false;
      else if (first === '\\' || first === ',' || first === ';' || first === ':' || first === ' ') this.out += ' ';
      else if (ESCAPED.has(first)) this.out += first;
      // `\!`, `\-` (discretionary hyphen) and anything else: nothing.
      return;
    }
    let end = start;
    while (end < s.length && isAsciiLetter(s.charCodeAt(end))) end++;
    const name = s.slice(start, end);
    this.i = end;
    const accentMark = name.length === 1 ? ACCENTS[name] : undefined;
    if (accentMark !== undefined && (s[end] === '{' || s[end] === ' ')) {
      this.accent(accentMark);
      return;
    }
    const symbol = SYMBOLS[name];
    if (symbol !== undefined) {
      // A word-like command glued to a letter (`2\pi`, `\log n`) must not merge with it.
      const last = this.out.charCodeAt(this.out.length - 1);
      if (symbol.length > 1 && isAsciiLetter(symbol.charCodeAt(0)) && (isAsciiLetter(last) || (last >= 48 && last <= 57))) this.out += ' ';
      this.out += symbol;
      if (symbol.length > 1 && (s[this.i] === '\\' || s[this.i] === '{')) this.out += ' ';
      return;
    }
    if (DROP_WITH_ARGUMENT.has(name)) {
      this.skipOptionalArgument();
      this.skipGroup();
      return;
    }
    if (name === 'href') {
      // \href{url}{text}: the link target is not text.
      this.skipGroup();
      return;
    }
    // Formatting and unknown commands (\emph, \mathcal, \textbf, \frac, ...) vanish; their
    // arguments are read as ordinary text.
  }

  /** Puts `mark` on the next letter: `\"u`, `\"{u}`, `\v{s}`, `\c c`, `\'{\i}`. */
  private accent(mark: string): void {
    const s = this.s;
    while (s[this.i] === ' ') this.i++;
    let braced = false;
    if (s[this.i] === '{') {
      braced = true;
      this.i++;
    }
    let base = '';
    if (s[this.i] === '\\' && (s[this.i + 1] === 'i' || s[this.i + 1] === 'j') && !isAsciiLetter(s.charCodeAt(this.i + 2))) {
      base = s[this.i + 1]!;
      this.i += 2;
    } else if (this.i < s.length && s[this.i] !== '}') {
      base = s[this.i]!;
      this.i++;
    }
    if (braced && s[this.i] === '}') this.i++;
    this.out += (base + mark).normalize('NFC');
  }

  private skipOptionalArgument(): void {
    if (this.s[this.i] !== '[') return;
    const close = this.s.indexOf(']', this.i);
    this.i = close < 0 ? this.s.length : close + 1;
  }

  private skipGroup(): void {
    const s = this.s;
    if (s[this.i] !== '{') return;
    let depth = 0;
    for (; this.i < s.length; this.i++) {
      const c = s[this.i];
      if (c === '\\') this.i++;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        this.i++;
        return;
      }
    }
  }
}
