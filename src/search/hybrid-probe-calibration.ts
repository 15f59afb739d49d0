/**
 * How many IVF lists a hybrid query's vector side needs to probe.
 *
 * The IVF's own breadth is calibrated for dense-only search (recall@10 >= 0.95 against exact,
 * vector-index.ts), where every one of the ten nearest papers counts. In a hybrid query the
 * vector side is blended with weight alpha and every lexical candidate gets its true cosine
 * whether the vector side found it or not (hybrid-fusion.ts), so the fused page may stop
 * changing at a smaller breadth (how much smaller depends on how far the blend lets papers
 * found by the vector side alone rise; with the relative-score blend, often not at all).
 * This measures it instead of guessing: starting from the dense breadth, it halves the probes
 * while the fused top k still agrees with the fused top k computed with an exact vector search
 * on the calibration queries (mean overlap >= `target`).
 */

export interface HybridProbeCalibration {
  /** The breadth chosen for hybrid queries. */
  probes: number;
  /** Mean top-k overlap with the exact-vector hybrid at `probes`, on the calibration queries. */
  agreement: number;
  /** Every breadth tried, widest first. */
  tried: { probes: number; agreement: number }[];
}

export interface HybridProbeCalibrationOptions {
  /** The breadth calibrated for dense-only search: the widest tried, and the answer if nothing smaller agrees. */
  from: number;
  /** Number of calibration queries. */
  queries: number;
  /** The fused top keys of query `i` with its vector side searched at `probes`, or exactly when null. */
  topKeys: (query: number, probes: number | null) => readonly string[] | Promise<readonly string[]>;
  /** Mean overlap required (default 0.99). */
  target?: number;
  /**
   * Never go below `from` divided by this (default 8). A finite calibration sample can agree by
   * luck at a very small breadth; halving stops at a margin the held-out figures confirmed.
   */
  maxReduction?: number;
  /** Awaited after each query, so a server keeps answering while it calibrates. */
  pause?: () => Promise<void>;
}

export const DEFAULT_HYBRID_AGREEMENT = 0.99;
const DEFAULT_MAX_REDUCTION = 8;

/** |approximate ∩ exact| / |exact| for one query's page (1 when the exact page is empty). */
export function pageOverlap(approximate: readonly string[], exact: readonly string[]): number {
  if (exact.length === 0) return 1;
  const want = new Set(exact);
  let hit = 0;
  for (const key of approximate) if (want.has(key)) hit++;
  return hit / exact.length;
}

export async function calibrateHybridProbes(o: HybridProbeCalibrationOptions): Promise<HybridProbeCalibration> {
  const from = Math.max(1, Math.floor(o.from));
  const target = o.target ?? DEFAULT_HYBRID_AGREEMENT;
  const floor = Math.max(1, Math.ceil(from / (o.maxReduction ?? DEFAULT_MAX_REDUCTION)));
  if (o.queries <= 0) return { probes: from, agreement: 1, tried: [] };

  const exact: (readonly string[])[] = [];
  for (let i = 0; i < o.queries; i++) {
    exact.push(await o.topKeys(i, null));
    await o.pause?.();
  }
  const agreementAt = async (probes: number): Promise<number> => {
    let sum = 0;
    for (let i = 0; i < o.queries; i++) {
      sum += pageOverlap(await o.topKeys(i, probes), exact[i]!);
      await o.pause?.();
    }
    return sum / o.queries;
  };

  const tried: { probes: number; agreement: number }[] = [];
  let best = { probes: from, agreement: await agreementAt(from) };
  tried.push(best);
  while (best.probes > floor) {
    const probes = Math.max(floor, Math.ceil(best.probes / 2));
    const agreement = await agreementAt(probes);
    tried.push({ probes, agreement });
    if (agreement < target) break;
    best = { probes, agreement };
  }
  return { probes: best.probes, agreement: best.agreement, tried };
}
