/**
 * Folds a lowercased word to the ASCII form the index stores: diacritics removed (Gödel ->
 * godel), ligatures and compatibility forms expanded (ﬁ -> fi, ² -> 2), letters NFKD does not
 * decompose mapped by hand (ß -> ss, ø -> o), and Greek letters spelled out (α -> alpha), so
 * `$\alpha$-synuclein`, `α-synuclein` and `alpha-synuclein` all meet in one term.
 */

const GREEK_NAMES: Readonly<Record<string, string>> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ϵ: 'epsilon', ζ: 'zeta', η: 'eta',
  θ: 'theta', ϑ: 'theta', ι: 'iota', κ: 'kappa', ϰ: 'kappa', λ: 'lambda', μ: 'mu', ν: 'nu',
  ξ: 'xi', ο: 'omicron', π: 'pi', ϖ: 'pi', ρ: 'rho', ϱ: 'rho', σ: 'sigma', ς: 'sigma', τ: 'tau',
  υ: 'upsilon', φ: 'phi', ϕ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
};

const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', ı: 'i', ȷ: 'j', þ: 'th', ħ: 'h', ŀ: 'l',
};

const COMBINING_MARKS = /\p{M}/gu;

/** True when `code` is a Greek letter (basic and extended blocks) that the tokenizer keeps as a word of its own. */
export function isGreekLetter(code: number): boolean {
  return (code >= 0x0391 && code <= 0x03c9 && code !== 0x03a2) || (code >= 0x03d0 && code <= 0x03f5) || (code >= 0x1f00 && code <= 0x1ffe);
}

/** Folds an already lowercased word; ASCII input is returned as is. */
export function foldWord(word: string): string {
  // Fast path: most scientific English is pure ASCII.
  let ascii = true;
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) > 127) {
      ascii = false;
      break;
    }
  }
  if (ascii) return word;
  const decomposed = word.normalize('NFKD').replace(COMBINING_MARKS, '');
  let out = '';
  for (const ch of decomposed) {
    out += GREEK_NAMES[ch] ?? SPECIAL_LETTERS[ch] ?? ch;
  }
  return out.toLowerCase();
}
