/**
 * The one TeX-to-text converter: renders the TeX found in arXiv titles and abstracts as readable
 * Unicode text for pages, snippets, feeds, mail and the search tokenizer alike, so a title reads
 * the same everywhere: `$\alpha$-stable` -> `α-stable`, `$O(n^2)$` -> `O(n²)`, `\'{e}` -> `é`,
 * `$\mathbb{R}^d$` -> `ℝᵈ`, `\frac{a}{b+c}` -> `a/(b+c)`. Unknown commands keep their name;
 * nothing is ever dropped silently except references and labels. Bounded: it never recurses
 * deeper than 40 groups and always advances. Runs of ordinary characters are copied in one
 * slice, since the tokenizer converts every title and abstract at index time.
 */

const GREEK: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', vartheta: 'ϑ',
  iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ',
  varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
};

const SYMBOLS: Record<string, string> = {
  ...GREEK,
  infty: '∞', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', simeq: '≃', cong: '≅', equiv: '≡',
  propto: '∝', ll: '≪', gg: '≫', times: '×', cdot: '·', cdots: '⋯', ldots: '…', dots: '…', pm: '±', mp: '∓', div: '÷',
  to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔', Leftrightarrow: '⇔',
  mapsto: '↦', longrightarrow: '⟶', uparrow: '↑', downarrow: '↓', in: '∈', notin: '∉', ni: '∋', subset: '⊂', subseteq: '⊆',
  supset: '⊃', supseteq: '⊇', cup: '∪', cap: '∩', setminus: '∖', forall: '∀', exists: '∃', partial: '∂', nabla: '∇',
  sum: '∑', prod: '∏', int: '∫', oint: '∮', ell: 'ℓ', hbar: 'ℏ', aleph: 'ℵ', emptyset: '∅', varnothing: '∅', circ: '∘',
  star: '⋆', ast: '∗', oplus: '⊕', otimes: '⊗', wedge: '∧', land: '∧', vee: '∨', lor: '∨', neg: '¬', lnot: '¬',
  langle: '⟨', rangle: '⟩', lceil: '⌈', rceil: '⌉', lfloor: '⌊', rfloor: '⌋', mid: '|', vert: '|', Vert: '‖', prime: '′',
  degree: '°', dagger: '†', perp: '⊥', parallel: '∥', angle: '∠', triangle: '△', top: '⊤', bot: '⊥', models: '⊨',
  vdash: '⊢', lesssim: '≲', gtrsim: '≳', preceq: '⪯', succeq: '⪰', bullet: '•', S: '§', P: '¶', copyright: '©',
  textasciitilde: '~', textbackslash: '\\', textendash: '–', textemdash: '—', textdegree: '°', textmu: 'µ',
  ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
  log: 'log', ln: 'ln', exp: 'exp', sin: 'sin', cos: 'cos', tan: 'tan', max: 'max', min: 'min', arg: 'arg', lim: 'lim',
  sup: 'sup', inf: 'inf', det: 'det', deg: 'deg', dim: 'dim', ker: 'ker', Pr: 'Pr', argmax: 'argmax', argmin: 'argmin',
  LaTeX: 'LaTeX', TeX: 'TeX', quad: ' ', qquad: ' ', enspace: ' ', thinspace: ' ', newline: ' ', par: ' ', noindent: '',
  displaystyle: '', textstyle: '', scriptstyle: '', limits: '', nolimits: '', left: '', right: '', big: '', Big: '', bigg: '',
  Bigg: '', bigl: '', bigr: '', Bigl: '', Bigr: '', biggl: '', biggr: '', middle: '', nonumber: '', centering: '',
};

const COMBINING: Record<string, string> = {
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  c: '\u0327', v: '\u030C', H: '\u030B', u: '\u0306', k: '\u0328', r: '\u030A', d: '\u0323', b: '\u0331',
  hat: '\u0302', widehat: '\u0302', tilde: '\u0303', widetilde: '\u0303', bar: '\u0304', overline: '\u0305', vec: '\u20D7',
  dot: '\u0307', ddot: '\u0308', acute: '\u0301', grave: '\u0300', breve: '\u0306', check: '\u030C',
};

const STYLE_COMMANDS = new Set([
  'textbf', 'textit', 'textsl', 'textsc', 'textrm', 'textsf', 'texttt', 'textup', 'textnormal', 'emph', 'underline', 'mbox',
  'hbox', 'text', 'textmd', 'mathrm', 'mathbf', 'mathit', 'mathsf', 'mathtt', 'mathnormal', 'boldsymbol', 'bm', 'pmb',
  'operatorname', 'mathcal', 'mathscr', 'mathfrak', 'mathop', 'ensuremath', 'textsuperscript', 'textsubscript', 'uline',
]);
const DROPPED_WITH_ARG = new Set(['cite', 'citep', 'citet', 'ref', 'eqref', 'label', 'footnote', 'vspace', 'hspace', 'index']);
const SWITCHES = new Set(['em', 'bf', 'it', 'rm', 'sf', 'tt', 'sc', 'sl', 'cal', 'small', 'large', 'Large', 'tiny', 'footnotesize', 'normalsize', 'boldmath']);

const DOUBLE_STRUCK: Record<string, string> = { N: 'ℕ', Z: 'ℤ', Q: 'ℚ', R: 'ℝ', C: 'ℂ', P: 'ℙ', H: 'ℍ', E: '𝔼', F: '𝔽', K: '𝕂', 1: '𝟙' };

const SUP: Record<string, string> = {
  0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹', '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼',
  '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', k: 'ᵏ', m: 'ᵐ', o: 'ᵒ', p: 'ᵖ', t: 'ᵗ',
  T: 'ᵀ', x: 'ˣ', '*': '*', '′': '′',
};
const SUB: Record<string, string> = {
  0: '₀', 1: '₁', 2: '₂', 3: '₃', 4: '₄', 5: '₅', 6: '₆', 7: '₇', 8: '₈', 9: '₉', '+': '₊', '-': '₋', '−': '₋', '=': '₌',
  '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', o: 'ₒ', x: 'ₓ', h: 'ₕ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', p: 'ₚ', s: 'ₛ', t: 'ₜ',
  i: 'ᵢ', j: 'ⱼ', r: 'ᵣ', u: 'ᵤ', v: 'ᵥ',
};

const MAX_DEPTH = 40;

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isWordChar(code: number): boolean {
  return isAsciiLetter(code) || (code >= 48 && code <= 57);
}

/** Characters `sequence` may treat specially: \ { } $ ~ - ` ' everywhere, ^ _ in math, ] for optional arguments. */
function isSpecial(code: number, math: boolean): boolean {
  return code === 92 || code === 123 || code === 125 || code === 36 || code === 126 || code === 45 || code === 96 || code === 39 || code === 93 || (math && (code === 94 || code === 95));
}

/** Text with none of these needs no parsing, only whitespace and punctuation tidying. */
const NEEDS_TEX = /[\\$~{}`']|--/;

function script(text: string, table: Record<string, string>, mark: '^' | '_'): string {
  const t = text.trim();
  if (!t) return '';
  if (mark === '^' && /^′+$/.test(t)) return t;
  const chars = [...t];
  if (chars.every((ch) => table[ch] !== undefined)) return chars.map((ch) => table[ch]).join('');
  return chars.length === 1 ? `${mark}${t}` : `${mark}(${t})`;
}

function atom(text: string): string {
  const t = text.trim();
  return /^[\p{L}\p{N}.′]+$/u.test(t) || /^\(.*\)$/.test(t) ? t : `(${t})`;
}

function accent(text: string, mark: string): string {
  const chars = [...text.trim()];
  if (chars.length === 0) return '';
  const first = chars[0] === 'ı' ? 'i' : chars[0] === 'ȷ' ? 'j' : chars[0]!;
  return `${first}${mark}${chars.slice(1).join('')}`.normalize('NFC');
}

class TexParser {
  private i = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  parse(): string {
    return this.sequence(false, null);
  }

  /** Reads until `until` (consumed) or the end; `}` ends a group when until is `}`. */
  private sequence(math: boolean, until: string | null): string {
    let out = '';
    const s = this.s;
    while (this.i < s.length) {
      if (until !== null && s.startsWith(until, this.i)) {
        this.i += until.length;
        return out;
      }
      const c = s[this.i]!;
      if (c === '\\') {
        const at = this.i;
        const text = this.command(math);
        // A word-like command (`\log`, an unknown name) must not merge with a word or number on
        // either side: `2\log n` reads `2 log n`, `\log\alpha` reads `log α`.
        if (text.length > 1 && isAsciiLetter(text.charCodeAt(0)) && s.startsWith(text.trimEnd(), at + 1)) {
          if (isWordChar(out.charCodeAt(out.length - 1))) out += ' ';
          out += text;
          if (s[this.i] === '\\' || s[this.i] === '{') out += ' ';
        } else {
          out += text;
        }
      } else if (c === '{') {
        out += this.group(math);
      } else if (c === '}') {
        this.i++; // unbalanced: skip
      } else if (c === '$') {
        if (math) {
          this.i++;
          if (until === '$$' && s[this.i] === '$') this.i++;
          return out;
        }
        const display = s[this.i + 1] === '$';
        this.i += display ? 2 : 1;
        out += this.nested(() => this.sequence(true, display ? '$$' : '$'));
      } else if (math && (c === '^' || c === '_')) {
        this.i++;
        const arg = this.argument(true);
        out += script(arg, c === '^' ? SUP : SUB, c);
      } else if (math && c === "'") {
        this.i++;
        out += '′';
      } else if (math && c === '-') {
        this.i++;
        out += '−';
      } else if (!math && c === '-' && s.startsWith('---', this.i)) {
        this.i += 3;
        out += '—';
      } else if (!math && c === '-' && s.startsWith('--', this.i)) {
        this.i += 2;
        out += '–';
      } else if (!math && s.startsWith('``', this.i)) {
        this.i += 2;
        out += '“';
      } else if (!math && s.startsWith("''", this.i)) {
        this.i += 2;
        out += '”';
      } else if (c === '~') {
        this.i++;
        out += '\u00A0';
      } else {
        let j = this.i + 1;
        while (j < s.length && !isSpecial(s.charCodeAt(j), math)) j++;
        out += j === this.i + 1 ? c : s.slice(this.i, j);
        this.i = j;
      }
    }
    return out;
  }

  private nested(fn: () => string): string {
    if (this.depth >= MAX_DEPTH) {
      // Too deep to be real TeX: emit the rest verbatim.
      const rest = this.s.slice(this.i);
      this.i = this.s.length;
      return rest;
    }
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private group(math: boolean): string {
    this.i++; // {
    return this.nested(() => this.sequence(math, '}'));
  }

  private skipSpaces(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  /** One argument: a `{group}`, a command or a single character. */
  private argument(math: boolean): string {
    this.skipSpaces();
    const c = this.s[this.i];
    if (c === undefined) return '';
    if (c === '{') return this.group(math);
    if (c === '\\') return this.command(math);
    this.i += c.length;
    return c;
  }

  private optionalArgument(math: boolean): string | null {
    this.skipSpaces();
    if (this.s[this.i] !== '[') return null;
    this.i++;
    return this.nested(() => this.sequence(math, ']'));
  }

  private command(math: boolean): string {
    const s = this.s;
    this.i++; // backslash
    const first = s[this.i];
    if (first === undefined) return '\\';
    if (!isAsciiLetter(first.charCodeAt(0))) {
      this.i++;
      if (first === '(' || first === '[') return this.nested(() => this.sequence(true, first === '(' ? '\\)' : '\\]'));
      if (first === ')' || first === ']') return '';
      const mark = COMBINING[first];
      if (!math && mark !== undefined && first !== '.') return accent(this.argument(false), mark);
      if (first === '.' && !math && /[A-Za-z{]/.test(s[this.i] ?? '')) return accent(this.argument(false), COMBINING['.']!);
      if (first === ',' || first === ';' || first === ':' || first === ' ' || first === '\\') return ' ';
      if (first === '!' || first === '/' || first === '-') return '';
      if (first === '|') return '‖';
      return first; // \$ \% \& \_ \# \{ \}
    }
    const start = this.i;
    while (this.i < s.length && isAsciiLetter(s.charCodeAt(this.i))) this.i++;
    const name = s.slice(start, this.i);
    if (name === 'left' || name === 'right' || name === 'middle' || /^[bB]igg?[lrm]?$/.test(name)) {
      this.skipSpaces();
      if (s[this.i] === '.') this.i++;
      return '';
    }
    const combining = COMBINING[name];
    if (combining !== undefined) return accent(this.argument(math), combining);
    if (STYLE_COMMANDS.has(name)) return this.argument(math || name.startsWith('math') || name === 'boldsymbol' || name === 'operatorname');
    if (name === 'mathbb' || name === 'mathbbm' || name === 'bbold') return [...this.argument(true)].map((ch) => DOUBLE_STRUCK[ch] ?? ch).join('');
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac' || name === 'cfrac') {
      const num = this.argument(true);
      const den = this.argument(true);
      return `${atom(num)}/${atom(den)}`;
    }
    if (name === 'binom') {
      const n = this.argument(true);
      const k = this.argument(true);
      return `C(${n.trim()}, ${k.trim()})`;
    }
    if (name === 'sqrt') {
      const index = this.optionalArgument(true);
      const radicand = this.argument(true);
      return `${index ? script(index, SUP, '^') : ''}√${atom(radicand)}`;
    }
    if (name === 'href') {
      this.argument(false);
      return this.argument(false);
    }
    if (name === 'url') return this.argument(false);
    if (DROPPED_WITH_ARG.has(name)) {
      this.optionalArgument(false);
      this.argument(false);
      return '';
    }
    if (SWITCHES.has(name)) return '';
    const symbol = SYMBOLS[name];
    if (symbol !== undefined) {
      // A control word swallows the spaces after it in TeX; keep one so "\alpha is" reads well.
      return symbol;
    }
    return name;
  }
}

/** Readable Unicode text for a TeX-bearing title or abstract. */
export function texToText(input: string): string {
  return texToPlain(input)
    .replace(/[\s\u00A0]+/g, ' ')
    .replace(/ ([,.;:)])/g, '$1')
    .replace(/\( /g, '(')
    .trim();
}

/** The same conversion without tidying whitespace: for the tokenizer, where spacing is irrelevant. */
export function texToPlain(input: string): string {
  return NEEDS_TEX.test(input) ? new TexParser(input).parse() : input;
}
